"""``my/Point``: the plugin the conformance vectors use, mirrored from the JS oracle.

It doubles as the worked example of the plugin API: a Python class and a JS class
that stand for each other on the wire through a shared tag.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from ..protocol.model.nodes import Node
from ..protocol.model.plugins import (
    Plugin,
    PluginDeserializeContext,
    PluginParseContext,
    PluginSerializeContext,
)
from ..protocol.model.values import undefined

__all__ = ["Point", "PointPlugin"]


class Point:
    """A two-field value type with no seroval mapping of its own."""

    __slots__ = ("x", "y")

    def __init__(self, x: Any, y: Any) -> None:
        self.x = x
        self.y = y

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Point):
            return NotImplemented
        return (self.x, self.y) == (other.x, other.y)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Point({self.x!r}, {self.y!r})"


def _point_fields(arguments: list[Any]) -> dict[str, Any]:
    """``new Point(x, y)`` read from JS text: a missing argument is ``undefined``, as in JS."""
    x, y = (*arguments, undefined, undefined)[:2]
    return {"x": x, "y": y}


class PointPlugin(Plugin):
    """Writes a :class:`Point` as ``new Point(x, y)`` under the tag ``my/Point``."""

    tag = "my/Point"
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new Point": _point_fields
    }

    def test(self, value: object) -> bool:
        return isinstance(value, Point)

    def parse(self, value: Point, ctx: PluginParseContext) -> dict[str, Node]:
        return {"x": ctx.parse(value.x), "y": ctx.parse(value.y)}

    def serialize(self, info: dict[str, Node], ctx: PluginSerializeContext) -> str:
        return f"new Point({ctx.serialize(info['x'])},{ctx.serialize(info['y'])})"

    def deserialize(self, info: dict[str, Node], ctx: PluginDeserializeContext) -> Point:
        return Point(ctx.deserialize(info["x"]), ctx.deserialize(info["y"]))
