"""The RPC conformance suite: every check over every transport, codec and event loop.

Transports: the in-memory one, HTTP through a real uvicorn on loopback, HTTP
through hypercorn running under trio (servers in a thread of this process), and
the multiplexed ones: the message protocol in memory, a WebSocket to the same
uvicorn, and a ``seroval serve --stdio`` child process.  Codecs: JSON, msgpack,
CBOR.  The client runs under asyncio and under trio.  The functions are
:mod:`seroval.conformance.rpc_app`'s and :mod:`~seroval.conformance.rpc_stream_app`'s
(what a function noted is read back through a call, so a child's notes count).

Client streaming runs everywhere (HTTP carries a finite argument stream drained
into the body); bidirectional calls and an argument stream the server stops
need a multiplexed transport (:data:`MULTIPLEXED_ONLY`).

Each check raises :class:`AssertionError` (or the unexpected error) on failure::

    outcome = run()                      # everything
    assert outcome.ok, outcome.failures
"""

from __future__ import annotations

import sys
import traceback
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AbstractContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import anyio
import anyio.lowlevel

from ..protocol.model.containers import JSMap
from ..rpc import Client, DeadlineExceededError, RemoteError, RemoteStream
from ..transports.memory import MemoryTransport
from . import rpc_app, rpc_stream_app
from .rpc_servers import serving

__all__ = [
    "BACKENDS",
    "CHECKS",
    "CODECS",
    "MULTIPLEXED",
    "MULTIPLEXED_ONLY",
    "TRANSPORTS",
    "RpcOutcome",
    "run",
]

TRANSPORTS: Final = ("memory", "uvicorn", "hypercorn-trio", "multiplexed", "websocket", "stdio")
MULTIPLEXED: Final = frozenset({"multiplexed", "websocket", "stdio"})
CODECS: Final = ("json", "msgpack", "cbor")
BACKENDS: Final = ("asyncio", "trio")
WHEN: Final = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)

Check = Callable[[Client], Awaitable[None]]


async def check_unary(client: Client) -> None:
    result = await client.call("1a2b3c4d-0", 42, WHEN)
    assert result == {"id": 42, "when": WHEN, "tags": JSMap([("a", 1), ("b", 2)])}, result
    assert await client.stub(rpc_app.add)(20, 22) == 42
    rich = [2**70, -0.5, 'a"b</s>\u2028', None, [1, [2, {"k": True}]]]
    assert await client.stub(rpc_app.echo)(*rich) == rich


async def check_promise_fields(client: Client) -> None:
    result = await client.stub(rpc_app.later)(0.02)
    assert result["now"] == 1
    assert await result["later"] == "done"


async def check_async_generator(client: Client) -> None:
    stream = await client.stub(rpc_app.count)(200)
    assert isinstance(stream, RemoteStream)
    assert [item async for item in stream] == list(range(200))


async def check_streams(client: Client) -> None:
    pushed = await client.stub(rpc_app.pushed)(5)
    assert [item async for item in pushed["events"]] == [0, 1, 2, 3, 4]
    live = await client.stub(rpc_app.live)(30)
    assert [item async for item in live["live"]] == list(range(30))
    await live["fed"]


async def _raised(call: Callable[[], Awaitable[object]]) -> RemoteError:
    """The :class:`RemoteError` ``call`` raises (an AssertionError if it raises none)."""
    try:
        await call()
    except RemoteError as error:
        return error
    raise AssertionError(f"{call} did not raise")


async def check_errors(client: Client) -> None:
    error = await _raised(client.stub(rpc_app.boom))
    assert (error.name, error.message, error.properties) == (
        "Insufficient",
        "not enough money",
        {"code": 42},
    ), error
    assert isinstance(error.cause, RemoteError)
    assert error.cause.name == "KeyError"
    assert error.stack is None
    items: list[int] = []
    stream = await client.stub(rpc_app.count_then_fail)(3)

    async def read() -> None:
        async for item in stream:
            items.append(item)

    error = await _raised(read)
    assert (error.name, error.properties) == ("Insufficient", {"code": 7}), error
    assert items == [0, 1, 2]


async def _noted(client: Client, key: str, events: Iterable[str]) -> str:
    """The first of ``events`` the server noted for ``key`` (asked through a call)."""
    wanted = set(events)
    ledger = client.stub(rpc_stream_app.ledger)
    with anyio.fail_after(1):  # within one second
        while not wanted & set(noted := await ledger(key)):
            await anyio.sleep(0.005)
    return next(event for event in noted if event in wanted)


async def check_cancellation(client: Client) -> None:
    key = uuid.uuid4().hex
    stream = await client.stub(rpc_app.endless)(key)
    assert [await anext(stream) for _ in range(3)] == [0, 1, 2]
    await stream.aclose()
    await _noted(client, key, ("cancelled", "closed"))
    key = uuid.uuid4().hex
    with anyio.move_on_after(0.1):
        await client.stub(rpc_app.slow)(key, 30)
    await _noted(client, key, ("cancelled",))


async def check_deadlines(client: Client) -> None:
    key = uuid.uuid4().hex
    try:
        await client.invoke(rpc_app.slow.__seroval_id__, [key, 30], timeout=0.2)  # type: ignore[attr-defined]
    except DeadlineExceededError:
        pass
    else:
        raise AssertionError("the deadline did not end the call")
    await _noted(client, key, ("cancelled",))


async def _numbers(count: int) -> AsyncIterator[int]:
    for number in range(count):
        yield number
        await anyio.lowlevel.checkpoint()


async def check_client_streaming(client: Client) -> None:
    assert await client.stub(rpc_stream_app.total)(_numbers(300)) == sum(range(300))

    async def later() -> str:
        await anyio.sleep(0.01)
        return "settled later"

    assert await client.stub(rpc_stream_app.awaited)(later()) == {"got": "settled later"}


async def check_bidirectional(client: Client) -> None:
    """One item out, its answer back, then the next: only a duplex carrier can."""
    send, receive = anyio.create_memory_object_stream[int](1)

    async def fed() -> AsyncIterator[int]:
        async with receive:
            async for number in receive:
                yield number

    answers = await client.stub(rpc_stream_app.doubled)(fed())
    async with send:
        for number in range(50):
            await send.send(number)
            with anyio.fail_after(5):
                assert await anext(answers) == number * 2
    assert [item async for item in answers] == []


async def check_argument_cancel(client: Client) -> None:
    """The function stops reading an endless argument stream: the client stops sending."""
    key = uuid.uuid4().hex
    stopped = anyio.Event()

    async def endless() -> AsyncIterator[int]:
        number = 0
        try:
            while True:
                yield number
                number += 1
                await anyio.lowlevel.checkpoint()
        finally:
            stopped.set()

    assert await client.stub(rpc_stream_app.first_only)(key, endless()) == 0
    with anyio.fail_after(2):
        await stopped.wait()
    await _noted(client, key, ("returned",))


CHECKS: Final[dict[str, Check]] = {
    "unary": check_unary,
    "promise fields": check_promise_fields,
    "async generator": check_async_generator,
    "streams": check_streams,
    "errors": check_errors,
    "cancellation": check_cancellation,
    "deadlines": check_deadlines,
    "client streaming": check_client_streaming,
    "bidirectional": check_bidirectional,
    "argument cancel": check_argument_cancel,
}
MULTIPLEXED_ONLY: Final = frozenset({"bidirectional", "argument cancel"})
"""Checks that need a duplex carrier (HTTP sends arguments settled, before the call)."""


@dataclass
class RpcOutcome:
    """Per (transport, codec, backend, check): passed or the failure's text."""

    results: dict[tuple[str, str, str, str], str | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(text is None for text in self.results.values())

    @property
    def failures(self) -> list[tuple[tuple[str, str, str, str], str]]:
        return [(key, text) for key, text in self.results.items() if text is not None]


STDIO_ARGV: Final = (
    sys.executable,
    "-m",
    "seroval",
    "serve",
    "--stdio",
    "seroval.conformance.rpc_stream_app:functions",
)


@asynccontextmanager
async def _client(transport: str, url: str | None, codec: str) -> AsyncIterator[Client]:
    if transport == "multiplexed":
        async with Client.multiplexed(rpc_app.functions, codec=codec) as client:
            yield client
    elif transport == "websocket":
        assert url is not None
        async with Client.websocket(url, codec=codec) as client:
            yield client
    elif transport == "stdio":
        async with Client.stdio(STDIO_ARGV, codec=codec) as client:
            yield client
    elif transport == "memory":
        async with (
            MemoryTransport(rpc_app.functions) as memory,
            Client(transport=memory, codec=codec) as client,
        ):
            yield client
    else:
        assert url is not None
        async with Client(url, codec=codec) as client:
            yield client


async def _run_checks(
    transport: str,
    url: str | None,
    backend: str,
    codecs: Iterable[str],
    checks: dict[str, Check],
    outcome: RpcOutcome,
) -> None:
    chosen = {
        name: check
        for name, check in checks.items()
        if transport in MULTIPLEXED or name not in MULTIPLEXED_ONLY
    }
    for codec in codecs:
        if transport == "stdio":  # one child per codec: every check on its one connection
            try:
                async with _client(transport, url, codec) as client:
                    for name, check in chosen.items():
                        await _one(client, transport, codec, backend, name, check, outcome)
            except Exception as error:  # the child failed: what did not run fails
                text = "".join(traceback.format_exception_only(error)).strip()
                for name in chosen:
                    outcome.results.setdefault((transport, codec, backend, name), text)
            continue
        for name, check in chosen.items():
            try:
                async with _client(transport, url, codec) as client:
                    await _one(client, transport, codec, backend, name, check, outcome)
            except Exception as error:
                text = "".join(traceback.format_exception_only(error)).strip()
                outcome.results[(transport, codec, backend, name)] = text or repr(error)


async def _one(
    client: Client,
    transport: str,
    codec: str,
    backend: str,
    name: str,
    check: Check,
    outcome: RpcOutcome,
) -> None:
    try:
        with anyio.fail_after(30):
            await check(client)
    except Exception as error:
        text = "".join(traceback.format_exception_only(error)).strip()
        outcome.results[(transport, codec, backend, name)] = text or repr(error)
    else:
        outcome.results[(transport, codec, backend, name)] = None


def run(
    transports: Iterable[str] = TRANSPORTS,
    codecs: Iterable[str] = CODECS,
    backends: Iterable[str] = BACKENDS,
    checks: Iterable[str] | None = None,
    progress: Callable[[str], object] | None = None,
) -> RpcOutcome:
    """Run the suite; returns every result (it never raises for a failing check)."""
    chosen = {name: CHECKS[name] for name in (checks or CHECKS)}
    codecs = tuple(codecs)
    outcome = RpcOutcome()
    for transport in transports:
        kind = "uvicorn" if transport == "websocket" else transport
        server: AbstractContextManager[Any] = (
            nullcontext(None)
            if transport in ("memory", "multiplexed", "stdio")
            else serving(rpc_app.functions.asgi_app(), kind)  # type: ignore[arg-type]
        )
        with server as url:
            for backend in backends:
                if progress is not None:
                    progress(f"{transport} / {backend}")
                anyio.run(
                    _run_checks, transport, url, backend, codecs, chosen, outcome, backend=backend
                )
    return outcome
