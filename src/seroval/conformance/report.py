"""Every conformance check, counted by supported type and form: what ``seroval conformance`` shows.

Three sets of vectors, all written by the real seroval 1.8.1:

* the core and random vectors (:mod:`.suite`): the sync forms, nodes and JS text;
* the web plugin and Temporal vectors (:mod:`.web_suite`): sync, async and stream;
* the stream vectors (:mod:`.stream_suite`): ``cross_serialize_stream`` and
  ``to_cross_json_stream`` step by step, the five async APIs, and seroval's
  records and chunks read back.

The node trees of each set also go through every codec (the stream records
framed, as a stream sends them).  The async checks run under anyio, on asyncio
unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Final

import anyio

from ..codecs import FrameDecoder, encode_frame
from ..protocol.tree.json_text import dumps_json, loads_json
from . import stream_suite, suite, web_suite
from .stream_vectors import StreamVector, load_stream_vectors
from .suite import NotApplicable, Outcome
from .vectors import Vector
from .web_recipes import load_web_vectors

__all__ = ["CODECS", "COLUMNS", "FORMS", "run"]

CODECS: Final = ("json", "msgpack", "cbor")

#: The columns of the table, in order.
COLUMNS: Final = ("sync nodes", "js text", "async", "stream", *CODECS)

#: The column each check counts in.
FORMS: Final[dict[str, str]] = {
    **suite.FORMS,
    # web_suite.SYNC_CHECKS (the first four share suite's names and forms)
    "async json read": "async",
    "async js text read": "async",
    "stream read": "stream",
    # web_suite.ASYNC_CHECKS
    "async python value": "async",
    "async round trip": "async",
    # stream_suite.STREAM_CHECKS
    "cross_serialize_stream": "stream",
    "cross_serialize_stream scoped": "stream",
    "to_cross_json_stream": "stream",
    "async apis": "async",
    "stream records read back": "stream",
    "stream chunks read back": "stream",
}

Progress = Callable[[int, int], None]


def web_group(vector: Vector) -> str:
    """``web/url``, ``temporal/Instant``: the plugin or Temporal class a vector is about."""
    return "/".join(vector.name.split("/")[:2])


def stream_group(vector: StreamVector) -> str:
    return vector.name.split("/")[0]


def _framed_round_trip(records: list[str], name: str) -> None:
    codec = suite.installed_codec(name)
    data = b"".join(encode_frame(codec.encode(loads_json(text))) for text in records)
    decoder = FrameDecoder(codec)
    trees = decoder.feed(data)
    decoder.close()
    suite._expect([dumps_json(tree) for tree in trees], records, f"{name} framed records")


def check_stream_codec(vector: StreamVector, name: str) -> None:
    """seroval's streamed records, framed through a codec and read back, are the same records."""
    if not vector.json_stream.outputs:
        raise NotApplicable("seroval streamed no records")
    _framed_round_trip(vector.json_stream.outputs, name)


def check_web_codec(vector: Vector, name: str) -> None:
    """Every node tree seroval wrote for a web or Temporal value (sync, async and streamed)
    goes through a codec and back unchanged."""
    codec = suite.installed_codec(name)
    texts = [vector.json, vector.cross_json]
    part = vector.raw.get("async") or {}
    if part.get("error") is None:
        texts += [part.get("json"), part.get("crossJson")]
    trees = [text for text in texts if text is not None]
    records = (vector.raw.get("stream") or {}).get("nodes") or []
    if not trees and not records:
        raise NotApplicable("seroval wrote no node tree for this value")
    for text in trees:
        suite._expect(dumps_json(codec.decode(codec.encode(loads_json(text)))), text, name)
    if records:
        _framed_round_trip(records, name)


class _Tally:
    """Records each check's result in an Outcome: any surprise is a failure, not a crash."""

    def __init__(self, outcome: Outcome, group: str, name: str) -> None:
        self.outcome, self.group, self.name = outcome, group, name

    def sync(self, check_name: str, check: Callable[[], None]) -> None:
        try:
            check()
        except NotApplicable:
            return
        except Exception as error:
            self.outcome.record(self.group, check_name, error, self.name)
        else:
            self.outcome.record(self.group, check_name, None, self.name)

    async def wait(self, check_name: str, check: Callable[[], Awaitable[None]]) -> None:
        try:
            await check()
        except NotApplicable:
            return
        except Exception as error:
            self.outcome.record(self.group, check_name, error, self.name)
        else:
            self.outcome.record(self.group, check_name, None, self.name)


async def _run_web(vectors: list[Vector], outcome: Outcome, progress: Progress | None) -> None:
    for index, vector in enumerate(vectors):
        tally = _Tally(outcome, web_group(vector), vector.name)
        for check_name, check in web_suite.SYNC_CHECKS.items():
            tally.sync(check_name, partial(check, vector))
        for codec in CODECS:
            tally.sync(f"{codec} codec", partial(check_web_codec, vector, codec))
        for check_name, async_check in web_suite.ASYNC_CHECKS.items():
            await tally.wait(check_name, partial(async_check, vector))
        if progress is not None:
            progress(index + 1, len(vectors))


async def _run_stream(
    vectors: list[StreamVector], outcome: Outcome, progress: Progress | None
) -> None:
    for index, vector in enumerate(vectors):
        tally = _Tally(outcome, stream_group(vector), vector.name)
        for check_name, check in stream_suite.STREAM_CHECKS.items():
            await tally.wait(check_name, partial(check, vector))
        for codec in CODECS:
            tally.sync(f"{codec} codec", partial(check_stream_codec, vector, codec))
        if progress is not None:
            progress(index + 1, len(vectors))


def run(
    progress: Callable[[str], Progress | None] | None = None, backend: str = "asyncio"
) -> Outcome:
    """Run every check over every committed vector set.

    ``progress(label)`` gives a ``(done, total)`` callback for each set, or ``None``.
    """

    def phase(label: str) -> Progress | None:
        return progress(label) if progress is not None else None

    outcome = suite.run(progress=phase("core vectors"))
    web_vectors = load_web_vectors()
    stream_vectors = load_stream_vectors()

    async def run_async_sets() -> None:
        await _run_web(web_vectors, outcome, phase("web and Temporal vectors"))
        await _run_stream(stream_vectors, outcome, phase("stream vectors"))

    anyio.run(run_async_sets, backend=backend)
    return outcome
