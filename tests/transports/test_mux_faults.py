"""Faults on the multiplexed transports (in memory and a WebSocket to a real uvicorn),
each with its outcome and a leak check: tasks, running calls and fds back where they were."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx
import pytest

from seroval.conformance import rpc_app, rpc_stream_app
from seroval.conformance.rpc_servers import serving
from seroval.rpc import Client, CrossSiteError, PayloadTooLargeError
from seroval.rpc.core.messages import Kind, decode_message, encode_message
from seroval.rpc.core.session import ConnectionLostError, Session, SessionLimits

from ..tasks import fd_count, task_count

pytestmark = pytest.mark.anyio
KINDS = ("memory", "websocket")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(rpc_app.functions.asgi_app(), "uvicorn") as url:
        yield url


def connect(kind: str, url: str, **options: Any) -> Client:
    if kind == "memory":
        return Client.multiplexed(rpc_app.functions, **options)
    return Client.websocket(url, **options)


@asynccontextmanager
async def no_leaks(backend: str) -> AsyncIterator[None]:
    tasks, fds = task_count(backend), fd_count()
    yield
    with anyio.fail_after(10):
        while rpc_app.functions.handler.active or fd_count() > fds or task_count(backend) > tasks:
            await anyio.sleep(0.01)
    assert rpc_app.functions.handler.active == 0


async def noted(key: str, *events: str) -> None:
    with anyio.fail_after(10):
        while not set(events) & set(rpc_app.LEDGER.get(key, [])):
            await anyio.sleep(0.005)


@pytest.mark.parametrize("kind", KINDS)
async def test_1000_calls_cancelled_while_running(
    kind: str, server: str, anyio_backend: str
) -> None:
    keys = [uuid.uuid4().hex for _ in range(1000)]
    limits = SessionLimits(max_calls=1000)
    async with no_leaks(anyio_backend):
        options: dict[str, Any] = {"limits": limits} if kind == "memory" else {}
        async with connect(kind, server, **options) as client:
            slow = client.stub(rpc_app.slow)
            async with anyio.create_task_group() as group:
                for key in keys:
                    group.start_soon(slow, key, 30)
                with anyio.fail_after(10):  # wait until the server runs them (128 at once over WS)
                    while rpc_app.functions.handler.active < (1000 if kind == "memory" else 128):
                        await anyio.sleep(0.01)
                group.cancel_scope.cancel()
            started = [key for key in keys if "started" in rpc_app.LEDGER.get(key, [])]
            assert len(started) >= 128
            for key in started:  # every one that ran heard its CANCEL
                await noted(key, "cancelled")
            assert client._transport.open_calls == 0  # type: ignore[union-attr]
            # The connection is still good after all that.
            assert await client.stub(rpc_app.add)(1, 2) == 3


@pytest.mark.parametrize("kind", KINDS)
async def test_a_reader_that_never_reads_stops_the_server_at_its_window(
    kind: str, server: str, anyio_backend: str
) -> None:
    key = uuid.uuid4().hex
    async with no_leaks(anyio_backend), connect(kind, server, window=8) as client:
        stream = await client.stub(rpc_stream_app.produced)(key)
        await anyio.sleep(0.3)
        first = rpc_stream_app.PRODUCED[key]
        await anyio.sleep(0.3)
        # Bounded by the windows: the client's 8 unread items, the connection's 16
        # DATA messages, the server's 16 frames ready ahead, and a few in the pipes.
        assert rpc_stream_app.PRODUCED[key] == first < 100
        assert [await anext(stream) for _ in range(500)] == list(range(500))
        await stream.aclose()


async def test_the_socket_dropped_mid_call_fails_every_call_on_both_sides(
    server: str, anyio_backend: str
) -> None:
    streaming, sleeping = uuid.uuid4().hex, uuid.uuid4().hex
    async with no_leaks(anyio_backend), connect("websocket", server) as client:
        stream = await client.stub(rpc_app.endless)(streaming)
        assert [await anext(stream) for _ in range(3)] == [0, 1, 2]
        failures: list[BaseException] = []

        async def sleep() -> None:
            try:
                await client.stub(rpc_app.slow)(sleeping, 30)
            except ConnectionLostError as error:
                failures.append(error)

        async with anyio.create_task_group() as group:
            group.start_soon(sleep)
            await noted(sleeping, "started")
            channel = client._transport.connection.channel  # type: ignore[union-attr]
            await channel._session.stream.aclose()  # the TCP connection, no close frame
        with pytest.raises(ConnectionLostError):
            async for _ in stream:
                pass
        assert len(failures) == 1
        await noted(streaming, "cancelled", "closed")
        await noted(sleeping, "cancelled")
        with pytest.raises(ConnectionLostError):
            await client.stub(rpc_app.add)(1, 2)  # the connection is gone for new calls too


async def test_a_foreign_origin_is_refused_at_the_handshake(
    server: str, anyio_backend: str
) -> None:
    async with no_leaks(anyio_backend):
        with pytest.raises(CrossSiteError):
            async with Client.websocket(server, headers=[("origin", "https://evil.example")]):
                pass
        own = server.replace("http://", "http://")
        async with Client.websocket(server, headers=[("origin", own)]) as client:
            assert await client.stub(rpc_app.add)(2, 3) == 5


async def test_malformed_messages_close_the_socket_with_an_error(
    server: str, anyio_backend: str
) -> None:
    from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws

    async with no_leaks(anyio_backend), httpx.AsyncClient() as http:
        for garbage in (b"\x63\x00\x00\x00\x00\x00", b"\x04\x00\x00\x00\x00\x05data", b"x"):
            url = server.replace("http://", "ws://") + "/_server"
            socket: AsyncWebSocketSession
            async with aconnect_ws(url, http) as socket:
                hello = decode_message(await socket.receive_bytes())
                assert hello.kind is Kind.HELLO
                await socket.send_bytes(Session("client").hello())
                await socket.send_bytes(garbage)
                error = decode_message(await socket.receive_bytes())
                assert (error.kind, error.call) == (Kind.ERROR, 0)
                assert b"protocol" in error.payload
                with pytest.raises(WebSocketDisconnect):
                    await socket.receive_bytes()


async def test_an_oversized_message_is_refused_by_either_side(anyio_backend: str) -> None:
    from seroval.transports.channel import memory_channel_pair
    from seroval.transports.memory_mux import MemoryMultiplexTransport
    from seroval.transports.multiplex import ServerConnection

    small = SessionLimits(max_message_size=4096)
    async with no_leaks(anyio_backend):
        # A client does not send past the server's HELLO limit; the connection goes on.
        transport = MemoryMultiplexTransport(rpc_app.functions, server_limits=small)
        async with transport, Client(transport=transport) as client:
            with pytest.raises(PayloadTooLargeError):
                await client.stub(rpc_app.echo)("x" * 10_000)
            assert await client.stub(rpc_app.echo)("x" * 100) == ["x" * 100]
        # A peer that does is told why, and the connection ends.
        client_end, server_end = memory_channel_pair()
        connection = ServerConnection(rpc_app.functions.handler, server_end, limits=small)
        async with client_end, anyio.create_task_group() as group:
            group.start_soon(connection.run)
            assert decode_message(await client_end.receive()).kind is Kind.HELLO
            await client_end.send(Session("client").hello())
            await client_end.send(encode_message(Kind.PING, 0, b"x" * 10_000))
            error = decode_message(await client_end.receive())
            assert (error.kind, error.call) == (Kind.ERROR, 0)
            assert b"over 4096" in error.payload
            with pytest.raises(anyio.EndOfStream):
                await client_end.receive()


async def test_drain_lets_running_calls_finish_and_refuses_new_ones(anyio_backend: str) -> None:
    from seroval.transports.channel import memory_channel_pair
    from seroval.transports.multiplex import ServerConnection

    # A key of its own per run: the ledger outlives the run (asyncio, then trio).
    key = f"k-drain-{uuid.uuid4().hex}"
    client_end, server_end = memory_channel_pair()
    connection = ServerConnection(rpc_app.functions.handler, server_end)
    session = Session("client")
    async with no_leaks(anyio_backend), client_end, anyio.create_task_group() as group:
        group.start_soon(connection.run)
        await client_end.send(session.hello())
        session.receive_message(await client_end.receive())
        from seroval.codecs.registry import default_registry
        from seroval.rpc.core.client_call import ClientCall

        call = ClientCall(rpc_app.slow.__seroval_id__, codec=default_registry.get("json"))  # type: ignore[attr-defined]
        head, body = call.request(
            [{"t": 9, "i": 0, "a": [{"t": 1, "s": key}, {"t": 0, "s": 1.0}], "o": 0}]
        )
        call_id, message = session.start_call(head, body, end=True)
        await client_end.send(message)
        await noted(key, "started")
        group.start_soon(connection.drain, 5)
        closing = decode_message(await client_end.receive())
        assert closing.kind is Kind.CLOSE
        late = encode_message(Kind.CALL, call_id + 1, message[6:], end=True)
        await client_end.send(late)
        refused = decode_message(await client_end.receive())
        assert (refused.kind, refused.call) == (Kind.ERROR, call_id + 1)
        answer = decode_message(await client_end.receive())
        assert (answer.kind, answer.call) == (Kind.HEAD, call_id)  # the running call finished
        await noted(key, "finished")
        with pytest.raises(anyio.EndOfStream):
            await client_end.receive()  # then the server closed
