"""The server functions the RPC conformance suite and the tests call.

Imported on both sides (the client stubs them), as an application would.  What the
server saw (a call started, was cancelled, finished) is written to :data:`LEDGER`
under a key the caller passes, so a test in the same process can check that a
cancel or a disconnect reached the function.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import anyio

from ..protocol.model.containers import JSMap
from ..protocol.model.exceptions import JSError
from ..rpc import Context, ServerFunctions, current_context, redirect
from ..rpc.core.limits import CallLimits

__all__ = ["LEDGER", "Insufficient", "functions"]

functions = ServerFunctions(limits=CallLimits(max_body_size=256 * 1024))

LEDGER: dict[str, list[str]] = {}
_LOCK = threading.Lock()


def note(key: str, event: str) -> None:
    """Record ``event`` for ``key`` (thread-safe: servers may run in another thread)."""
    with _LOCK:
        LEDGER.setdefault(key, []).append(event)


class Insufficient(Exception):
    """An application error with an own property, raised with a cause."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


@functions.function(id="1a2b3c4d-0")
async def get_thing(n: int, when: datetime) -> dict[str, Any]:
    """SolidStart's example (a): a number and a Date in, an object with a Map out."""
    return {"id": n, "when": when, "tags": JSMap([("a", 1), ("b", 2)])}


@functions.function
def add(a: int, b: int) -> int:
    """A plain function (runs in a worker thread)."""
    return a + b


@functions.function
async def echo(*values: Any) -> list[Any]:
    return list(values)


@functions.function(method="GET")
async def read_thing(n: int) -> dict[str, int]:
    """A read, callable by GET."""
    return {"n": n}


@functions.function
async def later(delay: float = 0.01) -> dict[str, Any]:
    """SolidStart's example (b): a value now and a promise settled later."""

    async def settle() -> str:
        await anyio.sleep(delay)
        return "done"

    return {"now": 1, "later": settle()}


@functions.function
async def count(n: int, delay: float = 0.0) -> AsyncIterator[int]:
    """An async generator of ``0 .. n-1``."""
    for index in range(n):
        if delay:
            await anyio.sleep(delay)
        yield index


@functions.function
async def count_then_fail(n: int) -> AsyncIterator[int]:
    """``n`` items, then an error."""
    for index in range(n):
        yield index
    raise Insufficient("ran out", 7)


@functions.function
async def boom() -> None:
    """An error with a cause and an own property."""
    try:
        raise KeyError("balance")
    except KeyError as error:
        raise Insufficient("not enough money", 42) from error


@functions.function
async def boom_js() -> None:
    """SolidStart's example (c): ``throw new Error("Boom")``."""
    raise JSError("Boom")


@functions.function
async def slow(key: str, seconds: float) -> str:
    """Sleeps; notes whether it finished or was cancelled."""
    note(key, "started")
    try:
        await anyio.sleep(seconds)
    except anyio.get_cancelled_exc_class():
        note(key, "cancelled")
        raise
    note(key, "finished")
    return "slept"


@functions.function
async def endless(key: str) -> AsyncIterator[int]:
    """Yields forever (one item per 1 ms); notes when it is cancelled or closed."""
    note(key, "started")
    index = 0
    try:
        while True:
            yield index
            index += 1
            await anyio.sleep(0.001)
    except anyio.get_cancelled_exc_class():
        note(key, "cancelled")
        raise
    except GeneratorExit:
        note(key, "closed")
        raise


@functions.function
async def whoami(context: Context) -> dict[str, Any]:
    """Reads the call's context (a parameter and ``current_context()`` agree)."""
    assert current_context() is context
    context.response_headers.add("x-served-by", "seroval")
    return {"id": context.function_id, "deadline": context.time_remaining() is not None}


@functions.function
async def go_login() -> None:
    raise redirect("/login")


@functions.function
async def moved() -> Any:
    return redirect("/elsewhere", revalidate=["todos"])


@functions.function
async def one_two() -> AsyncIterator[int]:
    """SolidStart's async-generator example: yields 1 then 2."""
    yield 1
    yield 2
