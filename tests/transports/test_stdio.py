"""The stdio transport against a real ``seroval serve --stdio`` child: calls, streams both
ways, faults (the child killed mid-stream, garbage on its stdin), and leak checks."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import AsyncIterator

import anyio
import pytest

from seroval.conformance import rpc_app, rpc_stream_app
from seroval.rpc import Client
from seroval.rpc.core.messages import (
    Kind,
    MessageReader,
    decode_message,
    encode_message,
    frame_message,
)
from seroval.rpc.core.session import ConnectionLostError, Session

from ..tasks import fd_count, task_count

pytestmark = pytest.mark.anyio
ARGV = [
    sys.executable,
    "-m",
    "seroval",
    "serve",
    "--stdio",
    "seroval.conformance.rpc_stream_app:functions",
]


async def numbers(count: int) -> AsyncIterator[int]:
    for number in range(count):
        yield number


async def test_calls_streams_and_cancel_over_one_child(anyio_backend: str) -> None:
    tasks, fds = task_count(anyio_backend), fd_count()
    async with Client.stdio(ARGV, codec="msgpack") as client:
        transport = client._transport
        async with anyio.create_task_group() as group:  # 200 calls at once on the pipes
            results: list[int] = []

            async def add(n: int) -> None:
                results.append(await client.stub(rpc_app.add)(n, 1))

            for n in range(200):
                group.start_soon(add, n)
        assert sorted(results) == list(range(1, 201))
        assert await client.stub(rpc_stream_app.total)(numbers(1000)) == sum(range(1000))
        key = uuid.uuid4().hex
        stream = await client.stub(rpc_app.endless)(key)
        assert [await anext(stream) for _ in range(5)] == list(range(5))
        await stream.aclose()  # CANCEL: the child's generator stops
        with anyio.fail_after(10):
            while not {"cancelled", "closed"} & set(await client.stub(rpc_stream_app.ledger)(key)):
                await anyio.sleep(0.01)
        process = transport.process  # type: ignore[union-attr]
    assert process is not None
    assert process.returncode == 0
    assert task_count(anyio_backend) <= tasks
    assert fd_count() <= fds


async def test_the_child_killed_mid_stream_fails_every_pending_call(anyio_backend: str) -> None:
    tasks, fds = task_count(anyio_backend), fd_count()
    async with Client.stdio(ARGV) as client:
        stream = await client.stub(rpc_app.endless)(uuid.uuid4().hex)
        assert [await anext(stream) for _ in range(3)] == [0, 1, 2]
        failures: list[BaseException] = []

        async def sleep() -> None:
            try:
                await client.stub(rpc_app.slow)(uuid.uuid4().hex, 30)
            except ConnectionLostError as error:
                failures.append(error)

        async with anyio.create_task_group() as group:
            group.start_soon(sleep)
            await anyio.sleep(0.2)
            client._transport.process.kill()  # type: ignore[union-attr]
        assert len(failures) == 1
        with pytest.raises(ConnectionLostError):
            async for _ in stream:
                pass
        with pytest.raises(ConnectionLostError):
            await client.stub(rpc_app.add)(1, 2)
    assert task_count(anyio_backend) <= tasks
    assert fd_count() <= fds


def _child() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ARGV, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _messages(data: bytes) -> list[Kind]:
    reader = MessageReader(max_size=1 << 20)
    return [decode_message(message).kind for message in reader.feed(data)]


def test_the_child_exits_when_its_stdin_closes() -> None:
    child = _child()
    out, err = child.communicate(b"", timeout=20)
    assert child.returncode == 0
    assert _messages(out) == [Kind.HELLO]
    assert b"serving seroval.conformance.rpc_stream_app:functions on stdin/stdout" in err


@pytest.mark.parametrize(
    "garbage",
    [
        encode_message(Kind.HEAD, 1, b"\x00\x00\x00\x02{}"),  # a client does not send HEAD
        b"\x63\x00\x00\x00\x00\x00",  # unknown kind
    ],
)
def test_garbage_on_stdin_is_answered_with_an_error_and_the_child_exits(garbage: bytes) -> None:
    child = _child()
    data = frame_message(Session("client").hello().__bytes__()) + frame_message(garbage)
    out, _ = child.communicate(data, timeout=20)
    assert child.returncode == 0
    assert _messages(out) == [Kind.HELLO, Kind.ERROR]


def test_an_oversized_length_prefix_is_refused_before_reading_it() -> None:
    child = _child()
    data = frame_message(Session("client").hello()) + b"\x7f\xff\xff\xff" + b"x" * 1000
    out, _ = child.communicate(data, timeout=20)
    assert _messages(out) == [Kind.HELLO, Kind.ERROR]
    assert b"over" in out


def test_print_in_a_function_goes_to_stderr_not_the_protocol(tmp_path: object) -> None:
    import pathlib

    folder = pathlib.Path(str(tmp_path))
    (folder / "noisy.py").write_text(
        "from seroval.rpc import ServerFunctions\n"
        "functions = ServerFunctions()\n"
        "@functions.function\n"
        "def shout(text: str) -> str:\n"
        "    print('LOUD', text)\n"
        "    return text.upper()\n"
    )

    async def main() -> str:
        argv = [sys.executable, "-m", "seroval", "serve", "--stdio", "noisy:functions"]
        async with Client.stdio(argv, env=None) as client:
            return str(await client.call("noisy:shout", "hi"))

    import os

    before = os.getcwd()
    os.chdir(folder)
    try:
        assert anyio.run(main) == "HI"
    finally:
        os.chdir(before)


async def test_1000_calls_cancelled_while_running_in_the_child(anyio_backend: str) -> None:
    tasks, fds = task_count(anyio_backend), fd_count()
    prefix = uuid.uuid4().hex
    async with Client.stdio([*ARGV, "--max-calls", "1100"]) as client:
        summary = client.stub(rpc_stream_app.ledger_summary)
        async with anyio.create_task_group() as group:
            for index in range(1000):
                group.start_soon(client.stub(rpc_app.slow), f"{prefix}-{index}", 30)
            with anyio.fail_after(20):  # all of them running in the child
                while (await summary(prefix)).get("started", 0) < 1000:
                    await anyio.sleep(0.05)
            group.cancel_scope.cancel()
        with anyio.fail_after(10):  # every call that ran heard its CANCEL
            while (counts := await summary(prefix)).get("started", 0):
                await anyio.sleep(0.05)
        assert counts == {"cancelled": 1000}
        assert "finished" not in counts
        assert client._transport.open_calls == 0  # type: ignore[union-attr]
    assert task_count(anyio_backend) <= tasks
    assert fd_count() <= fds
