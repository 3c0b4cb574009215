"""Everyday Python types as opt-in plugins: Decimal, UUID, paths, enums, dataclasses, pydantic.

seroval's wire format knows JS types; these plugins carry the Python types a
codebase passes every day, under stable ``seroval-python/*`` tags (SPEC.md §16),
and the npm package in ``js/seroval-python-types`` registers the same tags on the
JS side.  One line turns them on::

    from seroval import to_json
    from seroval.plugins import python

    plugins = python.plugins(Point, Color, User)  # your dataclasses, enums, models
    to_json({"id": uuid4(), "price": Decimal("9.99"), "at": Point(1, 2)}, plugins=plugins)

:data:`ALL` holds the plugins that need no classes (``Decimal``, ``UUID``,
``pathlib`` paths); :func:`plugins` adds one plugin per kind of class given.
Classes must be registered because the wire names a type, and a reader builds
only what it was told it may build.
"""

from __future__ import annotations

import dataclasses
import enum
import sys
from collections.abc import Mapping
from typing import Final

from ...protocol.model.plugins import Plugin
from .enums import EnumPlugin, FlagPlugin
from .records import DataclassPlugin, PydanticPlugin
from .scalars import DecimalPlugin, PathPlugin, UUIDPlugin

__all__ = [
    "ALL",
    "DataclassPlugin",
    "DecimalPlugin",
    "EnumPlugin",
    "FlagPlugin",
    "PathPlugin",
    "PydanticPlugin",
    "UUIDPlugin",
    "plugins",
]

#: The plugins that carry a type without being told about classes.
ALL: Final[tuple[Plugin, ...]] = (DecimalPlugin(), UUIDPlugin(), PathPlugin())


def _is_pydantic_model(cls: type) -> bool:
    pydantic = sys.modules.get("pydantic")  # a model implies pydantic is imported
    return pydantic is not None and issubclass(cls, pydantic.BaseModel)


def plugins(*classes: type | Mapping[str, type]) -> tuple[Plugin, ...]:
    """:data:`ALL`, plus the Enum, Flag, dataclass and pydantic plugins for ``classes``.

    Each class (or each class of a ``{wire name: class}`` mapping) goes to the
    plugin of its kind; a class of no such kind is a ``TypeError``.
    """
    kinds: dict[str, list[Mapping[str, type]]] = {}
    for entry in classes:
        pairs = entry.items() if isinstance(entry, Mapping) else [(entry.__name__, entry)]
        for name, cls in pairs:
            if isinstance(cls, type) and issubclass(cls, enum.Flag):
                kind = "flag"
            elif isinstance(cls, type) and issubclass(cls, enum.Enum):
                kind = "enum"
            elif isinstance(cls, type) and dataclasses.is_dataclass(cls):
                kind = "dataclass"
            elif isinstance(cls, type) and _is_pydantic_model(cls):
                kind = "pydantic"
            else:
                raise TypeError(f"{cls!r} is not an Enum, Flag, dataclass or pydantic model")
            kinds.setdefault(kind, []).append({name: cls})
    made: list[Plugin] = []
    if "enum" in kinds:
        made.append(EnumPlugin(*kinds["enum"]))
    if "flag" in kinds:
        made.append(FlagPlugin(*kinds["flag"]))
    if "dataclass" in kinds:
        made.append(DataclassPlugin(*kinds["dataclass"]))
    if "pydantic" in kinds:
        made.append(PydanticPlugin(*kinds["pydantic"]))
    return (*made, *ALL)
