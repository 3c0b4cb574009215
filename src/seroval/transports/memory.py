"""Client and server in one process, over anyio memory object streams.

The same bytes as HTTP cross: the request body's codec frames go to the server in
chunks through one bounded stream, the response head and its frames come back
through another (``window`` slots), one item per frame.  Nothing is shortcut: the
server runs the same :class:`~seroval.rpc.server.FunctionHandler`, the client the
same decoding.  Closing a response (or cancelling its reader) cancels the server's
call, as a disconnect does over HTTP.

    async with MemoryTransport(functions) as transport:
        async with Client(transport=transport) as client:
            await client.call("app:add", 1, 2)

The server calls run in the transport's own task group: leaving ``async with``
cancels any still running.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from ..protocol.aio.waiting import enter_group as _enter_group
from ..protocol.aio.waiting import exit_group as _exit_group
from ..rpc.core.carrier import CallHandler
from ..rpc.core.errors import ProtocolError
from ..rpc.core.wire import RequestHead, ResponseHead
from ..rpc.flow import receive_soon, send_soon

__all__ = ["MemoryTransport"]

logger = logging.getLogger("seroval.transports.memory")

_Item = ResponseHead | bytes


class _Sink:
    __slots__ = ("_stream",)

    def __init__(self, stream: MemoryObjectSendStream[_Item]) -> None:
        self._stream = stream

    async def start(self, head: ResponseHead) -> None:
        await send_soon(self._stream, head)

    async def send(self, data: bytes, *, end: bool = False) -> None:
        if data:
            await send_soon(self._stream, data)


class _MemoryResponse:
    __slots__ = ("_scope", "_stream", "head")

    def __init__(
        self,
        head: ResponseHead,
        stream: MemoryObjectReceiveStream[_Item],
        scope: anyio.CancelScope,
    ) -> None:
        self.head = head
        self._stream = stream
        self._scope = scope

    async def receive(self) -> bytes | None:
        try:
            item = await receive_soon(self._stream)
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            return None
        if not isinstance(item, bytes):
            raise ProtocolError("a second response head arrived")
        return item

    async def aclose(self) -> None:
        self._stream.close()
        self._scope.cancel()


class MemoryTransport:
    """A client transport whose server is ``handler`` (or a ``ServerFunctions``), in process."""

    def __init__(self, handler: CallHandler | Any, *, window: int = 16, chunk_size: int = 65536):
        self.handler: CallHandler = getattr(handler, "handler", handler)
        if window < 1 or chunk_size < 1:
            raise ValueError("window and chunk_size must be positive")
        self.window = window
        self.chunk_size = chunk_size
        self._group: anyio.abc.TaskGroup | None = None

    async def __aenter__(self) -> MemoryTransport:
        self._group = await _enter_group()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        group, self._group = self._group, None
        assert group is not None
        return await _exit_group(group, kind, error, traceback)

    async def aclose(self) -> None:
        if self._group is not None:
            self._group.cancel_scope.cancel()

    async def open(self, head: RequestHead, body: bytes) -> _MemoryResponse:
        if self._group is None:
            raise RuntimeError("use the MemoryTransport inside `async with`")
        response_in, response_out = anyio.create_memory_object_stream[_Item](self.window)
        body_in, body_out = anyio.create_memory_object_stream[bytes](self.window)
        scope = anyio.CancelScope()
        chunk = self.chunk_size

        async def send_body() -> None:
            async with body_in:
                for start in range(0, len(body), chunk):
                    await body_in.send(body[start : start + chunk])

        async def receive() -> bytes | None:
            try:
                return await body_out.receive()
            except anyio.EndOfStream:
                return None

        async def serve() -> None:
            with scope:
                async with response_in, body_out, anyio.create_task_group() as group:
                    group.start_soon(send_body)
                    try:
                        await self.handler.handle(head, receive, _Sink(response_in))
                    except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                        pass  # the client hung up
                    except Exception:
                        logger.exception("the server side of a call failed")
                    group.cancel_scope.cancel()

        self._group.start_soon(serve)
        try:
            first = await response_out.receive()
        except anyio.EndOfStream:
            raise ProtocolError("the server ended the call without a response") from None
        except BaseException:
            response_out.close()
            scope.cancel()
            raise
        if not isinstance(first, ResponseHead):
            raise ProtocolError("the response did not start with a head")
        return _MemoryResponse(first, response_out, scope)
