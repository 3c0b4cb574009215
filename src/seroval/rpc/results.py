"""A result's async parts on the client: promises and streams that settle as frames arrive.

The client returns a result at its first frame.  If it holds promises or streams,
a *pump* task (in the client's task group) reads the rest of the response and
feeds each record to the call's cross deserializer, which settles the promises
and pushes stream events.  The result's parts are replaced, in place, by:

* :class:`RemotePromise`: awaitable; a rejection raises the error as the client
  maps errors (:class:`~seroval.rpc.core.errors.RemoteError` or a registered class);
* :class:`RemoteStream`: an async iterator (for streams and async generators);
  ``aclose()`` hangs up the response, which cancels the server's work.

Bound: the deserializer reads streams as single-consumer (no replay buffer), and
the pump stops reading once ``window`` stream items wait unread; TCP (or the
memory stream) then pushes back to the server, whose generators pause.  Items are
delivered in the order the server sent them, so a caller that reads one stream
while ignoring another stops once the window is full: read them concurrently.

If the response ends (or breaks) before everything settled, what is still open
is rejected with :class:`~seroval.rpc.core.errors.ProtocolError`; when the call's
deadline passes, with :class:`~seroval.rpc.core.errors.DeadlineExceededError`.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import AsyncIterator, Callable, Generator
from typing import Any, TypeVar

import anyio

from ..protocol.aio.waiting import Signal
from ..protocol.errors import SerovalError
from ..protocol.jstext.reader import CrossDeserializer
from ..protocol.model.containers import JSObject
from ..protocol.model.exceptions import JSError
from ..protocol.model.primitives import JSSymbol, undefined
from ..protocol.model.promises import JSPromise, ThrownValue
from ..protocol.model.stream import Stream
from .core.carrier import CallResponse
from .core.client_call import ClientCall
from .core.errors import DeadlineExceededError, ProtocolError, SerovalRPCError
from .failures import ExceptionTable, from_js_error

__all__ = ["Pump", "RemotePromise", "RemoteStream", "adapt", "replace_parts"]

T = TypeVar("T")


class Pump:
    """Reads one response's later frames into its deserializer, window-bounded."""

    def __init__(
        self,
        call: ClientCall,
        response: CallResponse,
        reader: CrossDeserializer,
        *,
        window: int,
        deadline: float | None,
        exceptions: ExceptionTable | None,
    ) -> None:
        self.call = call
        self.response = response
        self.reader = reader
        self.window = window
        self.exceptions = exceptions
        self.queued = 0
        self.closed = False
        self.finished = anyio.Event()
        self._space = Signal()
        self._scope = anyio.CancelScope(deadline=deadline if deadline is not None else float("inf"))
        self._backlog: list[Any] = []

    def convert(self, value: Any) -> BaseException:
        """The exception to raise for a rejection or a stream's throw."""
        if isinstance(value, SerovalRPCError):
            return value
        if isinstance(value, ThrownValue):
            value = value.value
        if isinstance(value, JSError) or not isinstance(value, BaseException):
            return from_js_error(value, self.exceptions, function_id=self.call.function_id)
        return value

    def feed_first(self, records: list[Any]) -> None:
        """Records that arrived with the first frame, read once the result is adapted."""
        self._backlog = records

    def taken(self) -> None:
        self.queued -= 1
        if self.queued < self.window:
            self._space.notify()

    def close(self) -> None:
        """The consumer hung up: stop reading, close the response (cancels the server)."""
        self.closed = True
        self._scope.cancel()

    async def run(self) -> None:
        failure: BaseException | None = None
        try:
            with self._scope:
                try:
                    await self._read(self._backlog)
                    self._backlog = []
                    ended = False
                    while self.reader.pending:
                        data = await self.response.receive()
                        if data is None:
                            self.call.end_of_response()
                            ended = True
                            break
                        await self._read(self.call.receive_data(data))
                    # Everything settled: the server ends the response next.  Reading
                    # to its end lets it finish cleanly (and the connection be reused).
                    while not ended and (data := await self.response.receive()) is not None:
                        if self.call.receive_data(data):
                            raise ProtocolError("frames after every part had settled")
                    if not ended:
                        self.call.end_of_response()
                except SerovalRPCError as error:
                    failure = error
                except SerovalError as error:
                    failure = ProtocolError(f"a later frame cannot be read: {error}")
            if self._scope.cancelled_caught and not self.closed:
                failure = DeadlineExceededError(
                    "the call's deadline passed", function_id=self.call.function_id
                )
            if self.reader.pending:
                reason = failure or ProtocolError(
                    f"the response ended with {self.reader.pending} promises or streams open",
                    function_id=self.call.function_id,
                )
                with contextlib.suppress(Exception):
                    self.reader.abort(reason)
        finally:
            with anyio.CancelScope(shield=True):
                await self.response.aclose()
            self.finished.set()

    async def _read(self, records: list[Any]) -> None:
        for record in records:
            self.reader.deserialize(record)
            while self.queued >= self.window and not self.closed:
                await self._space.wait()


class RemotePromise:
    """A promise of the result; ``await`` it for its value (or its error, raised)."""

    __slots__ = ("_promise", "_pump")

    def __init__(self, promise: JSPromise, pump: Pump) -> None:
        self._promise = promise
        self._pump = pump

    @property
    def settled(self) -> bool:
        return self._promise.status is not JSPromise.PENDING

    def __await__(self) -> Generator[Any, None, Any]:
        return self._wait().__await__()

    async def _wait(self) -> Any:
        try:
            return await self._promise
        except (JSError, ThrownValue) as error:
            raise self._pump.convert(error) from None

    def __repr__(self) -> str:
        return f"<RemotePromise {self._promise.status}>"


class RemoteStream(AsyncIterator[T]):
    """A stream (or async generator) of the result, read as frames arrive.

    ``result`` is the generator's return value once the loop ended.  A server-side
    ``raise`` arrives after the items before it, and is raised here.
    """

    def __init__(self, stream: Stream, pump: Pump) -> None:
        self._pump = pump
        self._events: deque[tuple[str, Any]] = deque()
        self._wake = Signal()
        self._ended = False
        self.result: Any = undefined
        self._unsubscribe: Callable[[], None] | None = stream.on(self)

    # called by the stream (in the pump's task)
    def next(self, value: Any) -> None:
        self._events.append(("next", value))
        self._pump.queued += 1
        self._wake.notify()

    def throw(self, value: Any) -> None:
        self._events.append(("throw", value))
        self._wake.notify()

    def return_(self, value: Any) -> None:
        self._events.append(("return", value))
        self._wake.notify()

    def __aiter__(self) -> RemoteStream[T]:
        return self

    async def __anext__(self) -> T:
        while not self._events:
            if self._ended:
                raise StopAsyncIteration
            await self._wake.wait()
        kind, value = self._events.popleft()
        if kind == "next":
            self._pump.taken()
            item: T = value
            return item
        self._ended = True
        self._unsubscribe = None
        if kind == "return":
            self.result = value
            raise StopAsyncIteration
        raise self._pump.convert(value)

    async def aclose(self) -> None:
        """Stop reading: hang up the call's response (the server cancels its work)."""
        if not self._ended:
            self._ended = True
            unsubscribe, self._unsubscribe = self._unsubscribe, None
            if unsubscribe is not None:
                unsubscribe()
            self._pump.close()
            self._events.clear()
            await self._pump.finished.wait()

    def __repr__(self) -> str:
        return f"<RemoteStream {'ended' if self._ended else 'open'}, {len(self._events)} waiting>"


def adapt(value: Any, pump: Pump) -> Any:
    """Replace the promises and streams in ``value`` (objects, arrays) by their remote forms."""

    def part(item: Any) -> Any:
        kind = type(item)
        if kind is Stream:
            return RemoteStream[Any](item, pump)
        if kind is JSPromise:
            return RemotePromise(item, pump)
        if kind is dict or kind is JSObject:
            iterator = item.get(JSSymbol.ASYNC_ITERATOR)
            if type(iterator) is Stream:
                return RemoteStream[Any](iterator, pump)
        return None

    return replace_parts(value, part)


def replace_parts(value: Any, part: Callable[[Any], Any]) -> Any:
    """``value`` with each item for which ``part(item)`` is not ``None`` replaced by it.

    Walks plain objects (``dict``, :class:`JSObject`) and arrays in place, each once
    (shared and cyclic values are fine); Maps, Sets and error properties are left as is.
    """
    seen: set[int] = set()

    def walk(item: Any) -> Any:
        replaced = part(item)
        if replaced is not None:
            return replaced
        if (type(item) is dict or type(item) is JSObject) and id(item) not in seen:
            seen.add(id(item))
            for key, child in item.items():
                item[key] = walk(child)
        elif isinstance(item, list) and id(item) not in seen:
            seen.add(id(item))
            for index, child in enumerate(item):
                item[index] = walk(child)
        return item

    return walk(value)
