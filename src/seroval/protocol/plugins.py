"""The plugin API: teach seroval a type it does not know.

A plugin turns a Python value into a Plugin node (``{"t": 25, "s": {field: node},
"c": tag}``) and back.  A JS plugin with the same ``tag`` reads and writes the same
node, so a Python class and a JS class can stand for each other on the wire::

    class PointPlugin(Plugin):
        tag = "my/Point"

        def test(self, value: object) -> bool:
            return isinstance(value, Point)

        def parse(self, value: Point, ctx: PluginParseContext) -> dict[str, Node]:
            return {"x": ctx.parse(value.x), "y": ctx.parse(value.y)}

        def serialize(self, info: dict[str, Node], ctx: PluginSerializeContext) -> str:
            return f"new Point({ctx.serialize(info['x'])},{ctx.serialize(info['y'])})"

        def deserialize(self, info: dict[str, Node], ctx: PluginDeserializeContext) -> Point:
            return Point(ctx.deserialize(info["x"]), ctx.deserialize(info["y"]))

Pass instances: ``to_json(value, plugins=[PointPlugin()])``.  As in seroval, the
plugin list is flattened depth first with ``extends`` (each plugin before its
dependencies) and de-duplicated, and the first plugin whose ``test`` accepts a
value wins; plugins are tried before the built-in types (except lists, streams and
sequences).  ``validate`` maps field names to predicates checked when reading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Protocol

from .nodes import Node

__all__ = [
    "Plugin",
    "PluginDeserializeContext",
    "PluginParseContext",
    "PluginSerializeContext",
    "resolve_plugins",
]


class PluginParseContext(Protocol):
    """What a plugin's ``parse`` gets: ``parse(value)`` turns a child value into a node."""

    def parse(self, value: object) -> Node: ...


class PluginSerializeContext(Protocol):
    """What a plugin's ``serialize`` gets: ``serialize(node)`` renders a child as JS text."""

    def serialize(self, node: Node) -> str: ...


class PluginDeserializeContext(Protocol):
    """What a plugin's ``deserialize`` gets: ``deserialize(node)`` reads a child node."""

    def deserialize(self, node: Node) -> Any: ...


class Plugin:
    """Base class for plugins; subclass it and set ``tag``.

    ``modes`` says which parsing modes the plugin supports, like seroval's
    ``parse.sync`` / ``parse.async`` / ``parse.stream``: a plugin is only tried in a
    mode it supports.  ``skip_plain_objects`` promises that ``test`` never accepts a
    plain ``dict``, which lets the parser skip it for those.
    """

    tag: ClassVar[str]
    extends: ClassVar[tuple[Plugin, ...]] = ()
    modes: ClassVar[frozenset[str]] = frozenset({"sync", "async", "stream"})
    skip_plain_objects: ClassVar[bool] = False
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {}

    def test(self, value: object) -> bool:
        """Whether this plugin handles ``value``."""
        raise NotImplementedError

    def parse(self, value: Any, ctx: PluginParseContext) -> dict[str, Node]:
        """Describe ``value`` as named child nodes (built with ``ctx.parse``)."""
        raise NotImplementedError

    def serialize(self, info: dict[str, Node], ctx: PluginSerializeContext) -> str:
        """The JS expression that rebuilds the value (children via ``ctx.serialize``)."""
        raise NotImplementedError

    def deserialize(self, info: dict[str, Node], ctx: PluginDeserializeContext) -> Any:
        """Rebuild the value from the named child nodes (via ``ctx.deserialize``)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} tag={getattr(self, 'tag', None)!r}>"


def resolve_plugins(plugins: Iterable[Plugin] | None) -> tuple[Plugin, ...]:
    """Flatten ``plugins`` with their ``extends``, depth first, without duplicates."""
    seen: dict[int, Plugin] = {}

    def visit(items: Iterable[Plugin]) -> None:
        for plugin in items:
            if id(plugin) not in seen:
                if not isinstance(plugin, Plugin):
                    raise TypeError(f"{plugin!r} is not a seroval Plugin")
                seen[id(plugin)] = plugin
                visit(plugin.extends)

    if plugins:
        visit(plugins)
    return tuple(seen.values())
