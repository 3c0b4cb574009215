"""The streaming API's behaviour: cancellation, backpressure, callbacks and the reader.

The byte-level agreement with seroval is in ``test_stream_vectors.py``; these tests
pin down what the vectors cannot show: that destroying a stream cancels its
producer's awaitables and closes its async generators with no task left behind,
that a slow consumer slows the producer down (nothing buffers without bound), and
what the cross deserializer does with promises and streams still pending.  Every
test runs under asyncio and trio.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest

import seroval as S
from seroval.protocol.jstext.reader import CrossDeserializer

from ...tasks import task_count

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


_task_count = task_count


async def test_the_first_chunk_is_ready_at_once_and_the_rest_follow_settlements() -> None:
    promise = S.JSPromise()
    stream = S.cross_serialize_stream({"later": promise})
    assert stream.initial.startswith("($R[0]={later:$R[1]=")
    seen: list[str] = []
    async with stream as chunks:
        async for chunk in chunks:
            seen.append(chunk)
            if len(seen) == 1:
                promise.settle(True, 42)
    assert seen[0] == stream.initial
    assert len(seen) == 2
    assert "42" in seen[1]
    assert stream.done


async def test_destroying_cancels_awaitables_closes_generators_and_leaves_no_task(
    anyio_backend: str,
) -> None:
    cancelled = anyio.Event()
    closed = anyio.Event()

    async def slow() -> int:
        try:
            await anyio.sleep_forever()
        except anyio.get_cancelled_exc_class():
            cancelled.set()
            raise
        return 1  # pragma: no cover - never reached

    async def ticker() -> AsyncIterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
                await anyio.sleep(0)
        finally:
            closed.set()

    before = _task_count(anyio_backend)
    async with S.cross_serialize_stream({"a": slow(), "b": ticker()}) as chunks:
        taken = [await chunks.__anext__() for _ in range(3)]
        assert _task_count(anyio_backend) > before
    # Leaving the block is seroval's destroy.
    assert cancelled.is_set()
    assert closed.is_set()
    assert len(taken) == 3
    assert _task_count(anyio_backend) == before
    assert chunks.done


async def test_destroy_midway_stops_output() -> None:
    gate = S.JSPromise()
    async with S.to_cross_json_stream([gate, S.JSPromise()]) as records:
        first = await records.__anext__()
        assert first["t"] == S.NodeType.ARRAY
        records.destroy()
        gate.settle(True, "late")
        assert [record async for record in records] == []
    assert records.pending == 2  # never settled: nothing more was produced


async def test_a_slow_consumer_slows_an_async_generator_down() -> None:
    produced = 0

    async def numbers() -> AsyncIterator[int]:
        nonlocal produced
        for n in range(1000):
            produced += 1
            yield n

    async with S.to_cross_json_stream(numbers()) as records:
        await records.__anext__()  # the root
        for taken in range(1, 6):
            await records.__anext__()
            await anyio.sleep(0.01)  # a slow consumer
            # The generator is pulled for the next item only once this one was taken.
            assert produced <= taken + 1
        records.destroy()
    assert produced <= 7


async def test_a_live_stream_write_settles_only_when_its_chunk_is_accepted() -> None:
    stream, producer = S.create_live_stream()
    async with S.cross_serialize_stream({"events": stream}) as chunks:
        await chunks.__anext__()  # the root
        write = producer.write("one")
        chunk = await chunks.take()  # taken, not yet accepted
        assert '"one"' in chunk
        await anyio.sleep(0.01)
        assert write.status is S.JSPromise.PENDING
        chunks.accept()
        with anyio.fail_after(5):
            assert await write is S.undefined  # fulfilled once accepted
        producer.close("end")
        rest = [c async for c in chunks]
    assert len(rest) == 1
    assert '"end"' in rest[0]


async def test_callbacks_mirror_serovals_on_serialize_on_done() -> None:
    promise = S.JSPromise()
    outputs: list[tuple[str, bool]] = []
    done: list[bool] = []

    async def on_serialize(chunk: str, initial: bool) -> None:
        outputs.append((chunk, initial))
        if initial:
            promise.settle(False, ValueError("nope"))

    await S.cross_serialize_stream_to(
        promise, on_serialize, on_done=lambda: done.append(True), scope_id="app"
    )
    assert [initial for _, initial in outputs] == [True, False]
    assert outputs[0][0].startswith("($R=>$R[0]=")
    assert "nope" in outputs[1][0]
    assert done == [True]


async def test_an_error_met_later_reaches_on_error_once() -> None:
    promise = S.JSPromise()
    errors: list[Exception] = []

    async def on_parse(node: Any, initial: bool) -> None:
        if initial:
            promise.settle(True, lambda: None)  # a function cannot be serialized

    await S.to_cross_json_stream_to(promise, on_parse, on_error=errors.append)
    assert len(errors) == 1
    assert isinstance(errors[0], S.SerovalUnsupportedTypeError)


async def test_async_apis_await_and_inline() -> None:
    async def answer() -> int:
        await anyio.sleep(0)
        return 42

    assert await S.serialize_async(answer()) == "Promise.resolve(42)"
    envelope = await S.to_json_async({"a": answer()})
    assert S.from_json(envelope)["a"].value == 42
    text = await S.cross_serialize_async(answer(), scope_id="x")
    assert text.startswith('($R=>$R[0]=Promise.resolve(42))($R["x"])')
    node = await S.to_cross_json_async(answer())
    assert node["t"] == S.NodeType.PROMISE


async def test_the_reader_settles_promises_as_records_arrive() -> None:
    promise = S.JSPromise()
    records: list[Any] = []
    async with S.to_cross_json_stream({"p": promise}) as stream:
        async for record in stream:
            records.append(record)
            if len(records) == 1:
                promise.settle(True, {"ok": True})
    reader = CrossDeserializer()
    root = reader.deserialize(records[0])
    assert reader.pending == 1
    assert root["p"].status is S.JSPromise.PENDING
    assert reader.deserialize(records[1]) is S.undefined
    assert reader.pending == 0
    assert await root["p"] == {"ok": True}


async def test_abort_rejects_promises_and_throws_into_streams() -> None:
    reader = CrossDeserializer()
    chunks: list[str] = []
    stream = S.create_stream()
    promise = S.JSPromise()
    async with S.cross_serialize_stream([promise, stream]) as produced:
        chunks.append(await produced.__anext__())
    root = reader.feed(chunks[0])
    assert reader.pending == 2
    reason = RuntimeError("gone")
    reader.abort(reason)
    assert reader.pending == 0
    with pytest.raises(RuntimeError, match="gone"):
        await root[0]
    with pytest.raises(RuntimeError, match="gone"):
        async for _ in root[1]:
            pass
    with pytest.raises(S.SerovalAbortedError):
        reader.feed("$R[9]=1")


async def test_streamed_records_may_refer_forward_but_single_trees_may_not() -> None:
    forward = {"t": 10, "i": 0, "p": {"k": ["a"], "v": [{"t": 4, "i": 5}]}, "o": 0}
    assert CrossDeserializer().deserialize(forward) == {"a": S.undefined}
    with pytest.raises(S.SerovalMissingReferenceError):
        S.from_cross_json(forward, refs=S.ReadRefs())
    with pytest.raises(S.SerovalMissingReferenceError):
        S.from_json({"t": forward, "f": 127, "m": []})


async def test_an_error_in_the_callers_block_propagates_unwrapped() -> None:
    async def forever() -> AsyncIterator[int]:
        while True:
            yield 1
            await anyio.sleep(0)

    async def use() -> None:
        async with S.cross_serialize_stream(forever()) as chunks:
            await chunks.__anext__()
            raise KeyError("the caller's own")

    with pytest.raises(KeyError):
        await use()


async def test_a_buffered_event_that_fails_lets_go_of_everything_met_after_it() -> None:
    stream = S.create_stream()
    stream.next(lambda: 1)  # a function: fails while the root is walked
    live, producer = S.create_live_stream()
    later = S.create_stream()

    async def coroutine() -> int:
        return 1

    pending = coroutine()
    refs = S.WriteRefs()
    with pytest.raises(S.SerovalUnsupportedTypeError):
        S.to_cross_json_stream([stream, live, later, pending], refs=refs)
    assert len(refs) == 0  # every id the walk took was given back
    write = producer.write("x")  # the live stream was cancelled: nobody will read it
    assert write.status == S.JSPromise.REJECTED
    with pytest.raises(RuntimeError, match="cannot reuse already awaited coroutine"):
        await pending  # closed, as a cancelled task's coroutine would be
    # The stream met after the failure is not listened to any more.
    assert [listener for listener in later._listeners if listener is not None] == []
