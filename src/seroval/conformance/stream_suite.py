"""Running the stream vectors against our producer and readers (for tests and tools).

The oracle made step ``k`` happen only once the event loop was idle after step
``k - 1``; :func:`run_stream` does the same, and reads exactly as many outputs
after each step as seroval had emitted by then, so our producer is held to
seroval's order (an output too many shows up at the next read or at the end; one
too few trips the guard timeout).  :func:`run_async` drives the steps beside an
async API call.  Both run under asyncio or trio.

The ``check_*`` coroutines turn those runs into pass/fail checks for
``seroval conformance`` (:data:`STREAM_CHECKS`): each takes one vector and raises
:class:`~.suite.ConformanceFailure` when we disagree with seroval, or
:class:`~.suite.NotApplicable`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Final, Literal

import anyio
import anyio.abc
import anyio.lowlevel

from ..protocol.aio.api import (
    cross_serialize_async,
    serialize_async,
    to_cross_json_async,
    to_json_async,
)
from ..protocol.aio.stream_parse import ChunkStream
from ..protocol.aio.streaming import cross_serialize_stream, to_cross_json_stream
from ..protocol.errors import SerovalAbortedError, SerovalError
from ..protocol.jstext.reader import CrossDeserializer
from ..protocol.model.nodes import T_NUMBER
from ..protocol.model.plugins import Plugin
from ..protocol.model.values import undefined
from ..protocol.tree.api import from_json
from ..protocol.tree.json_text import dumps_json, loads_json
from .point import PointPlugin
from .stream_recipes import PromiseKind, StreamRecipeBuilder
from .stream_vectors import ASYNC_FIELDS, StreamRun, StreamVector
from .suite import (
    ConformanceFailure,
    NotApplicable,
    _expect,
    plain_tree_problem,
    seroval_error_name,
)

__all__ = [
    "SCOPE_ID",
    "STREAM_CHECKS",
    "Outcome",
    "built",
    "check_async_apis",
    "check_chunks_read_back",
    "check_records_read_back",
    "check_streaming",
    "run_async",
    "run_stream",
    "settle_down",
]

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


def _plain_record_text(record: Any) -> str:
    """A record's JSON text, after checking that the record in memory is plain data."""
    problem = plain_tree_problem(record)
    if problem is not None:
        raise ConformanceFailure(f"a to_cross_json_stream record is not plain data: {problem}")
    return dumps_json(record)


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
            outcome.error = seroval_error_name(error)
            return outcome
        text = _plain_record_text if mode == "jsonStream" else str
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
                outcome.error = seroval_error_name(error)
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
            return {"error": {"name": seroval_error_name(error)}}
    return result if isinstance(result, str) else dumps_json(result)


# -- checks ----------------------------------------------------------------------------


def _expect_outputs(actual: list[str], expected: list[str], what: str) -> None:
    for index, (ours, theirs) in enumerate(zip(actual, expected, strict=False)):
        _expect(ours, theirs, f"{what}, output {index}")
    _expect(len(actual), len(expected), f"{what}, number of outputs")


async def check_streaming(vector: StreamVector, mode: StreamMode) -> None:
    """Our stream gives seroval's outputs, in seroval's order, step by step, and its error."""
    expected = expected_run(vector, mode)
    outcome = await run_stream(vector, mode)
    _expect_outputs(outcome.outputs, expected.outputs, mode)
    _expect(outcome.error, expected.error and expected.error["name"], f"{mode} error")


async def check_async_apis(vector: StreamVector) -> None:
    """The five async APIs give seroval's results, with promises as JSPromise and as coroutines.

    Where seroval's async parser numbers ids by microtask timing
    (:attr:`StreamVector.async_ids_may_differ`), only the kind of result (text or
    error) is compared here; :func:`check_records_read_back` compares the value.
    """
    runs = [
        {field: await run_async(vector, field, promises) for field in ASYNC_FIELDS}
        for promises in ("jspromise", "coroutine")
    ]
    if runs[0] != runs[1]:
        raise ConformanceFailure("the kind of awaitable (JSPromise or coroutine) changed a result")
    ours, theirs = runs[0], vector.async_results
    for field in ASYNC_FIELDS:
        if vector.async_ids_may_differ and isinstance(theirs[field], str):
            _expect(type(ours[field]), str, f"{field}_async kind of result")
        else:
            _expect(ours[field], theirs[field], f"{field}_async")


async def _written(value: object, vector: StreamVector) -> str:
    """``value`` as to_json text, with the vector's options."""
    envelope = await to_json_async(
        value,
        plugins=PLUGINS,
        disabled_features=vector.disabled_features,
        depth_limit=vector.depth_limit,
    )
    return dumps_json(envelope)


async def _readable(text: str, vector: StreamVector) -> str:
    """A to_json text read back and written again (the value, ids renumbered)."""
    return await _written(from_json(loads_json(text), plugins=PLUGINS), vector)


def _has_forward_reference(records: list[Any]) -> bool:
    """Whether a record refers (t:4) to an id no earlier record or node defined."""
    defined: set[int] = set()
    found = False
    todo: list[Any] = []
    for record in records:
        todo.append(record)
        while todo:
            node = todo.pop()
            if isinstance(node, list):
                todo.extend(reversed(node))
            elif isinstance(node, dict):
                if node.get("t") == 4 and node.get("i") not in defined:
                    found = True
                elif "i" in node and node.get("t") not in (4, 23, 24, 32, 33, 34):
                    defined.add(node["i"])
                todo.extend(reversed(list(node.values())))
    return found


async def check_records_read_back(vector: StreamVector) -> None:
    """seroval's records, fed one by one to a CrossDeserializer, rebuild seroval's async value.

    After a stream that failed, :meth:`CrossDeserializer.abort` settles what is open.
    Where seroval referred to an id before the record that defines it (a page reads
    ``undefined`` there too), the records must still read back, but there is no
    faithful value to compare with.
    """
    StreamRecipeBuilder().build(vector.recipe)  # registers the recipe's references
    records = [loads_json(text) for text in vector.json_stream.outputs]
    if not records:
        raise NotApplicable("seroval streamed no records")
    reader = CrossDeserializer(plugins=PLUGINS, depth_limit=vector.depth_limit)
    root = reader.deserialize(records[0])
    for record in records[1:]:
        if reader.deserialize(record) is not undefined:
            raise ConformanceFailure("a record after the first gave a root value")
    if vector.json_stream.error is not None:
        reader.abort(undefined)
        _expect(reader.pending, 0, "promises and streams left open after abort")
        try:
            reader.deserialize({"t": T_NUMBER, "s": 1})
        except SerovalAbortedError:
            return
        raise ConformanceFailure("an aborted reader accepted another record")
    _expect(reader.pending, 0, "promises and streams left open")
    if _has_forward_reference(records):
        return
    theirs = vector.async_results["json"]
    if vector.async_ids_may_differ:
        theirs = await run_async(vector, "json")
    if not isinstance(theirs, str):
        raise ConformanceFailure(f"the records read back, but the async result is {theirs!r}")
    ours = await _written(root, vector)
    _expect(ours, await _readable(theirs, vector), "the value the records rebuild")


async def check_chunks_read_back(vector: StreamVector) -> None:
    """seroval's chunks, fed to a CrossDeserializer, rebuild what Node's eval made of them."""
    chunks = vector.stream.outputs
    evaluated = vector.evaluated
    if not chunks or evaluated is None:
        raise NotApplicable("no chunks, or no record of what Node made of them")
    reader = CrossDeserializer(plugins=PLUGINS, depth_limit=vector.depth_limit)
    if isinstance(evaluated, dict):
        error = evaluated["error"]
        if error["stage"] != "eval":
            raise NotApplicable(f"Node failed at {error['stage']}")
        # seroval sent a chunk that uses an id a later chunk defines (JS throws too).
        for chunk in chunks[: error["chunk"]]:
            reader.feed(chunk)
        try:
            reader.feed(chunks[error["chunk"]])
        except SerovalError:
            return
        raise ConformanceFailure(f"chunk {error['chunk']} was accepted; Node's eval threw")
    root = reader.feed(chunks[0])
    for chunk in chunks[1:]:
        reader.feed(chunk)
    _expect(reader.pending, 0, "promises and streams left open")
    ours = await _written(root, vector)
    # Where seroval's toJSONAsync numbered ids by microtask timing, its text is no
    # faithful reference: the chunks only had to read back completely.
    if not vector.evaluated_ids_may_differ:
        _expect(ours, evaluated, "the value the chunks rebuild")


STREAM_CHECKS: Final[dict[str, Callable[[StreamVector], Awaitable[None]]]] = {
    "cross_serialize_stream": lambda vector: check_streaming(vector, "stream"),
    "cross_serialize_stream scoped": lambda vector: check_streaming(vector, "streamScoped"),
    "to_cross_json_stream": lambda vector: check_streaming(vector, "jsonStream"),
    "async apis": check_async_apis,
    "stream records read back": check_records_read_back,
    "stream chunks read back": check_chunks_read_back,
}
