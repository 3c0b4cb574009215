"""The strictness rules every reader applies to untrusted input (SPEC.md §3).

One module, so the node reader (:mod:`.read_values`, :mod:`.read_special`) and the
JS-text reader refuse the same things for the same reasons.  Each rule refuses
only what seroval 1.8.1's writer can never produce: it was checked against every
conformance vector and against the real seroval (``conformance/oracle``).

The rules, by class:

* **BigInt text**: seroval's spelling only (an optional ``-`` and ASCII digits),
  at most :data:`MAX_BIGINT_LENGTH` characters as seroval counts them (the sign
  included), converted without Python's 4,300-digit ``int``/``str`` limit.
* **numbers**: finite, not ``-0`` (both are Constant nodes), and below ``1e21``
  when integral (JS writes ``1e+21`` and up in exponent form, which reads as a
  float).
* **boxed values**: only what ``Object(x)`` boxes into a wrapper seroval writes:
  a number, a string, a BigInt, a boolean, ``-0``, ``NaN`` or an infinity.
* **typed arrays**: ``BigInt64Array``/``BigUint64Array`` only in BigInt typed-array
  nodes, the nine others only in typed-array nodes.
* **special references**: each slot that holds one takes exactly one kind
  (:data:`SPECIAL_SLOTS`), as a fresh node or a reference to one of that kind.
* **internal ids**: the ids of special references, iterator factories, promise
  resolvers and the sequence inside an iterator factory name reader-internal
  records; a reference used as a value may not point at one.
* **forward references**: a streamed record may refer to an id a later record
  defines, but not further than :data:`FORWARD_REFERENCE_WINDOW` past the highest
  id the session has defined.
"""

from __future__ import annotations

import re
from typing import Final

from ..errors import SerovalMalformedNodeError, SerovalSizeLimitError
from ..model.nodes import (
    T_ARRAY_BUFFER,
    T_ASYNC_ITERATOR_FACTORY,
    T_BIGINT_TYPED_ARRAY,
    T_MAP,
    T_PROMISE_CONSTRUCTOR,
    T_PROMISE_FAILURE,
    T_PROMISE_SUCCESS,
    T_SPECIAL_REFERENCE,
    T_STREAM_CONSTRUCTOR,
    T_TYPED_ARRAY,
)
from ..model.primitives import JSBigInt

__all__ = [
    "BIGINT_TYPED_ARRAYS",
    "FORWARD_REFERENCE_WINDOW",
    "MAX_BIGINT_LENGTH",
    "MAX_INTEGRAL_NUMBER",
    "SPECIAL_RECORDS",
    "SPECIAL_SLOTS",
    "InternalRecord",
    "bigint_from_literal",
    "bigint_from_text",
    "check_boxable",
    "check_boxable_constant",
    "check_number",
    "check_typed_array_kind",
    "decimal_to_int",
]

MAX_BIGINT_LENGTH: Final = 10_000
"""seroval's ``MAX_BIGINT_LENGTH``: the characters of a BigInt's text, sign included."""

MAX_INTEGRAL_NUMBER: Final = 10**21
"""JS writes integral numbers from ``1e21`` on in exponent form, so never as digits."""

FORWARD_REFERENCE_WINDOW: Final = 65_536
"""How far past the highest defined id a streamed record may refer ahead."""

BIGINT_TYPED_ARRAYS: Final = frozenset({"BigInt64Array", "BigUint64Array"})

# The SpecialReference kinds (seroval's ``SpecialReference`` enum) each slot takes.
SPECIAL_MAP_SENTINEL: Final = 0
SPECIAL_PROMISE_CONSTRUCTOR: Final = 1
SPECIAL_PROMISE_SUCCESS: Final = 2
SPECIAL_PROMISE_FAILURE: Final = 3
SPECIAL_STREAM_CONSTRUCTOR: Final = 4
SPECIAL_ARRAY_BUFFER: Final = 5

SPECIAL_SLOTS: Final[dict[int, int]] = {
    T_MAP: SPECIAL_MAP_SENTINEL,  # f
    T_ARRAY_BUFFER: SPECIAL_ARRAY_BUFFER,  # f
    T_PROMISE_CONSTRUCTOR: SPECIAL_PROMISE_CONSTRUCTOR,  # f
    T_PROMISE_SUCCESS: SPECIAL_PROMISE_SUCCESS,  # a[0]
    T_PROMISE_FAILURE: SPECIAL_PROMISE_FAILURE,  # a[0]
    T_ASYNC_ITERATOR_FACTORY: SPECIAL_PROMISE_CONSTRUCTOR,  # a[0]
    T_STREAM_CONSTRUCTOR: SPECIAL_STREAM_CONSTRUCTOR,  # f
}
"""Node type to the SpecialReference kind its helper slot holds (seroval 1.8.1)."""

_BIGINT_TEXT: Final = re.compile(r"-?[0-9]+", re.ASCII)
_INT_CHUNK: Final = 4000  # below sys.int_info.default_max_str_digits (4300)


class InternalRecord:
    """What a reader-internal id holds: never a value, only a slot's target.

    ``kind`` is the node type that defined it; ``special`` the SpecialReference kind
    for a special reference (else -1).  A value reference to it is refused.
    """

    __slots__ = ("kind", "special")

    def __init__(self, kind: int, special: int = -1) -> None:
        self.kind = kind
        self.special = special

    def __repr__(self) -> str:
        return f"InternalRecord({self.kind}, {self.special})"


SPECIAL_RECORDS: Final = {
    kind: InternalRecord(T_SPECIAL_REFERENCE, kind) for kind in sorted(set(SPECIAL_SLOTS.values()))
}
"""The record each special reference's id names, one per kind (records never change,
so every reader, the native one included, shares these and compares by identity)."""


def decimal_to_int(digits: str) -> int:
    """``int(digits)`` for ASCII decimal text of any length below the BigInt limit.

    Python refuses ``int(text)`` past ``sys.get_int_max_str_digits()`` (4,300 by
    default, CVE-2020-10735); seroval's limit is 10,000 characters.  Splitting in
    halves keeps every ``int()`` call under the limit without touching the
    interpreter-wide setting, and at 10,000 digits costs well under a millisecond.
    """
    if len(digits) <= _INT_CHUNK:
        return int(digits, 10)
    low = len(digits) // 2
    high_part = decimal_to_int(digits[:-low])
    result: int = high_part * 10**low + decimal_to_int(digits[-low:])
    return result


def bigint_from_text(text: object, node: object = None) -> int:
    """A BigInt's value from its text, in seroval's spelling only.

    seroval writes ``bigint.toString()``: an optional ``-`` and decimal digits.
    ``BigInt()`` would also take ``0x..``, ``+1``, spaces or an empty string (as
    ``0``); none of those come from a writer, so all are refused.
    """
    if type(text) is not str:
        raise SerovalMalformedNodeError(
            f"a BigInt's text must be a string, not {type(text).__name__}", node
        )
    if len(text) > MAX_BIGINT_LENGTH:
        raise SerovalSizeLimitError(
            f"a BigInt of {len(text)} characters is over the limit of {MAX_BIGINT_LENGTH}", node
        )
    if not _BIGINT_TEXT.fullmatch(text):
        raise SerovalMalformedNodeError(
            f"{text[:40]!r} is not a BigInt (an optional '-' and decimal digits)", node
        )
    if text[0] == "-":
        return -decimal_to_int(text[1:])
    return decimal_to_int(text)


def bigint_from_literal(digits: str) -> int:
    """A JS-text BigInt literal's value (``digits`` as the parser keeps it, sign first).

    JS text has no length field to count, so the limit is on the digits: a BigInt
    of 10,000 digits is read whatever its sign.  The lexer has refused longer ones.
    """
    negative = digits.startswith("-")
    body = digits[1:] if negative else digits
    if len(body) > MAX_BIGINT_LENGTH or not _BIGINT_TEXT.fullmatch(body):
        raise SerovalMalformedNodeError(f"{digits[:40]!r} is not a BigInt literal of seroval's")
    value = decimal_to_int(body)
    return -value if negative else value


def check_boxable(value: object) -> None:
    """``Object(x)`` in JS text: seroval boxes a number, string, boolean or BigInt only."""
    if type(value) not in _BOXABLE_VALUES:
        raise SerovalMalformedNodeError(
            "a boxed value must box a number, a string, a boolean or a BigInt"
        )


def check_number(value: int | float, node: object = None) -> None:
    """Refuse a Number node's value JS's writer cannot give as a number literal."""
    if type(value) is int:
        if not -MAX_INTEGRAL_NUMBER < value < MAX_INTEGRAL_NUMBER:
            raise SerovalMalformedNodeError(
                "JS writes an integral number of 1e21 or more in exponent form, never as digits",
                node,
            )
        return
    if value != value or value in (float("inf"), float("-inf")):
        raise SerovalMalformedNodeError(
            "NaN and the infinities have their own forms (Constant nodes, 0/0 and 1/0 in "
            "JS text), never a number literal",
            node,
        )
    if value == 0 and str(value)[0] == "-":
        raise SerovalMalformedNodeError("-0 is a Constant node, never a Number node", node)


# What Object(x) boxes in seroval's output.
_BOXABLE_VALUES: Final = frozenset({bool, int, float, str, JSBigInt})

# Constant nodes' s values that box: true, false, -0, Infinity, -Infinity, NaN.
_BOXABLE_CONSTANTS: Final = frozenset({2, 3, 4, 5, 6, 7})


def check_boxable_constant(index: object, node: object = None) -> None:
    """``Object(null)`` and ``Object(undefined)`` are plain objects, never boxed values."""
    if type(index) is not int or index not in _BOXABLE_CONSTANTS:
        raise SerovalMalformedNodeError(
            "a boxed value must box a number, a string, a boolean or a BigInt", node
        )


def check_typed_array_kind(node_type: int, kind: str, node: object = None) -> None:
    """BigInt arrays only in BigInt typed-array nodes, number arrays only in the other."""
    bigint = kind in BIGINT_TYPED_ARRAYS
    if bigint and node_type == T_TYPED_ARRAY:
        raise SerovalMalformedNodeError(
            f"a {kind} is a BigInt typed array node (t {T_BIGINT_TYPED_ARRAY})", node
        )
    if not bigint and node_type == T_BIGINT_TYPED_ARRAY:
        raise SerovalMalformedNodeError(
            f"a {kind} is a typed array node (t {T_TYPED_ARRAY}), not a BigInt one", node
        )
