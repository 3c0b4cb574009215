"""Calls over one WebSocket: the ASGI side of the functions' app, and the httpx-ws client.

Server side, the functions' ASGI app hands each ``websocket`` scope at its path
(``/_server``) to :func:`serve_websocket`.  The handshake is checked as an HTTP
call is: the path, and the site rules (``Sec-Fetch-Site``/``Origin`` against
``allowed_origins``), so a page on another site cannot open a socket; a refused
handshake is closed before it is accepted (the ASGI server answers 403).  Once
accepted, each binary WebSocket message is one protocol message
(:mod:`seroval.rpc.core.messages`): many calls, each cancellable, with the same
functions, limits and error mapping as HTTP.  The handshake's ``Origin``,
``Cookie`` and ``Authorization`` apply to every call on the socket.

Client side, :class:`WebSocketTransport` opens the socket with httpx-ws over the
caller's own ``httpx.AsyncClient`` (its auth, cookies, TLS and proxies apply to
the handshake), with WebSocket keep-alive pings, and multiplexes calls on it
(:class:`~seroval.transports.multiplex.MultiplexTransport`).

:func:`drain` tells every open socket of a handler that the server is going
away (``CLOSE``), lets running calls finish, then closes them: call it from a
server's shutdown hook before it closes connections itself.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import anyio

from ..rpc.core.errors import CrossSiteError
from ..rpc.core.session import DEFAULT_SESSION_LIMITS, ConnectionLostError, SessionLimits
from ..rpc.core.wire import DEFAULT_PATH, Headers, RequestHead, check_site
from .channel import MessageChannel
from .multiplex import MultiplexTransport, ServerConnection

__all__ = ["SUBPROTOCOL", "WebSocketTransport", "drain", "serve_websocket"]

SUBPROTOCOL = "seroval.v1"
"""Offered by the client; the server accepts it (and also a client that offers none)."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_HANDSHAKE_HEADERS = ("origin", "cookie", "authorization", "host", "sec-fetch-site")
_OPEN: weakref.WeakKeyDictionary[Any, weakref.WeakSet[ServerConnection]] = (
    weakref.WeakKeyDictionary()
)


class _ASGIChannel:
    """An accepted ASGI WebSocket as a message channel (binary messages only)."""

    framed = False

    def __init__(self, receive: Receive, send: Send) -> None:
        self._receive = receive
        self._send = send
        self._closed = False

    async def send(self, data: bytes) -> None:
        if self._closed:
            raise anyio.ClosedResourceError
        await self._send({"type": "websocket.send", "bytes": data})

    async def receive(self) -> bytes:
        while True:
            message = await self._receive()
            kind = message["type"]
            if kind == "websocket.disconnect":
                self._closed = True
                raise anyio.EndOfStream
            if kind == "websocket.receive":
                data = message.get("bytes")
                if data is None:  # a text message is not a protocol message
                    return b""  # an empty message: the session refuses it as malformed
                return bytes(data)

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(OSError, RuntimeError):
                await self._send({"type": "websocket.close", "code": 1000})


def _handshake_head(scope: Scope, path: str) -> RequestHead:
    client = scope.get("client")
    scheme = "https" if scope.get("scheme") == "wss" else "http"
    return RequestHead(
        "GET",
        path,
        Headers.from_raw(scope.get("headers", [])),
        scope.get("query_string", b"").decode("latin-1"),
        scheme=scheme,
        client=(client[0], client[1]) if client else None,
        root_path=scope.get("root_path", "") or "",
    )


async def serve_websocket(
    handler: Any,
    scope: Scope,
    receive: Receive,
    send: Send,
    *,
    limits: SessionLimits | None = None,
) -> None:
    """Serve one ASGI ``websocket`` scope for ``handler`` (the functions' handler)."""
    from ..rpc.streamed import streaming_handler

    functions = getattr(handler, "functions", None)
    expected = getattr(functions, "path", DEFAULT_PATH)
    path: str = scope["path"]
    root: str = scope.get("root_path", "") or ""
    if root and path.startswith(root):
        path = path[len(root) :] or "/"
    if (await receive())["type"] != "websocket.connect":
        return
    head = _handshake_head(scope, path)
    site = getattr(functions, "site", None)
    try:
        if path != expected:
            raise CrossSiteError(f"no functions at {path}")
        if site is None or site.check:
            check_site(
                head,
                allowed_origins=getattr(site, "allowed_origins", ()),
                allow_same_site=getattr(site, "allow_same_site", False),
            )
    except CrossSiteError:
        await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
        return
    offered = scope.get("subprotocols") or []
    accept: dict[str, Any] = {"type": "websocket.accept"}
    if SUBPROTOCOL in offered:
        accept["subprotocol"] = SUBPROTOCOL
    await send(accept)
    keep = [(name, value) for name, value in head.headers if name in _HANDSHAKE_HEADERS]
    connection = ServerConnection(
        streaming_handler(handler),
        _ASGIChannel(receive, send),
        limits=limits or getattr(functions, "session_limits", None) or DEFAULT_SESSION_LIMITS,
        scheme=head.scheme,
        client=head.client,
        headers=keep,
        root_path=root,
    )
    _OPEN.setdefault(handler, weakref.WeakSet()).add(connection)
    with contextlib.suppress(OSError):  # the socket broke while sending: calls were cancelled
        await connection.run()


async def drain(handler: Any, grace: float | None = 10.0) -> None:
    """Drain every open WebSocket of ``handler`` (a ``ServerFunctions`` or its handler)."""
    handler = getattr(handler, "handler", handler)
    connections = list(_OPEN.get(handler, ()))
    async with anyio.create_task_group() as group:
        for connection in connections:
            group.start_soon(connection.drain, grace)


def websocket_url(url: str, path: str = DEFAULT_PATH) -> str:
    """``ws://host/prefix/_server`` for a base URL (``http``/``https``/``ws``/``wss``)."""
    parts = urlsplit(url)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    if scheme not in ("ws", "wss"):
        raise ValueError(f"a WebSocket URL is ws://, wss://, http:// or https://, not {url!r}")
    base = parts.path.rstrip("/")
    if not base.endswith(path):
        base += path
    return urlunsplit((scheme, parts.netloc, base, parts.query, ""))


class _HttpxChannel:
    """An httpx-ws session as a message channel."""

    framed = False

    def __init__(self, session: Any) -> None:
        self._session = session

    async def send(self, data: bytes) -> None:
        from httpx_ws import HTTPXWSException
        from wsproto.utilities import LocalProtocolError

        try:
            await self._session.send_bytes(data)
        except (HTTPXWSException, LocalProtocolError) as error:  # closing or closed
            raise anyio.BrokenResourceError from error

    async def receive(self) -> bytes:
        from httpx_ws import HTTPXWSException, WebSocketInvalidTypeReceived

        try:
            return bytes(await self._session.receive_bytes())
        except WebSocketInvalidTypeReceived:
            return b""  # a text message: refused by the session as malformed
        except HTTPXWSException as error:
            raise anyio.EndOfStream from error

    async def aclose(self) -> None:
        with contextlib.suppress(Exception):
            await self._session.close()


class WebSocketTransport(MultiplexTransport):
    """Calls over one WebSocket to the functions' app at ``url`` (see the module docs).

    ``http_client``: your ``httpx.AsyncClient`` (one without a timeout is made
    otherwise, and closed with the transport).  ``headers`` go with the handshake.
    """

    def __init__(
        self,
        url: str,
        *,
        http_client: Any = None,
        headers: Iterable[tuple[str, str]] = (),
        path: str = DEFAULT_PATH,
        limits: SessionLimits = DEFAULT_SESSION_LIMITS,
        ping_interval: float | None = 20.0,
    ) -> None:
        self.url = websocket_url(url, path)
        self.http_client = http_client
        self.headers = list(headers)

        @asynccontextmanager
        async def connect() -> AsyncIterator[MessageChannel]:
            import httpx
            from httpx_ws import HTTPXWSException, WebSocketUpgradeError, aconnect_ws

            async with contextlib.AsyncExitStack() as stack:
                client = self.http_client
                if client is None:
                    client = await stack.enter_async_context(httpx.AsyncClient(timeout=None))
                try:
                    session: Any = await stack.enter_async_context(
                        aconnect_ws(
                            self.url,
                            client,
                            headers=httpx.Headers(self.headers),
                            subprotocols=[SUBPROTOCOL],
                            max_message_size_bytes=limits.max_message_size + 64,
                            keepalive_ping_interval_seconds=ping_interval,
                            keepalive_ping_timeout_seconds=ping_interval,
                        )
                    )
                except WebSocketUpgradeError as error:
                    status = getattr(getattr(error, "response", None), "status_code", 0)
                    if status == 403:
                        raise CrossSiteError(f"the server refused the socket: {error}") from None
                    raise ConnectionLostError(f"cannot open {self.url}: {error}") from error
                except (HTTPXWSException, httpx.HTTPError) as error:
                    raise ConnectionLostError(f"cannot open {self.url}: {error}") from error
                channel = _HttpxChannel(session)
                yield channel

        super().__init__(connect, limits=limits)
