"""Python values to nodes: seroval's parser, id for id.

Ids are handed out exactly as seroval 1.8.1's parser does: depth-first pre-order,
an id for every non-primitive the first time it is met (before its type is even
looked at), hidden ids for helper singletons (the Map sentinel, the ArrayBuffer and
Promise/Stream helpers, the iterator-factory markers), and a mark on an id the
second time its value is met.  The depth rule is seroval's too: a value is refused
when it is visited at ``depth >= depth_limit``; the root is at depth 0 and each
enclosing container adds one.

The walker is recursive, a few Python frames per level.  Past the thread's
recursion budget (see :mod:`seroval.protocol.stack`), plain dicts, lists, JSSets and
JSMaps go on in a loop that takes no frames per level (:mod:`.parse_loop`); other
values go on on what the stack has left, or a fresh thread.  Primitives inside
containers take an inline fast path.
"""

from __future__ import annotations

import types
from collections.abc import AsyncIterable, Iterable, Mapping
from collections.abc import Sequence as AbcSequence
from typing import Any, Final

from ..errors import (
    SerovalDepthLimitError,
    SerovalError,
    SerovalParserError,
    SerovalUnsupportedTypeError,
    wrap_foreign,
)
from ..model.features import Feature
from ..model.live_stream import LiveStream
from ..model.nodes import (
    T_AGGREGATE_ERROR,
    T_ARRAY,
    T_ASYNC_ITERATOR_FACTORY,
    T_ASYNC_ITERATOR_FACTORY_INSTANCE,
    T_BIGINT,
    T_CONSTANT,
    T_ERROR,
    T_INDEXED_VALUE,
    T_ITERATOR_FACTORY,
    T_ITERATOR_FACTORY_INSTANCE,
    T_MAP,
    T_NULL_CONSTRUCTOR,
    T_NUMBER,
    T_OBJECT,
    T_PLUGIN,
    T_REFERENCE,
    T_SPECIAL_REFERENCE,
    T_STREAM_CONSTRUCTOR,
    T_STRING,
    T_WK_SYMBOL,
    Node,
    SpecialReference,
)
from ..model.options import DEFAULT_DEPTH_LIMIT, WriteOptions
from ..model.plugins import Plugin, StreamSource
from ..model.references import WriteRefs, reference_id_of
from ..model.stream import Stream
from ..model.strings import escape_string, js_property_order
from ..model.values import (
    MAX_SAFE_INTEGER,
    JSAggregateError,
    JSBigInt,
    JSError,
    JSObject,
    JSSequence,
    JSSymbol,
    Undefined,
    hole,
    js_to_string,
    js_truthy,
)
from ..stack import MIN_EXTENSION, StackBudget
from .parse_handlers import (
    FALLBACKS,
    FUNCTION_TYPES,
    HANDLERS,
    PLUGIN_EXEMPT,
)
from .parse_loop import NESTED_KINDS, parse_nested
from .parse_values import (
    ERROR_NAMES,
    MAX_VIEW_LENGTH,
    bigint_text,
    effective_flag,
    float_node,
    hole_free,
    js_name_property,
    plain_primitive,
    python_error_constructor,
    sequence_of,
    tag_text,
)

__all__ = ["DEFAULT_DEPTH_LIMIT", "Parser", "WriteOptions", "parse_top"]


#: An upper bound on the Python frames one nesting level of the walk uses (a plugin's
#: own hooks included), for :class:`~seroval.protocol.stack.StackBudget`.
FRAMES_PER_LEVEL: Final = 8

_DIGITS: Final = "0123456789"

# Marker objects for seroval's process-wide singletons.  Their identity is what takes
# an id in each refs space, exactly like seroval's SPECIAL_REFS / ITERATOR objects.
SPECIAL_REFERENCE_MARKERS: Final = tuple(object() for _ in SpecialReference)
ITERATOR_MARKER: Final = object()
ASYNC_ITERATOR_MARKER: Final = object()


class Parser:
    """The synchronous parser (seroval's sync mode: ``toJSON``, ``serialize``, cross sync).

    The async and streaming parsers subclass it and override the hooks for promises,
    streams and async iterables.
    """

    mode: str = "sync"

    def __init__(self, options: WriteOptions, refs: WriteRefs | None = None) -> None:
        self.refs = refs if refs is not None else WriteRefs()
        self.marked: dict[int, None] = {}
        self.features = options.features
        self.depth_limit = options.depth_limit
        self.options = options
        self.budget = StackBudget(FRAMES_PER_LEVEL)
        plugins = tuple(p for p in options.plugins if self.mode in p.modes)
        self.plugins = plugins
        self.plain_plugins = tuple(p for p in plugins if not p.skip_plain_objects)

    # -- ids ------------------------------------------------------------------

    def mark(self, node_id: int) -> None:
        self.marked[node_id] = None

    def special(self, kind: int) -> Node:
        """A SpecialReference node, or a reference to the one already in this refs space."""
        marker = SPECIAL_REFERENCE_MARKERS[kind]
        node_id = self.refs.get(marker)
        if node_id is not None:
            self.marked[node_id] = None
            return {"t": T_INDEXED_VALUE, "i": node_id}
        return {"t": T_SPECIAL_REFERENCE, "i": self.refs.add(marker), "s": int(kind)}

    def symbol(self, symbol: JSSymbol) -> Node:
        """A WKSymbol node for ``symbol`` (parsed without a depth check, as seroval does)."""
        node_id = self.refs.get(symbol)
        if node_id is not None:
            self.marked[node_id] = None
            return {"t": T_INDEXED_VALUE, "i": node_id}
        node_id = self.refs.add(symbol)
        reference = reference_id_of(symbol)
        if reference is not None:
            return {"t": T_REFERENCE, "i": node_id, "s": escape_string(reference)}
        return {"t": T_WK_SYMBOL, "i": node_id, "s": symbol.value}

    def fresh_id(self) -> int:
        """An id for an object seroval creates on the fly (its identity is never seen again)."""
        return self.refs.add(object())

    # -- the walk --------------------------------------------------------------

    def parse(self, value: Any, depth: int) -> Node:
        if depth >= self.depth_limit:
            raise SerovalDepthLimitError(self.depth_limit, step="parse")
        kind = type(value)
        if kind is str:
            return {"t": T_STRING, "s": escape_string(value)}
        if kind is int:
            if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
                return {"t": T_NUMBER, "s": value}
            return {"t": T_BIGINT, "s": bigint_text(value)}
        if kind is float:
            return float_node(value)
        if kind is bool:
            return {"t": T_CONSTANT, "s": 2 if value else 3}
        if value is None:
            return {"t": T_CONSTANT, "s": 0}
        if kind is Undefined:
            return {"t": T_CONSTANT, "s": 1}
        if kind is JSBigInt:
            return {"t": T_BIGINT, "s": bigint_text(int(value))}
        if isinstance(value, (str, int, float)):
            return self.parse(plain_primitive(value), depth)
        if depth >= self.budget.hand_over_at:
            # Past the budget, plain containers go on in a loop, the rest on what the
            # stack has left or a fresh one.
            if kind in NESTED_KINDS and not self.plugins:
                free = self.budget.free_levels(depth)
                if free >= MIN_EXTENSION:
                    return parse_nested(self, value, depth, depth + free)
            return self.budget.deeper(self.parse, value, depth)
        node_id = self.refs.get(value)
        if node_id is not None:
            self.marked[node_id] = None
            return {"t": T_INDEXED_VALUE, "i": node_id}
        node_id = self.refs.add(value)
        reference = reference_id_of(value)
        if reference is not None:
            return {"t": T_REFERENCE, "i": node_id, "s": escape_string(reference)}
        if kind is JSSymbol:
            return {"t": T_WK_SYMBOL, "i": node_id, "s": value.value}
        if not self.plugins:
            # The two commonest containers skip the handler's frame: a deep walk then
            # spends three frames a level and hands over to a fresh thread less often.
            if kind is dict:
                return self.dict_like(value, node_id, depth + 1)
            if kind is list:
                return self.array(value, node_id, depth + 1)
        handler = HANDLERS.get(kind)
        if handler is not None and (not self.plugins or kind in PLUGIN_EXEMPT):
            return handler(self, value, node_id, depth + 1)  # type: ignore[no-any-return]
        return self.parse_other(value, node_id, depth)

    def parse_other(self, value: Any, node_id: int, depth: int) -> Node:
        """Values without an exact-type handler, and every value when plugins are in use."""
        if isinstance(value, FUNCTION_TYPES):
            # seroval parses functions at the caller's depth: only a plugin can take them.
            node = self.try_plugins(value, node_id, depth, self.plugins)
            if node is not None:
                return node
            raise SerovalUnsupportedTypeError(
                f"cannot serialize the function {value!r} (register it with create_reference)",
                value,
            )
        depth += 1
        kind = type(value)
        if self.plugins and kind not in PLUGIN_EXEMPT:
            plain = kind is dict or (kind is JSObject and not value.null_prototype)
            node = self.try_plugins(
                value, node_id, depth, self.plain_plugins if plain else self.plugins
            )
            if node is not None:
                return node
        handler = HANDLERS.get(kind)
        if handler is not None:
            return handler(self, value, node_id, depth)  # type: ignore[no-any-return]
        for base, fallback in FALLBACKS:
            if isinstance(value, base):
                return fallback(self, value, node_id, depth)  # type: ignore[no-any-return]
        message = f"no seroval mapping for a value of type {kind.__qualname__}"
        if isinstance(value, Iterable):
            message += (
                " (it is iterable but not an iterator: pass list(value) to send an array,"
                " or iter(value) to send a JS iterator)"
            )
        raise SerovalUnsupportedTypeError(message, value)

    def try_plugins(
        self, value: Any, node_id: int, depth: int, plugins: tuple[Plugin, ...]
    ) -> Node | None:
        for plugin in plugins:
            if plugin.test(value):
                info = self.plugin_info(plugin, value, depth)
                if any(key[:1] in _DIGITS for key in info):
                    # The plugin's info is a JS object there: array-index keys come first.
                    info = {key: info[key] for key in js_property_order(info)}
                return {"t": T_PLUGIN, "i": node_id, "s": info, "c": escape_string(plugin.tag)}
        return None

    def plugin_info(self, plugin: Plugin, value: Any, depth: int) -> dict[str, Node]:
        """The plugin's fields as nodes: seroval's ``parse.sync`` (the async and stream
        parsers read ``Plugin.fields`` in their own mode instead)."""
        return plugin.parse(value, _PluginParseContext(self, depth))

    # -- containers ---------------------------------------------------------------

    def items(self, values: Iterable[Any], depth: int) -> list[Node]:
        """Nodes for a run of values, with an inline fast path for common primitives."""
        nodes: list[Node] = []
        append = nodes.append
        parse = self.parse
        first = True
        for item in values:
            if first:
                if depth >= self.depth_limit:
                    raise SerovalDepthLimitError(self.depth_limit, step="parse")
                first = False
            kind = type(item)
            try:
                if kind is str:
                    append({"t": T_STRING, "s": escape_string(item)})
                elif kind is int and -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
                    append({"t": T_NUMBER, "s": item})
                else:
                    append(parse(item, depth))
            except SerovalError as error:
                error.at(len(nodes))
                raise
        return nodes

    def array(self, value: AbcSequence[Any], node_id: int, depth: int, flag: int = 0) -> Node:
        length = len(value)
        if length > MAX_VIEW_LENGTH and sum(1 for item in value if item is hole) > MAX_VIEW_LENGTH:
            raise SerovalUnsupportedTypeError("a sparse array with more than 1e6 holes", value)
        if hole_free(value):
            nodes: list[Any] = self.items(value, depth)
        else:
            nodes = []
            for index, item in enumerate(value):
                if item is hole:
                    nodes.append(0)
                else:
                    try:
                        nodes.append(self.parse(item, depth))
                    except SerovalError as error:
                        error.at(index)
                        raise
        return {
            "t": T_ARRAY,
            "i": node_id,
            "a": nodes,
            "o": effective_flag(flag, value) if flag else 0,
        }

    def properties(
        self,
        keys: list[Any],
        values: list[Any],
        depth: int,
        symbols: Mapping[JSSymbol, Any] | None,
    ) -> dict[str, list[Any]]:
        """A ``p`` record: string keys in JS order, then the well-known symbol keys."""
        key_nodes: list[Any] = [escape_string(key) for key in keys]
        value_nodes: list[Any] = self.items(values, depth) if values else []
        if symbols:
            self._symbol_properties(symbols, key_nodes, value_nodes, depth)
        return {"k": key_nodes, "v": value_nodes}

    def _symbol_properties(
        self,
        symbols: Mapping[JSSymbol, Any],
        key_nodes: list[Any],
        value_nodes: list[Any],
        depth: int,
    ) -> None:
        if JSSymbol.ITERATOR in symbols:
            key_nodes.append(self.symbol(JSSymbol.ITERATOR))
            factory = self.iterator_factory()
            sequence = self.sequence(symbols[JSSymbol.ITERATOR])
            value_nodes.append(
                {"t": T_ITERATOR_FACTORY_INSTANCE, "a": [factory, self.parse(sequence, depth)]}
            )
        if JSSymbol.ASYNC_ITERATOR in symbols:
            key_nodes.append(self.symbol(JSSymbol.ASYNC_ITERATOR))
            factory = self.async_iterator_factory()
            stream = self.async_iterable(symbols[JSSymbol.ASYNC_ITERATOR], depth)
            value_nodes.append({"t": T_ASYNC_ITERATOR_FACTORY_INSTANCE, "a": [factory, stream]})
        if JSSymbol.TO_STRING_TAG in symbols:
            key_nodes.append(self.symbol(JSSymbol.TO_STRING_TAG))
            text = tag_text(symbols[JSSymbol.TO_STRING_TAG])
            value_nodes.append({"t": T_STRING, "s": escape_string(text)})
        if JSSymbol.IS_CONCAT_SPREADABLE in symbols:
            key_nodes.append(self.symbol(JSSymbol.IS_CONCAT_SPREADABLE))
            spread = js_truthy(symbols[JSSymbol.IS_CONCAT_SPREADABLE])
            value_nodes.append({"t": T_CONSTANT, "s": 2 if spread else 3})

    def sequence(self, source: Any) -> JSSequence:
        """The JSSequence a ``[Symbol.iterator]`` value gives (the async parser, which walks
        a value more than once, keeps the first so an iterator is drained once)."""
        return sequence_of(source)

    def iterator_factory(self) -> Node:
        node_id = self.refs.get(ITERATOR_MARKER)
        if node_id is not None:
            self.marked[node_id] = None
            return {"t": T_INDEXED_VALUE, "i": node_id}
        node_id = self.refs.add(ITERATOR_MARKER)
        return {"t": T_ITERATOR_FACTORY, "i": node_id, "f": self.symbol(JSSymbol.ITERATOR)}

    def async_iterator_factory(self) -> Node:
        node_id = self.refs.get(ASYNC_ITERATOR_MARKER)
        if node_id is not None:
            self.marked[node_id] = None
            return {"t": T_INDEXED_VALUE, "i": node_id}
        node_id = self.refs.add(ASYNC_ITERATOR_MARKER)
        promise = self.special(SpecialReference.PROMISE_CONSTRUCTOR)
        return {
            "t": T_ASYNC_ITERATOR_FACTORY,
            "i": node_id,
            "a": [promise, self.symbol(JSSymbol.ASYNC_ITERATOR)],
        }

    def async_iterable(self, source: Any, depth: int) -> Node:
        """An async iterable's stream.  Sync mode cannot wait for it."""
        raise SerovalUnsupportedTypeError(
            "an async iterable needs an async or streaming serializer", source
        )

    def promise(self, value: Any, node_id: int, depth: int) -> Node:
        raise SerovalUnsupportedTypeError(
            "an awaitable needs an async or streaming serializer", value
        )

    def stream_source(self, value: StreamSource, node_id: int, depth: int) -> Node:
        """A plugin's live stream part.  Sync mode cannot wait for it."""
        raise SerovalUnsupportedTypeError(
            "a stream source needs an async or streaming serializer", value.source
        )

    def live_stream(self, value: LiveStream, node_id: int, depth: int) -> Node:
        """A LiveStream: only the streaming serializers can send one (the async ones drain it)."""
        raise SerovalUnsupportedTypeError("a live stream needs a streaming serializer", value)

    def stream(self, value: Stream, node_id: int, depth: int) -> Node:
        factory = self.special(SpecialReference.STREAM_CONSTRUCTOR)
        ended = value.ended_events()
        if ended is None:
            raise SerovalUnsupportedTypeError(
                "an open stream needs an async or streaming serializer", value
            )
        values, success = ended
        last = len(values) - 1
        events = [
            (32 if index < last else (34 if success else 33), item)
            for index, item in enumerate(values)
        ]
        nodes = self.stream_events(node_id, events, depth)
        return {"t": T_STREAM_CONSTRUCTOR, "i": node_id, "a": nodes, "f": factory}

    def stream_events(self, node_id: int, events: list[tuple[int, Any]], depth: int) -> list[Node]:
        """Event nodes (``(type, value)`` pairs, types 32-34) for the stream ``node_id``.

        As in seroval, a stream with events is marked (before its events are parsed).
        """
        if events:
            self.marked[node_id] = None
        nodes: list[Node] = []
        for index, (kind, item) in enumerate(events):
            try:
                nodes.append({"t": kind, "i": node_id, "f": self.parse(item, depth)})
            except SerovalError as error:
                error.at(index)
                raise
        return nodes

    # -- objects and maps ------------------------------------------------------------

    def dict_like(
        self,
        value: Mapping[Any, Any],
        node_id: int,
        depth: int,
        null_prototype: bool = False,
        flag: int = 0,
    ) -> Node:
        keys: list[str] = []
        symbols: dict[JSSymbol, Any] | None = None
        needs_order = False
        for key in value:
            if type(key) is str:
                if key and key[0] in _DIGITS:
                    needs_order = True
                keys.append(key)
            elif type(key) is JSSymbol:
                if symbols is None:
                    symbols = {}
                symbols[key] = value[key]
            elif isinstance(key, str):
                keys.append(str.__str__(key))
            else:
                if null_prototype or flag:
                    raise SerovalUnsupportedTypeError(
                        f"a JSObject key must be a str or a JSSymbol, not {type(key).__name__}",
                        value,
                    )
                return self.map_entries(list(value.items()), node_id, depth)
        if needs_order:
            keys = js_property_order(keys)
        values = [value[key] for key in keys]
        try:
            record: dict[str, list[Any]]
            if symbols is None:  # self.properties, a frame less
                record = {
                    "k": [escape_string(key) for key in keys],
                    "v": self.items(values, depth) if values else [],
                }
            else:
                record = self.properties(keys, values, depth, symbols)
        except SerovalError as error:
            if error.path and isinstance(error.path[0], int) and error.path[0] < len(keys):
                error.path[0] = keys[error.path[0]]
            raise
        if flag and not value:
            flag = 3
        return {
            "t": T_NULL_CONSTRUCTOR if null_prototype else T_OBJECT,
            "i": node_id,
            "p": record,
            "o": flag,
        }

    def map_entries(self, entries: list[tuple[Any, Any]], node_id: int, depth: int) -> Node:
        sentinel = self.special(SpecialReference.MAP_SENTINEL)
        key_nodes: list[Node] = []
        value_nodes: list[Node] = []
        if entries and depth >= self.depth_limit:
            raise SerovalDepthLimitError(self.depth_limit, step="parse")
        for index, (key, item) in enumerate(entries):
            try:
                key_nodes.append(self.parse(key, depth))
                value_nodes.append(self.parse(item, depth))
            except SerovalError as error:
                error.at(index)
                raise
        return {"t": T_MAP, "i": node_id, "e": {"k": key_nodes, "v": value_nodes}, "f": sentinel}

    def iterable_object(self, value: Any, node_id: int, depth: int) -> Node:
        """An iterable class instance: seroval's null-prototype object with iterator keys."""
        symbols: dict[JSSymbol, Any] = {}
        if isinstance(value, AsyncIterable):
            symbols[JSSymbol.ASYNC_ITERATOR] = value
        else:
            symbols[JSSymbol.ITERATOR] = value
        if isinstance(value, types.GeneratorType):
            symbols[JSSymbol.TO_STRING_TAG] = "Generator"
        elif isinstance(value, types.AsyncGeneratorType):
            symbols[JSSymbol.TO_STRING_TAG] = "AsyncGenerator"
        record = self.properties([], [], depth, symbols)
        return {"t": T_NULL_CONSTRUCTOR, "i": node_id, "p": record, "o": 0}

    # -- errors -------------------------------------------------------------------

    def error(self, value: BaseException, node_id: int, depth: int) -> Node:
        features = self.features
        if isinstance(value, JSError):
            constructor = int(value.type)
            message = value.message
            aggregate = isinstance(value, JSAggregateError)
            own = value.properties
            # JS's error.constructor.name: any value an own `constructor` gives.
            class_name: Any = value.constructor_name
            name = own.get("name", class_name)
            if "constructor" in own:
                # seroval reads `error.constructor.name`, and an own `constructor`
                # property is what that finds.
                class_name = js_name_property(own["constructor"])
        else:
            constructor = python_error_constructor(value)
            aggregate = isinstance(value, BaseExceptionGroup)
            message = value.message if aggregate else str(value)  # type: ignore[attr-defined]
            class_name = name = type(value).__name__
            own = self._python_error_properties(value)
        aggregate = aggregate and bool(features & Feature.AGGREGATE_ERROR)
        if aggregate:
            constructor = 0
        constructor_name = ERROR_NAMES[constructor]
        options: dict[str, Any] = {}
        if name != constructor_name:
            options["name"] = name
        elif class_name != constructor_name:
            options["name"] = class_name
        keep_stack = bool(features & Feature.ERROR_PROTOTYPE_STACK)
        for key, item in own.items():
            if (
                type(key) is str
                and key not in ("name", "message")
                and (key != "stack" or keep_stack)
            ):
                options[key] = item
        keys = js_property_order(options)
        if not isinstance(message, str):
            message = js_to_string(message)
        record = self.properties(keys, [options[key] for key in keys], depth, None)
        return {
            "t": T_AGGREGATE_ERROR if aggregate else T_ERROR,
            "i": node_id,
            "s": constructor,
            "m": escape_string(message),
            "p": record,
        }

    def _python_error_properties(self, value: BaseException) -> dict[str, Any]:
        own: dict[str, Any] = {}
        if self.options.include_tracebacks:
            import traceback

            own["stack"] = "".join(traceback.format_exception(value))
        if value.__cause__ is not None:
            own["cause"] = value.__cause__
        if isinstance(value, BaseExceptionGroup):
            own["errors"] = list(value.exceptions)
        return own


class _PluginParseContext:
    __slots__ = ("_depth", "_parser")

    def __init__(self, parser: Parser, depth: int) -> None:
        self._parser = parser
        self._depth = depth

    def parse(self, value: object) -> Node:
        return self._parser.parse(value, self._depth)


def parse_top(parser: Parser, value: object, depth: int = 0, *, rollback: bool = True) -> Node:
    """Parse a root value; on failure, roll the refs back and raise a SerovalError.

    The streaming parser also parses each later value (a promise's settlement, a
    stream's event) with this, at the depth where that value sits, and rolls back
    itself (seroval forgets the ids of every record not yet sent).
    """
    size = len(parser.refs)
    try:
        parser.budget.start(depth)
        return parser.parse(value, depth)
    except SerovalError:
        if rollback:
            parser.refs.rollback(size)
        raise
    except RecursionError:
        if rollback:
            parser.refs.rollback(size)
        raise SerovalParserError(
            "the value nests deeper than Python's recursion limit allows"
        ) from None
    except Exception as error:
        if rollback:
            parser.refs.rollback(size)
        raise wrap_foreign(error, "parse", "a value being serialized") from error
