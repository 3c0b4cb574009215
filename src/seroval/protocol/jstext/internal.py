"""The reader's internal values: what seroval's helpers return while a text runs.

A helper function, the iterator factories it makes, a promise resolver, the
AbortController factory's result: the text calls them in seroval's call shapes,
but they never become part of a value.  :data:`INTERNAL` lists their types so
the evaluator can refuse any of them where a value is stored or returned.
"""

from __future__ import annotations

from typing import Any, Final

from ..model.nodes import T_PROMISE_CONSTRUCTOR, T_STREAM_CONSTRUCTOR
from ..model.stream import Stream
from ..model.values import JSSequence
from ..tree.deserialize import PromiseResolver
from .syntax import HelperKind

__all__ = [
    "HELPERS",
    "INTERNAL",
    "SLOT_TYPES",
    "AsyncIteratorFactory",
    "AsyncIteratorInstance",
    "Controller",
    "Helper",
    "IteratorFactory",
    "IteratorInstance",
    "Target",
]


class Helper:
    """One of seroval's helper functions (its text was matched)."""

    __slots__ = ("kind",)

    def __init__(self, kind: HelperKind) -> None:
        self.kind = kind


class IteratorFactory:
    """What the iterator helper returns once given ``Symbol.iterator``."""

    __slots__ = ()


class IteratorInstance:
    """An iterator factory applied to a sequence record; the value of a ``[Symbol.iterator]``."""

    __slots__ = ("record", "sequence")

    def __init__(self, record: dict[Any, Any]) -> None:
        self.record = record
        self.sequence = JSSequence([], -1, -1)  # filled once the text has run


class AsyncIteratorFactory:
    """What the async iterator helper returns once given its symbol and promise helper."""

    __slots__ = ()


class AsyncIteratorInstance:
    """An async iterator factory applied to a stream; the value of ``[Symbol.asyncIterator]``."""

    __slots__ = ("stream",)

    def __init__(self, stream: Stream) -> None:
        self.stream = stream


class Controller:
    """What the AbortController factory helper returns: its ``.signal`` is the value."""

    __slots__ = ("args",)

    def __init__(self, args: list[Any]) -> None:
        self.args = args


INTERNAL: Final = frozenset(
    {
        Helper,
        IteratorFactory,
        IteratorInstance,
        AsyncIteratorFactory,
        AsyncIteratorInstance,
        PromiseResolver,  # what the promise-constructor helper returns: .p is its promise
        Controller,
    }
)
# The node types ``ReadRefs.types`` records for slots, so that node records can
# settle promises and feed streams that JS text made (and the other way round).
SLOT_TYPES: Final[dict[type, int]] = {
    PromiseResolver: T_PROMISE_CONSTRUCTOR,
    Stream: T_STREAM_CONSTRUCTOR,
}
HELPERS: Final = {kind: Helper(kind) for kind in HelperKind}


class Target:
    """An evaluated assignment target: a variable, a ``$R`` slot or an object's property."""

    __slots__ = ("holder", "key", "kind", "pos")

    def __init__(self, kind: str, holder: Any, key: Any, pos: int) -> None:
        self.kind = kind
        self.holder = holder
        self.key = key
        self.pos = pos
