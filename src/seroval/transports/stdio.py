"""Calls over a child process's stdin and stdout: length-prefixed messages on pipes.

Server side, :func:`serve_stdio` (``seroval serve --stdio MODULE:NAME``) serves one
connection on the process's stdin and stdout.  The protocol takes over file
descriptor 1; the name ``sys.stdout`` is pointed at stderr, so a stray ``print``
in a function lands in the log instead of corrupting the stream.  Logs go to
stderr.  The process ends when its stdin closes (its client is gone: running
calls are cancelled) and, on SIGTERM, after draining (``CLOSE``, running calls
finish for ``grace`` seconds).

Client side, :class:`StdioTransport` starts ``argv`` with piped stdin and stdout
(stderr is inherited), talks to it as a
:class:`~seroval.transports.multiplex.MultiplexTransport`, and on close shuts its
stdin, waits ``grace`` seconds for it to exit, then terminates (and kills) it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.abc
import anyio.to_thread

from ..rpc.core.session import SessionLimits
from .channel import ByteStreamChannel, MessageChannel
from .multiplex import MultiplexTransport, ServerConnection

__all__ = ["StdioTransport", "serve_stdio"]

logger = logging.getLogger("seroval.transports.stdio")

# A parent's pipes carry calls, not a network: no keep-alive or idle close needed.
STDIO_LIMITS = SessionLimits(idle_timeout=None, ping_interval=None)


class _FdReceive(anyio.abc.ByteReceiveStream):
    """Reads a file descriptor in a worker thread (portable across asyncio and trio)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    async def receive(self, max_bytes: int = 65536) -> bytes:
        data = await anyio.to_thread.run_sync(os.read, self._fd, max_bytes, abandon_on_cancel=True)
        if not data:
            raise anyio.EndOfStream
        return data

    async def aclose(self) -> None:
        pass


class _FdSend(anyio.abc.ByteSendStream):
    def __init__(self, fd: int) -> None:
        self._fd = fd

    async def send(self, item: bytes) -> None:
        await anyio.to_thread.run_sync(_write_all, self._fd, item)

    async def aclose(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)


async def _fd_streams(
    read_fd: int, write_fd: int
) -> tuple[anyio.abc.ByteReceiveStream, anyio.abc.ByteSendStream]:
    """Streams on two pipe fds, native to the running loop (no thread per read or write).

    A fd that is not a pipe or socket (a file, a terminal) falls back to threads.
    """
    import stat

    import sniffio

    native = all(
        stat.S_ISFIFO(os.fstat(fd).st_mode) or stat.S_ISSOCK(os.fstat(fd).st_mode)
        for fd in (read_fd, write_fd)
    )
    if native and sniffio.current_async_library() == "trio":
        import trio

        return _TrioReceive(trio.lowlevel.FdStream(read_fd)), _TrioSend(
            trio.lowlevel.FdStream(write_fd)
        )
    if native and sniffio.current_async_library() == "asyncio":
        import asyncio

        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=1 << 20)
        await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(read_fd, "rb", 0)
        )
        transport, protocol = await loop.connect_write_pipe(
            asyncio.streams.FlowControlMixin, os.fdopen(write_fd, "wb", 0)
        )
        writer = asyncio.StreamWriter(transport, protocol, None, loop)
        return _AsyncioReceive(reader), _AsyncioSend(writer)
    return _FdReceive(read_fd), _FdSend(write_fd)


class _TrioReceive(anyio.abc.ByteReceiveStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def receive(self, max_bytes: int = 65536) -> bytes:
        data = bytes(await self._stream.receive_some(max_bytes))
        if not data:
            raise anyio.EndOfStream
        return data

    async def aclose(self) -> None:
        await self._stream.aclose()


class _TrioSend(anyio.abc.ByteSendStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def send(self, item: bytes) -> None:
        try:
            await self._stream.send_all(item)
        except Exception as error:  # trio.BrokenResourceError, ClosedResourceError
            raise anyio.BrokenResourceError from error

    async def aclose(self) -> None:
        await self._stream.aclose()


class _AsyncioReceive(anyio.abc.ByteReceiveStream):
    def __init__(self, reader: Any) -> None:
        self._reader = reader

    async def receive(self, max_bytes: int = 65536) -> bytes:
        data = bytes(await self._reader.read(max_bytes))
        if not data:
            raise anyio.EndOfStream
        return data

    async def aclose(self) -> None:
        pass


class _AsyncioSend(anyio.abc.ByteSendStream):
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    async def send(self, item: bytes) -> None:
        self._writer.write(item)
        try:
            await self._writer.drain()  # waits while the pipe is full: backpressure
        except (ConnectionError, RuntimeError) as error:
            raise anyio.BrokenResourceError from error

    async def aclose(self) -> None:
        self._writer.close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


async def serve_stdio(
    functions: Any,
    *,
    limits: SessionLimits = STDIO_LIMITS,
    grace: float = 10.0,
) -> None:
    """Serve ``functions`` (or a handler) on this process's stdin and stdout."""
    from ..rpc.streamed import streaming_handler

    sys.stdout.flush()
    out = os.dup(1)
    os.dup2(2, 1)  # fd 1 (and print) now go to stderr; the protocol has its own fd
    sys.stdout = sys.stderr
    receive, send = await _fd_streams(0, out)
    channel = ByteStreamChannel(receive, send)
    connection = ServerConnection(
        streaming_handler(functions), channel, limits=limits, scheme="stdio"
    )
    async with anyio.create_task_group() as group:

        async def on_signal() -> None:
            with anyio.open_signal_receiver(signal.SIGTERM) as signals:
                async for _ in signals:
                    logger.info("SIGTERM: draining")
                    await connection.drain(grace)
                    return

        group.start_soon(on_signal)
        await connection.run()
        group.cancel_scope.cancel()


class StdioTransport(MultiplexTransport):
    """Calls to the child process ``argv`` (``seroval serve --stdio ...``) over its pipes.

    The child's stderr is this process's unless ``stderr`` says otherwise
    (``subprocess.DEVNULL``, a file descriptor).
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        limits: SessionLimits = STDIO_LIMITS,
        env: dict[str, str] | None = None,
        grace: float = 5.0,
        stderr: int | None = None,
    ) -> None:
        if not argv:
            raise ValueError("argv names the program to start")
        self.argv = list(argv)
        self.env = env
        self.grace = grace
        self.process: anyio.abc.Process | None = None

        @asynccontextmanager
        async def connect() -> AsyncIterator[MessageChannel]:
            process = await anyio.open_process(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env
            )
            self.process = process
            assert process.stdin is not None
            assert process.stdout is not None
            channel = ByteStreamChannel(process.stdout, process.stdin)
            try:
                yield channel
            finally:
                with anyio.CancelScope(shield=True):
                    await channel.aclose()  # the child sees EOF on stdin and exits
                    await self._end(process)

        super().__init__(connect, limits=limits)

    async def _end(self, process: anyio.abc.Process) -> None:
        with anyio.move_on_after(self.grace):
            await process.wait()
            return
        logger.warning("the child %s did not exit; terminating it", self.argv[0])
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        with anyio.move_on_after(self.grace):
            await process.wait()
            return
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
