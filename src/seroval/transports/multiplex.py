"""Many calls on one connection: the server loop and the client transport, on anyio.

Both sides drive a sans-I/O :class:`~seroval.rpc.core.session.Session` over a
:class:`~seroval.transports.channel.MessageChannel` (a WebSocket, a pipe pair, a
memory pair).  One task reads; each call runs in a task of its own (server) or is
read by its caller (client); writers share one lock.  Queues are bounded by the
window each side grants, so a peer that stops reading stops its sender, never
grows this side's memory.

* :func:`serve_connection` runs a :class:`~seroval.rpc.core.carrier.CallHandler`
  for each ``CALL`` until the channel ends; a ``CANCEL`` cancels that call's task
  (the function sees the cancellation); the end of the channel cancels them all.
  :meth:`ServerConnection.drain` sends ``CLOSE``, lets running calls finish, then
  closes.  Idle connections are closed after ``idle_timeout``; a silent peer is
  pinged and dropped if it does not answer.
* :class:`MultiplexTransport` is a :class:`~seroval.rpc.core.carrier.ClientTransport`:
  ``open`` sends ``CALL``; closing a response early sends ``CANCEL`` (from a shielded
  scope, so a cancelled caller still tells the server).  ``open_streaming`` also
  sends argument frames after the call started, as the server's window allows.
  When the connection is lost, every open call fails with
  :class:`~seroval.rpc.core.session.ConnectionLostError`.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from ..protocol.aio.waiting import Signal
from ..rpc.core.carrier import CallHandler
from ..rpc.core.errors import PayloadTooLargeError, ProtocolError, SerovalRPCError, ServerError
from ..rpc.core.session import (
    DEFAULT_SESSION_LIMITS,
    CallClosed,
    CallData,
    CallFailed,
    CallHead,
    CallOpened,
    ConnectionClosingError,
    ConnectionFailed,
    ConnectionLostError,
    Event,
    PeerClosing,
    PeerHello,
    Reply,
    Session,
    SessionLimits,
    StopSending,
    TooManyCallsError,
    WindowOpened,
)
from ..rpc.core.wire import Headers, RequestHead, ResponseHead
from ..rpc.flow import receive_soon
from .channel import LOST, MessageChannel

__all__ = ["MultiplexTransport", "ServerConnection", "serve_connection"]

logger = logging.getLogger("seroval.transports.multiplex")

CALL_ERRORS: dict[str, type[SerovalRPCError]] = {
    TooManyCallsError.code: TooManyCallsError,
    ConnectionClosingError.code: ConnectionClosingError,
    ServerError.code: ServerError,
    ProtocolError.code: ProtocolError,
    PayloadTooLargeError.code: PayloadTooLargeError,
}
"""``ERROR`` codes on a call, as the client raises them (anything else: ProtocolError)."""


class _Connection:
    """What both sides share: the session, the write lock, reading, pings."""

    def __init__(self, channel: MessageChannel, session: Session) -> None:
        self.channel = channel
        self.session = session
        self._lock = anyio.Lock()
        self.heard = anyio.current_time()
        self.lost = False
        self.peer_ready = anyio.Event()
        self._control: deque[bytes] = deque()
        self._control_wake = Signal()
        self.control_pending = False
        """A posted control message is queued or being written."""

    def post(self, data: bytes | None) -> None:
        """Queue a control message (CANCEL, WINDOW, PONG, a call's ERROR) without waiting.

        :meth:`send_control` writes them in order; the caller (a cancelled call, the
        reader) never blocks on a busy or stuck connection.  Each is a few bytes, and
        one per call or per grant, so the queue stays small.
        """
        if data is not None and not self.lost:
            self._control.append(data)
            self.control_pending = True
            self._control_wake.notify()

    async def send_control(self) -> None:
        """Write posted control messages until the connection is lost (a background task)."""
        control = self._control
        while not self.lost:
            if not control:
                await self._control_wake.wait()
                continue
            if self.channel.framed:  # one write for everything queued
                batch = b"".join(control)
                control.clear()
            else:
                batch = control.popleft()
            self.control_pending = True
            try:
                await self.write(batch)
            except ConnectionLostError:
                return
            finally:
                self.control_pending = bool(control)

    async def write(self, data: bytes) -> None:
        """Send one message; a lost channel marks the connection lost (and raises)."""
        async with self._lock:
            try:
                await self.channel.send(data)
            except LOST:
                self.lost = True
                raise ConnectionLostError("the connection is gone") from None

    async def write_new_call(self, head: RequestHead, body: bytes, *, end: bool) -> int | None:
        """Choose the next call id and send its ``CALL``, under the lock: ids go out in order.

        ``None``: the server's ``max_calls`` are open (wait for one to end, try again).
        """
        async with self._lock:
            peer = self.session.peer
            if peer is not None and self.session.open_calls >= peer.max_calls:
                return None
            call, message = self.session.start_call(head, body, end=end)
            try:
                await self.channel.send(message)
            except LOST:
                self.lost = True
                self.session.forget(call)
                raise ConnectionLostError("the connection is gone") from None
            return call

    async def write_quietly(self, data: bytes | None) -> None:
        """Send, shielded, ignoring a lost connection (cancel and error notes)."""
        if data is None or self.lost:
            return
        with (
            anyio.CancelScope(shield=True),
            anyio.move_on_after(5),
            contextlib.suppress(ConnectionLostError),
        ):
            await self.write(data)

    async def read(self, dispatch: Callable[[Event], Awaitable[None]]) -> None:
        """Read until the channel ends or breaks the protocol (then say why and stop)."""
        session = self.session
        framed = self.channel.framed
        while True:
            try:
                data = await self.channel.receive()
            except LOST:
                with contextlib.suppress(ProtocolError):
                    session.end_of_stream()
                return
            self.heard = anyio.current_time()
            try:
                events = session.receive_bytes(data) if framed else session.receive_message(data)
            except ProtocolError as error:
                logger.warning("closing a connection that broke the protocol: %s", error)
                await self.write_quietly(session.fail(0, "protocol", str(error)))
                return
            for event in events:
                if isinstance(event, PeerHello):
                    self.peer_ready.set()
                elif isinstance(event, Reply):
                    self.post(event.data)
                elif isinstance(event, ConnectionFailed):
                    logger.warning(
                        "the peer failed the connection: %s: %s", event.code, event.message
                    )
                    return
                else:
                    await dispatch(event)

    async def keep_alive(self, limits: SessionLimits, idle: Callable[[], bool] | None) -> None:
        """Ping a silent peer; return when it stays silent (or, server, when idle)."""
        interval = limits.ping_interval or math.inf
        idle_after = limits.idle_timeout if idle is not None else None
        idle_since = anyio.current_time()
        step = min(interval, idle_after or math.inf, 1.0)
        pinged_at: float | None = None
        while True:
            await anyio.sleep(step)
            now = anyio.current_time()
            if idle is not None:
                if not idle():
                    idle_since = now
                elif idle_after is not None and now - idle_since >= idle_after:
                    logger.info("closing an idle connection")
                    return
            if pinged_at is not None and self.heard < pinged_at:
                if now - pinged_at >= limits.ping_timeout:
                    logger.warning("the peer did not answer a ping")
                    return
            elif now - self.heard >= interval:
                pinged_at = now
                with contextlib.suppress(ConnectionLostError):
                    await self.write(self.session.ping(b"keep-alive"))
            else:
                pinged_at = None


# -- server -------------------------------------------------------------------------------


@dataclass(eq=False)
class _ServerCall:
    id: int
    inbound: MemoryObjectSendStream[bytes]
    outbound: MemoryObjectReceiveStream[bytes]
    scope: anyio.CancelScope = field(default_factory=anyio.CancelScope)
    credit: Signal = field(default_factory=Signal)
    cancelled: bool = False
    first: bool = True


class _CallBody:
    """The call's request body for the handler; ``stop`` asks for no more arguments."""

    def __init__(self, connection: ServerConnection, call: _ServerCall) -> None:
        self._connection = connection
        self._call = call

    async def next(self) -> bytes | None:
        call = self._call
        try:
            data = await receive_soon(call.outbound)
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            return None
        if call.first:
            call.first = False  # the CALL's own body takes no window
        else:
            self._connection.post(self._connection.session.consumed(call.id))
        return data

    async def stop(self) -> None:
        """The function closed its argument streams: the client should stop sending."""
        self._call.outbound.close()
        self._connection.post(self._connection.session.cancel(self._call.id))


class _CallSink:
    """The response for one call: HEAD (merged with the first frame), then DATA."""

    def __init__(self, connection: ServerConnection, call: _ServerCall) -> None:
        self._connection = connection
        self._call = call
        self._head: ResponseHead | None = None

    async def start(self, head: ResponseHead) -> None:
        self._head = head

    async def send(self, data: bytes, *, end: bool = False) -> None:
        call, connection = self._call, self._connection
        session = connection.session
        if call.cancelled:
            return  # never answer a cancelled call
        if self._head is not None:
            head, self._head = self._head, None
            await connection.write(session.respond(call.id, head, data, end=end))
            return
        if not data and not end:
            return
        if data:
            while not session.can_send(call.id):
                if call.cancelled or not session.is_open(call.id):
                    return
                await call.credit.wait()
        await connection.write(session.data(call.id, data, end=end))


class ServerConnection(_Connection):
    """The server side of one connection (see the module docs)."""

    def __init__(
        self,
        handler: CallHandler,
        channel: MessageChannel,
        *,
        limits: SessionLimits = DEFAULT_SESSION_LIMITS,
        scheme: str = "ws",
        client: tuple[str, int] | None = None,
        headers: list[tuple[str, str]] | None = None,
        root_path: str = "",
    ) -> None:
        super().__init__(channel, Session("server", limits, framed=channel.framed))
        self.handler = handler
        self.limits = limits
        self._scheme = scheme
        self._client = client
        self._headers = headers or []
        self._root_path = root_path
        self._calls: dict[int, _ServerCall] = {}
        self._group: anyio.abc.TaskGroup | None = None
        self._drained = anyio.Event()
        self._draining = False

    @property
    def active(self) -> int:
        return len(self._calls)

    async def run(self) -> None:
        """Serve until the channel ends (or breaks the protocol, or idles out)."""
        try:
            await self.write(self.session.hello())
        except ConnectionLostError:
            return
        async with anyio.create_task_group() as group:
            self._group = group

            async def keep_alive() -> None:
                await self.keep_alive(self.limits, lambda: not self._calls)
                group.cancel_scope.cancel()

            group.start_soon(keep_alive)
            group.start_soon(self.send_control)
            await self.read(self._dispatch)
            self.lost = True  # nothing more is sent for the calls cancelled now
            group.cancel_scope.cancel()  # the peer is gone: its calls are cancelled
        self._group = None
        with anyio.CancelScope(shield=True):
            await self.channel.aclose()

    async def drain(self, grace: float | None = None) -> None:
        """Tell the client no new calls are taken, let running ones finish, close.

        After ``grace`` seconds, calls still running are cancelled.
        """
        if not self._draining:
            self._draining = True
            await self.write_quietly(self.session.close())
        if not self._calls:
            self._drained.set()
        with anyio.move_on_after(math.inf if grace is None else grace):
            await self._drained.wait()
        with anyio.move_on_after(5):  # refusals and errors still queued go out first
            while self.control_pending and not self.lost:
                await anyio.sleep(0.01)
        if self._group is not None:
            self._group.cancel_scope.cancel()

    async def _dispatch(self, event: Event) -> None:
        if isinstance(event, CallOpened):
            self._open(event)
        elif isinstance(event, CallData):
            call = self._calls.get(event.call)
            if call is None:
                return
            if event.data:
                try:
                    call.inbound.send_nowait(event.data)
                except anyio.WouldBlock:  # the session checked the window: cannot happen
                    raise ProtocolError("a call's queue overflowed") from None
                except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                    pass  # the function no longer reads its arguments
            if event.end:
                call.inbound.close()
        elif isinstance(event, WindowOpened):
            call = self._calls.get(event.call)
            if call is not None:
                call.credit.notify()
        elif isinstance(event, CallClosed):
            call = self._calls.get(event.call)
            if call is not None:
                call.cancelled = True
                call.scope.cancel()
                call.credit.notify()
        elif isinstance(event, PeerClosing):
            pass  # a client that closes starts no new calls; it ends the channel itself

    def _open(self, event: CallOpened) -> None:
        assert self._group is not None
        inbound, outbound = anyio.create_memory_object_stream[bytes](self.limits.window + 1)
        call = _ServerCall(event.call, inbound, outbound)
        inbound.send_nowait(event.body)
        if event.end:
            inbound.close()
        head = event.head
        head.scheme = self._scheme
        head.client = self._client
        head.root_path = self._root_path
        if self._headers:  # the handshake's (Origin, cookies, auth) win over the call's
            names = {name for name, _ in self._headers}
            head.headers = Headers(
                [*((n, v) for n, v in head.headers if n not in names), *self._headers]
            )
        self._calls[call.id] = call
        self._group.start_soon(self._run_call, call, head)

    async def _run_call(self, call: _ServerCall, head: RequestHead) -> None:
        body = _CallBody(self, call)
        try:
            with call.scope:
                await self.handler.handle(head, body.next, _CallSink(self, call))
        except ConnectionLostError:
            pass
        except Exception as error:
            logger.exception("call %d failed outside its function", call.id)
            if self.session.is_open(call.id) and not call.cancelled:
                code = error.code if isinstance(error, SerovalRPCError) else ServerError.code
                self.post(self.session.fail(call.id, code, str(error)))
        finally:
            if self.session.is_open(call.id) and not call.cancelled and not self.lost:
                # The handler returned without ending its response: say so, never hang.
                await self.write_quietly(
                    self.session.fail(
                        call.id, ServerError.code, "the call ended without a response"
                    )
                )
            self.session.forget(call.id)
            call.outbound.close()
            call.inbound.close()
            del self._calls[call.id]
            if self._draining and not self._calls:
                self._drained.set()


async def serve_connection(
    handler: CallHandler | Any,
    channel: MessageChannel,
    *,
    limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    **head_fields: Any,
) -> None:
    """Serve calls on ``channel`` until it ends (``handler``: a ``ServerFunctions`` too)."""
    from ..rpc.streamed import streaming_handler

    connection = ServerConnection(streaming_handler(handler), channel, limits=limits, **head_fields)
    await connection.run()


# -- client -------------------------------------------------------------------------------


@dataclass(eq=False)
class _ClientCall:
    id: int
    inbound: MemoryObjectSendStream[bytes]
    outbound: MemoryObjectReceiveStream[bytes]
    headed: anyio.Event = field(default_factory=anyio.Event)
    head: ResponseHead | None = None
    error: SerovalRPCError | None = None
    credit: Signal = field(default_factory=Signal)
    stopped: bool = False
    first: bool = True
    sender: anyio.CancelScope | None = None


class _Response:
    """One call's response, as :class:`~seroval.rpc.core.carrier.CallResponse`."""

    __slots__ = ("_call", "_closed", "_transport", "head")

    def __init__(self, transport: MultiplexTransport, call: _ClientCall, head: ResponseHead):
        self._transport = transport
        self._call = call
        self._closed = False
        self.head = head

    async def receive(self) -> bytes | None:
        call = self._call
        try:
            data = await receive_soon(call.outbound)
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            if call.error is not None:
                raise call.error from None
            return None
        if call.first:
            call.first = False
        else:
            connection = self._transport.connection
            assert connection is not None
            connection.post(connection.session.consumed(call.id))
        return data

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            await self._transport._abandon(self._call)


class _Broadcast:
    """Wakes every waiting task (each re-checks its condition)."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event: anyio.Event | None = None

    def notify(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait(self) -> None:
        if self._event is None:
            self._event = anyio.Event()
        await self._event.wait()


class MultiplexTransport:
    """Calls over one multiplexed connection (see the module docs); ``async with`` it.

    ``connect`` opens the channel (an async context manager: the WebSocket, the
    child process's pipes); ``limits`` are this side's (window, message size).
    """

    streams_arguments = True
    """The client may send argument parts after the call started (:meth:`open_streaming`)."""

    def __init__(
        self,
        connect: Callable[[], AbstractAsyncContextManager[MessageChannel]],
        *,
        limits: SessionLimits = DEFAULT_SESSION_LIMITS,
        connect_timeout: float = 30.0,
    ) -> None:
        self._connect = connect
        self.limits = limits
        self.connect_timeout = connect_timeout
        self.connection: _Connection | None = None
        self._calls: dict[int, _ClientCall] = {}
        self._group: anyio.abc.TaskGroup | None = None
        self._stack: contextlib.AsyncExitStack | None = None
        self._failure: SerovalRPCError | None = None
        self._slot = _Broadcast()

    async def __aenter__(self) -> MultiplexTransport:
        stack = contextlib.AsyncExitStack()
        await stack.__aenter__()
        try:
            channel = await stack.enter_async_context(self._connect())
            connection = _Connection(channel, Session("client", self.limits, framed=channel.framed))
            self.connection = connection
            group = await stack.enter_async_context(anyio.create_task_group())
            self._group = group
            stack.callback(group.cancel_scope.cancel)
            group.start_soon(self._read)
            try:
                await connection.write(connection.session.hello())
                with anyio.fail_after(self.connect_timeout):
                    await connection.peer_ready.wait()
            except TimeoutError:
                raise ConnectionLostError("the server did not say HELLO") from None
            if self._failure is not None:
                raise self._failure
        except BaseException:
            await stack.__aexit__(None, None, None)
            raise
        self._stack = stack
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        stack, self._stack = self._stack, None
        if stack is not None:
            self._lose(ConnectionLostError("the client closed the connection"))
            await stack.aclose()  # its task groups nest here: no shield around them

    @property
    def open_calls(self) -> int:
        return len(self._calls)

    async def open(self, head: RequestHead, body: bytes) -> _Response:
        return await self._start(head, body, None)

    async def open_streaming(
        self, head: RequestHead, body: bytes, frames: MemoryObjectReceiveStream[bytes]
    ) -> _Response:
        """Start a call whose later argument frames come from ``frames`` (until closed)."""
        return await self._start(head, body, frames)

    async def _start(
        self, head: RequestHead, body: bytes, frames: MemoryObjectReceiveStream[bytes] | None
    ) -> _Response:
        connection, group = self.connection, self._group
        if connection is None or group is None:
            raise RuntimeError("use the transport inside `async with`")
        if self._failure is not None:
            raise type(self._failure)(str(self._failure))
        inbound, outbound = anyio.create_memory_object_stream[bytes](self.limits.window + 1)
        call = _ClientCall(0, inbound, outbound)
        try:
            while True:
                with anyio.CancelScope(shield=True):  # a CALL is sent whole, or not at all
                    call_id = await connection.write_new_call(head, body, end=frames is None)
                if call_id is not None:
                    call.id = call_id
                    break
                # The server's limit is reached: wait for a call to end, as HTTP/2 does.
                await self._slot.wait()
                if self._failure is not None:
                    raise type(self._failure)(str(self._failure))
        except BaseException:
            inbound.close()
            outbound.close()
            if frames is not None:
                frames.close()
            raise
        call_id = call.id
        self._calls[call_id] = call
        try:
            if frames is not None:
                group.start_soon(self._send_arguments, call, frames)
            await call.headed.wait()
        except BaseException:
            await self._abandon(call)
            if frames is not None:
                frames.close()
            raise
        if call.head is None:
            self._calls.pop(call_id, None)
            inbound.close()
            outbound.close()
            assert call.error is not None
            raise call.error
        return _Response(self, call, call.head)

    async def _send_arguments(
        self, call: _ClientCall, frames: MemoryObjectReceiveStream[bytes]
    ) -> None:
        connection = self.connection
        assert connection is not None
        session = connection.session
        scope = call.sender = anyio.CancelScope()
        with scope, frames:
            try:
                async for frame in frames:
                    while not session.can_send(call.id):
                        if call.stopped or not session.is_open(call.id):
                            return
                        await call.credit.wait()
                    await connection.write(session.data(call.id, frame))
                if session.is_open(call.id) and not call.stopped:
                    await connection.write(session.data(call.id, b"", end=True))
            except ConnectionLostError:
                pass

    async def _abandon(self, call: _ClientCall) -> None:
        """The caller gave up on ``call``: CANCEL it (unless it ended) and forget it."""
        self._calls.pop(call.id, None)
        self._slot.notify()
        call.outbound.close()
        call.inbound.close()
        if call.sender is not None:
            call.sender.cancel()
        connection = self.connection
        if connection is not None and connection.session.is_open(call.id):
            connection.post(connection.session.cancel(call.id))

    async def _read(self) -> None:
        connection = self.connection
        assert connection is not None
        try:
            async with anyio.create_task_group() as group:

                async def keep_alive() -> None:
                    await connection.keep_alive(self.limits, None)
                    group.cancel_scope.cancel()

                group.start_soon(keep_alive)
                group.start_soon(connection.send_control)
                await connection.read(self._dispatch)
                group.cancel_scope.cancel()
        finally:
            self._lose(ConnectionLostError("the connection was lost"))
            connection.peer_ready.set()

    def _lose(self, error: SerovalRPCError) -> None:
        """Every open call fails with ``error``; new calls fail too."""
        if self._failure is None:
            self._failure = error
        calls, self._calls = self._calls, {}
        for call in calls.values():
            if call.error is None:
                call.error = type(error)(str(error))
            call.inbound.close()
            call.headed.set()
            if call.sender is not None:
                call.sender.cancel()
            call.credit.notify()
        self._slot.notify()

    async def _dispatch(self, event: Event) -> None:
        if isinstance(event, CallHead):
            call = self._calls.get(event.call)
            if call is None:
                return
            call.head = event.head
            call.inbound.send_nowait(event.body)
            if event.end:
                self._ended(call)
            call.headed.set()
        elif isinstance(event, CallData):
            call = self._calls.get(event.call)
            if call is None:
                return
            if event.data:
                try:
                    call.inbound.send_nowait(event.data)
                except anyio.WouldBlock:
                    raise ProtocolError("a call's queue overflowed") from None
                except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                    pass
            if event.end:
                self._ended(call)
        elif isinstance(event, WindowOpened):
            call = self._calls.get(event.call)
            if call is not None:
                call.credit.notify()
        elif isinstance(event, StopSending):
            call = self._calls.get(event.call)
            if call is not None:
                call.stopped = True
                if call.sender is not None:
                    call.sender.cancel()
        elif isinstance(event, CallFailed):
            call = self._calls.pop(event.call, None)
            if call is not None:
                self._slot.notify()
                kind = CALL_ERRORS.get(event.code, ProtocolError)
                call.error = kind(event.message or event.code)
                call.inbound.close()
                call.headed.set()
                if call.sender is not None:
                    call.sender.cancel()
        elif isinstance(event, PeerClosing):
            logger.info("the server is closing: no new calls on this connection")

    def _ended(self, call: _ClientCall) -> None:
        """The response ended: the call is over (its argument sender too)."""
        self._calls.pop(call.id, None)
        self._slot.notify()
        call.inbound.close()
        if call.sender is not None:
            call.sender.cancel()
