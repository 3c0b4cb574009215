"""Every public function and reader class says in its docstring what it raises."""

from __future__ import annotations

import inspect

import pytest

import seroval

ENTRY_POINTS = sorted(
    name
    for name in seroval.__all__
    if inspect.isfunction(getattr(seroval, name))
    or name in ("Serializer", "Deserializer", "CrossDeserializer")
)


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_the_docstring_says_what_it_raises(name: str) -> None:
    doc = inspect.getdoc(getattr(seroval, name)) or ""
    assert "raise" in doc.lower(), f"seroval.{name} does not document what it raises"
