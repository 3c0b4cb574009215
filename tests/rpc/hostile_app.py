"""The server functions the hostile-client tests call, and their leak check.

A small app of its own (not :mod:`seroval.conformance.rpc_app`) so its limits can
be tight enough to reach in a test: a 64 KiB body, a one-second body deadline.
What a function saw goes to :data:`NOTES` (a cancel, a close, the end) and how far
a stream got to :data:`PRODUCED`, both readable from the test's thread.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio

from seroval.rpc import Client, ServerFunctions
from seroval.rpc.core.limits import CallLimits

from ..tasks import fd_count, task_count

__all__ = ["BODY_TIMEOUT", "MAX_BODY", "NOTES", "PRODUCED", "functions", "no_leaks", "noted"]

BODY_TIMEOUT = 1.0
MAX_BODY = 64 * 1024
functions = ServerFunctions(limits=CallLimits(max_body_size=MAX_BODY, body_timeout=BODY_TIMEOUT))
NOTES: dict[str, list[str]] = {}
PRODUCED: dict[str, int] = {}
_LOCK = threading.Lock()


def note(key: str, event: str) -> None:
    with _LOCK:
        NOTES.setdefault(key, []).append(event)


@functions.function(id="echo")
async def echo(*values: Any) -> list[Any]:
    return list(values)


@functions.function(id="ticks")
async def ticks(key: str, n: int, delay: float) -> AsyncIterator[int]:
    """``n`` items ``delay`` apart; notes how it ended."""
    note(key, "started")
    try:
        for index in range(n):
            PRODUCED[key] = index + 1
            yield index
            if delay:
                await anyio.sleep(delay)
    except anyio.get_cancelled_exc_class():
        note(key, "cancelled")
        raise
    except GeneratorExit:
        note(key, "closed")
        raise
    note(key, "finished")


@functions.function(id="forever")
async def forever() -> AsyncIterator[int]:
    """Yields forever, one item per millisecond, noting nothing (memory stays put)."""
    index = 0
    while True:
        yield index
        index += 1
        await anyio.sleep(0.001)


@functions.function(id="promises")
async def promises(key: str, n: int, delay: float) -> dict[str, Any]:
    """``n`` promises settling ``delay`` apart (one frame each); notes cancellations."""

    async def settle(index: int) -> int:
        try:
            await anyio.sleep(delay * (index + 1))
        except anyio.get_cancelled_exc_class():
            note(key, "cancelled")
            raise
        note(key, f"settled {index}")
        return index

    return {"p": [settle(index) for index in range(n)]}


@functions.function(id="unsendable")
async def unsendable(n: int) -> AsyncIterator[Any]:
    """``n`` items, then one no codec can carry (a serialization error midway)."""
    for index in range(n):
        yield index
    yield object()


@functions.function(id="fails")
async def fails(code: int) -> None:
    raise ValueError(f"failure {code}")


@functions.function(id="sleepy")
async def sleepy(seconds: float) -> str:
    await anyio.sleep(seconds)
    return "slept"


@functions.function(id="server_tasks")
async def server_tasks(loop: str) -> int:
    """The tasks alive in the server's own event loop, ``asyncio`` or ``trio`` (this
    call's included)."""
    return task_count(loop)


@asynccontextmanager
async def no_leaks(backend: str, url: str) -> AsyncIterator[None]:
    """On leaving: no call running, fds and client tasks back, and a good call answered.

    ``tests.rpc.test_faults.no_leaks`` for this app, with the good call added.
    """
    tasks, fds = task_count(backend), fd_count()
    yield
    with anyio.fail_after(5):
        while functions.handler.active or fd_count() > fds:
            await anyio.sleep(0.01)
    assert functions.handler.active == 0
    assert fd_count() <= fds
    assert task_count(backend) <= tasks
    async with Client(url) as client:
        assert await client.call("echo", 1, "good") == [1, "good"]


async def noted(key: str, *events: str, within: float = 2) -> None:
    """Wait (at most ``within`` seconds) until a function noted one of ``events``."""
    with anyio.fail_after(within):
        while not set(events) & set(NOTES.get(key, [])):
            await anyio.sleep(0.005)
