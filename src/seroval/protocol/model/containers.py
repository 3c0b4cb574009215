"""JS objects, arrays, Maps and Sets: the flags and key semantics Python's types lack."""

from __future__ import annotations

from collections.abc import (
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    MutableSet,
)
from typing import Any, Final, TypeVar

from .nodes import (
    Integrity,
)
from .primitives import MAX_SAFE_INTEGER, JSBigInt, Undefined

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class JSObject(dict[Any, Any]):
    """A JS object that a plain ``dict`` cannot describe: null prototype or an integrity level.

    Plain extensible objects read back as plain ``dict``.  Keys are ``str``, or one of
    the :class:`JSSymbol` members seroval keeps (iterator, asyncIterator, toStringTag,
    isConcatSpreadable).
    """

    __slots__ = ("integrity", "null_prototype")

    def __init__(
        self,
        data: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = (),
        /,
        *,
        null_prototype: bool = False,
        integrity: Integrity = Integrity.NONE,
    ) -> None:
        super().__init__(data)
        self.null_prototype = null_prototype
        self.integrity = Integrity(integrity)

    def __repr__(self) -> str:
        extra = []
        if self.null_prototype:
            extra.append("null_prototype=True")
        if self.integrity:
            extra.append(f"integrity={self.integrity.name}")
        return f"JSObject({dict.__repr__(self)}{''.join(', ' + e for e in extra)})"


class JSArray(list[Any]):
    """A JS array with an integrity level (frozen, sealed, non-extensible).

    Ordinary arrays read back as plain ``list``.
    """

    __slots__ = ("integrity",)

    def __init__(self, items: Iterable[Any] = (), /, *, integrity: Integrity = Integrity.NONE):
        super().__init__(items)
        self.integrity = Integrity(integrity)

    def __repr__(self) -> str:
        return f"JSArray({list.__repr__(self)}, integrity={self.integrity.name})"


# ---------------------------------------------------------------------------
# Map and Set with JS key semantics (SameValueZero; objects by identity).

_NAN_KEY: Final = object()
_TRUE_KEY: Final = object()
_FALSE_KEY: Final = object()


def js_key(value: object) -> object:
    """A hashable key with JS SameValueZero semantics.

    Strings and numbers compare by value (``NaN`` equals ``NaN``, ``-0`` equals ``0``),
    booleans and BigInts do not collide with numbers, and everything else compares
    by identity, as JS Map and Set keys do.
    """
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        return value if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else ("bigint", value)  # type: ignore[operator]
    if kind is float:
        return _NAN_KEY if value != value else value
    if kind is bool:
        return _TRUE_KEY if value else _FALSE_KEY
    if kind is JSBigInt:
        return ("bigint", int(value))  # type: ignore[call-overload]
    if value is None or kind is Undefined:
        return value
    return ("id", id(value))


class JSMap(MutableMapping[K, V]):
    """A JS ``Map``: insertion-ordered, keys may be unhashable objects (compared by identity)."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Iterable[tuple[K, V]] | Mapping[K, V] = (), /) -> None:
        self._entries: dict[object, tuple[K, V]] = {}
        items = entries.items() if isinstance(entries, Mapping) else entries
        for key, value in items:
            self[key] = value

    def __getitem__(self, key: K) -> V:
        return self._entries[js_key(key)][1]

    def __setitem__(self, key: K, value: V) -> None:
        if type(key) is float and key == 0:
            key = 0  # type: ignore[assignment]  # a JS Map stores the key -0 as +0
        marker = js_key(key)
        current = self._entries.get(marker)
        # JS keeps the first key object (and its position) when a key is set again.
        self._entries[marker] = (key if current is None else current[0], value)

    def __delitem__(self, key: K) -> None:
        del self._entries[js_key(key)]

    def __contains__(self, key: object) -> bool:
        return js_key(key) in self._entries

    def __iter__(self) -> Iterator[K]:
        return (entry[0] for entry in list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[tuple[K, V]]:
        """The ``(key, value)`` pairs in insertion order."""
        return list(self._entries.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSMap):
            return NotImplemented
        if len(self) != len(other):
            return False
        for marker, (_, value) in self._entries.items():
            theirs = other._entries.get(marker)
            if theirs is None or not (theirs[1] is value or theirs[1] == value):
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSMap({self.entries()!r})"


class JSSet(MutableSet[T]):
    """A JS ``Set``: insertion-ordered, items may be unhashable objects (compared by identity)."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[T] = (), /) -> None:
        self._items: dict[object, T] = {}
        for item in items:
            self.add(item)

    def add(self, value: T) -> None:
        if type(value) is float and value == 0:
            value = 0  # type: ignore[assignment]  # a JS Set stores -0 as +0
        self._items.setdefault(js_key(value), value)

    def discard(self, value: T) -> None:
        self._items.pop(js_key(value), None)

    def __contains__(self, value: object) -> bool:
        return js_key(value) in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSSet):
            return NotImplemented
        return self._items.keys() == other._items.keys()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSSet({list(self._items.values())!r})"
