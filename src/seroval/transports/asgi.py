"""The ASGI app: server functions over HTTP, under uvicorn, hypercorn or any ASGI server.

``functions.asgi_app()`` answers at its ``path`` (``/_server``) below wherever it is
mounted (``root_path`` is stripped), so ``Mount("/api", app)`` in Starlette or
FastAPI serves ``/api/_server``.  It needs no lifespan events (it answers them
when it is the top-level app, and nothing is set up in them).

Per call it reads the body as it arrives (the handler refuses an oversized body
as soon as it is over the limit), sends the head and then one ``http.response.body``
message per frame, as soon as each is ready, and watches for ``http.disconnect``:
when the client goes away the call is cancelled, which cancels the function.
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
from ..rpc.core.wire import Headers, RequestHead, ResponseHead

__all__ = ["ASGIApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _Sink:
    __slots__ = ("_send",)

    def __init__(self, send: Send) -> None:
        self._send = send

    async def start(self, head: ResponseHead) -> None:
        await self._send(
            {"type": "http.response.start", "status": head.status, "headers": head.headers.raw()}
        )

    async def send(self, data: bytes, *, end: bool = False) -> None:
        await self._send({"type": "http.response.body", "body": data, "more_body": not end})


class ASGIApp:
    """An ASGI 3 application running ``handler`` for each HTTP request."""

    def __init__(self, handler: CallHandler) -> None:
        self.handler = handler

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
            body = _Body(receive, group)
            # OSError: the connection broke while sending (the client is gone).
            with contextlib.suppress(OSError):
                await self.handler.handle(head, body.next, _Sink(send))
            group.cancel_scope.cancel()


class _Body:
    """The request body as the handler asks for it; then a watch for the disconnect."""

    __slots__ = ("_done", "_group", "_receive")

    def __init__(self, receive: Receive, group: anyio.abc.TaskGroup) -> None:
        self._receive = receive
        self._group = group
        self._done = False

    async def next(self) -> bytes | None:
        if self._done:
            return None
        message = await self._receive()
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
