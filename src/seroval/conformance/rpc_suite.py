"""The RPC conformance suite: every check over every transport, codec and event loop.

Transports: the in-memory one, HTTP through a real uvicorn on loopback, and HTTP
through hypercorn running under trio (servers in a thread of this process, so a
check can see what the function noted).  Codecs: JSON, msgpack, CBOR.  The
client runs under asyncio and under trio.  The functions are
:mod:`seroval.conformance.rpc_app`'s.

Each check raises :class:`AssertionError` (or the unexpected error) on failure::

    outcome = run()                      # everything
    assert outcome.ok, outcome.failures
"""

from __future__ import annotations

import traceback
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AbstractContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import anyio

from ..protocol.model.containers import JSMap
from ..rpc import Client, DeadlineExceededError, RemoteError, RemoteStream
from ..transports.memory import MemoryTransport
from . import rpc_app
from .rpc_servers import serving

__all__ = ["BACKENDS", "CHECKS", "CODECS", "TRANSPORTS", "RpcOutcome", "run"]

TRANSPORTS: Final = ("memory", "uvicorn", "hypercorn-trio")
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


async def _noted(key: str, events: Iterable[str]) -> str:
    wanted = set(events)
    with anyio.fail_after(1):  # within one second
        while not wanted & set(rpc_app.LEDGER.get(key, [])):
            await anyio.sleep(0.005)
    return next(event for event in rpc_app.LEDGER[key] if event in wanted)


async def check_cancellation(client: Client) -> None:
    key = uuid.uuid4().hex
    stream = await client.stub(rpc_app.endless)(key)
    assert [await anext(stream) for _ in range(3)] == [0, 1, 2]
    await stream.aclose()
    await _noted(key, ("cancelled", "closed"))
    key = uuid.uuid4().hex
    with anyio.move_on_after(0.1):
        await client.stub(rpc_app.slow)(key, 30)
    await _noted(key, ("cancelled",))


async def check_deadlines(client: Client) -> None:
    key = uuid.uuid4().hex
    try:
        await client.invoke(rpc_app.slow.__seroval_id__, [key, 30], timeout=0.2)  # type: ignore[attr-defined]
    except DeadlineExceededError:
        pass
    else:
        raise AssertionError("the deadline did not end the call")
    await _noted(key, ("cancelled",))


CHECKS: Final[dict[str, Check]] = {
    "unary": check_unary,
    "promise fields": check_promise_fields,
    "async generator": check_async_generator,
    "streams": check_streams,
    "errors": check_errors,
    "cancellation": check_cancellation,
    "deadlines": check_deadlines,
}


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


@asynccontextmanager
async def _client(transport: str, url: str | None, codec: str) -> AsyncIterator[Client]:
    if transport == "memory":
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
    for codec in codecs:
        for name, check in checks.items():
            try:
                async with _client(transport, url, codec) as client:
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
        server: AbstractContextManager[Any] = (
            nullcontext(None)
            if transport == "memory"
            else serving(rpc_app.functions.asgi_app(), transport)  # type: ignore[arg-type]
        )
        with server as url:
            for backend in backends:
                if progress is not None:
                    progress(f"{transport} / {backend}")
                anyio.run(
                    _run_checks, transport, url, backend, codecs, chosen, outcome, backend=backend
                )
    return outcome
