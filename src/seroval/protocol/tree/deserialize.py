"""Nodes to Python values: seroval's ``fromJSON`` / ``fromCrossJSON``, hardened.

The input is untrusted.  Every field is type-checked before use, nothing in a
payload is ever used to look up an attribute, class or module (plugin tags and
reference ids are matched only against what the caller registered), and the
reader's limits are seroval's: nesting depth, base64 length, BigInt length, RegExp
size.  Anything wrong raises a :class:`~seroval.protocol.errors.SerovalError`
naming the problem and its place in the tree (``$.t.a[2].p.v[0]``); nothing else
escapes.  Object keys such as ``__proto__``, ``constructor`` or ``__class__`` are
plain ``dict`` keys.

Values are registered under their id before their children are read (so cycles
resolve), except for values built from their children (typed arrays, boxed
values, plugin values), which register after, as in seroval.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Awaitable, Iterator
from typing import Any, Final

from ..errors import (
    SerovalConflictedNodeIdError,
    SerovalDepthLimitError,
    SerovalError,
    SerovalMalformedNodeError,
    SerovalMissingInstanceError,
    SerovalMissingPluginError,
    SerovalMissingReferenceError,
    SerovalPluginValidationError,
    SerovalSizeLimitError,
    SerovalUnknownTypedArrayError,
    SerovalUnsupportedNodeError,
    wrap_foreign,
)
from ..model.dates import date_from_iso
from ..model.features import Feature
from ..model.nodes import TYPED_ARRAY_KINDS, Integrity, Node
from ..model.options import DEFAULT_MAX_BASE64_LENGTH, ReadOptions
from ..model.plugins import Plugin
from ..model.references import ReadRefs, get_reference
from ..model.stream import Stream
from ..model.strings import unescape_string
from ..model.values import (
    MAX_SAFE_INTEGER,
    JSAggregateError,
    JSArray,
    JSBigInt,
    JSBoxed,
    JSDataView,
    JSError,
    JSErrorType,
    JSMap,
    JSObject,
    JSPromise,
    JSRegExp,
    JSSet,
    JSSymbol,
    JSTypedArray,
    Sequence,
    TemporalType,
    Undefined,
    hole,
    undefined,
)
from ..stack import StackBudget
from ..temporal.text import temporal_value

__all__ = ["DEFAULT_MAX_BASE64_LENGTH", "Deserializer", "PromiseResolver", "ReadOptions"]

MAX_BIGINT_LENGTH: Final = 10_000
MAX_REGEXP_SOURCE_LENGTH: Final = 20_000
MAX_REGEXP_PROPERTY_ESCAPES: Final = 32

#: An upper bound on the Python frames one nesting level of the reader uses (a
#: plugin's own hooks included), for :class:`~seroval.protocol.stack.StackBudget`.
FRAMES_PER_LEVEL: Final = 6

_VALID_SYMBOL_KEYS: Final = frozenset(
    {
        JSSymbol.ASYNC_ITERATOR,
        JSSymbol.IS_CONCAT_SPREADABLE,
        JSSymbol.TO_STRING_TAG,
        JSSymbol.ITERATOR,
    }
)
_PROPERTY_ESCAPE: Final = re.compile(r"\\[pP]\{")
_JS_WHITESPACE: Final = (
    " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_BIGINT_DECIMAL: Final = re.compile(r"[+-]?[0-9]+", re.ASCII)
_BIGINT_PREFIXED: Final = re.compile(r"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)", re.ASCII)
_ASCII_SPACES: Final = ("\t", "\n", "\f", "\r", " ")
_ASCII_WHITESPACE: Final = re.compile(r"[\t\n\f\r ]+")

_PROMISE_CONSTRUCTOR_TYPE: Final = 22
_STREAM_TYPE: Final = 31
_SEQUENCE_TYPE: Final = 35


def _malformed(message: str, node: object = None) -> SerovalMalformedNodeError:
    return SerovalMalformedNodeError(message, node)


def _is_int(value: object) -> bool:
    return type(value) is int


class PromiseResolver:
    """The record a streamed promise's later settlement targets (seroval's resolver).

    Node records and JS text make the same kind, so either can settle a promise the
    other created; it never becomes part of a value.
    """

    __slots__ = ("promise",)

    def __init__(self) -> None:
        self.promise = JSPromise()


class Deserializer:
    """Reads node trees.  ``marked`` is the envelope's ``m`` (vanilla) or ``None`` (cross).

    ``pending``, when given, tracks the promise resolvers and streams still open
    (by identity, value as is), for a cross deserializer's ``pending`` and ``abort``.

    ``forward_references`` is for streamed records: seroval's stream mode can send a
    reference to an id that a *later* record defines (an id taken while a buffered
    stream event was parsed), and its reader reads such a reference as
    ``undefined``; so does this one then.  Elsewhere an unknown id is an error.

    ``single_consumer_streams`` reads every stream as a live one (buffered only
    until its first listener, then passed through): for a reader whose streams have
    exactly one consumer (an RPC client), so a long stream is not kept in memory.
    """

    def __init__(
        self,
        options: ReadOptions,
        features: int,
        refs: ReadRefs | None = None,
        marked: frozenset[int] | None = None,
        pending: dict[int, object] | None = None,
        forward_references: bool = False,
        single_consumer_streams: bool = False,
    ) -> None:
        self.refs = refs if refs is not None else ReadRefs()
        self.single_consumer_streams = single_consumer_streams
        self.values = self.refs.values
        self.types = self.refs.types
        self.marked = marked
        self.features = features
        self.depth_limit = options.depth_limit
        self.max_base64_length = options.max_base64_length
        self.plugins = options.plugins
        self.regexp_escapes = MAX_REGEXP_PROPERTY_ESCAPES
        self.pending = pending
        self.forward_references = forward_references
        # Ids of plugin nodes whose fields are being read: seroval registers a plugin
        # value only once it is built, so a field referring back to it reads undefined.
        self.building: set[int] = set()
        self.budget = StackBudget(FRAMES_PER_LEVEL)

    # -- entry ----------------------------------------------------------------------

    def read_top(self, node: object) -> Any:
        """Read a root node (one top-level call: resets the RegExp escape budget)."""
        self.regexp_escapes = MAX_REGEXP_PROPERTY_ESCAPES
        try:
            self.budget.start(0)
            return self.read(node, 0)
        except SerovalError:
            raise
        except RecursionError:
            raise SerovalDepthLimitError(
                self.depth_limit, step="deserialize", what="the node tree"
            ) from None
        except Exception as error:
            raise wrap_foreign(error, "deserialize", "reading a node") from error

    def read(self, node: Any, depth: int) -> Any:
        if depth > self.depth_limit:
            raise SerovalDepthLimitError(self.depth_limit, step="deserialize", what="the node tree")
        if type(node) is not dict:
            raise _malformed(f"a node must be an object, not {_describe(node)}", node)
        kind = node.get("t")
        if type(kind) is not int or not 0 <= kind < len(_READERS):
            if type(kind) is int or kind is None:
                raise SerovalUnsupportedNodeError(
                    f"unknown node type {kind!r}", node, step="deserialize"
                )
            raise _malformed(f"a node's t must be an integer, not {_describe(kind)}", node)
        if depth >= self.budget.hand_over_at:
            return self.budget.deeper(self.read, node, depth)
        return _READERS[kind](self, node, depth + 1)

    def each(self, items: list[Any], depth: int, field: str) -> Iterator[Any]:
        """Read the nodes of list field ``field`` in order, locating errors by index."""
        for index, item in enumerate(items):
            try:
                value = self.read(item, depth)
            except SerovalError as error:
                error.at(field, index)
                raise
            yield value

    def child(self, node: Node, field: str, depth: int) -> Any:
        if field not in node:
            raise _malformed(f"the node has no {field!r} field", node)
        try:
            return self.read(node[field], depth)
        except SerovalError as error:
            error.at(field)
            raise

    # -- ids --------------------------------------------------------------------------

    def node_id(self, node: Node) -> int:
        node_id = node.get("i")
        if type(node_id) is not int or node_id < 0:
            raise _malformed(
                f"a node id must be a non-negative integer, not {_describe(node_id)}", node
            )
        if node_id in self.values:
            raise SerovalConflictedNodeIdError(f"the id {node_id} is used by two nodes")
        return node_id

    def assign(self, node_id: int, value: Any) -> Any:
        marked = self.marked
        if marked is None or node_id in marked:
            self.values[node_id] = value
        return value

    def register(self, node: Node, value: Any) -> Any:
        return self.assign(self.node_id(node), value)

    # -- helpers ----------------------------------------------------------------------

    def node_list(self, node: Node, field: str) -> list[Any]:
        items = node.get(field)
        if type(items) is not list:
            raise _malformed(f"the node's {field!r} must be a list, not {_describe(items)}", node)
        return items

    def record(self, node: Node, field: str) -> tuple[list[Any], list[Any]]:
        record = node.get(field)
        if type(record) is not dict:
            raise _malformed(f"the node's {field!r} must be a {{k, v}} record", node)
        keys = record.get("k")
        values = record.get("v")
        if type(keys) is not list or type(values) is not list:
            raise _malformed(f"the node's {field}.k and {field}.v must be lists", node)
        if len(keys) != len(values):
            raise _malformed(f"the node's {field}.k and {field}.v differ in length", node)
        return keys, values

    def properties(self, node: Node, target: dict[Any, Any], depth: int) -> None:
        keys, values = self.record(node, "p")
        index = 0
        try:
            for index in range(len(keys)):
                key = keys[index]
                if type(key) is str:
                    target[unescape_string(key)] = self.read(values[index], depth)
                    continue
                actual = self.read(key, depth)
                if type(actual) is str:
                    target[actual] = self.read(values[index], depth)
                elif type(actual) is JSSymbol:
                    if actual in _VALID_SYMBOL_KEYS:
                        target[actual] = self.read(values[index], depth)
                elif actual is undefined:  # a forward reference: JS's key is "undefined"
                    target["undefined"] = self.read(values[index], depth)
                else:
                    raise _malformed(
                        f"a property key must be a string or a symbol, not {_describe(actual)}", key
                    )
        except SerovalError as error:
            error.at("p", "v", index)
            raise

    def flag(self, node: Node) -> int:
        flag = node.get("o", 0)
        if type(flag) is not int or not 0 <= flag <= 3:
            raise _malformed(f"an object flag must be 0..3, not {_describe(flag)}", node)
        return flag

    def text(self, node: Node, field: str) -> str:
        value = node.get(field)
        if type(value) is not str:
            raise _malformed(f"the node's {field!r} must be a string, not {_describe(value)}", node)
        return value


def _describe(value: object) -> str:
    if value is None:
        return "null/absent"
    name = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }
    return name.get(type(value), type(value).__name__)


# -- readers, one per node type -------------------------------------------------------


def _number(reader: Deserializer, node: Node, depth: int) -> Any:
    value: Any = node.get("s")
    kind = type(value)
    if kind is int:
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return value
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if kind is float:
        if value.is_integer() and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            if value == 0 and math.copysign(1.0, value) < 0:
                return value
            return int(value)
        return value
    raise _malformed(f"a number node's s must be a number, not {_describe(value)}", node)


def _string(reader: Deserializer, node: Node, depth: int) -> Any:
    return unescape_string(reader.text(node, "s"))


_CONSTANTS: Final = (None, undefined, True, False, -0.0, math.inf, -math.inf, math.nan)


def _constant(reader: Deserializer, node: Node, depth: int) -> Any:
    value = node.get("s")
    if type(value) is not int or not 0 <= value < len(_CONSTANTS):
        raise _malformed(f"unknown constant {value!r}", node)
    return _CONSTANTS[value]


def _bigint(reader: Deserializer, node: Node, depth: int) -> Any:
    value = node.get("s")
    if type(value) is int:
        return JSBigInt(value)
    if type(value) is float:
        if value.is_integer():
            return JSBigInt(int(value))
        raise _malformed("a BigInt must be an integer", node)
    if type(value) is not str:
        raise _malformed(f"a BigInt node's s must be a string, not {_describe(value)}", node)
    if len(value) > MAX_BIGINT_LENGTH:
        raise SerovalSizeLimitError(
            f"a BigInt of {len(value)} characters is over the limit of {MAX_BIGINT_LENGTH}", node
        )
    return JSBigInt(_parse_bigint(value, node))


def _parse_bigint(text: str, node: Node) -> int:
    """JS ``BigInt(string)``: trimmed, decimal with a sign, or 0x/0o/0b without one."""
    text = text.strip(_JS_WHITESPACE)
    if not text:
        return 0
    if _BIGINT_DECIMAL.fullmatch(text):
        return int(text, 10)
    if _BIGINT_PREFIXED.fullmatch(text):
        return int(text, 0)
    raise _malformed(f"{text[:40]!r} is not a BigInt", node)


def _indexed_value(reader: Deserializer, node: Node, depth: int) -> Any:
    node_id = node.get("i")
    if type(node_id) is not int or node_id < 0:
        raise _malformed(
            f"a reference id must be a non-negative integer, not {_describe(node_id)}", node
        )
    try:
        return reader.values[node_id]
    except KeyError:
        pass
    # seroval reads an unknown id as undefined.  Its own output has such references
    # only to a plugin value from inside its own fields, and to ids it marked as shared
    # but never defined (an OpaqueReference met twice).  Those read as undefined here
    # too (the second only where `m` shows it); anything else is refused.
    if node_id in reader.building or (reader.marked is not None and node_id in reader.marked):
        return undefined
    if reader.forward_references:
        return undefined
    raise SerovalMissingReferenceError(f"a reference to id {node_id}, which was never defined")


def _date(reader: Deserializer, node: Node, depth: int) -> Any:
    return reader.register(node, date_from_iso(reader.text(node, "s")))


def _regexp(reader: Deserializer, node: Node, depth: int) -> Any:
    if not reader.features & Feature.REGEXP:
        raise SerovalUnsupportedNodeError(
            "RegExp nodes are disabled (Feature.REGEXP)", node, step="deserialize"
        )
    source = unescape_string(reader.text(node, "c"))
    flags = reader.text(node, "m")
    if len(source) > MAX_REGEXP_SOURCE_LENGTH:
        raise SerovalSizeLimitError(
            f"a RegExp source of {len(source)} characters is over the limit of "
            f"{MAX_REGEXP_SOURCE_LENGTH}",
            node,
        )
    if "u" in flags or "v" in flags:
        reader.regexp_escapes -= len(_PROPERTY_ESCAPE.findall(source))
        if reader.regexp_escapes < 0:
            raise SerovalSizeLimitError(
                f"more than {MAX_REGEXP_PROPERTY_ESCAPES} \\p{{...}} escapes in one payload", node
            )
    try:
        value = JSRegExp(source, flags)
    except ValueError as error:
        raise _malformed(str(error), node) from None
    return reader.register(node, value)


def _set(reader: Deserializer, node: Node, depth: int) -> Any:
    result: JSSet[Any] = reader.register(node, JSSet())
    for item in reader.each(reader.node_list(node, "a"), depth, "a"):
        result.add(item)
    return result


def _map(reader: Deserializer, node: Node, depth: int) -> Any:
    result: JSMap[Any, Any] = reader.register(node, JSMap())
    keys, values = reader.record(node, "e")
    index = 0
    try:
        for index in range(len(keys)):
            key = reader.read(keys[index], depth)
            result[key] = reader.read(values[index], depth)
    except SerovalError as error:
        error.at("e", index)
        raise
    return result


def _array(reader: Deserializer, node: Node, depth: int) -> Any:
    items = reader.node_list(node, "a")
    flag = reader.flag(node)
    result: list[Any] = JSArray(integrity=Integrity(flag)) if flag else []
    reader.register(node, result)
    append = result.append
    read = reader.read
    for index, item in enumerate(items):
        if item == 0 and type(item) is int:
            append(hole)
            continue
        try:
            append(read(item, depth))
        except SerovalError as error:
            error.at("a", index)
            raise
    return result


def _object(reader: Deserializer, node: Node, depth: int) -> Any:
    flag = reader.flag(node)
    null_prototype = node["t"] == 11
    result: dict[Any, Any]
    if null_prototype or flag:
        result = JSObject(null_prototype=null_prototype, integrity=Integrity(flag))
    else:
        result = {}
    reader.register(node, result)
    reader.properties(node, result, depth)
    return result


def _array_buffer(reader: Deserializer, node: Node, depth: int) -> Any:
    text = node.get("s")
    if type(text) is not str:
        raise _malformed(f"an ArrayBuffer's s must be a base64 string, not {_describe(text)}", node)
    if len(text) > reader.max_base64_length:
        raise SerovalSizeLimitError(
            f"an ArrayBuffer of {len(text)} base64 characters is over max_base64_length "
            f"({reader.max_base64_length})",
            node,
        )
    return reader.register(node, bytearray(_forgiving_base64(unescape_string(text), node)))


def _forgiving_base64(text: str, node: Node) -> bytes:
    """Decode base64 the way ``atob`` does (whitespace ignored, padding optional)."""
    if not text.isalnum() and any(space in text for space in _ASCII_SPACES):
        text = _ASCII_WHITESPACE.sub("", text)
    if len(text) % 4 == 0 and text.endswith("="):
        text = text[:-2] if text.endswith("==") else text[:-1]
    if len(text) % 4 == 1 or "=" in text:
        raise _malformed("an ArrayBuffer's s is not valid base64", node)
    try:
        # validate=True refuses every character outside the base64 alphabet.
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:  # binascii.Error, or a character outside ASCII
        raise _malformed("an ArrayBuffer's s is not valid base64", node) from None


def _view_frame(reader: Deserializer, node: Node, depth: int) -> tuple[bytearray, int, Any]:
    buffer = reader.child(node, "f", depth)
    if type(buffer) is not bytearray:
        raise _malformed(f"a view's f must be an ArrayBuffer, not {_describe(buffer)}", node)
    offset = node.get("b", 0)
    if type(offset) is not int or not 0 <= offset <= len(buffer):
        raise _malformed(f"a view's byte offset {offset!r} is outside its buffer", node)
    length = node.get("l")
    if length is not None and (type(length) is not int or length < 0):
        raise _malformed(
            f"a view's length must be a non-negative integer, not {_describe(length)}", node
        )
    return buffer, offset, length


def _typed_array(reader: Deserializer, node: Node, depth: int) -> Any:
    kind = node.get("c")
    if type(kind) is not str or kind not in TYPED_ARRAY_KINDS:
        raise SerovalUnknownTypedArrayError(f"unknown typed array {kind!r}")
    buffer, offset, length = _view_frame(reader, node, depth)
    try:
        view = JSTypedArray(kind, buffer, offset, length)
    except ValueError as error:
        raise _malformed(str(error), node) from None
    return reader.register(node, view)


def _data_view(reader: Deserializer, node: Node, depth: int) -> Any:
    buffer, offset, length = _view_frame(reader, node, depth)
    try:
        view = JSDataView(buffer, offset, length)
    except ValueError as error:
        raise _malformed(str(error), node) from None
    return reader.register(node, view)


def _error_props(reader: Deserializer, node: Node, error: JSError, depth: int) -> JSError:
    if node.get("p") is not None:
        reader.properties(node, error.properties, depth)
    return error


def _error(reader: Deserializer, node: Node, depth: int) -> Any:
    constructor = node.get("s")
    if type(constructor) is not int or not 0 <= constructor <= 6:
        raise _malformed(f"unknown error constructor {constructor!r}", node)
    message = unescape_string(reader.text(node, "m"))
    error = reader.register(node, JSError(message, type=JSErrorType(constructor)))
    return _error_props(reader, node, error, depth)


def _aggregate_error(reader: Deserializer, node: Node, depth: int) -> Any:
    message = unescape_string(reader.text(node, "m"))
    error = JSAggregateError((), message)
    error.properties.clear()
    reader.register(node, error)
    return _error_props(reader, node, error, depth)


def _is_thenable(value: object) -> bool:
    return isinstance(value, Awaitable)


def _promise(reader: Deserializer, node: Node, depth: int) -> Any:
    promise = reader.register(node, JSPromise())
    value = reader.child(node, "f", depth)
    if _is_thenable(value):
        raise _malformed("a promise cannot settle to another promise", node)
    promise.settle(bool(node.get("s")), value)
    return promise


def _wk_symbol(reader: Deserializer, node: Node, depth: int) -> Any:
    index = node.get("s")
    if type(index) is not int or not 0 <= index <= 12:
        raise _malformed(f"unknown well-known symbol {index!r}", node)
    return reader.register(node, JSSymbol(index))


def _reference(reader: Deserializer, node: Node, depth: int) -> Any:
    return reader.register(node, get_reference(unescape_string(reader.text(node, "s"))))


def _boxed(reader: Deserializer, node: Node, depth: int) -> Any:
    inner = reader.child(node, "f", depth)
    if type(inner) in (bool, int, float, str, JSBigInt):
        value: Any = JSBoxed(inner)
    elif inner is None or type(inner) is Undefined:
        value = {}  # Object(null) and Object(undefined) make an empty object
    else:
        value = inner  # Object(object) is the object itself
    return reader.register(node, value)


def _plugin(reader: Deserializer, node: Node, depth: int) -> Any:
    tag = unescape_string(reader.text(node, "c"))
    for plugin in reader.plugins:
        if plugin.tag == tag:
            break
    else:
        raise SerovalMissingPluginError(f"no plugin for the tag {tag!r}", tag, step="deserialize")
    info = node.get("s")
    if type(info) is not dict:
        raise _malformed("a plugin node's s must be an object of fields", node)
    context = _PluginReadContext(reader, depth, plugin, info)
    node_id = node.get("i")
    building = type(node_id) is int and node_id not in reader.building
    if building:
        reader.building.add(node_id)  # type: ignore[arg-type]
    try:
        value = plugin.deserialize(info, context)
    except SerovalError as error:
        error.at("s")
        raise
    except Exception as error:
        raise wrap_foreign(error, "deserialize", f"the plugin {tag!r}") from error
    finally:
        if building:
            reader.building.discard(node_id)
    return reader.register(node, value)


class _PluginReadContext:
    __slots__ = ("_checks", "_depth", "_reader", "_tag")

    def __init__(self, reader: Deserializer, depth: int, plugin: Plugin, info: dict[str, Any]):
        self._reader = reader
        self._depth = depth
        self._tag = plugin.tag
        self._checks = [(info.get(field), field, check) for field, check in plugin.validate.items()]

    def deserialize(self, node: Node) -> Any:
        value = self._reader.read(node, self._depth)
        for field_node, field, check in self._checks:
            if field_node is node and not check(value):
                raise SerovalPluginValidationError(
                    f"the {self._tag!r} plugin's field {field!r} failed validation",
                    self._tag,
                    field,
                )
        return value


def _promise_constructor(reader: Deserializer, node: Node, depth: int) -> Any:
    resolver_id = node.get("s")
    if type(resolver_id) is not int or resolver_id < 0:
        raise _malformed("a promise constructor's s must be a resolver id", node)
    if resolver_id in reader.values:
        raise SerovalConflictedNodeIdError(f"the id {resolver_id} is used by two nodes")
    resolver = PromiseResolver()
    reader.assign(resolver_id, resolver)
    reader.types[resolver_id] = _PROMISE_CONSTRUCTOR_TYPE
    if reader.pending is not None:
        reader.pending[id(resolver)] = resolver
    return reader.register(node, resolver.promise)


def _promise_settlement(reader: Deserializer, node: Node, depth: int) -> Any:
    target_id = node.get("i")
    resolver = reader.values.get(target_id) if type(target_id) is int else None
    if resolver is None:
        raise SerovalMissingInstanceError(f"no promise is waiting under id {target_id!r}")
    is_resolver = type(resolver) is PromiseResolver
    if reader.types.get(target_id) != _PROMISE_CONSTRUCTOR_TYPE or not is_resolver:  # type: ignore[arg-type]
        raise _malformed(f"the id {target_id} is not a promise resolver", node)
    items = reader.node_list(node, "a")
    if len(items) < 2:
        raise _malformed("a promise settlement's a must hold two nodes", node)
    try:
        value = reader.read(items[1], depth)
    except SerovalError as error:
        error.at("a", 1)
        raise
    if _is_thenable(value):
        raise _malformed("a promise cannot settle to another promise", node)
    resolver.promise.settle(node["t"] == 23, value)
    if reader.pending is not None:
        reader.pending.pop(id(resolver), None)
    return undefined


def _iterator_factory(reader: Deserializer, node: Node, depth: int) -> Any:
    # A marker with no value of its own.  Its id is recorded so that later references
    # to it (every iterable after the first) resolve, to undefined, as in seroval.
    node_id = reader.node_id(node)
    reader.child(node, "f", depth)
    reader.assign(node_id, undefined)
    return undefined


def _async_iterator_factory(reader: Deserializer, node: Node, depth: int) -> Any:
    node_id = reader.node_id(node)
    items = reader.node_list(node, "a")
    if len(items) < 2:
        raise _malformed("an async iterator factory's a must hold two nodes", node)
    try:
        reader.read(items[1], depth)
    except SerovalError as error:
        error.at("a", 1)
        raise
    reader.assign(node_id, undefined)
    return undefined


def _factory_pair(reader: Deserializer, node: Node, depth: int) -> Any:
    items = reader.node_list(node, "a")
    if len(items) < 2:
        raise _malformed("an iterator factory instance's a must hold two nodes", node)
    try:
        reader.read(items[0], depth)
    except SerovalError as error:
        error.at("a", 0)
        raise
    try:
        return reader.read(items[1], depth)
    except SerovalError as error:
        error.at("a", 1)
        raise


def _iterator_factory_instance(reader: Deserializer, node: Node, depth: int) -> Any:
    source = _factory_pair(reader, node, depth)
    if type(source) is not Sequence:
        raise _malformed("an iterator factory must wrap a sequence", node)
    return source


def _async_iterator_factory_instance(reader: Deserializer, node: Node, depth: int) -> Any:
    source = _factory_pair(reader, node, depth)
    if type(source) is not Stream:
        raise _malformed("an async iterator factory must wrap a stream", node)
    return source


def _stream_constructor(reader: Deserializer, node: Node, depth: int) -> Any:
    node_id = reader.node_id(node)
    live = node.get("l") == 1 or reader.single_consumer_streams
    stream = reader.assign(node_id, Stream(1 if live else None))
    reader.types[node_id] = _STREAM_TYPE
    if reader.pending is not None:
        reader.pending[id(stream)] = stream
    for _ in reader.each(reader.node_list(node, "a"), depth, "a"):
        pass
    return stream


def _stream_event(reader: Deserializer, node: Node, depth: int) -> Any:
    target_id = node.get("i")
    stream = reader.values.get(target_id) if type(target_id) is int else None
    if stream is None:
        raise SerovalMissingInstanceError(f"no stream is open under id {target_id!r}")
    if reader.types.get(target_id) != _STREAM_TYPE or type(stream) is not Stream:  # type: ignore[arg-type]
        raise _malformed(f"the id {target_id} is not a stream", node)
    value = reader.child(node, "f", depth)
    kind = node["t"]
    if kind == 32:
        stream.next(value)
    else:
        (stream.throw if kind == 33 else stream.return_)(value)
        if reader.pending is not None:
            reader.pending.pop(id(stream), None)
    return undefined


def _sequence(reader: Deserializer, node: Node, depth: int) -> Any:
    items = reader.node_list(node, "a")
    throw_at: Any = node.get("s")
    done_at: Any = node.get("l")
    size = len(items)
    for index in (throw_at, done_at):
        if type(index) is not int or not -1 <= index < size:
            raise _malformed("a sequence's s and l must be indices into a (or -1)", node)
    node_id = reader.node_id(node)
    result = reader.assign(node_id, Sequence([], throw_at, done_at))
    reader.types[node_id] = _SEQUENCE_TYPE
    result.values.extend(reader.each(items, depth, "a"))
    return result


def _temporal(reader: Deserializer, node: Node, depth: int) -> Any:
    if not reader.features & Feature.TEMPORAL:
        raise SerovalUnsupportedNodeError(
            "Temporal nodes are disabled (Feature.TEMPORAL)", node, step="deserialize"
        )
    kind = node.get("c")
    if type(kind) is not int or not 0 <= kind <= 7:
        raise _malformed(f"unknown Temporal type {kind!r}", node)
    return reader.register(node, temporal_value(TemporalType(kind), reader.text(node, "s")))


def _not_a_value(reader: Deserializer, node: Node, depth: int) -> Any:
    raise SerovalUnsupportedNodeError(
        f"a node of type {node['t']} is not a value", node, step="deserialize"
    )


_READERS: Final = (
    _number,  # 0
    _string,  # 1
    _constant,  # 2
    _bigint,  # 3
    _indexed_value,  # 4
    _date,  # 5
    _regexp,  # 6
    _set,  # 7
    _map,  # 8
    _array,  # 9
    _object,  # 10
    _object,  # 11
    _promise,  # 12
    _error,  # 13
    _aggregate_error,  # 14
    _typed_array,  # 15
    _typed_array,  # 16
    _wk_symbol,  # 17
    _reference,  # 18
    _array_buffer,  # 19
    _data_view,  # 20
    _boxed,  # 21
    _promise_constructor,  # 22
    _promise_settlement,  # 23
    _promise_settlement,  # 24
    _plugin,  # 25
    _not_a_value,  # 26 SpecialReference: only ever a placeholder inside other nodes
    _iterator_factory,  # 27
    _iterator_factory_instance,  # 28
    _async_iterator_factory,  # 29
    _async_iterator_factory_instance,  # 30
    _stream_constructor,  # 31
    _stream_event,  # 32
    _stream_event,  # 33
    _stream_event,  # 34
    _sequence,  # 35
    _temporal,  # 36
)


def read_marked(envelope: dict[str, Any]) -> frozenset[int]:
    """The envelope's ``m`` as a set of ids (seroval tolerates a missing ``m``)."""
    marked = envelope.get("m", [])
    if type(marked) is not list or not all(_is_int(item) for item in marked):
        raise SerovalMalformedNodeError("the envelope's m must be a list of ids", envelope).at("m")
    return frozenset(marked)


def read_features(envelope: dict[str, Any], disabled_features: int) -> int:
    """``(f ?? 127) & ~disabled_features``, as seroval's ``fromJSON`` computes it."""
    features = envelope.get("f", 127)
    if type(features) is not int:
        raise SerovalMalformedNodeError("the envelope's f must be an integer", envelope).at("f")
    return features & ~disabled_features


def check_envelope(envelope: object) -> dict[str, Any]:
    if type(envelope) is not dict:
        raise SerovalMalformedNodeError(
            f"a to_json envelope must be an object, not {_describe(envelope)}", envelope
        )
    if "t" not in envelope:
        raise SerovalMalformedNodeError("the envelope has no t (root node)", envelope)
    return envelope
