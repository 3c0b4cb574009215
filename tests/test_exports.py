"""The public surface: ``__all__`` lists exactly the public names, and they import."""

from __future__ import annotations

import types

import seroval


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name
        for name, item in vars(seroval).items()
        if not name.startswith("_") and not isinstance(item, types.ModuleType)
    }
    public.discard("annotations")  # from __future__
    assert set(seroval.__all__) == public | {"__version__"}
    assert len(seroval.__all__) == len(set(seroval.__all__))


def test_every_error_class_shares_the_root() -> None:
    errors = [
        getattr(seroval, name)
        for name in seroval.__all__
        if name.startswith("Seroval") and name.endswith("Error")
    ]
    assert len(errors) >= 19
    for error in errors:
        assert issubclass(error, seroval.SerovalError)
