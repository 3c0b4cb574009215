"""A ``seroval serve`` process shutting down drains its WebSockets: the client is told
(``CLOSE``), a running call finishes, a new one is refused, then the socket closes."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import anyio
import pytest

from seroval.conformance import rpc_app
from seroval.rpc import Client
from seroval.rpc.core.session import ConnectionClosingError, ConnectionLostError

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _failure(client: Client) -> BaseException | None:
    """What a new call raises now (``None``: it worked)."""
    try:
        await client.stub(rpc_app.add)(1, 2)
    except ConnectionLostError as error:
        return error
    return None


async def test_shutdown_drains_running_calls_and_tells_the_client(anyio_backend: str) -> None:
    port = _port()
    command = [sys.executable, "-m", "seroval", "serve", "seroval.conformance.rpc_app:functions"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--grace", "5"], cwd=ROOT, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        async with Client.websocket(f"http://127.0.0.1:{port}") as client:
            outcome: list[object] = []

            async def slow() -> None:
                outcome.append(await client.stub(rpc_app.slow)(uuid.uuid4().hex, 1.0))

            async with anyio.create_task_group() as group:
                group.start_soon(slow)
                await anyio.sleep(0.3)  # it is running on the server
                server.send_signal(signal.SIGINT)
                await anyio.sleep(0.3)  # CLOSE has arrived
                with pytest.raises(ConnectionClosingError):
                    await client.stub(rpc_app.add)(1, 2)
            assert outcome == ["slept"]  # the running call finished
            with anyio.fail_after(5):  # then the server closed the socket
                while isinstance(await _failure(client), ConnectionClosingError):
                    await anyio.sleep(0.05)
            assert isinstance(await _failure(client), ConnectionLostError)
        assert server.wait(10) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
