"""Plain Python types for a value read back, wherever Python can hold its content.

The readers give JS types where Python's own would lose something in general
(a ``JSSet`` keeps ``1`` and ``True`` apart, a ``JSMap`` takes unhashable keys).
For a payload whose content does not need that, :func:`to_plain` (the readers'
``plain=True``) gives Python's types instead:

* a ``JSSet`` becomes a ``set`` when its items are hashable and no two merge;
* a ``JSMap`` becomes a ``dict`` when its keys are primitives and no two merge
  (``1`` and ``True`` do in a dict);
* a ``Uint8Array`` becomes ``bytes`` (the view's bytes, no longer shared);
* a JS iterable (an object whose only keys are ``Symbol.iterator``, and
  ``Symbol.toStringTag``, holding a sequence that ended normally) becomes the
  ``list`` of what it yielded.

Anything else stays as read, and so does each value that cannot be converted.
Sharing and cycles survive: a converted value replaces the original everywhere it
occurred.  What has arrived is converted (a settled promise's value, the events of
a stream that has ended, as in a payload read whole); what arrives later (a
pending promise, a stream still open) is not.  Plugin values are not looked into.
"""

from __future__ import annotations

from typing import Any, Final

from .binary import JSTypedArray
from .containers import JSArray, JSAsyncIterable, JSMap, JSObject, JSSet
from .exceptions import JSError
from .primitives import JSBigInt, JSSymbol, Undefined, undefined
from .promises import JSPromise
from .sequence import JSSequence
from .stream import Stream

__all__ = ["to_plain"]

_PRIMITIVE_KEYS: Final = (str, int, float, bool, JSBigInt, Undefined, type(None))
_ITERABLE_KEYS: Final = frozenset({JSSymbol.ITERATOR, JSSymbol.TO_STRING_TAG})


def _children(value: Any) -> list[Any]:
    kind = type(value)
    if kind is dict or kind is JSObject or kind is JSAsyncIterable:
        return list(value.values())
    if kind is list or kind is JSArray:
        return list(value)
    if kind is JSSet:
        return list(value)
    if kind is JSMap:
        return [part for entry in value.entries() for part in entry]
    if isinstance(value, JSError):
        return list(value.properties.values())
    if kind is JSPromise and value.status is not JSPromise.PENDING:
        return [value.value]
    if kind is JSSequence:
        return list(value.values)
    if kind is Stream:
        ended = value.ended_events()
        return ended[0] if ended is not None else []
    return []


def _ended_normally(sequence: Any) -> bool:
    return (
        type(sequence) is JSSequence
        and sequence.throw_at == -1
        and sequence.done_at == len(sequence.values) - 1
        and sequence.values[-1] is undefined
    )


def _is_js_iterable(value: Any) -> bool:
    """An object standing for a JS iterable whose values a list can hold."""
    kind = type(value)
    if not (kind is dict or (kind is JSObject and not value.integrity)):
        return False
    keys = set(value)
    return (
        JSSymbol.ITERATOR in keys
        and keys <= _ITERABLE_KEYS
        and _ended_normally(value[JSSymbol.ITERATOR])
    )


def _map_placeholder(value: JSMap[Any, Any]) -> dict[Any, Any] | None:
    keys = [key for key, _ in value.entries()]
    if not all(isinstance(key, _PRIMITIVE_KEYS) for key in keys):
        return None
    if len({int(key) if type(key) is JSBigInt else key for key in keys}) != len(keys):
        return None  # 1 and True (or 1 and 1n) are one dict key
    return {}


class _Walk:
    """An iterative depth-first walk: placeholders on the way down, filling on the way up."""

    def __init__(self) -> None:
        self.memo: dict[int, Any] = {}  # id of a replaced value -> its replacement
        self.seen: set[int] = set()

    def new(self, value: Any) -> Any:
        return self.memo.get(id(value), value)

    def run(self, root: Any) -> Any:
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            value, done = stack.pop()
            if done:
                self.finish(value)
                continue
            if id(value) in self.seen:
                continue
            self.seen.add(id(value))
            self.start(value)
            stack.append((value, True))
            stack.extend((child, False) for child in reversed(_children(value)))
        return self.new(root)

    def start(self, value: Any) -> None:
        """Values that other values may refer to while they are still being walked get
        their replacement now (empty), so every reference finds the same object."""
        kind = type(value)
        if kind is JSMap:
            placeholder = _map_placeholder(value)
            if placeholder is not None:
                self.memo[id(value)] = placeholder
        elif _is_js_iterable(value):
            self.memo[id(value)] = []

    def finish(self, value: Any) -> None:
        kind = type(value)
        new = self.new
        if kind is dict or kind is JSObject or kind is JSAsyncIterable:
            for key, item in list(value.items()):
                value[key] = new(item)
            target = self.memo.get(id(value))
            if type(target) is list:
                sequence = value[JSSymbol.ITERATOR]
                target.extend(new(item) for item in sequence.values[:-1])
        elif kind is list or kind is JSArray:
            value[:] = [new(item) for item in value]
        elif kind is JSSequence:
            value.values = [new(item) for item in value.values]
        elif kind is JSSet:
            items = [new(item) for item in value]
            try:
                plain = set(items)
            except TypeError:
                plain = None
            if plain is not None and len(plain) == len(items):
                self.memo[id(value)] = plain
            else:
                value.clear()
                for item in items:
                    value.add(item)
        elif kind is JSMap:
            entries = [(new(key), new(item)) for key, item in value.entries()]
            target = self.memo.get(id(value))
            if type(target) is dict:
                target.update(entries)
            else:
                value.clear()  # a converted key (bytes for a Uint8Array) is a new key
                for key, item in entries:
                    value[key] = item
        elif isinstance(value, JSError):
            for key, item in list(value.properties.items()):
                value.properties[key] = new(item)
        elif kind is JSPromise and value.status is not JSPromise.PENDING:
            value.value = new(value.value)
        elif kind is JSTypedArray and value.kind == "Uint8Array":
            self.memo[id(value)] = value.tobytes()
        elif kind is Stream and value.ended_events() is not None:
            # Its buffer, which every listener replays: no listener has come yet.
            value._buffer[:] = [new(item) for item in value._buffer]


def to_plain(value: Any) -> Any:
    """``value`` with Python's own types wherever its content allows (see the module)."""
    return _Walk().run(value)
