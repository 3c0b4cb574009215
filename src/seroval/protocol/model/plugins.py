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

from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Mapping
from typing import Any, ClassVar, Protocol

from .nodes import Node

__all__ = [
    "Awaited",
    "Plugin",
    "PluginDeserializeContext",
    "PluginParseContext",
    "PluginSerializeContext",
    "StreamSource",
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
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {}
    """How the JS text reader reads this plugin's ``serialize`` text (optional).

    A plugin's JS text is arbitrary code, which the reader never evaluates.  Instead
    a plugin names the calls its text makes, each spelled as in the text (``"new
    Point"`` for ``new Point(...)``, ``"AbortSignal.abort"`` for a static call), and
    maps each to a function that turns the call's already-read arguments into the
    fields that :meth:`deserialize` expects (as values, not nodes).  The reader then
    calls :meth:`deserialize` as ``from_json`` does, validators included.  A name no
    plugin declares is refused, so a payload cannot reach any other code.
    """

    def test(self, value: object) -> bool:
        """Whether this plugin handles ``value``."""
        raise NotImplementedError

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        """The value's parts, as Python values, for each parsing mode (the simple hook).

        The parser turns each part into a node in the current mode ("sync", "async"
        or "stream"), in order, so one method serves every mode: a part that is a
        promise or stream is awaited in async mode and streamed in stream mode.
        Wrap an async iterable in :class:`StreamSource` to send it as a live stream
        (how seroval's ReadableStream plugin sends its chunks), and an awaitable in
        :class:`Awaited` to send what it gives rather than a promise (how seroval's
        Blob plugin sends the bytes it had to wait for; async mode only).
        """
        raise NotImplementedError

    def parse(self, value: Any, ctx: PluginParseContext) -> dict[str, Node]:
        """Describe ``value`` as named child nodes (built with ``ctx.parse``).

        The low-level hook, seroval's ``parse.sync``; by default it parses
        :meth:`fields`.  Override one or the other.
        """
        return {name: ctx.parse(part) for name, part in self.fields(value, "sync").items()}

    def serialize(self, info: dict[str, Node], ctx: PluginSerializeContext) -> str:
        """The JS expression that rebuilds the value (children via ``ctx.serialize``)."""
        raise NotImplementedError

    def deserialize(self, info: dict[str, Node], ctx: PluginDeserializeContext) -> Any:
        """Rebuild the value from the named child nodes (via ``ctx.deserialize``)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} tag={getattr(self, 'tag', None)!r}>"


class StreamSource:
    """A plugin part to send as a live stream (seroval's ``parseStreamSource``).

    In async mode the source is drained into the stream's events; in stream mode
    each item becomes its own chunk as it arrives; sync mode cannot send it.
    """

    __slots__ = ("source",)

    def __init__(self, source: AsyncIterable[Any]) -> None:
        self.source = source

    def __repr__(self) -> str:
        return f"StreamSource({self.source!r})"


class Awaited:
    """A plugin part whose *result* is the part: async mode awaits it, then parses that.

    seroval's async plugins write ``await ctx.parse(await value.arrayBuffer())``:
    the field is the bytes, not a promise of them.  Only the async serializers
    can wait, so the other modes refuse such a part; a rejection fails the whole
    serialization, as a throwing ``parse.async`` does in seroval.
    """

    __slots__ = ("awaitable",)

    def __init__(self, awaitable: Awaitable[Any]) -> None:
        self.awaitable = awaitable

    def __repr__(self) -> str:
        return f"Awaited({self.awaitable!r})"


def resolve_plugins(plugins: Iterable[Plugin] | None) -> tuple[Plugin, ...]:
    """Flatten ``plugins`` with their ``extends``, depth first, without duplicates.

    Raises ``TypeError`` for an item that is not a :class:`Plugin`.
    """
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
