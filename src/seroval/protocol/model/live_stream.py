"""seroval's live stream (``createLiveStream``, 1.7+): one consumer, with backpressure.

A :class:`Stream` is push-based and keeps every event for late listeners.  A
:class:`LiveStream` keeps none: it holds at most one event, and the producer's
operation that sent it (:meth:`LiveStreamProducer.write`, ``close``, ``fail``)
settles only once the consumer *accepted* the event.  So a producer that awaits
each write can never run ahead of its consumer, and a stream that is sent over the
wire (only the streaming serializers can send one) paces the producer to the
network.

The rules are seroval's, including its refusals, each a
:class:`~seroval.protocol.errors.SerovalLiveStreamError` with a ``reason``:

* ``"pending"``: the producer sent an event before the previous one was accepted;
* ``"closed"``: the producer (or a reader) used the stream after its last event;
* ``"reading"``: a second read was started while one was waiting;
* ``"consumed"``: the stream was consumed twice (it has one consumer).

Cancelling (the consumer's ``cancel(reason)``, or a serializer being destroyed)
rejects the producer's pending operation and any later one with ``reason``, and
calls the ``on_cancel`` callback given to :func:`create_live_stream`.

The producer's operations return :class:`~seroval.protocol.model.values.JSPromise`
objects: they take effect at once, as in JS (a second write without awaiting the
first fails with ``"pending"``), and awaiting one waits for the acceptance under
asyncio or trio.  ``async for value in stream`` consumes the stream in Python; an
event is accepted when the loop asks for the next one, so the consumer's pace is
the producer's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, NamedTuple

from ..errors import SerovalLiveStreamError
from .values import JSPromise, ThrownValue, undefined

__all__ = [
    "LiveStream",
    "LiveStreamConsumer",
    "LiveStreamDelivery",
    "LiveStreamPair",
    "LiveStreamProducer",
    "create_live_stream",
]

NEXT: Final = "next"
RETURN: Final = "return"
THROW: Final = "throw"


class _Record:
    """One event waiting for its consumer, and the producer's promise for it."""

    __slots__ = ("delivered", "kind", "promise", "value")

    def __init__(self, kind: str, value: Any) -> None:
        self.kind = kind
        self.value = value
        self.delivered = False
        self.promise = JSPromise()


class LiveStreamDelivery:
    """An event handed to the consumer: ``kind`` is "next", "return" or "throw".

    Call :meth:`accept` once the event has been dealt with; that settles the
    producer's operation (and, for a last event, closes the stream).
    """

    __slots__ = ("_record", "_stream", "kind", "value")

    def __init__(self, stream: LiveStream, record: _Record) -> None:
        self._stream = stream
        self._record = record
        self.kind = record.kind
        self.value = record.value

    def accept(self) -> None:
        """Accept the event (once; later calls, and calls after a cancel, do nothing)."""
        self._stream._accept(self._record)

    def __repr__(self) -> str:
        return f"LiveStreamDelivery({self.kind}, {self.value!r})"


class LiveStream:
    """A single-consumer stream that holds at most one event (see the module docs)."""

    __slots__ = (
        "_cancel_reason",
        "_on_cancel",
        "_pending",
        "_waiting",
        "cancelled",
        "closed",
        "consumed",
    )

    def __init__(self, on_cancel: Callable[[Any], object] | None = None) -> None:
        self.consumed = False
        self.closed = False
        self.cancelled = False
        self._cancel_reason: Any = undefined
        self._on_cancel = on_cancel
        self._pending: _Record | None = None
        self._waiting: JSPromise | None = None

    # -- the producer's side -------------------------------------------------------------

    def push(self, kind: str, value: Any) -> JSPromise:
        """Send one event; the promise settles when it is accepted (or the stream cancelled)."""
        if self.cancelled:
            return JSPromise.reject(self._cancel_reason)
        if self.closed:
            return JSPromise.reject(SerovalLiveStreamError("closed"))
        if self._pending is not None:
            return JSPromise.reject(SerovalLiveStreamError("pending"))
        record = _Record(kind, value)
        self._pending = record
        waiter, self._waiting = self._waiting, None
        if waiter is not None:
            self._deliver(waiter, record)
        return record.promise

    # -- the consumer's side -------------------------------------------------------------

    def consume(self) -> LiveStreamConsumer:
        """Become the stream's one consumer (a second call raises ``"consumed"``)."""
        if self.consumed:
            raise SerovalLiveStreamError("consumed")
        self.consumed = True
        return LiveStreamConsumer(self)

    def read(self) -> JSPromise:
        """A promise of the next :class:`LiveStreamDelivery`."""
        if self.cancelled:
            return JSPromise.reject(self._cancel_reason)
        if self.closed:
            return JSPromise.reject(SerovalLiveStreamError("closed"))
        if self._waiting is not None:
            return JSPromise.reject(SerovalLiveStreamError("reading"))
        waiter = JSPromise()
        record = self._pending
        if record is not None and not record.delivered:
            self._deliver(waiter, record)
        else:
            self._waiting = waiter
        return waiter

    def cancel(self, reason: Any = undefined) -> None:
        """Stop the stream: the producer's pending and later operations reject with ``reason``."""
        if self.cancelled or self.closed:
            return
        self.cancelled = True
        self._cancel_reason = reason
        record, self._pending = self._pending, None
        waiter, self._waiting = self._waiting, None
        on_cancel, self._on_cancel = self._on_cancel, None
        if record is not None:
            record.promise.settle(False, reason)
        if waiter is not None:
            waiter.settle(False, reason)
        if on_cancel is not None:
            on_cancel(reason)

    def __aiter__(self) -> LiveStreamIterator:
        """Consume the stream with ``async for`` (see :class:`LiveStreamIterator`)."""
        return LiveStreamIterator(self.consume())

    # -- internals -------------------------------------------------------------------------

    def _deliver(self, waiter: JSPromise, record: _Record) -> None:
        record.delivered = True
        waiter.settle(True, LiveStreamDelivery(self, record))

    def _accept(self, record: _Record) -> None:
        if self._pending is not record or not record.delivered:
            return
        self._pending = None
        if record.kind != NEXT:
            self.closed = True
            self._on_cancel = None
            waiter, self._waiting = self._waiting, None
            if waiter is not None:
                waiter.settle(False, SerovalLiveStreamError("closed"))
        record.promise.settle(True, undefined)

    def __repr__(self) -> str:
        state = "cancelled" if self.cancelled else "closed" if self.closed else "open"
        return f"<LiveStream {state}{', consumed' if self.consumed else ''}>"


class LiveStreamConsumer:
    """What :meth:`LiveStream.consume` returns: ``read()`` the next event, or ``cancel``."""

    __slots__ = ("_stream",)

    def __init__(self, stream: LiveStream) -> None:
        self._stream = stream

    def read(self) -> JSPromise:
        return self._stream.read()

    def cancel(self, reason: Any = undefined) -> None:
        self._stream.cancel(reason)


class LiveStreamIterator:
    """``async for`` over a live stream; the loop's pace is the producer's.

    The event a step returned is accepted when the loop asks for the next one, so
    the producer's write settles only once the consumer is done with the value.
    A ``return`` event ends the loop (its value is :attr:`result`); a ``throw``
    event raises its value (a non-exception as :class:`ThrownValue`).
    :meth:`aclose` (leaving the loop early through ``contextlib.aclosing``)
    cancels the stream, so the producer learns that nobody is listening.
    """

    __slots__ = ("_consumer", "_delivery", "_done", "result")

    def __init__(self, consumer: LiveStreamConsumer) -> None:
        self._consumer = consumer
        self._delivery: LiveStreamDelivery | None = None
        self._done = False
        self.result: Any = undefined

    def __aiter__(self) -> LiveStreamIterator:
        return self

    async def __anext__(self) -> Any:
        if self._delivery is not None:
            self._delivery.accept()
            self._delivery = None
        if self._done:
            raise StopAsyncIteration
        delivery: LiveStreamDelivery = await self._consumer.read()
        if delivery.kind == NEXT:
            self._delivery = delivery
            return delivery.value
        self._done = True
        delivery.accept()
        if delivery.kind == RETURN:
            self.result = delivery.value
            raise StopAsyncIteration(delivery.value)
        value = delivery.value
        raise value if isinstance(value, BaseException) else ThrownValue(value)

    async def aclose(self) -> None:
        if not self._done:
            self._done = True
            self._consumer.cancel(undefined)


class LiveStreamProducer:
    """The writing end: each operation takes effect at once and settles on acceptance."""

    __slots__ = ("_stream",)

    def __init__(self, stream: LiveStream) -> None:
        self._stream = stream

    def write(self, value: Any) -> JSPromise:
        """Send a value (a ``next`` event)."""
        return self._stream.push(NEXT, value)

    def close(self, value: Any = undefined) -> JSPromise:
        """End the stream with a return value (a ``return`` event)."""
        return self._stream.push(RETURN, value)

    def fail(self, error: Any) -> JSPromise:
        """End the stream with an error (a ``throw`` event)."""
        return self._stream.push(THROW, error)


class LiveStreamPair(NamedTuple):
    """A live stream and its producer, from :func:`create_live_stream`."""

    stream: LiveStream
    producer: LiveStreamProducer


def create_live_stream(on_cancel: Callable[[Any], object] | None = None) -> LiveStreamPair:
    """seroval's ``createLiveStream``: ``stream, producer = create_live_stream()``.

    ``on_cancel(reason)`` is called if the consumer cancels before the stream ends.
    Raises nothing; using the pair out of turn later raises
    :class:`~seroval.SerovalLiveStreamError`.
    """
    stream = LiveStream(on_cancel)
    return LiveStreamPair(stream, LiveStreamProducer(stream))
