"""Python counterparts of the oracle's native catalogue entries (``oracle/catalogue.mjs``).

Recipes describe most values; these are the ones they cannot: Python-only types
(``tuple``, ``bytes``, exceptions, generators) whose JS twin the oracle builds by
hand, and JS-only constructs (class instances, getters, generator objects) for
which we build the Python value that should give the same nodes.  Entries with no
meaningful Python counterpart are listed in :data:`NO_COUNTERPART` with the reason.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from ..protocol.model.stream import Stream
from ..protocol.model.values import (
    JSError,
    JSErrorType,
    JSObject,
    JSPromise,
    JSRegExp,
    JSSequence,
    JSSet,
    JSSymbol,
    hole,
    undefined,
)
from .recipes import reference_value

__all__ = ["BUILDERS", "NO_COUNTERPART", "build"]


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def _shared_tuple() -> Any:
    inner = (1, 2)
    return (inner, inner)


def _generator() -> Iterator[int]:
    return (x for x in (1, 2))


def _generator_object() -> Iterator[int]:
    def gen() -> Iterator[int]:
        yield 1

    return gen()


def _generator_throws() -> Iterator[int]:
    def gen() -> Iterator[int]:
        yield 1
        raise JSError("g")

    return gen()


def _generator_returns() -> Iterator[int]:
    def gen() -> Iterator[int]:
        yield 1
        return "r"  # type: ignore[return-value]

    return gen()


def _exception_with_cause() -> BaseException:
    try:
        try:
            raise KeyError("k")
        except KeyError as inner:
            raise RuntimeError("outer") from inner
    except RuntimeError as outer:
        return outer


class _Iterable(Iterator[int]):
    """An iterator class (a JS class with ``*[Symbol.iterator]``).

    Only iterators are sent as JS iterables: an object that is merely iterable (has
    ``__iter__`` but no ``__next__``) is refused, so this one says it is an iterator.
    """

    def __init__(self) -> None:
        self._items = iter((1, 2))

    def __next__(self) -> int:
        return next(self._items)


class _Plain:
    """An instance of an ordinary class: no seroval mapping."""


class _AsyncIterable:
    def __aiter__(self) -> AsyncIterator[int]:
        raise NotImplementedError


class MyErr(Exception):
    pass


class MyTypeErr(TypeError):
    pass


def _function() -> None:
    return None


BUILDERS: dict[str, Callable[[], Any]] = {
    "py/tuple": lambda: (1, 2),
    "py/empty-tuple": lambda: (),
    "py/nested-tuple-shared": _shared_tuple,
    "py/range": lambda: range(3),
    "py/none-in-list": lambda: [None],
    "py/float-integral": lambda: 1.0,
    "py/bytes": lambda: b"\x01\x02\x03",
    "py/bytes-empty": lambda: b"",
    "py/bytearray": lambda: bytearray(b"\x01\x02\x03"),
    "py/set-of-ints": lambda: {1, 2, 3},
    "py/frozenset": lambda: frozenset({1, 2}),
    "py/datetime-with-offset": lambda: datetime(
        2024, 1, 2, 3, 4, 5, 678000, tzinfo=timezone(timedelta(hours=2))
    ),
    "py/value-error": lambda: ValueError("bad"),
    "py/type-error": lambda: TypeError("t"),
    "py/exception-with-cause": _exception_with_cause,
    "py/exception-group": lambda: ExceptionGroup("many", [ValueError("a")]),
    "py/int-beyond-2^53": lambda: 2**53 + 1,
    "py/int-negative-beyond-2^53": lambda: -(2**64),
    "py/dict-int-keys": lambda: {1: "a", 2: "b"},
    "py/dict-tuple-key": lambda: {(1, 2): "a"},
    "py/generator": _generator,
    "js/function": lambda: _function,
    "js/arrow-function": lambda: lambda: 1,
    "js/class-instance": _Plain,
    "js/iterable-class-instance": _Iterable,
    "js/object-proto-null-chain": lambda: JSObject(null_prototype=True),
    "js/object-proto-plain": dict,
    "js/inherited-iterator": lambda: {"a": 1, JSSymbol.ITERATOR: JSSequence([1, undefined], -1, 1)},
    "js/custom-symbol-key": lambda: {"a": 1, JSSymbol.HAS_INSTANCE: 2},
    "js/non-enumerable-prop": lambda: {"a": 1},
    "js/getter": lambda: {"a": 1, "b": 2},
    "js/array-extra-prop": lambda: [1, 2],
    "js/arguments": lambda: {
        "0": 1,
        "1": 2,
        JSSymbol.ITERATOR: JSSequence([1, 2, undefined], -1, 2),
    },
    "js/generator-object": _generator_object,
    "js/generator-throws": _generator_throws,
    "js/generator-returns": _generator_returns,
    "js/error-subclass": lambda: MyErr("m"),
    "js/error-subclass-typeerror": lambda: MyTypeErr("m"),
    "js/error-subclass-own-name": lambda: JSError(
        "nf", name="HttpError", properties={"status": 404}
    ),
    "js/error-no-message": JSError,
    "js/error-options-cause": lambda: JSError("o", cause=1),
    "js/error-name-equals-ctor": lambda: JSError("x", type=JSErrorType.ERROR, name="Error"),
    "js/regexp-lastindex": lambda: JSRegExp("a", "g"),
    "js/frozen-set": lambda: JSSet([1]),
    "js/promise": lambda: JSPromise.resolve(1),
    "js/async-iterable": lambda: {JSSymbol.ASYNC_ITERATOR: _AsyncIterable()},
    "js/async-generator-object": _AsyncIterable,
    "js/live-stream": lambda: Stream(live=1),
    "js/sparse-array-1000001": lambda: [hole] * 1_000_001,
    "js/reference-object": lambda: reference_value("ref/object"),
    "js/reference-symbol": lambda: reference_value("ref/symbol"),
    "js/nested-array-1000": lambda: _nested(1000),
    "js/nested-array-1001": lambda: _nested(1001),
}

NO_COUNTERPART: dict[str, str] = {
    "js/map-subclass": "a JS Map subclass is written as an iterable object; a Python JSMap "
    "subclass is still a Map",
    "js/symbol-custom": "Python has no symbols besides the well-known ones",
    "js/symbol-registered": "Python has no symbol registry",
    "js/weakmap": "Python's weak mappings are ordinary mappings; JS WeakMaps cannot be read",
    "js/boxed-symbol": "Python has no boxed symbols",
}


def build(name: str) -> Any:
    """A fresh Python value for the native catalogue entry ``name``."""
    try:
        builder = BUILDERS[name]
    except KeyError:
        reason = NO_COUNTERPART.get(name, "not in the Python catalogue")
        raise LookupError(f"no Python counterpart for {name!r}: {reason}") from None
    return builder()
