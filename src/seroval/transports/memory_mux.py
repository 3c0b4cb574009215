"""The multiplexed protocol in one process: a server connection over a memory pair.

:class:`MemoryMultiplexTransport` carries the same messages a WebSocket does,
through bounded memory streams, to a :func:`~.multiplex.serve_connection` running
in the transport's own task group: the tests and the conformance suite check
the message protocol (windows, cancel, streamed arguments) without a socket.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio

from ..rpc.core.session import DEFAULT_SESSION_LIMITS, SessionLimits
from .channel import MessageChannel, memory_channel_pair
from .multiplex import MultiplexTransport, serve_connection

__all__ = ["MemoryMultiplexTransport"]


class MemoryMultiplexTransport(MultiplexTransport):
    """Calls to ``functions`` (or a handler) in process, over the message protocol.

    ``server_limits`` are the server side's (default: ``limits``).
    """

    def __init__(
        self,
        functions: Any,
        *,
        limits: SessionLimits = DEFAULT_SESSION_LIMITS,
        server_limits: SessionLimits | None = None,
        buffer: int = 64,
    ) -> None:
        self.functions = functions
        self.server_limits = server_limits or limits

        @asynccontextmanager
        async def connect() -> AsyncIterator[MessageChannel]:
            client, server = memory_channel_pair(buffer)
            async with anyio.create_task_group() as group:
                group.start_soon(self._serve, server)
                try:
                    yield client
                finally:
                    await client.aclose()  # the server sees the end and cancels its calls

        super().__init__(connect, limits=limits)

    async def _serve(self, channel: MessageChannel) -> None:
        await serve_connection(self.functions, channel, limits=self.server_limits, scheme="memory")
