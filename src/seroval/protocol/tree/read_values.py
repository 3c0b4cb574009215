"""Node readers for values: numbers, strings, constants, BigInts, references, Dates,
RegExps, collections, objects, binary data, Errors, promises, symbols and boxes.

Each reader takes the :class:`~seroval.protocol.tree.deserialize.Deserializer`, the
node and the depth of its children, type-checks every field it uses, and returns the
value (registered under the node's id where the node has one).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Final

from ..errors import (
    SerovalError,
    SerovalMalformedNodeError,
    SerovalMissingReferenceError,
    SerovalSizeLimitError,
    SerovalUnknownTypedArrayError,
    SerovalUnsupportedNodeError,
)
from ..model.containers import as_async_iterable
from ..model.dates import date_from_iso
from ..model.features import Feature
from ..model.nodes import (
    T_BIGINT,
    T_CONSTANT,
    T_INDEXED_VALUE,
    T_ITERATOR_FACTORY_INSTANCE,
    T_NULL_CONSTRUCTOR,
    T_NUMBER,
    T_SPECIAL_REFERENCE,
    T_STRING,
    T_WK_SYMBOL,
    TYPED_ARRAY_KINDS,
    Integrity,
    Node,
)
from ..model.references import get_reference
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
    hole,
    undefined,
)

if TYPE_CHECKING:
    from .deserialize import Deserializer

from .read_base import (
    _ASCII_SPACES,
    _ASCII_WHITESPACE,
    _PROPERTY_ESCAPE,
    INTERNAL_RECORDS,
    MAX_REGEXP_PROPERTY_ESCAPES,
    MAX_REGEXP_SOURCE_LENGTH,
    describe,
    malformed,
)
from .read_rules import (
    FORWARD_REFERENCE_WINDOW,
    SPECIAL_RECORDS,
    SPECIAL_SLOTS,
    InternalRecord,
    bigint_from_text,
    check_boxable_constant,
    check_number,
    check_typed_array_kind,
)

# -- readers, one per node type -------------------------------------------------------


def _number(reader: Deserializer, node: Node, depth: int) -> Any:
    value: Any = node.get("s")
    kind = type(value)
    if "i" in node:
        raise _primitive_with_id(node)
    if kind is int:
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return value
        if reader.strict:
            check_number(value, node)
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if kind is float:
        if reader.strict:
            check_number(value, node)
        if value.is_integer() and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            if value == 0 and math.copysign(1.0, value) < 0:
                return value
            return int(value)
        return value
    raise malformed(f"a number node's s must be a number, not {describe(value)}", node)


def _primitive_with_id(node: Node) -> SerovalMalformedNodeError:
    return malformed("a primitive node carries no id (only values with identity do)", node)


def _string(reader: Deserializer, node: Node, depth: int) -> Any:
    if "i" in node:
        raise _primitive_with_id(node)
    return unescape_string(reader.text(node, "s"))


CONSTANT_VALUES: Final = (None, undefined, True, False, -0.0, math.inf, -math.inf, math.nan)


def _constant(reader: Deserializer, node: Node, depth: int) -> Any:
    value = node.get("s")
    if type(value) is not int or not 0 <= value < len(CONSTANT_VALUES):
        raise malformed(f"unknown constant {value!r}", node)
    if "i" in node:
        raise _primitive_with_id(node)
    return CONSTANT_VALUES[value]


def _bigint(reader: Deserializer, node: Node, depth: int) -> Any:
    if "i" in node:
        raise _primitive_with_id(node)
    return JSBigInt(bigint_from_text(node.get("s"), node))


def _indexed_value(reader: Deserializer, node: Node, depth: int) -> Any:
    node_id = node.get("i")
    if type(node_id) is not int or node_id < 0:
        raise malformed(
            f"a reference id must be a non-negative integer, not {describe(node_id)}", node
        )
    try:
        value = reader.values[node_id]
    except KeyError:
        return _unresolved(reader, node_id)
    if type(value) in INTERNAL_RECORDS:
        raise malformed(f"the id {node_id} names an internal record, not a value", node)
    types = reader.types  # (empty unless the payload has special records)
    if types and types.get(node_id) == T_ITERATOR_FACTORY_INSTANCE:
        raise malformed(f"the id {node_id} is an iterator's own sequence, not a value", node)
    return value


def _unresolved(reader: Deserializer, node_id: int) -> Any:
    """A reference to an id nothing has defined yet.

    seroval reads an unknown id as undefined.  Its own output has such references
    only to a plugin value from inside its own fields, to ids it marked as shared
    but never wrote (an OpaqueReference met twice: ``from_json`` checks the id is
    never defined later and lies within the ids handed out), and, in streamed
    records, to an id a later record defines.  Anything else is refused.
    """
    if node_id in reader.building:
        return undefined
    if reader.marked is not None and node_id in reader.marked:
        reader.unresolved.add(node_id)
        return undefined
    if reader.forward_references:
        if node_id > reader.highest + FORWARD_REFERENCE_WINDOW:
            raise SerovalMissingReferenceError(
                f"a reference to id {node_id}, far beyond the highest id defined "
                f"({reader.highest}) plus {FORWARD_REFERENCE_WINDOW}"
            )
        reader.unresolved.add(node_id)
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
        raise malformed(str(error), node) from None
    return reader.register(node, value)


def special_slot(
    reader: Deserializer, parent: Node, slot: Any, where: tuple[str | int, ...]
) -> None:
    """Check the helper slot of ``parent`` (a Map's ``f``, a promise settlement's
    ``a[0]``...): a SpecialReference of the kind seroval writes there, as a fresh
    node or a reference to one met before.  Its id then names an internal record.
    """
    if not reader.strict:
        return
    expected = SPECIAL_SLOTS[parent["t"]]
    try:
        if type(slot) is not dict:
            raise malformed(f"a special reference slot must hold a node, not {describe(slot)}")
        kind = slot.get("t")
        if kind == T_SPECIAL_REFERENCE:
            if slot.get("s") != expected or type(slot.get("s")) is not int:
                raise malformed(
                    f"this slot holds a special reference of kind {expected}, "
                    f"not {slot.get('s')!r}",
                    slot,
                )
            node_id = reader.node_id(slot)
            reader.assign(node_id, SPECIAL_RECORDS[expected])
            reader.types[node_id] = T_SPECIAL_REFERENCE
            return
        if kind == T_INDEXED_VALUE:
            target = slot.get("i")
            record = reader.values.get(target) if type(target) is int else None
            if type(record) is InternalRecord and record.special == expected:
                return
            if record is None and type(target) is int and reader.forward_references:
                # A streamed record may name a helper a later record defines (seroval
                # took its id while parsing a buffered event).
                _unresolved(reader, target)
                return
            raise malformed(
                f"this slot refers to a special reference of kind {expected}; "
                f"the id {target!r} is not one",
                slot,
            )
        raise malformed(
            f"this slot holds a special reference (t {T_SPECIAL_REFERENCE}), "
            f"not a node of type {kind!r}",
            slot,
        )
    except SerovalError as error:
        error.at(*where)
        raise


def _set(reader: Deserializer, node: Node, depth: int) -> Any:
    result: JSSet[Any] = reader.register(node, JSSet())
    add = result.add
    read = reader.read
    # reader.each() without its generator: a loop a level's frame lighter and faster.
    for index, item in enumerate(reader.node_list(node, "a")):
        try:
            value = read(item, depth)
        except SerovalError as error:
            error.at("a", index)
            raise
        add(value)
    return result


def _map(reader: Deserializer, node: Node, depth: int) -> Any:
    result: JSMap[Any, Any] = reader.register(node, JSMap())
    special_slot(reader, node, node.get("f"), ("f",))
    keys, values = reader.record(node, "e")
    read = reader.read
    # Strings and safe integers inline, as in Deserializer.properties.
    inline = depth <= reader.depth_limit
    index = 0
    try:
        for index in range(len(keys)):
            key: Any = keys[index]
            if inline and type(key) is dict and "i" not in key:
                kind = key.get("t")
                text = key.get("s")
                if type(kind) is int and kind == T_STRING and type(text) is str:
                    key = unescape_string(text)
                elif (
                    type(kind) is int
                    and kind == T_NUMBER
                    and type(text) is int
                    and -MAX_SAFE_INTEGER <= text <= MAX_SAFE_INTEGER
                ):
                    key = text
                else:
                    key = read(key, depth)
            else:
                key = read(key, depth)
            item = values[index]
            if inline and type(item) is dict and "i" not in item:
                kind = item.get("t")
                text = item.get("s")
                if type(kind) is int and kind == T_STRING and type(text) is str:
                    result[key] = unescape_string(text)
                    continue
                if (
                    type(kind) is int
                    and kind == T_NUMBER
                    and type(text) is int
                    and -MAX_SAFE_INTEGER <= text <= MAX_SAFE_INTEGER
                ):
                    result[key] = text
                    continue
            result[key] = read(item, depth)
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
    # Strings, safe integers, finite fractions and constants inline, as in
    # Deserializer.properties.
    inline = depth <= reader.depth_limit
    for index, item in enumerate(items):
        if item == 0 and type(item) is int:
            append(hole)
            continue
        if inline and type(item) is dict and "i" not in item:
            kind = item.get("t")
            text = item.get("s")
            if type(kind) is int:
                if kind == T_STRING and type(text) is str:
                    append(unescape_string(text))
                    continue
                if (
                    kind == T_NUMBER
                    and type(text) is int
                    and -MAX_SAFE_INTEGER <= text <= MAX_SAFE_INTEGER
                ):
                    append(text)
                    continue
                if (
                    kind == T_NUMBER
                    and type(text) is float
                    and text - text == 0.0  # finite
                    and not text.is_integer()
                ):
                    append(text)  # what _number gives for it, strict or not
                    continue
                if kind == T_CONSTANT and type(text) is int and 0 <= text < len(CONSTANT_VALUES):
                    append(CONSTANT_VALUES[text])
                    continue
        try:
            append(read(item, depth))
        except SerovalError as error:
            error.at("a", index)
            raise
    return result


def _object(reader: Deserializer, node: Node, depth: int) -> Any:
    # reader.flag() and _has_async_iterator_key() without their calls where the flag
    # is 0 and every key a string, as almost always.
    flag = node.get("o", 0)
    if flag != 0 or type(flag) is not int:
        flag = reader.flag(node)
    null_prototype = node["t"] == T_NULL_CONSTRUCTOR
    string_keys = False
    record = node.get("p")
    if type(record) is dict:
        keys = record.get("k")
        if type(keys) is list:
            string_keys = True
            for key in keys:
                if type(key) is not str:
                    string_keys = False
                    break
    result: dict[Any, Any]
    if null_prototype or flag or (not string_keys and _has_async_iterator_key(reader, node)):
        result = JSObject(null_prototype=null_prototype, integrity=Integrity(flag))
    else:
        result = {}
    reader.register(node, result)
    reader.properties(node, result, depth)
    if type(result) is JSObject:
        as_async_iterable(result)  # in place: `async for` reads its stream
    return result


def _has_async_iterator_key(reader: Deserializer, node: Node) -> bool:
    """Whether an object node has a ``Symbol.asyncIterator`` key (a symbol node, or a
    reference to one read before), so that it is made a ``JSObject`` that can become a
    :class:`JSAsyncIterable` once read (a ``dict`` cannot change its class)."""
    record = node.get("p")
    keys = record.get("k") if type(record) is dict else None
    if type(keys) is not list:
        return False  # reader.properties refuses a malformed record
    for key in keys:  # noqa: SIM110 (a loop is faster than any() over a generator)
        if type(key) is dict and _is_async_iterator(reader, key):
            return True
    return False


def _is_async_iterator(reader: Deserializer, key: dict[str, Any]) -> bool:
    kind = key.get("t")
    if kind == T_WK_SYMBOL:
        return key.get("s") == 0
    target = key.get("i")
    if kind == T_INDEXED_VALUE and type(target) is int:
        return reader.values.get(target) is JSSymbol.ASYNC_ITERATOR
    return False


def _array_buffer(reader: Deserializer, node: Node, depth: int) -> Any:
    text = node.get("s")
    if type(text) is not str:
        raise malformed(f"an ArrayBuffer's s must be a base64 string, not {describe(text)}", node)
    if len(text) > reader.max_base64_length:
        raise SerovalSizeLimitError(
            f"an ArrayBuffer of {len(text)} base64 characters is over max_base64_length "
            f"({reader.max_base64_length})",
            node,
        )
    value = reader.register(node, bytearray(_forgiving_base64(unescape_string(text), node)))
    special_slot(reader, node, node.get("f"), ("f",))
    return value


def _forgiving_base64(text: str, node: Node) -> bytes:
    """Decode base64 the way ``atob`` does (whitespace ignored, padding optional)."""
    if not text.isalnum() and any(space in text for space in _ASCII_SPACES):
        text = _ASCII_WHITESPACE.sub("", text)
    if len(text) % 4 == 0 and text.endswith("="):
        text = text[:-2] if text.endswith("==") else text[:-1]
    if len(text) % 4 == 1 or "=" in text:
        raise malformed("an ArrayBuffer's s is not valid base64", node)
    try:
        # validate=True refuses every character outside the base64 alphabet.
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:  # binascii.Error, or a character outside ASCII
        raise malformed("an ArrayBuffer's s is not valid base64", node) from None


def _view_frame(reader: Deserializer, node: Node, depth: int) -> tuple[bytearray, int, Any]:
    buffer = reader.child(node, "f", depth)
    if type(buffer) is not bytearray:
        raise malformed(f"a view's f must be an ArrayBuffer, not {describe(buffer)}", node)
    offset = node.get("b", 0)
    if type(offset) is not int or not 0 <= offset <= len(buffer):
        raise malformed(f"a view's byte offset {offset!r} is outside its buffer", node)
    length = node.get("l")
    if length is not None and (type(length) is not int or length < 0):
        raise malformed(
            f"a view's length must be a non-negative integer, not {describe(length)}", node
        )
    return buffer, offset, length


def _typed_array(reader: Deserializer, node: Node, depth: int) -> Any:
    kind = node.get("c")
    if type(kind) is not str or kind not in TYPED_ARRAY_KINDS:
        raise SerovalUnknownTypedArrayError(f"unknown typed array {kind!r}")
    check_typed_array_kind(node["t"], kind, node)
    buffer, offset, length = _view_frame(reader, node, depth)
    try:
        view = JSTypedArray(kind, buffer, offset, length)
    except ValueError as error:
        raise malformed(str(error), node) from None
    return reader.register(node, view)


def _data_view(reader: Deserializer, node: Node, depth: int) -> Any:
    buffer, offset, length = _view_frame(reader, node, depth)
    try:
        view = JSDataView(buffer, offset, length)
    except ValueError as error:
        raise malformed(str(error), node) from None
    return reader.register(node, view)


def _error_props(reader: Deserializer, node: Node, error: JSError, depth: int) -> JSError:
    if node.get("p") is not None:
        reader.properties(node, error.properties, depth)
    return error


def _error(reader: Deserializer, node: Node, depth: int) -> Any:
    constructor = node.get("s")
    if type(constructor) is not int or not 0 <= constructor <= 6:
        raise malformed(f"unknown error constructor {constructor!r}", node)
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
        raise malformed("a promise cannot settle to another promise", node)
    promise.settle(bool(node.get("s")), value)
    return promise


def _wk_symbol(reader: Deserializer, node: Node, depth: int) -> Any:
    index = node.get("s")
    if type(index) is not int or not 0 <= index <= 12:
        raise malformed(f"unknown well-known symbol {index!r}", node)
    return reader.register(node, JSSymbol(index))


def _reference(reader: Deserializer, node: Node, depth: int) -> Any:
    return reader.register(node, get_reference(unescape_string(reader.text(node, "s"))))


def _boxed(reader: Deserializer, node: Node, depth: int) -> Any:
    # seroval boxes only primitives that have a wrapper: a Number, String, BigInt
    # or Boolean node, or a Constant for a boolean, -0, NaN or an infinity.
    # Object(null), Object(undefined), Object(object), boxed symbols and boxes of
    # boxes are never written, so they are refused before anything is read.
    inner_node = node.get("f")
    inner_type = inner_node.get("t") if type(inner_node) is dict else None
    if not reader.strict:
        pass
    elif inner_type == T_CONSTANT:
        check_boxable_constant(inner_node.get("s"), node)  # type: ignore[union-attr]
    elif inner_type not in _BOXABLE_NODES:
        raise malformed(
            "a boxed value must box a number, a string, a boolean or a BigInt, "
            f"not a node of type {inner_type!r}",
            node,
        )
    inner = reader.child(node, "f", depth)
    if type(inner) in (bool, int, float, str, JSBigInt):
        value: Any = JSBoxed(inner)
    elif inner is None or inner is undefined:
        value = {}  # JS text's Object(null) and Object(undefined) make an empty object
    else:
        value = inner  # and Object(object) is the object itself
    return reader.register(node, value)


_BOXABLE_NODES: Final = frozenset({T_NUMBER, T_STRING, T_BIGINT})
