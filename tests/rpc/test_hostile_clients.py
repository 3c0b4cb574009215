"""The RPC server under hostile clients (issue 16 item 6), on a real server on loopback.

Each test speaks raw HTTP/1.1 (:mod:`tests.rpc.hostile`) to uvicorn (the asyncio
run) or hypercorn (the trio run), doing what a well-behaved client never does:
trickling a body, never reading the response, flooding headers, lying in a frame
header, hanging up at each frame of a streamed response, corrupting a frame midway.
Every test ends with the leak check of ``test_faults``: no call still running in
the handler, file descriptors back where they were, no task left in the client's
loop; and the server still answers a good call.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from seroval.codecs import FrameReader, encode_frame, get_codec
from seroval.conformance.rpc_servers import ServerKind, serving
from seroval.rpc import Client, ProtocolError

from .hostile import chunk, connect, request_head
from .hostile_app import BODY_TIMEOUT, MAX_BODY, NOTES, PRODUCED, functions, no_leaks, noted

pytestmark = pytest.mark.anyio

SERVER_FOR: dict[str, ServerKind] = {"asyncio": "uvicorn", "trio": "hypercorn-trio"}


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, str]]:
    """Both servers, up for the whole module."""
    with (
        serving(functions.asgi_app(), "uvicorn") as uvicorn_url,
        serving(functions.asgi_app(), "hypercorn-trio") as hypercorn_url,
    ):
        yield {"uvicorn": uvicorn_url, "hypercorn-trio": hypercorn_url}


@pytest.fixture
def server(servers: dict[str, str], anyio_backend: str) -> str:
    """uvicorn for the asyncio run, hypercorn for the trio run."""
    return servers[SERVER_FOR[anyio_backend]]


def post_head(function_id: str, *, length: int | None = None, chunked: bool = False) -> bytes:
    return request_head(
        headers=[("x-server-id", function_id), ("x-start-type", "0")],
        length=length,
        chunked=chunked,
    )


def args_body(*args: Any, codec: str = "json") -> bytes:
    return encode_frame(get_codec(codec).encode(functions.serializer.to_cross_json(list(args))))


# -- slow bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_trickled_body_is_refused_at_the_body_timeout(
    server: str, anyio_backend: str, chunked: bool
) -> None:
    """One byte every 0.1 s: the body deadline (not an idle timeout) ends the call: 408."""
    body = args_body("x" * 200)
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        await conn.send(post_head("echo", length=None if chunked else len(body), chunked=chunked))
        started = time.monotonic()

        async def trickle() -> None:
            for byte in body:
                piece = bytes([byte])
                await conn.send(chunk(piece) if chunked else piece)
                await anyio.sleep(0.1)

        async with anyio.create_task_group() as group:
            group.start_soon(trickle)
            with anyio.fail_after(BODY_TIMEOUT + 3):
                reply = await conn.read_all()
            group.cancel_scope.cancel()
        elapsed = time.monotonic() - started
        assert reply.status == 408, reply
        assert reply.headers["x-error"]
        assert BODY_TIMEOUT - 0.05 <= elapsed < BODY_TIMEOUT + 2, elapsed
        # The rest of the body will never be read: the server hangs up.
        with anyio.fail_after(10):  # ends once the reply is in; wide for a loaded machine
            assert await conn.closed_by_server()


async def test_a_body_that_stops_halfway_is_refused(server: str, anyio_backend: str) -> None:
    body = args_body("y" * 100)
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        await conn.send(post_head("echo", length=len(body)) + body[:40])
        with anyio.fail_after(BODY_TIMEOUT + 3):
            reply = await conn.read_all()
        assert reply.status == 408


async def test_a_body_inside_the_timeout_is_read(server: str, anyio_backend: str) -> None:
    """A slow but honest client: the body in pieces over half the timeout is answered."""
    body = args_body("z" * 50)
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        await conn.send(post_head("echo", length=len(body)))
        for start in range(0, len(body), len(body) // 4 + 1):
            await conn.send(body[start : start + len(body) // 4 + 1])
            await anyio.sleep(BODY_TIMEOUT / 10)
        with anyio.fail_after(10):  # ends once the reply is in; wide for a loaded machine
            reply = await conn.read_all()
        assert reply.status == 200
        assert reply.complete


async def test_a_client_that_disconnects_mid_body(server: str, anyio_backend: str) -> None:
    body = args_body("w" * 1000)
    async with no_leaks(anyio_backend, server):
        for cut in (0, 1, 12, len(body) // 2, len(body) - 1):
            async with connect(server) as conn:
                await conn.send(post_head("echo", length=len(body)) + body[:cut])
                await anyio.sleep(0.02)


# -- clients that never read ----------------------------------------------------------------


async def test_a_client_that_never_reads_pauses_the_stream(server: str, anyio_backend: str) -> None:
    """The generator runs until the socket buffers and the window fill, then waits;
    the server's memory does not grow while it waits; hanging up ends the call."""
    key = uuid.uuid4().hex
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        await conn.send(post_head("ticks", length=len(body := args_body(key, 10**9, 0))) + body)
        await noted(key, "started")
        samples = [0]
        with anyio.fail_after(30):  # until it stalls: nothing new for a whole second
            while len(samples) < 5 or samples[-1] - samples[-5] > 32:
                await anyio.sleep(0.25)
                samples.append(PRODUCED.get(key, 0))
        gc.collect()
        blocks = sys.getallocatedblocks()
        await anyio.sleep(1)
        gc.collect()
        growth = sys.getallocatedblocks() - blocks
        stalled_at = samples[-1]
        # What it produced fits the socket buffers (a frame is ~30 bytes on the wire),
        # not a growing queue: a few MB of kernel buffers at most.
        assert stalled_at * 30 < 16 * 1024 * 1024, samples
        assert PRODUCED[key] - stalled_at <= 32
        assert growth < 2_000, growth
        print(f"never-read: stalled at {stalled_at} items, {growth} blocks in 1 s")
    await noted(key, "cancelled", "closed")


# -- header floods ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [64 * 1024, 1024 * 1024])
async def test_a_header_flood_is_refused_before_the_app(
    server: str, anyio_backend: str, size: int
) -> None:
    """Headers far past 16 KiB: refused by the server's parser or by the call (431)."""
    flood = b"".join(b"x-flood-%d: %s\r\n" % (index, b"a" * 64) for index in range(size // 80))
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        head = post_head("echo", length=0)
        # The server may hang up while we are still sending.
        with contextlib.suppress(anyio.BrokenResourceError, OSError):
            await conn.send(head[:-2] + flood + b"\r\n")
        with anyio.fail_after(10):  # ends once the reply is in; wide for a loaded machine
            reply = await conn.head()
        # 431: the app refused the block (it came in one read, past h11's check);
        # 400 or a hang-up: the server's own parser refused it while incomplete.
        assert reply.status in (0, 400, 431), reply


async def test_many_small_headers_within_the_limit(server: str, anyio_backend: str) -> None:
    """Hundreds of repeated headers fit the limit: the first function id counts, once."""
    body = args_body(2)
    headers = [("x-server-id", "echo")] + [("x-server-id", "ticks")] * 100
    headers += [(f"x-pad-{index}", "p") for index in range(300)]
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        await conn.send(request_head(headers=headers, length=len(body)) + body)
        with anyio.fail_after(10):  # ends once the reply is in; wide for a loaded machine
            reply = await conn.read_all()
        assert reply.status == 200
        assert FrameReader().feed(reply.body)


async def test_trickled_headers_do_not_stop_other_calls(server: str, anyio_backend: str) -> None:
    """Slowloris: 50 connections each sending a header byte every 0.1 s.  The app never
    sees them (the server holds them: see README, "Hardening"); good calls still pass,
    and their sockets go when they do."""
    head = post_head("echo", length=10)
    async with no_leaks(anyio_backend, server), anyio.create_task_group() as group:

        async def slow() -> None:
            async with connect(server) as conn:
                for byte in head[:-4]:
                    await conn.send(bytes([byte]))
                    await anyio.sleep(0.1)

        for _ in range(50):
            group.start_soon(slow)
        await anyio.sleep(0.3)
        async with Client(server) as client:
            for index in range(20):
                assert await client.call("echo", index) == [index]
        assert functions.handler.active == 0
        group.cancel_scope.cancel()


# -- frame headers that lie -------------------------------------------------------------------


@pytest.mark.parametrize("declared", [MAX_BODY + 1, 0xFFFFFFFF])
async def test_a_frame_announcing_a_huge_length_is_refused_at_once(
    server: str, anyio_backend: str, declared: int
) -> None:
    """The header alone is refused (413) without waiting for, or buffering, the body."""
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        await conn.send(post_head("echo", chunked=True) + chunk(b";0x%08x;[" % declared))
        started = time.monotonic()
        with anyio.fail_after(BODY_TIMEOUT / 2):
            reply = await conn.read_all()
        assert reply.status == 413, reply
        assert time.monotonic() - started < BODY_TIMEOUT / 2


async def test_a_frame_at_the_limit_waits_for_its_body(server: str, anyio_backend: str) -> None:
    """A header exactly at the limit is legal: the server waits, then the body timeout."""
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        await conn.send(post_head("echo", chunked=True) + chunk(b";0x%08x;[" % MAX_BODY))
        with anyio.fail_after(BODY_TIMEOUT + 3):
            reply = await conn.read_all()
        assert reply.status == 408, reply


async def test_a_content_length_over_the_limit_is_refused_from_the_head(
    server: str, anyio_backend: str
) -> None:
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        await conn.send(post_head("echo", length=10**12))
        with anyio.fail_after(BODY_TIMEOUT / 2):
            reply = await conn.read_all()
        assert reply.status == 413


# -- codec errors midway ----------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["json", "msgpack", "cbor"])
async def test_a_frame_corrupted_midway_is_400(server: str, anyio_backend: str, codec: str) -> None:
    """A good first record, then a frame whose payload is not the codec's: 400."""
    good = args_body(1, codec=codec)
    bad = encode_frame(b"\xc1\xff\x00{" if codec != "json" else b"{nope")
    types = {"json": "text/plain", "msgpack": "application/vnd.msgpack", "cbor": "application/cbor"}
    headers = [("x-server-id", "echo"), ("x-start-type", "0"), ("content-type", types[codec])]
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        body = good + bad + good
        await conn.send(request_head(headers=headers, length=len(body)) + body)
        with anyio.fail_after(10):  # ends once the reply is in; wide for a loaded machine
            reply = await conn.read_all()
        assert reply.status == 400, reply
        assert reply.headers["x-error"]


async def test_a_result_that_cannot_be_encoded_midway(server: str, anyio_backend: str) -> None:
    """Frames already sent stay sent; the response ends; the client gets a typed error."""
    async with no_leaks(anyio_backend, server), connect(server) as conn:
        body = args_body(3)
        await conn.send(post_head("unsendable", length=len(body)) + body)
        with anyio.fail_after(10):  # ends once the reply is in; wide for a loaded machine
            reply = await conn.read_all()
        assert reply.status == 200
        assert reply.complete
        frames = FrameReader().feed(reply.body)
        assert len(frames) >= 4  # the root, then the three items
    async with Client(server) as client:
        stream = await client.call("unsendable", 3)
        seen: list[int] = []

        async def read() -> None:
            async for item in stream:
                seen.append(item)

        with pytest.raises(ProtocolError):
            await read()
        assert seen == [0, 1, 2]


# -- disconnects at every frame ---------------------------------------------------------------


async def _frames_of(server: str, function_id: str, *args: Any) -> int:
    """How many frames the whole response has."""
    async with connect(server) as conn:
        body = args_body(*args)
        await conn.send(post_head(function_id, length=len(body)) + body)
        with anyio.fail_after(5):
            reply = await conn.read_all()
    assert reply.complete
    return len(FrameReader().feed(reply.body))


@pytest.mark.parametrize("function_id", ["ticks", "promises"])
async def test_a_disconnect_at_every_frame_of_a_streamed_response(
    server: str, anyio_backend: str, function_id: str
) -> None:
    total = await _frames_of(server, function_id, uuid.uuid4().hex, 5, 0.0)
    assert total >= 6
    for frames in range(total + 1):
        key = uuid.uuid4().hex
        async with no_leaks(anyio_backend, server):
            async with connect(server) as conn:
                body = args_body(key, 5, 0.05)
                await conn.send(post_head(function_id, length=len(body)) + body)
                reader, fed, count = FrameReader(), 0, 0
                with anyio.fail_after(5):
                    while count < frames and not conn.reply.complete and not conn.reply.closed:
                        await conn.body_until(len(conn.reply.body) + 1)
                        count += len(reader.feed(conn.reply.body[fed:]))
                        fed = len(conn.reply.body)
                complete = conn.reply.complete
            # Hung up after `frames` frames: the function stopped (or had finished).
            if function_id == "ticks":
                await noted(key, "cancelled", "closed", "finished")
                if not complete and frames < total - 1:
                    assert "finished" not in NOTES[key], (frames, NOTES[key])
            else:
                settled = [e for e in NOTES.get(key, []) if e.startswith("settled")]
                if not complete and frames < total - 1:
                    await noted(key, "cancelled")
                    assert len(settled) < 5, (frames, NOTES[key])
