"""Iterator sequences (what seroval captures of a ``[Symbol.iterator]``) and opaque
references (values sent as a stand-in)."""

from __future__ import annotations

from collections.abc import (
    Generator,
    Iterable,
    Iterator,
)
from typing import Any, Generic, TypeVar

from .primitives import undefined
from .promises import ThrownValue

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class JSSequence:
    """seroval's captured sync iterator: ``values`` yielded, then done or thrown.

    ``done_at`` is the index of the return value (the last entry), and ``throw_at`` the
    index of a thrown value, or -1.  Iterating it in Python replays the iterator:
    it yields the values before ``done_at`` and returns (or raises) the last one.
    A dict with a :attr:`JSSymbol.ITERATOR` key holding a JSSequence is a JS iterable.
    """

    __slots__ = ("done_at", "throw_at", "values")

    def __init__(self, values: list[Any], throw_at: int = -1, done_at: int | None = None) -> None:
        self.values = values
        self.throw_at = throw_at
        self.done_at = len(values) - 1 if done_at is None else done_at

    @classmethod
    def from_iterable(cls, source: Iterable[Any], limit: int) -> JSSequence:
        """Drain ``source`` like seroval does: every yielded value, then the return value.

        An exception raised by the iterator becomes the thrown entry.  More than
        ``limit`` items raise ``OverflowError`` (an endless iterator would never end).
        """
        values: list[Any] = []
        iterator = iter(source)
        while True:
            try:
                item = next(iterator)
            except StopIteration as stop:
                values.append(undefined if stop.value is None else stop.value)
                return cls(values, -1, len(values) - 1)
            except Exception as error:
                values.append(error.value if type(error) is ThrownValue else error)
                return cls(values, len(values) - 1, len(values) - 1)
            values.append(item)
            if len(values) > limit:
                raise OverflowError(f"iterable yielded more than {limit} items")

    def __iter__(self) -> Iterator[Any]:
        return self._replay()

    def _replay(self) -> Generator[Any, None, Any]:
        for index, value in enumerate(self.values):
            if index == self.throw_at:
                raise value if isinstance(value, BaseException) else ThrownValue(value)
            if index == self.done_at:
                return value
            yield value
        return undefined

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSSequence):
            return NotImplemented
        return (self.values, self.throw_at, self.done_at) == (
            other.values,
            other.throw_at,
            other.done_at,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSSequence({self.values!r}, throw_at={self.throw_at}, done_at={self.done_at})"


class OpaqueReference(Generic[T]):
    """Hide ``value`` from the serializer: ``replacement`` is written in its place.

    As in seroval, the reference itself still takes an id, which is then unused.
    """

    __slots__ = ("replacement", "value")

    def __init__(self, value: T, replacement: object = undefined) -> None:
        self.value = value
        self.replacement = replacement

    def __repr__(self) -> str:
        return f"OpaqueReference({self.value!r}, replacement={self.replacement!r})"
