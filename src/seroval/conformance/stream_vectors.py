"""The stream vectors (``oracle/generate_stream.mjs``): what seroval streams and awaits.

Each vector is a recipe with settlement steps (RECIPES.md, "Async values and
settlement steps") and what seroval 1.8.1 made of it: the ``crossSerializeStream``
chunks (plain and scoped) and ``toCrossJSONStream`` records, each with the step
it came in; the five async results; and what a page makes of the chunks.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .vectors import VECTOR_DIR

__all__ = [
    "ASYNC_FIELDS",
    "STREAM_VECTOR_FILE",
    "StreamRun",
    "StreamVector",
    "async_ids_may_differ",
    "load_stream_vectors",
]

STREAM_VECTOR_FILE: Final = VECTOR_DIR / "stream" / "stream.jsonl.gz"
ASYNC_FIELDS: Final = ("serialize", "json", "crossSerialize", "crossJson", "crossScoped")

# Recipe kinds that never get an id (a JSON primitive is not a list at all).
_PRIMITIVE_KINDS: Final = frozenset({"undefined", "number", "bigint", "pyint"})
# Recipe kinds whose events seroval's async parser may parse concurrently.
_PUSH_STREAM_KINDS: Final = frozenset({"timedstream", "stream"})
_ALL_STREAM_KINDS: Final = _PUSH_STREAM_KINDS | {"asyncgen", "asynciter", "livestream"}
_EVENT_KINDS: Final = frozenset({"next", "throw", "return"})


@dataclass(frozen=True)
class StreamRun:
    """One streaming run: the outputs, the step each came in, and the error, if any."""

    outputs: list[str]
    at: list[int]
    error: dict[str, Any] | None

    def count_until(self, step: int) -> int:
        """How many outputs had come once ``step`` was over (the error ends the run)."""
        count = sum(1 for at in self.at if at <= step)
        if self.error is not None and self.error["at"] <= step:
            count = min(count, self.error["after"])
        return count


@dataclass(frozen=True)
class StreamVector:
    name: str
    recipe: Any
    steps: int
    disabled_features: int
    depth_limit: int
    stream: StreamRun
    stream_scoped: StreamRun
    json_stream: StreamRun
    async_results: dict[str, Any]
    evaluated: Any

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> StreamVector:
        options = record.get("options") or {}

        def run(field: str, key: str) -> StreamRun:
            data = record[field]
            return StreamRun(data[key], data["at"], data["error"])

        return cls(
            name=record["name"],
            recipe=record["recipe"],
            steps=record["steps"],
            disabled_features=options.get("disabledFeatures", 0),
            depth_limit=options.get("depthLimit", 1000),
            stream=run("stream", "chunks"),
            stream_scoped=run("streamScoped", "chunks"),
            json_stream=run("jsonStream", "nodes"),
            async_results=record["async"],
            evaluated=record.get("evaluated"),
        )

    @property
    def async_ids_may_differ(self) -> bool:
        return async_ids_may_differ(self.recipe)

    @property
    def evaluated_ids_may_differ(self) -> bool:
        """:func:`async_ids_may_differ` for the value a page rebuilt from the chunks: every
        async iterable and live stream in it became a stream holding all its events."""
        return async_ids_may_differ(self.recipe, _ALL_STREAM_KINDS)


def async_ids_may_differ(recipe: Any, kinds: frozenset[str] = _PUSH_STREAM_KINDS) -> bool:
    """Whether seroval's async mode can number this value differently from ours.

    seroval's async parser parses the events of a push-based stream that it gets
    together (those it buffered, for one) concurrently: the ids inside their
    values interleave by microtask timing, and a later event can even take the
    full node of an object an earlier one refers to (a forward reference its own
    ``fromJSON`` reads as ``undefined``).  We parse each event whole, in order.
    That can only matter when an event holds something with an id and a later
    event of the same stream also does; such vectors are compared by value.
    """
    if not isinstance(recipe, list) or not recipe:
        return False
    events = _stream_events(recipe, kinds)
    if events is not None:
        with_ids = [_has_id(event[1]) for event in events]
        if any(flag and any(with_ids[index + 1 :]) for index, flag in enumerate(with_ids)):
            return True
    return any(async_ids_may_differ(item, kinds) for item in recipe)


def _stream_events(recipe: list[Any], kinds: frozenset[str]) -> list[list[Any]] | None:
    """The events of a stream recipe (``[kind, id, events]``, or ``[kind, events]`` for an
    async iterable), or ``None`` when ``recipe`` is not one (an object's ``["stream", x]``
    property pair, say)."""
    if type(recipe[0]) is not str or recipe[0] not in kinds:
        return None
    shape = recipe[1:] if recipe[0] == "asynciter" else recipe[2:] if type(recipe[1]) is int else []
    if len(shape) != 1 or not isinstance(shape[0], list):
        return None
    events = shape[0]
    for event in events:
        if not isinstance(event, list) or len(event) not in (2, 3) or event[0] not in _EVENT_KINDS:
            return None
    return events


def _has_id(recipe: Any) -> bool:
    return isinstance(recipe, list) and bool(recipe) and recipe[0] not in _PRIMITIVE_KINDS


def load_stream_vectors(path: Path = STREAM_VECTOR_FILE) -> list[StreamVector]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [StreamVector.from_record(json.loads(line)) for line in handle if line.strip()]
