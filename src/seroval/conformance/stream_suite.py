"""Running the stream vectors against our producer and readers (for tests and tools).

The oracle made step ``k`` happen only once the event loop was idle after step
``k - 1``; :func:`run_stream` does the same, and reads exactly as many outputs
after each step as seroval had emitted by then, so our producer is held to
seroval's order (an output too many shows up at the next read or at the end; one
too few trips the guard timeout).  :func:`run_async` drives the steps beside an
async API call.  Both run under asyncio or trio.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Final, Literal

import anyio
import anyio.abc
import anyio.lowlevel

from ..protocol.async_api import (
    cross_serialize_async,
    serialize_async,
    to_cross_json_async,
    to_json_async,
)
from ..protocol.errors import SerovalError
from ..protocol.json_text import dumps_json
from ..protocol.plugins import Plugin
from ..protocol.stream_parse import ChunkStream
from ..protocol.streaming import cross_serialize_stream, to_cross_json_stream
from .point import PointPlugin
from .stream_recipes import PromiseKind, StreamRecipeBuilder
from .stream_vectors import StreamRun, StreamVector

__all__ = ["SCOPE_ID", "Outcome", "built", "run_async", "run_stream", "settle_down"]

SCOPE_ID: Final = "example"
PLUGINS: Final[tuple[Plugin, ...]] = (PointPlugin(),)
GUARD_SECONDS: Final = 10.0
"""How long a read may wait before the run is declared stuck (never reached when it passes)."""
_QUIET_TURNS: Final = 8

StreamMode = Literal["stream", "streamScoped", "jsonStream"]


class Outcome:
    """What a run produced: outputs, then maybe an error (class name and place)."""

    __slots__ = ("error", "outputs")

    def __init__(self) -> None:
        self.outputs: list[str] = []
        self.error: str | None = None

    def __repr__(self) -> str:
        return f"Outcome({len(self.outputs)} outputs, error={self.error!r})"


async def settle_down() -> None:
    """Let every task that can run, run: what the oracle's idle event loop means here.

    Each step has exactly one thing happen, so a short chain of hand-offs (a gate
    opens, a producer writes, a job is queued, a record is parsed) is all there is.
    """
    for _ in range(_QUIET_TURNS):
        await anyio.lowlevel.checkpoint()


@asynccontextmanager
async def built(
    vector: StreamVector, promises: PromiseKind = "jspromise"
) -> AsyncIterator[tuple[Any, StreamRecipeBuilder, anyio.abc.TaskGroup]]:
    """The vector's value, its builder (schedule) and a task group running its producers."""
    builder = StreamRecipeBuilder(promises=promises)
    value = builder.build(vector.recipe)
    try:
        async with anyio.create_task_group() as group:
            for task in builder.tasks:
                group.start_soon(task)
            yield value, builder, group
            group.cancel_scope.cancel()
    finally:
        builder.close()


def _options(vector: StreamVector) -> dict[str, Any]:
    return {
        "plugins": PLUGINS,
        "disabled_features": vector.disabled_features,
        "depth_limit": vector.depth_limit,
    }


def expected_run(vector: StreamVector, mode: StreamMode) -> StreamRun:
    return {
        "stream": vector.stream,
        "streamScoped": vector.stream_scoped,
        "jsonStream": vector.json_stream,
    }[mode]


async def run_stream(
    vector: StreamVector, mode: StreamMode, promises: PromiseKind = "jspromise"
) -> Outcome:
    """Stream the vector's value (``mode`` as in the vector), stepping as the oracle did."""
    expected = expected_run(vector, mode)
    outcome = Outcome()
    async with built(vector, promises) as (value, builder, _):
        try:
            chunks: ChunkStream[Any]
            if mode == "jsonStream":
                chunks = to_cross_json_stream(value, **_options(vector))
            else:
                scope_id = SCOPE_ID if mode == "streamScoped" else None
                chunks = cross_serialize_stream(value, scope_id=scope_id, **_options(vector))
        except SerovalError as error:
            outcome.error = type(error).__name__
            return outcome
        text = dumps_json if mode == "jsonStream" else str
        async with chunks:
            try:
                for step in range(vector.steps + 1):
                    if step:
                        builder.schedule.advance(step)
                    await settle_down()
                    while len(outcome.outputs) < expected.count_until(step):
                        with anyio.fail_after(GUARD_SECONDS):
                            outcome.outputs.append(text(await chunks.__anext__()))
                while True:  # nothing more may come
                    with anyio.fail_after(GUARD_SECONDS):
                        outcome.outputs.append(text(await chunks.__anext__()))
            except StopAsyncIteration:
                pass
            except SerovalError as error:
                outcome.error = type(error).__name__
    return outcome


_ASYNC_APIS: Final[dict[str, Callable[..., Awaitable[Any]]]] = {
    "serialize": serialize_async,
    "json": to_json_async,
    "crossSerialize": cross_serialize_async,
    "crossJson": to_cross_json_async,
    "crossScoped": cross_serialize_async,
}


async def run_async(
    vector: StreamVector, field: str, promises: PromiseKind = "jspromise"
) -> str | dict[str, Any]:
    """An async API over the vector's value while the steps happen; as the vector records it."""
    api = _ASYNC_APIS[field]
    options = _options(vector)
    if field == "crossScoped":
        options["scope_id"] = SCOPE_ID
    async with built(vector, promises) as (value, builder, group):

        async def drive() -> None:
            for step in range(1, vector.steps + 1):
                await settle_down()
                builder.schedule.advance(step)

        group.start_soon(drive)
        try:
            result = await api(value, **options)
        except SerovalError as error:
            return {"error": {"name": type(error).__name__}}
    return result if isinstance(result, str) else dumps_json(result)
