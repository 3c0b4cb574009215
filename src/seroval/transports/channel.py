"""What a multiplexed connection runs on: a channel of messages or of bytes.

A :class:`MessageChannel` is the one thing the WebSocket, stdio and in-memory
carriers differ in.  ``framed`` says what ``receive`` returns: whole messages
(a WebSocket, :func:`memory_channel_pair`), or chunks of a byte stream that the
session splits by their length prefixes (a pipe).  ``receive`` raises
``anyio.EndOfStream`` (or another anyio/OS error) once the peer is gone.
"""

from __future__ import annotations

import contextlib
from typing import Protocol

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

__all__ = ["LOST", "ByteStreamChannel", "MemoryChannel", "MessageChannel", "memory_channel_pair"]

LOST = (
    anyio.EndOfStream,
    anyio.ClosedResourceError,
    anyio.BrokenResourceError,
    OSError,
)
"""What ``send`` or ``receive`` raise when the other side is gone."""


class MessageChannel(Protocol):
    """Sends and receives one connection's bytes (see the module docs)."""

    @property
    def framed(self) -> bool: ...

    async def send(self, data: bytes) -> None: ...

    async def receive(self) -> bytes: ...

    async def aclose(self) -> None: ...


class ByteStreamChannel:
    """A byte stream (a pipe pair, a socket): messages carry their length prefix."""

    framed = True

    def __init__(
        self,
        receive: anyio.abc.ByteReceiveStream,
        send: anyio.abc.ByteSendStream,
        *,
        chunk_size: int = 65536,
    ) -> None:
        self._receive = receive
        self._send = send
        self._chunk = chunk_size

    async def send(self, data: bytes) -> None:
        await self._send.send(data)

    async def receive(self) -> bytes:
        return await self._receive.receive(self._chunk)

    async def aclose(self) -> None:
        for stream in (self._send, self._receive):
            with contextlib.suppress(*LOST):
                await stream.aclose()


class MemoryChannel:
    """One end of an in-process pair: whole messages through bounded memory streams."""

    framed = False

    def __init__(
        self, send: MemoryObjectSendStream[bytes], receive: MemoryObjectReceiveStream[bytes]
    ) -> None:
        self._send = send
        self._receive = receive

    async def send(self, data: bytes) -> None:
        await self._send.send(data)

    async def receive(self) -> bytes:
        return await self._receive.receive()

    async def aclose(self) -> None:
        self._send.close()
        self._receive.close()

    async def __aenter__(self) -> MemoryChannel:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def memory_channel_pair(buffer: int = 64) -> tuple[MemoryChannel, MemoryChannel]:
    """Two connected ends (client, server); each direction holds ``buffer`` messages."""
    a_send, b_receive = anyio.create_memory_object_stream[bytes](buffer)
    b_send, a_receive = anyio.create_memory_object_stream[bytes](buffer)
    return MemoryChannel(a_send, a_receive), MemoryChannel(b_send, b_receive)
