"""The committed conformance vectors, produced by the real seroval (``oracle/generate.mjs``)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["VECTOR_DIR", "Vector", "load_vectors"]

VECTOR_DIR = Path(__file__).parent / "vectors"


@dataclass(frozen=True)
class Vector:
    """One value as seroval 1.8.1 writes it (the fields of RECIPES.md, snake_cased)."""

    name: str
    recipe: Any
    native: bool
    python: str | None
    disabled_features: int
    depth_limit: int
    json: str | None
    cross_json: str | None
    serialize: str | None
    cross_serialize: str | None
    cross_scoped: str | None
    error: str | None
    json_round_trip: str | None
    raw: dict[str, Any]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Vector:
        error = record.get("error")
        return cls(
            name=record["name"],
            recipe=record.get("recipe"),
            native=bool(record.get("native")),
            python=record.get("python"),
            disabled_features=record.get("disabledFeatures", 0),
            depth_limit=record.get("depthLimit", 1000),
            json=record.get("json"),
            cross_json=record.get("crossJson"),
            serialize=record.get("serialize"),
            cross_serialize=record.get("crossSerialize"),
            cross_scoped=record.get("crossScoped"),
            error=error["name"] if error else None,
            json_round_trip=record.get("jsonRoundTrip"),
            raw=record,
        )


def _lines(path: Path) -> Iterator[str]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def load_vectors(*groups: str, directory: Path = VECTOR_DIR) -> list[Vector]:
    """Vectors from ``<group>.jsonl`` (or ``.jsonl.gz``) files; all groups when none is named."""
    paths = sorted(directory.glob("*.jsonl")) + sorted(directory.glob("*.jsonl.gz"))
    if groups:
        paths = [p for p in paths if p.name.split(".")[0] in groups]
    vectors: list[Vector] = []
    for path in paths:
        for line in _lines(path):
            if line.strip():
                vectors.append(Vector.from_record(json.loads(line)))
    return vectors
