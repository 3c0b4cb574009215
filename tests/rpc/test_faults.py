"""Faults, each with its outcome and a leak check: no task left running on either side
(the client's loop, the server's handler), file descriptors back where they were.

The server is a real uvicorn on loopback in a thread of this process (so the
function's own notes and the handler's count of running calls are visible here),
except for the memory test, whose server is a separate ``seroval serve`` process
whose resident memory is read from ``/proc``.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import httpx
import pytest

from seroval.codecs import encode_frame
from seroval.conformance import rpc_app
from seroval.conformance.rpc_servers import serving
from seroval.rpc import (
    BadRequestError,
    Client,
    CrossSiteError,
    DeadlineExceededError,
    PayloadTooLargeError,
    RemoteError,
    ServerFunctions,
    UnknownFunctionError,
)
from seroval.transports import MemoryTransport

from ..tasks import fd_count, task_count

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(rpc_app.functions.asgi_app(), "uvicorn") as url:
        yield url


@asynccontextmanager
async def no_leaks(backend: str) -> AsyncIterator[None]:
    """Check, on leaving, that tasks, running calls and fds are back where they were."""
    tasks, fds = task_count(backend), fd_count()
    yield
    # Generous: the wait ends as soon as all is back, and a loaded machine is slow.
    with anyio.fail_after(10):
        while rpc_app.functions.handler.active or fd_count() > fds:
            await anyio.sleep(0.01)
    assert task_count(backend) <= tasks
    assert rpc_app.functions.handler.active == 0
    assert fd_count() <= fds


async def _noted(key: str, *events: str) -> None:
    """Wait (at most five seconds) for the function to note one of ``events``."""
    with anyio.fail_after(5):
        while not set(events) & set(rpc_app.LEDGER.get(key, [])):
            await anyio.sleep(0.005)


async def test_a_client_that_disconnects_mid_stream(server: str, anyio_backend: str) -> None:
    key = uuid.uuid4().hex
    async with no_leaks(anyio_backend), Client(server) as client:
        stream = await client.stub(rpc_app.endless)(key)
        assert [await anext(stream) for _ in range(10)] == list(range(10))
        await stream.aclose()
        # Cancelled while it awaited, or closed at its yield: either way it stopped.
        await _noted(key, "cancelled", "closed")


async def test_a_caller_cancelled_while_waiting(server: str, anyio_backend: str) -> None:
    key = uuid.uuid4().hex
    async with no_leaks(anyio_backend), Client(server) as client:
        with anyio.move_on_after(0.2):
            await client.stub(rpc_app.slow)(key, 30)
        await _noted(key, "cancelled")


async def test_a_function_that_raises_mid_stream(server: str, anyio_backend: str) -> None:
    items: list[int] = []
    async with no_leaks(anyio_backend), Client(server) as client:
        stream = await client.stub(rpc_app.count_then_fail)(5)

        async def read() -> None:
            async for item in stream:
                items.append(item)

        with pytest.raises(RemoteError) as caught:
            await read()
    assert items == [0, 1, 2, 3, 4]
    assert (caught.value.name, caught.value.message, caught.value.properties) == (
        "Insufficient",
        "ran out",
        {"code": 7},
    )


async def test_an_oversized_body(server: str, anyio_backend: str) -> None:
    async with no_leaks(anyio_backend), Client(server) as client:
        with pytest.raises(PayloadTooLargeError):
            await client.stub(rpc_app.echo)("x" * (300 * 1024))


async def test_malformed_frames(server: str, anyio_backend: str) -> None:
    bodies = [b";0x0000zz;{}", b";0x00000010;{}", encode_frame(b"{not json}"), encode_frame(b"[]")]
    async with no_leaks(anyio_backend), httpx.AsyncClient() as http:
        for body in bodies:
            response = await http.post(
                f"{server}/_server",
                headers={"x-server-id": "1a2b3c4d-0", "x-start-type": "0"},
                content=body,
            )
            assert response.status_code == 400, body
            assert response.headers["x-error"]


async def test_a_cross_site_post(server: str, anyio_backend: str) -> None:
    async with no_leaks(anyio_backend):
        for headers in [[("sec-fetch-site", "cross-site")], [("origin", "https://evil.example")]]:
            async with Client(server, headers=headers) as client:
                with pytest.raises(CrossSiteError):
                    await client.stub(rpc_app.add)(1, 2)


async def test_an_unknown_function(server: str, anyio_backend: str) -> None:
    async with no_leaks(anyio_backend), Client(server) as client:
        with pytest.raises(UnknownFunctionError):
            await client.call("builtins:eval", "1+1")


async def test_an_expired_deadline(server: str, anyio_backend: str) -> None:
    key = uuid.uuid4().hex
    async with no_leaks(anyio_backend), Client(server) as client:
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError):
            await client.invoke(rpc_app.slow.__seroval_id__, [key, 30], timeout=0.3)  # type: ignore[attr-defined]
        assert 0.3 <= time.monotonic() - started < 1
        await _noted(key, "cancelled")

        async def drain() -> None:  # a stream's deadline ends it too
            endless = rpc_app.endless.__seroval_id__  # type: ignore[attr-defined]
            async for _ in await client.invoke(endless, [key], timeout=0.3):
                pass

        with pytest.raises(DeadlineExceededError):
            await drain()


async def test_arguments_that_leave_a_promise_open_are_refused(anyio_backend: str) -> None:
    args = b'{"t":9,"i":0,"a":[{"t":22,"i":1,"s":2,"f":{"t":26,"i":3,"s":1}}],"o":0}'
    functions = ServerFunctions()

    @functions.function(id="f")
    async def f(value: object) -> object:
        return value

    with serving(functions.asgi_app()) as url:
        async with httpx.AsyncClient() as http:
            response = await http.post(
                f"{url}/_server", headers={"x-server-id": "f"}, content=encode_frame(args)
            )
    assert response.status_code == 400
    assert "unsettled" in response.headers["x-error"]
    assert BadRequestError.status == 400


async def test_a_slow_reader_pauses_the_generator(anyio_backend: str) -> None:
    """In process: the generator never runs more than the windows ahead of the reader."""
    functions = ServerFunctions()
    produced = [0]

    @functions.function(id="numbers")
    async def numbers(n: int) -> AsyncIterator[int]:
        for index in range(n):
            produced[0] = index + 1
            yield index

    async with (
        MemoryTransport(functions, window=8) as transport,
        Client(transport=transport, window=32) as client,
    ):
        stream = await client.call("numbers", 100_000)
        ahead = 0
        read = 0
        async for item in stream:
            assert item == read
            read += 1
            ahead = max(ahead, produced[0] - read)
            if read % 10_000 == 0:
                await anyio.sleep(0.01)
    assert read == 100_000
    # the client's window, the transport's, the handler's, and one frame at each end
    assert ahead <= 32 + 8 + functions.limits.window + 2, ahead


def _rss(pid: int) -> int:
    """Resident memory of ``pid`` in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_slow_reader_of_100000_items_keeps_server_memory_flat(anyio_backend: str) -> None:
    if anyio_backend != "asyncio":
        pytest.skip("one backend is enough for a process-level measurement")
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "seroval",
            "serve",
            "seroval.conformance.rpc_app:functions",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        with anyio.fail_after(20):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    await anyio.sleep(0.05)
        samples: list[int] = []
        async with Client(url) as client:
            stream = await client.stub(rpc_app.count)(100_000)
            read = 0
            async for item in stream:
                assert item == read
                read += 1
                if read % 5_000 == 0:
                    samples.append(_rss(process.pid))
                    await anyio.sleep(0.05)  # a slow reader
        assert read == 100_000
        growth = max(samples) - samples[0]
        # 100,000 buffered records would take tens of MB; a paused generator none.
        assert growth < 8 * 1024 * 1024, (samples[0], max(samples))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(10)
