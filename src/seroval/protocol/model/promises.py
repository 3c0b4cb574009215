"""JS promises read from the wire (settled now or later) and non-error rejections."""

from __future__ import annotations

from collections.abc import (
    Callable,
    Generator,
)
from typing import Any, Final, TypeVar

from .exceptions import JSException
from .primitives import undefined

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class JSPromise:
    """A JS Promise read from the wire (or made in Python to be written as one).

    It is fulfilled, rejected or pending (a streamed promise whose settlement comes
    in a later chunk).  Awaiting it gives the value or raises the rejection (a
    non-exception rejection is raised as :class:`ThrownValue`); awaiting a pending
    promise waits for it under asyncio or trio.
    """

    __slots__ = ("_callbacks", "status", "value")

    PENDING: Final = "pending"
    FULFILLED: Final = "fulfilled"
    REJECTED: Final = "rejected"

    def __init__(self) -> None:
        self.status: str = JSPromise.PENDING
        self.value: Any = undefined
        self._callbacks: list[Callable[[JSPromise], None]] = []

    @classmethod
    def resolve(cls, value: object) -> JSPromise:
        promise = cls()
        promise.settle(True, value)
        return promise

    @classmethod
    def reject(cls, value: object) -> JSPromise:
        promise = cls()
        promise.settle(False, value)
        return promise

    def settle(self, fulfilled: bool, value: object) -> None:
        """Fulfil or reject; a promise settles once and later calls are ignored."""
        if self.status is not JSPromise.PENDING:
            return
        self.status = JSPromise.FULFILLED if fulfilled else JSPromise.REJECTED
        self.value = value
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self)

    def add_done_callback(self, callback: Callable[[JSPromise], None]) -> None:
        """Call ``callback(self)`` once settled (at once if already settled)."""
        if self.status is JSPromise.PENDING:
            self._callbacks.append(callback)
        else:
            callback(self)

    def result(self) -> Any:
        """The value, or raise the rejection; ``RuntimeError`` while pending."""
        if self.status is JSPromise.FULFILLED:
            return self.value
        if self.status is JSPromise.REJECTED:
            raise self.value if isinstance(self.value, BaseException) else ThrownValue(self.value)
        raise RuntimeError("the promise is still pending")

    def __await__(self) -> Generator[Any, None, Any]:
        if self.status is JSPromise.PENDING:
            from ..aio.waiting import new_wakeup  # waiting needs the event loop

            event = new_wakeup()
            self.add_done_callback(lambda _: event.set())
            yield from event.wait().__await__()
        return self.result()

    def __repr__(self) -> str:
        if self.status is JSPromise.PENDING:
            return "JSPromise(pending)"
        return f"JSPromise({self.status}, {self.value!r})"


class ThrownValue(JSException):
    """A JS ``throw`` (or promise rejection) of something that is not an error object."""

    def __init__(self, value: object) -> None:
        super().__init__(value)
        self.value = value
