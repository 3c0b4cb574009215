"""What a carrier (a transport) provides to the RPC layer, as typing protocols only.

The RPC layer never imports a transport; each transport implements these:

* server side, the carrier calls ``handler.handle(head, receive, sink)`` once per
  call: ``receive()`` gives the request body's next bytes (``None`` at its end),
  ``sink`` takes the response head and frames.  The carrier cancels the call when
  its peer goes away (HTTP disconnect, a closed memory stream, a closed socket);
* client side, ``transport.open(head, body)`` sends one request and returns the
  :class:`CallResponse` whose head has arrived; its ``receive()`` gives the body's
  next bytes and ``aclose()`` hangs up (which cancels the server's work).

A multiplexing carrier (WebSocket, stdio) maps each call onto one stream id and
implements the same two protocols.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from .wire import RequestHead, ResponseHead

__all__ = ["BodySource", "CallHandler", "CallResponse", "ClientTransport", "ResponseSink"]

BodySource = Callable[[], Awaitable[bytes | None]]
"""The request body's next bytes, ``None`` once it ended."""


class ResponseSink(Protocol):
    """Where the server writes one response: the head, then one message per frame."""

    async def start(self, head: ResponseHead) -> None: ...

    async def send(self, data: bytes, *, end: bool = False) -> None:
        """One body message (a frame); ``end`` marks the last one."""
        ...


class CallHandler(Protocol):
    """What a server carrier runs for each call (``ServerFunctions.handler``)."""

    async def handle(self, head: RequestHead, receive: BodySource, sink: ResponseSink) -> None: ...


class CallResponse(Protocol):
    """One response on the client side, its head already received."""

    @property
    def head(self) -> ResponseHead: ...

    async def receive(self) -> bytes | None:
        """The next body bytes, ``None`` at the end."""
        ...

    async def aclose(self) -> None:
        """Stop reading and hang up (idempotent)."""
        ...


class ClientTransport(Protocol):
    """Sends calls: ``open`` one request and get its response."""

    async def open(self, head: RequestHead, body: bytes) -> CallResponse: ...

    async def aclose(self) -> None: ...
