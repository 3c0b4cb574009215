"""The parser's per-type handlers and the tables that choose them.

:class:`~seroval.protocol.tree.parse.Parser` looks a value's exact type up in
:data:`HANDLERS` first (the common case, one dict lookup); a value of any other type
goes through plugins and then the :data:`FALLBACKS`, tried in order by ``isinstance``.
Each handler gets the parser, the value, the id the value took, and the depth of its
children.
"""

from __future__ import annotations

import base64
import re
import types
from collections.abc import AsyncIterable, Awaitable, Iterator, Mapping
from collections.abc import Sequence as AbcSequence
from collections.abc import Set as AbcSet
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from ..errors import (
    SerovalDepthLimitError,
    SerovalUnsupportedTypeError,
)
from ..model.features import Feature
from ..model.live_stream import LiveStream
from ..model.nodes import (
    BIGINT_TYPED_ARRAYS,
    T_ARRAY_BUFFER,
    T_BOXED,
    T_DATA_VIEW,
    T_DATE,
    T_NULL_CONSTRUCTOR,
    T_REGEXP,
    T_SEQUENCE,
    T_SET,
    T_TEMPORAL,
    Node,
    SpecialReference,
)
from ..model.plugins import StreamSource
from ..model.stream import Stream
from ..model.strings import escape_string
from ..model.values import (
    JSAggregateError,
    JSArray,
    JSBigInt,
    JSBoxed,
    JSDataView,
    JSDate,
    JSError,
    JSMap,
    JSObject,
    JSRegExp,
    JSSequence,
    JSSet,
    JSSymbol,
    JSTemporal,
    JSTypedArray,
    OpaqueReference,
    iso_from_ms,
    ms_from_datetime,
    undefined,
)
from ..temporal.text import Instant, PlainDateTime, ZonedDateTime, temporal_text
from .parse_values import MAX_VIEW_LENGTH

if TYPE_CHECKING:
    from .parse import Parser

FUNCTION_TYPES: Final = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.BuiltinMethodType,
    types.MethodWrapperType,
    types.WrapperDescriptorType,
    type,
    partial,
)


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
    return {"t": T_SET, "i": node_id, "a": parser.items(list(value), depth)}


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
    return {"t": T_DATE, "i": node_id, "s": iso_from_ms(ms_from_datetime(value))}


def _h_jsdate(parser: Parser, value: JSDate, node_id: int, depth: int) -> Node:
    return {"t": T_DATE, "i": node_id, "s": value.iso()}


def _h_regexp(parser: Parser, value: JSRegExp, node_id: int, depth: int) -> Node:
    if not parser.features & Feature.REGEXP:
        raise SerovalUnsupportedTypeError("RegExp values are disabled (Feature.REGEXP)", value)
    return {"t": T_REGEXP, "i": node_id, "c": escape_string(value.source), "m": value.flags}


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
    return {"t": T_BOXED, "i": node_id, "f": parser.parse(inner, depth)}


def _array_buffer_node(parser: Parser, node_id: int, data: bytes | bytearray) -> Node:
    text = base64.b64encode(data).decode("ascii")
    return {
        "t": T_ARRAY_BUFFER,
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
        JSSymbol.ITERATOR: JSSequence([*items, undefined], -1, len(items)),
        JSSymbol.TO_STRING_TAG: value.kind,
    }
    record = parser.properties(keys, items, depth, symbols)
    return {"t": T_NULL_CONSTRUCTOR, "i": node_id, "p": record, "o": 0}


def _check_view(buffer: bytearray, offset: int, length: int, value: object) -> None:
    if offset < 0 or offset + length > len(buffer):
        raise SerovalUnsupportedTypeError("a view that no longer fits its buffer", value)


def _h_data_view(parser: Parser, value: JSDataView, node_id: int, depth: int) -> Node:
    _check_view(value.buffer, value.byte_offset, value.byte_length, value)
    if value.byte_length > MAX_VIEW_LENGTH:
        raise SerovalUnsupportedTypeError("a DataView longer than 1e6 bytes", value)
    buffer = parser.parse(value.buffer, depth)
    return {
        "t": T_DATA_VIEW,
        "i": node_id,
        "f": buffer,
        "b": value.byte_offset,
        "l": value.byte_length,
    }


def _h_sequence(parser: Parser, value: JSSequence, node_id: int, depth: int) -> Node:
    return {
        "t": T_SEQUENCE,
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
    return {"t": T_TEMPORAL, "i": node_id, "s": value.text, "c": int(value.type)}


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


HANDLERS: dict[type, Any] = {
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
    JSSequence: _h_sequence,
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
PLUGIN_EXEMPT: Final = frozenset(
    {list, tuple, JSArray, Stream, LiveStream, JSSequence, OpaqueReference}
)

FALLBACKS: Final[tuple[tuple[Any, Any], ...]] = (
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
    # Only an iterator is sent as a JS iterable object (the object it stands for is
    # used up by being read, as a JS iterator is); a merely iterable object (a pydantic
    # model, an enum.Flag, a dict's values) is refused rather than sent as something
    # the other side did not expect.
    (Iterator, _h_iterable),
)
