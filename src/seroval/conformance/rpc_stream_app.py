"""Server functions whose arguments stream: client streaming and bidirectional calls.

They are registered on :data:`seroval.conformance.rpc_app.functions` (import this
module on the server side too): a multiplexed carrier (in-memory, WebSocket,
stdio) hands them argument promises and streams that settle after the call
started; over HTTP the client drains those parts into the body first, so they
arrive settled.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.lowlevel

from .rpc_app import LEDGER, functions, note

__all__ = [
    "PRODUCED",
    "awaited",
    "doubled",
    "first_only",
    "functions",
    "ledger",
    "ledger_summary",
    "produced",
    "total",
]


@functions.function
async def ledger(key: str) -> list[str]:
    """What the functions noted for ``key`` (so a check can read a child process's notes)."""
    return list(LEDGER.get(key, []))


@functions.function
async def total(numbers: AsyncIterator[int]) -> int:
    """Client streaming: the sum of a streamed argument, once it ended."""
    result = 0
    async for number in numbers:
        result += number
    return result


@functions.function
async def doubled(numbers: AsyncIterator[int]) -> AsyncIterator[int]:
    """Bidirectional: each item back, doubled, as it arrives."""
    async for number in numbers:
        yield number * 2


@functions.function
async def awaited(value: Any) -> dict[str, Any]:
    """A promise argument, awaited inside the function."""
    return {"got": await value}


@functions.function
async def first_only(key: str, numbers: AsyncIterator[int]) -> int:
    """Reads one item of an endless argument stream and returns (the client stops)."""
    note(key, "started")
    first = await anext(numbers)
    await numbers.aclose()  # type: ignore[attr-defined]
    note(key, "returned")
    await anyio.lowlevel.checkpoint()
    return int(first)


PRODUCED: dict[str, int] = {}
"""How many items :func:`produced` yielded, by key (a test reads it in process)."""


@functions.function
async def produced(key: str) -> AsyncIterator[int]:
    """Yields as fast as it is read, counting in :data:`PRODUCED` (backpressure tests)."""
    index = 0
    while True:
        PRODUCED[key] = index
        yield index
        index += 1


@functions.function
async def ledger_summary(prefix: str) -> dict[str, int]:
    """How many keys starting with ``prefix`` end with each event (a child's view)."""
    counts: dict[str, int] = {}
    for key, events in list(LEDGER.items()):
        if key.startswith(prefix) and events:
            counts[events[-1]] = counts.get(events[-1], 0) + 1
    return counts
