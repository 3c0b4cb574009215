"""seroval's push-based stream: a buffered, multi-listener event source.

A :class:`Stream` receives ``next`` events and ends with one ``throw`` or
``return``.  Every listener sees every event, including the ones that happened
before it subscribed (the stream buffers them), which is what lets a stream be sent
after it ended.  A *live* stream (``live=1``) serves one consumer and stops
buffering once consumed.  These are seroval's semantics (``createStream``), so a
stream read from the wire behaves as the JS one does.

Python code reads a stream with ``async for`` (:meth:`Stream.__aiter__`): each
loop gets every event, from the first.  A stream is push-based, so it cannot
slow its producer down; :class:`~seroval.protocol.model.live_stream.LiveStream` can.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from .values import ThrownValue, undefined

if TYPE_CHECKING:
    from ..aio.waiting import Wakeup

__all__ = ["Stream", "StreamIterator", "StreamListener", "create_stream"]


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

    @property
    def consumed(self) -> bool:
        """True once a live stream has its listener (it takes no other)."""
        return self._live > 1

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

    def __aiter__(self) -> StreamIterator:
        """Read the stream with ``async for``, from its first event (:class:`StreamIterator`)."""
        return StreamIterator(self)

    def __repr__(self) -> str:
        state = "open" if self._alive else ("returned" if self._success else "thrown")
        return f"<Stream {state}, {len(self._buffer)} buffered>"


class StreamIterator:
    """An ``async for`` reader of a :class:`Stream`: ``next`` values, until the end.

    It subscribes at once, so it sees every event from the first.  A ``return``
    ends the loop (its value is :attr:`result`, also the ``StopAsyncIteration``
    argument); a ``throw`` raises its value (a non-exception as
    :class:`~seroval.protocol.model.values.ThrownValue`).  Events the loop has not read
    yet wait here: a stream cannot slow its producer down.  :meth:`aclose`
    unsubscribes.
    """

    __slots__ = ("_events", "_signal", "_unsubscribe", "result")

    def __init__(self, stream: Stream) -> None:
        self._events: deque[tuple[str, Any]] = deque()
        self._signal: Wakeup | None = None
        self.result: Any = undefined
        self._unsubscribe: Callable[[], None] | None = stream.on(self)

    # The listener side (called by the stream).

    def _push(self, kind: str, value: Any) -> None:
        self._events.append((kind, value))
        if self._signal is not None:
            self._signal.set()

    def next(self, value: Any) -> None:
        self._push("next", value)

    def throw(self, value: Any) -> None:
        self._push("throw", value)

    def return_(self, value: Any) -> None:
        self._push("return", value)

    # The reader side.

    def __aiter__(self) -> StreamIterator:
        return self

    async def __anext__(self) -> Any:
        from ..aio.waiting import new_wakeup  # waiting needs the event loop

        while not self._events:
            if self._unsubscribe is None:
                raise StopAsyncIteration(self.result)
            self._signal = new_wakeup()
            await self._signal.wait()
            self._signal = None
        kind, value = self._events.popleft()
        if kind == "next":
            return value
        self._events.clear()
        self._unsubscribe = None
        if kind == "return":
            self.result = value
            raise StopAsyncIteration(value)
        raise value if isinstance(value, BaseException) else ThrownValue(value)

    async def aclose(self) -> None:
        """Stop listening (the stream itself goes on)."""
        unsubscribe, self._unsubscribe = self._unsubscribe, None
        self._events.clear()
        if unsubscribe is not None:
            unsubscribe()


def create_stream() -> Stream:
    """A new open :class:`Stream` (seroval's ``createStream``).  Raises nothing."""
    return Stream()
