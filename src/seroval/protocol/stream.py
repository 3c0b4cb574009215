"""seroval's push-based stream: a buffered, multi-listener event source.

A :class:`Stream` receives ``next`` events and ends with one ``throw`` or
``return``.  Every listener sees every event, including the ones that happened
before it subscribed (the stream buffers them), which is what lets a stream be sent
after it ended.  A *live* stream (``live=1``) serves one consumer and stops
buffering once consumed.  These are seroval's semantics (``createStream``), so a
stream read from the wire behaves as the JS one does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["Stream", "StreamListener", "create_stream"]


class StreamListener(Protocol):
    """Receives a stream's events.  ``return_`` is ``return`` (a Python keyword)."""

    def next(self, value: Any) -> None: ...
    def throw(self, value: Any) -> None: ...
    def return_(self, value: Any) -> None: ...


class Stream:
    """A buffered stream of ``next`` events ending in ``throw`` or ``return``."""

    __slots__ = ("_alive", "_buffer", "_listeners", "_live", "_success")

    def __init__(self, live: int | None = None) -> None:
        self._buffer: list[Any] = []
        self._listeners: list[StreamListener | None] = []
        self._alive = True
        self._success = False
        self._live = live or 0

    @property
    def alive(self) -> bool:
        """True until ``throw`` or ``return`` ends the stream."""
        return self._alive

    @property
    def live(self) -> bool:
        return self._live > 0

    def _emit(self, kind: str, value: Any) -> None:
        if self._live <= 1:
            self._buffer.append(value)
        for listener in list(self._listeners):
            if listener is not None:
                getattr(listener, kind)(value)

    def next(self, value: Any) -> None:
        if self._alive:
            self._emit("next", value)

    def throw(self, value: Any) -> None:
        if self._alive:
            self._emit("throw", value)
            self._alive = False
            self._success = False
            self._listeners.clear()

    def return_(self, value: Any) -> None:
        if self._alive:
            self._emit("return_", value)
            self._alive = False
            self._success = True
            self._listeners.clear()

    def on(self, listener: StreamListener) -> Callable[[], None]:
        """Subscribe ``listener``; it first gets the buffered events.  Returns an unsubscribe."""
        if self._live > 1:
            raise RuntimeError("Stream consumed")
        subscribed = self._alive
        slot = -1
        if subscribed:
            slot = len(self._listeners)
            self._listeners.append(listener)
        self._replay(listener)
        if self._live:
            self._live = 2
            self._buffer.clear()

        def unsubscribe() -> None:
            nonlocal subscribed
            if self._alive and subscribed:
                subscribed = False
                self._listeners[slot] = None
                while self._listeners and self._listeners[-1] is None:
                    self._listeners.pop()

        return unsubscribe

    def _replay(self, listener: StreamListener) -> None:
        last = len(self._buffer) - 1
        for index, value in enumerate(list(self._buffer)):
            if not self._alive and index == last:
                (listener.return_ if self._success else listener.throw)(value)
            else:
                listener.next(value)

    def ended_events(self) -> tuple[list[Any], bool] | None:
        """``(values, success)`` for an ended stream (the last value ends it), else ``None``."""
        if self._alive or self._live > 1:
            return None
        return list(self._buffer), self._success

    def __repr__(self) -> str:
        state = "open" if self._alive else ("returned" if self._success else "thrown")
        return f"<Stream {state}, {len(self._buffer)} buffered>"


def create_stream() -> Stream:
    """A new open :class:`Stream` (seroval's ``createStream``)."""
    return Stream()
