"""What JS would see of a Python value: the pure helpers of the parser.

Number and BigInt spellings, the flag a locked container reports, the constructor
an error maps to, and the copy draining an iterator captures -- small functions with
no parser state, shared by the sync walker and its per-type handlers.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence as AbcSequence
from typing import Any, Final

from ..errors import (
    SerovalUnsupportedTypeError,
)
from ..model.nodes import (
    T_CONSTANT,
    T_NUMBER,
    Node,
)
from ..model.values import (
    MAX_SAFE_INTEGER,
    JSError,
    JSErrorType,
    JSSequence,
    hole,
    js_to_string,
    undefined,
)

MAX_VIEW_LENGTH: Final = 1_000_000
"""seroval refuses longer typed arrays and DataViews (and sparse arrays with more holes)."""

MAX_ITERABLE_ITEMS: Final = 1_000_000
"""Our cap on items drained from a sync iterable (seroval has none, and would hang)."""

_INF: Final = float("inf")


def bigint_text(value: int) -> str:
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


def js_name_property(value: Any) -> Any:
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


def tag_text(value: Any) -> str:
    """JS ``String(value)`` for a ``Symbol.toStringTag`` value: primitives, objects, arrays."""
    if type(value) is dict:
        return "[object Object]"
    if type(value) in (list, tuple):
        return ",".join(
            "" if item is None or item is undefined else tag_text(item) for item in value
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


def float_node(value: float) -> Node:
    if value != value:
        return {"t": T_CONSTANT, "s": 7}
    if value == _INF:
        return {"t": T_CONSTANT, "s": 5}
    if value == -_INF:
        return {"t": T_CONSTANT, "s": 6}
    if value == 0:
        if str(value)[0] == "-":
            return {"t": T_CONSTANT, "s": 4}
        return {"t": T_NUMBER, "s": 0}
    if value.is_integer() and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return {"t": T_NUMBER, "s": int(value)}
    return {"t": T_NUMBER, "s": value}


def plain_primitive(value: str | int | float) -> str | int | float:
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    return float(value)


ERROR_NAMES: Final = tuple(member.js_name for member in JSErrorType)


def python_error_constructor(value: BaseException) -> int:
    if isinstance(value, TypeError):
        return int(JSErrorType.TYPE_ERROR)
    if isinstance(value, SyntaxError):
        return int(JSErrorType.SYNTAX_ERROR)
    return int(JSErrorType.ERROR)


def sequence_of(source: Any) -> JSSequence:
    """Drain the value of a ``[Symbol.iterator]`` key into a fresh JSSequence.

    A :class:`JSSequence` is replayed the way seroval's iterator helper replays one, so
    the copy is what JS would capture; a callable is called to get the iterator (a JS
    iterator factory); any other iterable is iterated.
    """
    if isinstance(source, JSSequence):
        return replay_sequence(source)
    if callable(source) and not isinstance(source, Iterable):
        source = source()
    try:
        return JSSequence.from_iterable(source, MAX_ITERABLE_ITEMS)
    except OverflowError as error:
        raise SerovalUnsupportedTypeError(str(error), source) from None
    except TypeError as error:
        raise SerovalUnsupportedTypeError(
            f"a Symbol.iterator value must be a JSSequence or an iterable ({error})", source
        ) from None


def replay_sequence(source: JSSequence) -> JSSequence:
    """What draining seroval's iterator helper over ``source`` captures."""
    values: list[Any] = []
    done_at = source.done_at
    throw_at = source.throw_at
    index = 0
    while True:
        if index > done_at:
            values.append(undefined)
            return JSSequence(values, -1, len(values) - 1)
        item = source.values[index] if index < len(source.values) else undefined
        values.append(item)
        if index == throw_at:
            return JSSequence(values, index, index)
        if index == done_at:
            return JSSequence(values, -1, index)
        index += 1
