"""The ASGI app: server functions over HTTP, under uvicorn, hypercorn or any ASGI server.

``functions.asgi_app()`` answers at its ``path`` (``/_server``) below wherever it is
mounted (``root_path`` is stripped), so ``Mount("/api", app)`` in Starlette or
FastAPI serves ``/api/_server``.  It needs no lifespan events (it answers them
when it is the top-level app, and nothing is set up in them).

Per call it reads the body as it arrives (the handler refuses an oversized body
as soon as it is over the limit), sends the head and then one ``http.response.body``
message per frame, as soon as each is ready, and watches for ``http.disconnect``:
when the client goes away the call is cancelled, which cancels the function.
The whole body must arrive within ``body_timeout`` seconds (the call's
``limits.body_timeout``): ASGI servers time out idle connections, not a body
trickled a byte at a time, so past it ``receive`` raises
:class:`~seroval.rpc.core.errors.RequestTimeoutError` and the handler answers 408.
ASGI servers apply backpressure in ``send`` (uvicorn waits while its transport is
paused), so a slow reader pauses the handler's window and then the function.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio
import anyio.abc
import anyio.lowlevel

from ..rpc.core.carrier import CallHandler
from ..rpc.core.errors import RequestTimeoutError
from ..rpc.core.wire import Headers, RequestHead, ResponseHead

__all__ = ["ASGIApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _Sink:
    __slots__ = ("_body", "_http1", "_send")

    def __init__(self, send: Send, body: _Body, http1: bool) -> None:
        self._send = send
        self._body = body
        self._http1 = http1

    async def start(self, head: ResponseHead) -> None:
        headers = head.headers.raw()
        if self._http1 and self._body.timed_out:
            # The body is still trickling in: without this the server would keep
            # reading and discarding it after the 408, for as long as the client
            # keeps sending.  (Not for other early refusals such as a 413: closing
            # with unread data resets the connection, and a fast client might lose
            # the response; the server discards the rest of its body instead.)
            headers = [*headers, (b"connection", b"close")]
        await self._send({"type": "http.response.start", "status": head.status, "headers": headers})

    async def send(self, data: bytes, *, end: bool = False) -> None:
        await self._send({"type": "http.response.body", "body": data, "more_body": not end})


class ASGIApp:
    """An ASGI 3 application running ``handler`` for each HTTP request."""

    def __init__(self, handler: CallHandler, *, body_timeout: float | None = None) -> None:
        self.handler = handler
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await _lifespan(receive, send)
            return
        if kind != "http":
            if kind == "websocket":  # many calls on one socket: transports.websocket
                from .websocket import serve_websocket

                await serve_websocket(self.handler, scope, receive, send)
            return
        path: str = scope["path"]
        root: str = scope.get("root_path", "") or ""
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        client = scope.get("client")
        head = RequestHead(
            method=scope["method"],
            path=path,
            headers=Headers.from_raw(scope["headers"]),
            query=scope.get("query_string", b"").decode("latin-1"),
            scheme=scope.get("scheme", "http"),
            client=(client[0], client[1]) if client else None,
            root_path=root,
        )
        async with anyio.create_task_group() as group:
            body = _Body(receive, group, self.body_timeout)
            sink = _Sink(send, body, scope.get("http_version", "1.1") in ("1.0", "1.1"))
            # OSError: the connection broke while sending (the client is gone).
            with contextlib.suppress(OSError):
                await self.handler.handle(head, body.next, sink)
            group.cancel_scope.cancel()


class _Body:
    """The request body as the handler asks for it; then a watch for the disconnect."""

    __slots__ = ("_deadline", "_done", "_group", "_receive", "_timeout", "timed_out")

    def __init__(self, receive: Receive, group: anyio.abc.TaskGroup, timeout: float | None) -> None:
        self._receive = receive
        self._group = group
        self._done = False
        self.timed_out = False
        self._timeout = timeout
        self._deadline = float("inf") if timeout is None else anyio.current_time() + timeout

    async def next(self) -> bytes | None:
        if self._done:
            return None
        with anyio.move_on_after(self._deadline - anyio.current_time()) as late:
            message = await self._receive()
        if late.cancelled_caught:
            self.timed_out = True
            raise RequestTimeoutError(f"the request body took over {self._timeout} s")
        if message["type"] == "http.disconnect":
            self._group.cancel_scope.cancel()
            await anyio.lowlevel.checkpoint()
            return None
        chunk: bytes = message.get("body", b"")
        if not message.get("more_body", False):
            self._done = True
            self._group.start_soon(self._watch)
        return chunk

    async def _watch(self) -> None:
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self._group.cancel_scope.cancel()
                return


async def _lifespan(receive: Receive, send: Send) -> None:
    """Answer lifespan events: there is nothing to start or stop."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
