"""The node tree: seroval 1.8.1's node types, field order and enumerations.

A node is a plain ``dict`` whose keys are drawn from :data:`FIELD_ORDER`, always
in that order, with absent fields omitted (never ``None``).  Keeping nodes as
plain data is what lets every format (JS text, JSON, msgpack, CBOR) be one small
module over the same tree, and lets the C ``json`` encoder write them directly.

The integer constants below are what the hot paths use; the ``IntEnum`` classes
are for people reading or building trees.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Final

Node = dict[str, Any]
"""A seroval node: ``{"t": type, "i": id, "s": ..., ...}`` in seroval's field order."""

FIELD_ORDER: Final = ("t", "i", "s", "c", "m", "p", "e", "a", "f", "b", "o", "l")


class NodeType(IntEnum):
    """Values of a node's ``t`` field."""

    NUMBER = 0
    STRING = 1
    CONSTANT = 2
    BIGINT = 3
    INDEXED_VALUE = 4
    DATE = 5
    REGEXP = 6
    SET = 7
    MAP = 8
    ARRAY = 9
    OBJECT = 10
    NULL_CONSTRUCTOR = 11
    PROMISE = 12
    ERROR = 13
    AGGREGATE_ERROR = 14
    TYPED_ARRAY = 15
    BIGINT_TYPED_ARRAY = 16
    WK_SYMBOL = 17
    REFERENCE = 18
    ARRAY_BUFFER = 19
    DATA_VIEW = 20
    BOXED = 21
    PROMISE_CONSTRUCTOR = 22
    PROMISE_SUCCESS = 23
    PROMISE_FAILURE = 24
    PLUGIN = 25
    SPECIAL_REFERENCE = 26
    ITERATOR_FACTORY = 27
    ITERATOR_FACTORY_INSTANCE = 28
    ASYNC_ITERATOR_FACTORY = 29
    ASYNC_ITERATOR_FACTORY_INSTANCE = 30
    STREAM_CONSTRUCTOR = 31
    STREAM_NEXT = 32
    STREAM_THROW = 33
    STREAM_RETURN = 34
    SEQUENCE = 35
    TEMPORAL = 36


# Plain-int aliases for the hot paths (IntEnum comparisons cost a method call).
T_NUMBER: Final = 0
T_STRING: Final = 1
T_CONSTANT: Final = 2
T_BIGINT: Final = 3
T_INDEXED_VALUE: Final = 4
T_DATE: Final = 5
T_REGEXP: Final = 6
T_SET: Final = 7
T_MAP: Final = 8
T_ARRAY: Final = 9
T_OBJECT: Final = 10
T_NULL_CONSTRUCTOR: Final = 11
T_PROMISE: Final = 12
T_ERROR: Final = 13
T_AGGREGATE_ERROR: Final = 14
T_TYPED_ARRAY: Final = 15
T_BIGINT_TYPED_ARRAY: Final = 16
T_WK_SYMBOL: Final = 17
T_REFERENCE: Final = 18
T_ARRAY_BUFFER: Final = 19
T_DATA_VIEW: Final = 20
T_BOXED: Final = 21
T_PROMISE_CONSTRUCTOR: Final = 22
T_PROMISE_SUCCESS: Final = 23
T_PROMISE_FAILURE: Final = 24
T_PLUGIN: Final = 25
T_SPECIAL_REFERENCE: Final = 26
T_ITERATOR_FACTORY: Final = 27
T_ITERATOR_FACTORY_INSTANCE: Final = 28
T_ASYNC_ITERATOR_FACTORY: Final = 29
T_ASYNC_ITERATOR_FACTORY_INSTANCE: Final = 30
T_STREAM_CONSTRUCTOR: Final = 31
T_STREAM_NEXT: Final = 32
T_STREAM_THROW: Final = 33
T_STREAM_RETURN: Final = 34
T_SEQUENCE: Final = 35
T_TEMPORAL: Final = 36

#: Node types that never hold another node: reading or writing one never goes a
#: level deeper, so a walker out of stack budget handles them where it is instead
#: of handing them to a fresh thread.
LEAF_NODE_TYPES: Final = frozenset(
    {
        T_NUMBER,
        T_STRING,
        T_CONSTANT,
        T_BIGINT,
        T_INDEXED_VALUE,
        T_DATE,
        T_REGEXP,
        T_WK_SYMBOL,
        T_REFERENCE,
        T_SPECIAL_REFERENCE,
    }
)


class Constant(IntEnum):
    """Values of a Constant node's ``s`` field, with their JS spelling in :data:`CONSTANT_JS`."""

    NULL = 0
    UNDEFINED = 1
    TRUE = 2
    FALSE = 3
    NEGATIVE_ZERO = 4
    INFINITY = 5
    NEGATIVE_INFINITY = 6
    NAN = 7


CONSTANT_JS: Final = ("null", "void 0", "!0", "!1", "-0", "1/0", "-1/0", "0/0")


class SpecialReference(IntEnum):
    """Kinds of SpecialReference nodes (``t: 26``): placeholders for helper functions."""

    MAP_SENTINEL = 0
    PROMISE_CONSTRUCTOR = 1
    PROMISE_SUCCESS = 2
    PROMISE_FAILURE = 3
    STREAM_CONSTRUCTOR = 4
    ARRAY_BUFFER_CONSTRUCTOR = 5


class Integrity(IntEnum):
    """Integrity level of an object or array: the ``o`` field (seroval's object flag)."""

    NONE = 0
    NON_EXTENSIBLE = 1
    SEALED = 2
    FROZEN = 3


OBJECT_FLAG_JS: Final = (None, "Object.preventExtensions", "Object.seal", "Object.freeze")

#: The ``Symbol.*`` names of the 13 well-known symbols, indexed by a WKSymbol node's ``s``.
SYMBOL_NAMES: Final = (
    "asyncIterator",
    "hasInstance",
    "isConcatSpreadable",
    "iterator",
    "match",
    "matchAll",
    "replace",
    "search",
    "species",
    "split",
    "toPrimitive",
    "toStringTag",
    "unscopables",
)

#: Error constructor names, indexed by an Error node's ``s``.
ERROR_CONSTRUCTOR_NAMES: Final = (
    "Error",
    "EvalError",
    "RangeError",
    "ReferenceError",
    "SyntaxError",
    "TypeError",
    "URIError",
)

#: Temporal type names, indexed by a Temporal node's ``c``.
TEMPORAL_TYPE_NAMES: Final = (
    "Instant",
    "Duration",
    "PlainDate",
    "PlainDateTime",
    "PlainMonthDay",
    "PlainTime",
    "PlainYearMonth",
    "ZonedDateTime",
)

#: Typed-array constructor names with their element size and ``struct`` format.
TYPED_ARRAY_KINDS: Final[dict[str, tuple[int, str]]] = {
    "Int8Array": (1, "b"),
    "Int16Array": (2, "<h"),
    "Int32Array": (4, "<i"),
    "Uint8Array": (1, "B"),
    "Uint16Array": (2, "<H"),
    "Uint32Array": (4, "<I"),
    "Uint8ClampedArray": (1, "B"),
    "Float32Array": (4, "<f"),
    "Float64Array": (8, "<d"),
    "BigInt64Array": (8, "<q"),
    "BigUint64Array": (8, "<Q"),
}
BIGINT_TYPED_ARRAYS: Final = frozenset({"BigInt64Array", "BigUint64Array"})
