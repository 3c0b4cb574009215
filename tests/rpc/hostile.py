"""A hostile HTTP/1.1 client for the server tests: raw bytes out, h11 to read what comes back.

httpx is a well-behaved client: it sends whole requests, reads every response and
closes cleanly.  The hostile tests need the opposite (bodies trickled byte by
byte, responses never read, floods of headers, lies in frame headers, hanging up
at a chosen frame), so they write the request bytes themselves on an anyio socket
(either backend) and parse the response with h11 only as far as they want.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import anyio
import anyio.abc
import h11

__all__ = ["Conn", "Reply", "connect", "request_head"]


def request_head(
    path: str = "/_server",
    headers: Iterable[tuple[str, str]] = (),
    *,
    method: str = "POST",
    length: int | None = None,
    chunked: bool = False,
) -> bytes:
    """A request line and headers, as bytes (the body is the caller's to send)."""
    lines = [f"{method} {path} HTTP/1.1", "host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers]
    if length is not None:
        lines.append(f"content-length: {length}")
    if chunked:
        lines.append("transfer-encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunk(data: bytes) -> bytes:
    """One chunk of a chunked request body (``b""``: the last one)."""
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


@dataclass
class Reply:
    """What came back: the status and headers, the body bytes read so far, the end."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    complete: bool = False
    closed: bool = False


class Conn:
    """One connection: send raw bytes, read the response event by event."""

    def __init__(self, stream: anyio.abc.SocketStream) -> None:
        self.stream = stream
        self.parser = h11.Connection(h11.CLIENT)
        # h11 must believe it sent a request before it reads a response.
        self.parser.send(h11.Request(method="POST", target="/", headers=[("host", "x")]))
        self.parser.send(h11.EndOfMessage())
        self.reply = Reply()

    async def send(self, data: bytes) -> None:
        await self.stream.send(data)

    async def _event(self) -> h11.Event | type[h11.NEED_DATA] | type[h11.PAUSED]:
        while True:
            event = self.parser.next_event()
            if event is not h11.NEED_DATA:
                return event
            try:
                data = await self.stream.receive(65536)
            except (anyio.EndOfStream, anyio.BrokenResourceError, OSError):
                data = b""
            if not data:
                self.reply.closed = True
            self.parser.receive_data(data)
            if not data and self.parser.their_state is not h11.DONE:
                try:
                    return self.parser.next_event()
                except h11.RemoteProtocolError:
                    return h11.NEED_DATA

    async def head(self) -> Reply:
        """Read up to the response head."""
        while not self.reply.status:
            event = await self._event()
            if isinstance(event, h11.Response):
                self.reply.status = event.status_code
                self.reply.headers = {
                    name.decode("latin-1"): value.decode("latin-1") for name, value in event.headers
                }
            elif event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
                return self.reply  # closed before any response
        return self.reply

    async def body_until(self, size: int) -> Reply:
        """Read body bytes until at least ``size`` have come (or the response ends)."""
        await self.head()
        while not self.reply.complete and len(self.reply.body) < size:
            event = await self._event()
            if isinstance(event, h11.Data):
                self.reply.body += bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                self.reply.complete = True
            elif event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
                break
        return self.reply

    async def read_all(self) -> Reply:
        """The whole response."""
        return await self.body_until(1 << 62)

    async def closed_by_server(self) -> bool:
        """Wait until the server closes the connection; ``True`` once it has."""
        while True:
            try:
                data = await self.stream.receive(65536)
            except (anyio.EndOfStream, anyio.BrokenResourceError, OSError):
                return True
            if not data:
                return True


@asynccontextmanager
async def connect(url: str) -> AsyncIterator[Conn]:
    """A raw connection to the server at ``url``, closed (abruptly if need be) on leaving."""
    parts = urlsplit(url)
    stream = await anyio.connect_tcp(parts.hostname or "127.0.0.1", parts.port or 80)
    try:
        yield Conn(stream)
    finally:
        with anyio.CancelScope(shield=True):
            await stream.aclose()
