"""Python values to nodes: seroval's parser, id for id.

Ids are handed out exactly as seroval 1.8.1's parser does: depth-first pre-order,
an id for every non-primitive the first time it is met (before its type is even
looked at), hidden ids for helper singletons (the Map sentinel, the ArrayBuffer and
Promise/Stream helpers, the iterator-factory markers), and a mark on an id the
second time its value is met.  The depth rule is seroval's too: a value is refused
when it is visited at ``depth >= depth_limit``; the root is at depth 0 and each
enclosing container adds one.

The walker is recursive, a few Python frames per level; where a deep value would
exhaust the thread's recursion budget, the walk goes on on a fresh thread (see
:mod:`seroval.protocol.stack`).  Primitives inside containers take an inline
fast path.
"""

from __future__ import annotations

import base64
import re
import types
from collections.abc import AsyncIterable, Awaitable, Iterable, Mapping
from collections.abc import Sequence as AbcSequence
from collections.abc import Set as AbcSet
from datetime import date, datetime, time, timedelta
from functools import partial
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
    BIGINT_TYPED_ARRAYS,
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
    JSArray,
    JSBigInt,
    JSBoxed,
    JSDataView,
    JSDate,
    JSError,
    JSErrorType,
    JSMap,
    JSObject,
    JSRegExp,
    JSSet,
    JSSymbol,
    JSTemporal,
    JSTypedArray,
    OpaqueReference,
    Sequence,
    Undefined,
    hole,
    iso_from_ms,
    js_to_string,
    js_truthy,
    ms_from_datetime,
    undefined,
)
from ..stack import StackBudget
from ..temporal.text import Instant, PlainDateTime, ZonedDateTime, temporal_text

__all__ = ["DEFAULT_DEPTH_LIMIT", "Parser", "WriteOptions", "parse_top"]

MAX_VIEW_LENGTH: Final = 1_000_000
"""seroval refuses longer typed arrays and DataViews (and sparse arrays with more holes)."""

MAX_ITERABLE_ITEMS: Final = 1_000_000
"""Our cap on items drained from a sync iterable (seroval has none, and would hang)."""


#: An upper bound on the Python frames one nesting level of the walk uses (a plugin's
#: own hooks included), for :class:`~seroval.protocol.stack.StackBudget`.
FRAMES_PER_LEVEL: Final = 8

_INF: Final = float("inf")
_DIGITS: Final = "0123456789"

# Marker objects for seroval's process-wide singletons.  Their identity is what takes
# an id in each refs space, exactly like seroval's SPECIAL_REFS / ITERATOR objects.
SPECIAL_REFERENCE_MARKERS: Final = tuple(object() for _ in SpecialReference)
ITERATOR_MARKER: Final = object()
ASYNC_ITERATOR_MARKER: Final = object()

_FUNCTION_TYPES: Final = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.BuiltinMethodType,
    types.MethodWrapperType,
    types.WrapperDescriptorType,
    type,
    partial,
)


def _bigint_text(value: int) -> str:
    """Decimal text of any int, even past Python's int-to-str digit limit."""
    try:
        return str(value)
    except ValueError:  # more digits than sys.get_int_max_str_digits() allows
        sign = "-" if value < 0 else ""
        value = abs(value)
        chunks: list[str] = []
        while value:
            value, chunk = divmod(value, 10**1000)
            chunks.append(f"{chunk:01000d}")
        return sign + "".join(reversed(chunks)).lstrip("0")


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
            return {"t": 4, "i": node_id}
        return {"t": 26, "i": self.refs.add(marker), "s": int(kind)}

    def symbol(self, symbol: JSSymbol) -> Node:
        """A WKSymbol node for ``symbol`` (parsed without a depth check, as seroval does)."""
        node_id = self.refs.get(symbol)
        if node_id is not None:
            self.marked[node_id] = None
            return {"t": 4, "i": node_id}
        node_id = self.refs.add(symbol)
        reference = reference_id_of(symbol)
        if reference is not None:
            return {"t": 18, "i": node_id, "s": escape_string(reference)}
        return {"t": 17, "i": node_id, "s": symbol.value}

    def fresh_id(self) -> int:
        """An id for an object seroval creates on the fly (its identity is never seen again)."""
        return self.refs.add(object())

    # -- the walk --------------------------------------------------------------

    def parse(self, value: Any, depth: int) -> Node:
        if depth >= self.depth_limit:
            raise SerovalDepthLimitError(self.depth_limit, step="parse")
        kind = type(value)
        if kind is str:
            return {"t": 1, "s": escape_string(value)}
        if kind is int:
            if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
                return {"t": 0, "s": value}
            return {"t": 3, "s": _bigint_text(value)}
        if kind is float:
            return _float_node(value)
        if kind is bool:
            return {"t": 2, "s": 2 if value else 3}
        if value is None:
            return {"t": 2, "s": 0}
        if kind is Undefined:
            return {"t": 2, "s": 1}
        if kind is JSBigInt:
            return {"t": 3, "s": _bigint_text(int(value))}
        if isinstance(value, (str, int, float)):
            return self.parse(_plain_primitive(value), depth)
        if depth >= self.budget.hand_over_at:
            return self.budget.deeper(self.parse, value, depth)
        node_id = self.refs.get(value)
        if node_id is not None:
            self.marked[node_id] = None
            return {"t": 4, "i": node_id}
        node_id = self.refs.add(value)
        reference = reference_id_of(value)
        if reference is not None:
            return {"t": 18, "i": node_id, "s": escape_string(reference)}
        if kind is JSSymbol:
            return {"t": 17, "i": node_id, "s": value.value}
        handler = _HANDLERS.get(kind)
        if handler is not None and (not self.plugins or kind in _PLUGIN_EXEMPT):
            return handler(self, value, node_id, depth + 1)  # type: ignore[no-any-return]
        return self.parse_other(value, node_id, depth)

    def parse_other(self, value: Any, node_id: int, depth: int) -> Node:
        """Values without an exact-type handler, and every value when plugins are in use."""
        if isinstance(value, _FUNCTION_TYPES):
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
        if self.plugins and kind not in _PLUGIN_EXEMPT:
            plain = kind is dict or (kind is JSObject and not value.null_prototype)
            node = self.try_plugins(
                value, node_id, depth, self.plain_plugins if plain else self.plugins
            )
            if node is not None:
                return node
        handler = _HANDLERS.get(kind)
        if handler is not None:
            return handler(self, value, node_id, depth)  # type: ignore[no-any-return]
        for base, fallback in _FALLBACKS:
            if isinstance(value, base):
                return fallback(self, value, node_id, depth)  # type: ignore[no-any-return]
        raise SerovalUnsupportedTypeError(
            f"no seroval mapping for a value of type {kind.__qualname__}", value
        )

    def try_plugins(
        self, value: Any, node_id: int, depth: int, plugins: tuple[Plugin, ...]
    ) -> Node | None:
        for plugin in plugins:
            if plugin.test(value):
                info = self.plugin_info(plugin, value, depth)
                if any(key[:1] in _DIGITS for key in info):
                    # The plugin's info is a JS object there: array-index keys come first.
                    info = {key: info[key] for key in js_property_order(info)}
                return {"t": 25, "i": node_id, "s": info, "c": escape_string(plugin.tag)}
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
                    append({"t": 1, "s": escape_string(item)})
                elif kind is int and -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
                    append({"t": 0, "s": item})
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
        return {"t": 9, "i": node_id, "a": nodes, "o": effective_flag(flag, value) if flag else 0}

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
            value_nodes.append({"t": 28, "a": [factory, self.parse(sequence, depth)]})
        if JSSymbol.ASYNC_ITERATOR in symbols:
            key_nodes.append(self.symbol(JSSymbol.ASYNC_ITERATOR))
            factory = self.async_iterator_factory()
            stream = self.async_iterable(symbols[JSSymbol.ASYNC_ITERATOR], depth)
            value_nodes.append({"t": 30, "a": [factory, stream]})
        if JSSymbol.TO_STRING_TAG in symbols:
            key_nodes.append(self.symbol(JSSymbol.TO_STRING_TAG))
            text = _tag_text(symbols[JSSymbol.TO_STRING_TAG])
            value_nodes.append({"t": 1, "s": escape_string(text)})
        if JSSymbol.IS_CONCAT_SPREADABLE in symbols:
            key_nodes.append(self.symbol(JSSymbol.IS_CONCAT_SPREADABLE))
            spread = js_truthy(symbols[JSSymbol.IS_CONCAT_SPREADABLE])
            value_nodes.append({"t": 2, "s": 2 if spread else 3})

    def sequence(self, source: Any) -> Sequence:
        """The Sequence a ``[Symbol.iterator]`` value gives (the async parser, which walks
        a value more than once, keeps the first so an iterator is drained once)."""
        return sequence_of(source)

    def iterator_factory(self) -> Node:
        node_id = self.refs.get(ITERATOR_MARKER)
        if node_id is not None:
            self.marked[node_id] = None
            return {"t": 4, "i": node_id}
        node_id = self.refs.add(ITERATOR_MARKER)
        return {"t": 27, "i": node_id, "f": self.symbol(JSSymbol.ITERATOR)}

    def async_iterator_factory(self) -> Node:
        node_id = self.refs.get(ASYNC_ITERATOR_MARKER)
        if node_id is not None:
            self.marked[node_id] = None
            return {"t": 4, "i": node_id}
        node_id = self.refs.add(ASYNC_ITERATOR_MARKER)
        promise = self.special(SpecialReference.PROMISE_CONSTRUCTOR)
        return {"t": 29, "i": node_id, "a": [promise, self.symbol(JSSymbol.ASYNC_ITERATOR)]}

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
        return {"t": 31, "i": node_id, "a": nodes, "f": factory}

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
            record = self.properties(keys, values, depth, symbols)
        except SerovalError as error:
            if error.path and isinstance(error.path[0], int) and error.path[0] < len(keys):
                error.path[0] = keys[error.path[0]]
            raise
        if flag and not value:
            flag = 3
        return {"t": 11 if null_prototype else 10, "i": node_id, "p": record, "o": flag}

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
        return {"t": 8, "i": node_id, "e": {"k": key_nodes, "v": value_nodes}, "f": sentinel}

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
        return {"t": 11, "i": node_id, "p": record, "o": 0}

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
                class_name = _js_name_property(own["constructor"])
        else:
            constructor = _python_error_constructor(value)
            aggregate = isinstance(value, BaseExceptionGroup)
            message = value.message if aggregate else str(value)  # type: ignore[attr-defined]
            class_name = name = type(value).__name__
            own = self._python_error_properties(value)
        aggregate = aggregate and bool(features & Feature.AGGREGATE_ERROR)
        if aggregate:
            constructor = 0
        constructor_name = _ERROR_NAMES[constructor]
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
            "t": 14 if aggregate else 13,
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


def _js_name_property(value: Any) -> Any:
    """What ``value.name`` reads in JS, for the values an error's ``constructor`` can hold."""
    if value is None or value is undefined:
        raise SerovalUnsupportedTypeError(
            "an error whose own `constructor` is null or undefined has no constructor name", value
        )
    if isinstance(value, JSError):
        return value.name
    if isinstance(value, dict):
        return value.get("name", undefined)
    return undefined


def _tag_text(value: Any) -> str:
    """JS ``String(value)`` for a ``Symbol.toStringTag`` value: primitives, objects, arrays."""
    if type(value) is dict:
        return "[object Object]"
    if type(value) in (list, tuple):
        return ",".join(
            "" if item is None or item is undefined else _tag_text(item) for item in value
        )
    try:
        return js_to_string(value)
    except TypeError:
        raise SerovalUnsupportedTypeError(
            f"cannot turn a {type(value).__name__} into a Symbol.toStringTag string", value
        ) from None


def effective_flag(flag: int, items: Iterable[Any]) -> int:
    """The flag JS reports: an object or array with no own elements is frozen once locked."""
    if flag and all(item is hole for item in items):
        return 3
    return flag


def hole_free(values: AbcSequence[Any]) -> bool:
    return not any(item is hole for item in values)


def _float_node(value: float) -> Node:
    if value != value:
        return {"t": 2, "s": 7}
    if value == _INF:
        return {"t": 2, "s": 5}
    if value == -_INF:
        return {"t": 2, "s": 6}
    if value == 0:
        if str(value)[0] == "-":
            return {"t": 2, "s": 4}
        return {"t": 0, "s": 0}
    if value.is_integer() and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return {"t": 0, "s": int(value)}
    return {"t": 0, "s": value}


def _plain_primitive(value: str | int | float) -> str | int | float:
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    return float(value)


_ERROR_NAMES: Final = tuple(member.js_name for member in JSErrorType)


def _python_error_constructor(value: BaseException) -> int:
    if isinstance(value, TypeError):
        return int(JSErrorType.TYPE_ERROR)
    if isinstance(value, SyntaxError):
        return int(JSErrorType.SYNTAX_ERROR)
    return int(JSErrorType.ERROR)


def sequence_of(source: Any) -> Sequence:
    """Drain the value of a ``[Symbol.iterator]`` key into a fresh Sequence.

    A :class:`Sequence` is replayed the way seroval's iterator helper replays one, so
    the copy is what JS would capture; a callable is called to get the iterator (a JS
    iterator factory); any other iterable is iterated.
    """
    if isinstance(source, Sequence):
        return replay_sequence(source)
    if callable(source) and not isinstance(source, Iterable):
        source = source()
    try:
        return Sequence.from_iterable(source, MAX_ITERABLE_ITEMS)
    except OverflowError as error:
        raise SerovalUnsupportedTypeError(str(error), source) from None
    except TypeError as error:
        raise SerovalUnsupportedTypeError(
            f"a Symbol.iterator value must be a Sequence or an iterable ({error})", source
        ) from None


def replay_sequence(source: Sequence) -> Sequence:
    """What draining seroval's iterator helper over ``source`` captures."""
    values: list[Any] = []
    done_at = source.done_at
    throw_at = source.throw_at
    index = 0
    while True:
        if index > done_at:
            values.append(undefined)
            return Sequence(values, -1, len(values) - 1)
        item = source.values[index] if index < len(source.values) else undefined
        values.append(item)
        if index == throw_at:
            return Sequence(values, index, index)
        if index == done_at:
            return Sequence(values, -1, index)
        index += 1


class _PluginParseContext:
    __slots__ = ("_depth", "_parser")

    def __init__(self, parser: Parser, depth: int) -> None:
        self._parser = parser
        self._depth = depth

    def parse(self, value: object) -> Node:
        return self._parser.parse(value, self._depth)


# -- per-type handlers ----------------------------------------------------------------


def _h_list(parser: Parser, value: Any, node_id: int, depth: int) -> Node:
    return parser.array(value, node_id, depth, 0)


def _h_jsarray(parser: Parser, value: JSArray, node_id: int, depth: int) -> Node:
    return parser.array(value, node_id, depth, int(value.integrity))


def _h_dict(parser: Parser, value: Any, node_id: int, depth: int) -> Node:
    return parser.dict_like(value, node_id, depth)


def _h_jsobject(parser: Parser, value: JSObject, node_id: int, depth: int) -> Node:
    return parser.dict_like(value, node_id, depth, value.null_prototype, int(value.integrity))


def _h_set(parser: Parser, value: Any, node_id: int, depth: int) -> Node:
    return {"t": 7, "i": node_id, "a": parser.items(list(value), depth)}


def _h_jsmap(parser: Parser, value: JSMap[Any, Any], node_id: int, depth: int) -> Node:
    return parser.map_entries(value.entries(), node_id, depth)


def _h_datetime(parser: Parser, value: datetime, node_id: int, depth: int) -> Node:
    if value.utcoffset() is None:
        zone = parser.options.naive_timezone
        if zone is None:
            raise SerovalUnsupportedTypeError(
                "a naive datetime has no defined instant; make it aware or pass naive_timezone=",
                value,
            )
        value = value.replace(tzinfo=zone)
    return {"t": 5, "i": node_id, "s": iso_from_ms(ms_from_datetime(value))}


def _h_jsdate(parser: Parser, value: JSDate, node_id: int, depth: int) -> Node:
    return {"t": 5, "i": node_id, "s": value.iso()}


def _h_regexp(parser: Parser, value: JSRegExp, node_id: int, depth: int) -> Node:
    if not parser.features & Feature.REGEXP:
        raise SerovalUnsupportedTypeError("RegExp values are disabled (Feature.REGEXP)", value)
    return {"t": 6, "i": node_id, "c": escape_string(value.source), "m": value.flags}


def _h_pattern(parser: Parser, value: re.Pattern[Any], node_id: int, depth: int) -> Node:
    try:
        regexp = JSRegExp.from_pattern(value)
    except (TypeError, ValueError) as error:
        raise SerovalUnsupportedTypeError(str(error), value) from None
    return _h_regexp(parser, regexp, node_id, depth)


def _h_error(parser: Parser, value: BaseException, node_id: int, depth: int) -> Node:
    return parser.error(value, node_id, depth)


def _h_boxed(parser: Parser, value: JSBoxed[Any], node_id: int, depth: int) -> Node:
    inner = value.value
    if type(inner) not in (bool, int, float, str, JSBigInt):
        raise SerovalUnsupportedTypeError("JSBoxed holds a bool, number, string or BigInt", value)
    return {"t": 21, "i": node_id, "f": parser.parse(inner, depth)}


def _array_buffer_node(parser: Parser, node_id: int, data: bytes | bytearray) -> Node:
    text = base64.b64encode(data).decode("ascii")
    return {
        "t": 19,
        "i": node_id,
        "s": text,
        "f": parser.special(SpecialReference.ARRAY_BUFFER_CONSTRUCTOR),
    }


def _h_bytearray(parser: Parser, value: bytearray, node_id: int, depth: int) -> Node:
    return _array_buffer_node(parser, node_id, value)


def _fresh_buffer(parser: Parser, data: bytes, depth: int) -> Node:
    """An ArrayBuffer node for bytes with no identity of their own (one fresh id)."""
    if depth >= parser.depth_limit:
        raise SerovalDepthLimitError(parser.depth_limit, step="parse")
    return _array_buffer_node(parser, parser.fresh_id(), data)


def _view_node(
    parser: Parser, kind: str, node_id: int, length: int, buffer: Node, offset: int
) -> Node:
    if length > MAX_VIEW_LENGTH:
        raise SerovalUnsupportedTypeError(f"a {kind} longer than 1e6 elements", None)
    t = 16 if kind in BIGINT_TYPED_ARRAYS else 15
    return {"t": t, "i": node_id, "c": kind, "f": buffer, "b": offset, "l": length}


def _h_bytes(parser: Parser, value: bytes, node_id: int, depth: int) -> Node:
    if len(value) > MAX_VIEW_LENGTH:
        raise SerovalUnsupportedTypeError("bytes longer than 1e6 (a Uint8Array) ", value)
    return _view_node(
        parser, "Uint8Array", node_id, len(value), _fresh_buffer(parser, value, depth), 0
    )


_MEMORYVIEW_KINDS: Final = {
    ("b", 1): "Int8Array",
    ("B", 1): "Uint8Array",
    ("c", 1): "Uint8Array",
    ("h", 2): "Int16Array",
    ("H", 2): "Uint16Array",
    ("i", 4): "Int32Array",
    ("I", 4): "Uint32Array",
    ("l", 4): "Int32Array",
    ("L", 4): "Uint32Array",
    ("l", 8): "BigInt64Array",
    ("L", 8): "BigUint64Array",
    ("q", 8): "BigInt64Array",
    ("Q", 8): "BigUint64Array",
    ("f", 4): "Float32Array",
    ("d", 8): "Float64Array",
}


def _h_memoryview(parser: Parser, value: memoryview, node_id: int, depth: int) -> Node:
    fmt = value.format.lstrip("@=<")
    kind = _MEMORYVIEW_KINDS.get((fmt, value.itemsize))
    if kind is None or value.ndim > 1:
        raise SerovalUnsupportedTypeError(
            f"a memoryview of format {value.format!r} has no typed-array equivalent", value
        )
    data = value.tobytes()
    view = JSTypedArray(kind, bytearray(data), 0, len(data) // value.itemsize)
    return _h_typed_array(parser, view, node_id, depth)


def _h_typed_array(parser: Parser, value: JSTypedArray, node_id: int, depth: int) -> Node:
    if value.kind in BIGINT_TYPED_ARRAYS and not parser.features & Feature.BIGINT_TYPED_ARRAY:
        return _bigint_array_fallback(parser, value, node_id, depth)
    _check_view(value.buffer, value.byte_offset, value.byte_length, value)
    if value.length > MAX_VIEW_LENGTH:
        raise SerovalUnsupportedTypeError(f"a {value.kind} longer than 1e6 elements", value)
    buffer = parser.parse(value.buffer, depth)
    return _view_node(parser, value.kind, node_id, value.length, buffer, value.byte_offset)


def _bigint_array_fallback(parser: Parser, value: JSTypedArray, node_id: int, depth: int) -> Node:
    """A BigInt typed array with the feature off: seroval's iterable null-prototype object."""
    items = [JSBigInt(item) for item in value.tolist()]
    keys = [str(index) for index in range(len(items))]
    symbols = {
        JSSymbol.ITERATOR: Sequence([*items, undefined], -1, len(items)),
        JSSymbol.TO_STRING_TAG: value.kind,
    }
    record = parser.properties(keys, items, depth, symbols)
    return {"t": 11, "i": node_id, "p": record, "o": 0}


def _check_view(buffer: bytearray, offset: int, length: int, value: object) -> None:
    if offset < 0 or offset + length > len(buffer):
        raise SerovalUnsupportedTypeError("a view that no longer fits its buffer", value)


def _h_data_view(parser: Parser, value: JSDataView, node_id: int, depth: int) -> Node:
    _check_view(value.buffer, value.byte_offset, value.byte_length, value)
    if value.byte_length > MAX_VIEW_LENGTH:
        raise SerovalUnsupportedTypeError("a DataView longer than 1e6 bytes", value)
    buffer = parser.parse(value.buffer, depth)
    return {"t": 20, "i": node_id, "f": buffer, "b": value.byte_offset, "l": value.byte_length}


def _h_sequence(parser: Parser, value: Sequence, node_id: int, depth: int) -> Node:
    return {
        "t": 35,
        "i": node_id,
        "s": value.throw_at,
        "a": parser.items(value.values, depth),
        "l": value.done_at,
    }


def _h_opaque(parser: Parser, value: OpaqueReference[Any], node_id: int, depth: int) -> Node:
    return parser.parse(value.replacement, depth)


def _h_temporal(parser: Parser, value: JSTemporal, node_id: int, depth: int) -> Node:
    if not parser.features & Feature.TEMPORAL:
        raise SerovalUnsupportedTypeError("Temporal values are disabled (Feature.TEMPORAL)", value)
    return {"t": 36, "i": node_id, "s": value.text, "c": int(value.type)}


def _h_python_temporal(parser: Parser, value: Any, node_id: int, depth: int) -> Node:
    """``date``, ``time``, ``timedelta`` and the Temporal datetimes (see :mod:`.temporal`)."""
    try:
        found = temporal_text(value)
    except (ValueError, OverflowError) as error:
        raise SerovalUnsupportedTypeError(str(error), value) from None
    if found is None:  # a subclass temporal_text does not know; never one of ours
        raise SerovalUnsupportedTypeError(f"no Temporal form for {type(value).__name__}", value)
    return _h_temporal(parser, JSTemporal(*found), node_id, depth)


def _h_stream(parser: Parser, value: Stream, node_id: int, depth: int) -> Node:
    return parser.stream(value, node_id, depth)


def _h_live_stream(parser: Parser, value: LiveStream, node_id: int, depth: int) -> Node:
    return parser.live_stream(value, node_id, depth)


def _h_promise(parser: Parser, value: Any, node_id: int, depth: int) -> Node:
    return parser.promise(value, node_id, depth)


def _h_stream_source(parser: Parser, value: StreamSource, node_id: int, depth: int) -> Node:
    return parser.stream_source(value, node_id, depth)


def _h_iterable(parser: Parser, value: Any, node_id: int, depth: int) -> Node:
    return parser.iterable_object(value, node_id, depth)


_HANDLERS: dict[type, Any] = {
    list: _h_list,
    tuple: _h_list,
    JSArray: _h_jsarray,
    dict: _h_dict,
    JSObject: _h_jsobject,
    set: _h_set,
    frozenset: _h_set,
    JSSet: _h_set,
    JSMap: _h_jsmap,
    datetime: _h_datetime,
    JSDate: _h_jsdate,
    JSRegExp: _h_regexp,
    re.Pattern: _h_pattern,
    JSError: _h_error,
    JSAggregateError: _h_error,
    JSBoxed: _h_boxed,
    bytes: _h_bytes,
    bytearray: _h_bytearray,
    memoryview: _h_memoryview,
    JSTypedArray: _h_typed_array,
    JSDataView: _h_data_view,
    Sequence: _h_sequence,
    OpaqueReference: _h_opaque,
    JSTemporal: _h_temporal,
    date: _h_python_temporal,
    time: _h_python_temporal,
    timedelta: _h_python_temporal,
    PlainDateTime: _h_python_temporal,
    Instant: _h_python_temporal,
    ZonedDateTime: _h_python_temporal,
    Stream: _h_stream,
    LiveStream: _h_live_stream,
    StreamSource: _h_stream_source,
    types.GeneratorType: _h_iterable,
    types.AsyncGeneratorType: _h_iterable,
    types.CoroutineType: _h_promise,
}

# seroval looks at arrays, streams and sequences before asking plugins.
_PLUGIN_EXEMPT: Final = frozenset(
    {list, tuple, JSArray, Stream, LiveStream, Sequence, OpaqueReference}
)

_FALLBACKS: Final[tuple[tuple[Any, Any], ...]] = (
    (BaseException, _h_error),
    (JSObject, _h_jsobject),
    (JSArray, _h_jsarray),
    (dict, _h_dict),
    (list, _h_list),
    (tuple, _h_list),
    (set, _h_set),
    (frozenset, _h_set),
    (PlainDateTime, _h_python_temporal),
    (Instant, _h_python_temporal),
    (ZonedDateTime, _h_python_temporal),
    (datetime, _h_datetime),
    (date, _h_python_temporal),
    (time, _h_python_temporal),
    (timedelta, _h_python_temporal),
    (bytes, _h_bytes),
    (bytearray, _h_bytearray),
    (Stream, _h_stream),
    (LiveStream, _h_live_stream),
    (Mapping, _h_dict),
    (AbcSet, _h_set),
    (Awaitable, _h_promise),
    (AsyncIterable, _h_iterable),
    (AbcSequence, _h_list),
    (Iterable, _h_iterable),
)


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
