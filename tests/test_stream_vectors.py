"""Our async and streaming serializers and readers against seroval 1.8.1's own output.

``vectors/stream/stream.jsonl.gz`` (``oracle/generate_stream.mjs``) records, for
574 values with promises, async iterables, streams and live streams that settle at
numbered steps, seroval's streamed chunks and records (with the step each came
in), its five async results, and what a page makes of the chunks.  Each vector is
checked here under asyncio and trio:

* streaming: ``cross_serialize_stream`` (plain and with a scope id) and
  ``to_cross_json_stream`` give exactly seroval's outputs, in seroval's order,
  step by step (:func:`seroval.conformance.stream_suite.run_stream`);
* async: the five async APIs give exactly seroval's results, with the promises
  as :class:`JSPromise` and as coroutines (where seroval's concurrent parsing of
  buffered stream events numbers ids by microtask timing, by value instead);
* reading: seroval's records, fed one by one to our ``CrossDeserializer``,
  rebuild the value seroval's async result describes, and its chunks rebuild
  what Node's ``eval`` made of them.
"""

from __future__ import annotations

import gzip
import subprocess
from pathlib import Path
from typing import Any

import anyio
import pytest

import seroval as S
from seroval.conformance.stream_recipes import StreamRecipeBuilder
from seroval.conformance.stream_suite import PLUGINS, expected_run, run_async, run_stream
from seroval.conformance.stream_vectors import (
    ASYNC_FIELDS,
    STREAM_VECTOR_FILE,
    StreamVector,
    load_stream_vectors,
)
from seroval.protocol.async_api import to_json_async
from seroval.protocol.js_text_read import CrossDeserializer

pytestmark = pytest.mark.anyio

VECTORS = load_stream_vectors()


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_there_are_enough_vectors() -> None:
    assert len(VECTORS) >= 500
    kinds = {kind for v in VECTORS for kind in _kinds(v.recipe)}
    assert {"promise", "asyncgen", "asynciter", "timedstream", "livestream"} <= kinds
    assert sum(1 for v in VECTORS if v.stream.error) >= 20
    assert sum(1 for v in VECTORS if len(v.stream.outputs) >= 5) >= 200


def _kinds(recipe: Any) -> set[str]:
    if not isinstance(recipe, list):
        return set()
    found = {recipe[0]} if recipe and isinstance(recipe[0], str) else set()
    for item in recipe:
        found |= _kinds(item)
    return found


@pytest.mark.parametrize("vector", VECTORS, ids=[v.name for v in VECTORS])
async def test_streaming_matches_seroval(vector: StreamVector) -> None:
    for mode in ("stream", "streamScoped", "jsonStream"):
        expected = expected_run(vector, mode)
        outcome = await run_stream(vector, mode)
        assert outcome.outputs == expected.outputs, mode
        assert outcome.error == (expected.error and expected.error["name"]), mode


@pytest.mark.parametrize("vector", VECTORS, ids=[v.name for v in VECTORS])
async def test_async_apis_match_seroval(vector: StreamVector) -> None:
    runs = [
        {field: await run_async(vector, field, promises) for field in ASYNC_FIELDS}
        for promises in ("jspromise", "coroutine")
    ]
    assert runs[0] == runs[1], "the kind of awaitable changed the result"
    ours, theirs = runs[0], vector.async_results
    if vector.async_ids_may_differ:
        # Compared by value with what seroval streamed: test_seroval_records_and_chunks_read_back.
        assert [type(ours[f]) for f in ASYNC_FIELDS] == [type(theirs[f]) for f in ASYNC_FIELDS]
    else:
        assert ours == theirs


async def _written(value: object, vector: StreamVector) -> str:
    """``value`` as to_json text, with the vector's options."""
    envelope = await to_json_async(
        value,
        plugins=PLUGINS,
        disabled_features=vector.disabled_features,
        depth_limit=vector.depth_limit,
    )
    return S.dumps_json(envelope)


async def _readable(text: str, vector: StreamVector) -> str:
    """A to_json text read back and written again (what the value is, ids renumbered)."""
    return await _written(S.from_json(S.loads_json(text), plugins=PLUGINS), vector)


async def test_streaming_with_coroutines_matches_seroval(anyio_backend: str) -> None:
    """Promises as coroutines, awaited by tasks of their own (asyncio runs ready tasks in order;
    trio in any order, which only matters when two are ready at once)."""
    if anyio_backend != "asyncio":
        pytest.skip("trio runs tasks that are ready together in a random order")
    failures = []
    for vector in VECTORS:
        outcome = await run_stream(vector, "stream", promises="coroutine")
        if outcome.outputs != vector.stream.outputs:
            failures.append(vector.name)
    assert not failures


@pytest.mark.parametrize("vector", VECTORS, ids=[v.name for v in VECTORS])
async def test_seroval_records_and_chunks_read_back(vector: StreamVector) -> None:
    StreamRecipeBuilder().build(vector.recipe)  # registers the recipe's references
    records = [S.loads_json(text) for text in vector.json_stream.outputs]
    reader = CrossDeserializer(plugins=PLUGINS, depth_limit=vector.depth_limit)
    root = reader.deserialize(records[0])
    for record in records[1:]:
        assert reader.deserialize(record) is S.undefined
    if vector.json_stream.error is not None:
        _check_abort(reader)
        return
    assert reader.pending == 0
    if _has_forward_reference(records):
        # seroval streamed a reference before the record that defines its id (an id
        # taken while a buffered stream event was parsed): a page reads undefined
        # there, as we do, so the async result is no reference for this value.
        await _check_chunks(vector)
        return
    from_records = await _written(root, vector)
    theirs = vector.async_results["json"]
    if vector.async_ids_may_differ:
        theirs = await run_async(vector, "json")
    assert isinstance(theirs, str)
    assert from_records == await _readable(theirs, vector)
    await _check_chunks(vector)


def _has_forward_reference(records: list[Any]) -> bool:
    """Whether a record refers (t:4) to an id no earlier record or node defined."""
    defined: set[int] = set()
    found = False

    def walk(node: Any) -> None:
        nonlocal found
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("t") == 4 and node.get("i") not in defined:
                found = True
            elif "i" in node and node.get("t") not in (4, 23, 24, 32, 33, 34):
                defined.add(node["i"])
            for item in node.values():
                walk(item)

    for record in records:
        walk(record)
    return found


async def _check_chunks(vector: StreamVector) -> None:
    chunks = vector.stream.outputs
    reader = CrossDeserializer(plugins=PLUGINS, depth_limit=vector.depth_limit)
    evaluated = vector.evaluated
    if isinstance(evaluated, dict):
        error = evaluated["error"]
        if error["stage"] == "eval":
            # seroval sent a chunk that uses an id a later chunk defines (JS throws too).
            for chunk in chunks[: error["chunk"]]:
                reader.feed(chunk)
            with pytest.raises(S.SerovalError):
                reader.feed(chunks[error["chunk"]])
        return
    root = reader.feed(chunks[0])
    for chunk in chunks[1:]:
        reader.feed(chunk)
    assert reader.pending == 0
    ours = await _written(root, vector)
    if not vector.evaluated_ids_may_differ:
        assert ours == evaluated
    # Otherwise seroval's toJSONAsync of the page's value parsed the events its
    # streams held concurrently: it numbered ids by microtask timing and may have
    # written a forward reference its own fromJSON reads as undefined, so its text
    # is no faithful reference.  The chunks still had to read back completely.


def _check_abort(reader: CrossDeserializer) -> None:
    reader.abort(S.undefined)
    assert reader.pending == 0
    with pytest.raises(S.SerovalAbortedError):
        reader.deserialize({"t": 0, "s": 1})


@pytest.mark.node
def test_the_stream_vectors_are_reproducible(oracle_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "stream.jsonl.gz"
    subprocess.run(
        ["node", "generate_stream.mjs", "--out", str(out)],
        cwd=oracle_dir,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(STREAM_VECTOR_FILE.read_bytes())


def test_anyio_is_the_only_event_loop_library() -> None:
    """Library code runs under asyncio and trio: it never imports asyncio itself."""
    root = Path(S.__file__).parent
    for path in [*root.glob("protocol/*.py"), *root.glob("conformance/stream_*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "import asyncio" not in text, path
        assert "from asyncio" not in text, path
    assert anyio  # the one it uses
