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
from seroval.conformance.stream_suite import STREAM_CHECKS, run_stream
from seroval.conformance.stream_vectors import (
    STREAM_VECTOR_FILE,
    StreamVector,
    load_stream_vectors,
)
from seroval.conformance.suite import NotApplicable

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
@pytest.mark.parametrize("check", list(STREAM_CHECKS), ids=list(STREAM_CHECKS))
async def test_stream_vector(vector: StreamVector, check: str) -> None:
    """One of :data:`~seroval.conformance.stream_suite.STREAM_CHECKS` (the same checks
    ``seroval conformance`` runs): streaming in the three modes, the async APIs, and
    reading seroval's records and chunks back."""
    try:
        await STREAM_CHECKS[check](vector)
    except NotApplicable as reason:
        pytest.skip(str(reason))


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
