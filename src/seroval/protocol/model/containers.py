"""JS objects, arrays, Maps and Sets: the flags and key semantics Python's types lack."""

from __future__ import annotations

from collections.abc import (
    AsyncIterator,
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
from .primitives import MAX_SAFE_INTEGER, JSBigInt, JSSymbol, Undefined

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


class JSAsyncIterable(JSObject):
    """A JS object read back whose ``Symbol.asyncIterator`` holds a stream: ``async for`` it.

    seroval sends an async iterable (an async generator, a JS object with
    ``[Symbol.asyncIterator]``) as an object whose ``Symbol.asyncIterator`` key
    holds its stream of events; the readers give such an object this type, so
    ``async for item in value`` reads that stream.  It is still the object (a
    ``JSObject``, so a ``dict``), and writes back as the same nodes.
    """

    __slots__ = ()

    def __aiter__(self) -> AsyncIterator[Any]:
        source: Any = self[JSSymbol.ASYNC_ITERATOR]
        iterator: AsyncIterator[Any] = source.__aiter__()
        return iterator

    def __repr__(self) -> str:
        return "JSAsyncIterable" + JSObject.__repr__(self).removeprefix("JSObject")


def holds_async_iterator(target: Mapping[Any, Any]) -> bool:
    """Whether ``target``'s ``Symbol.asyncIterator`` key holds something to ``async for``."""
    return hasattr(target.get(JSSymbol.ASYNC_ITERATOR), "__aiter__")


def as_async_iterable(target: dict[Any, Any]) -> dict[Any, Any]:
    """``target``, made a :class:`JSAsyncIterable` when it holds an async iterator.

    A ``JSObject`` changes its class in place (its identity matters: it may be
    referred to); a plain ``dict`` is copied, so only call this for a dict nothing
    refers to yet (a JS object literal just evaluated).
    """
    if type(target) is JSObject and holds_async_iterator(target):
        target.__class__ = JSAsyncIterable
    elif type(target) is dict and holds_async_iterator(target):
        return JSAsyncIterable(target)
    return target


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

    def to_dict(self) -> dict[K, V] | None:
        """The entries as a ``dict``, or ``None`` where a dict cannot hold them: a key
        that is unhashable, or two keys a dict would merge (``1`` and ``True``, two
        equal tuples) that a JS Map keeps apart."""
        try:
            plain = dict(self._entries.values())
        except TypeError:
            return None
        return plain if len(plain) == len(self._entries) else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSMap):
            if isinstance(other, Mapping):
                plain = self.to_dict()
                return plain is not None and plain == dict(other.items())
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

    def to_set(self) -> set[T] | None:
        """The items as a ``set``, or ``None`` where a set cannot hold them (an
        unhashable item, or two items a set would merge that a JS Set keeps apart)."""
        try:
            plain = set(self._items.values())
        except TypeError:
            return None
        return plain if len(plain) == len(self._items) else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSSet):
            if isinstance(other, (set, frozenset)):
                plain = self.to_set()
                return plain is not None and plain == other
            return NotImplemented
        return self._items.keys() == other._items.keys()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSSet({list(self._items.values())!r})"
