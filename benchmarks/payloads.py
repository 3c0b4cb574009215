"""Benchmark payloads: Python values in seroval's value model, the same every run.

Each builder returns a fresh value; :data:`PAYLOADS` names them with their
default sizes.  They cover the shapes that stress a serializer differently:

* ``records``: 1,000 JSON-like records (about 200 KB as plain JSON): many small
  objects, strings and numbers, no sharing;
* ``graph``: an object graph of about 10,000 nodes with shared references,
  cycles, Maps, Sets and Dates: ids, IndexedValue nodes and the ``m`` list;
* ``typed_arrays``: about 1 MB of typed arrays: a few large base64 payloads;
* ``deep``: an object nested 1,000 deep (seroval's default depth limit):
  ~3,000 levels of nodes;
* ``stream_items``: 10,000 small values sent one by one, as a stream's chunks.

Built with a fixed seed, so sizes and contents are identical between runs and
machines.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import seroval as S

__all__ = ["PAYLOADS", "deep", "graph", "records", "stream_items", "typed_arrays"]

_EPOCH: Final = datetime(2024, 1, 1, tzinfo=UTC)
_WORDS: Final = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta")


def records(count: int = 1_000, *, seed: int = 1) -> list[dict[str, Any]]:
    """JSON-like records, about 200 bytes of plain JSON each."""
    rng = random.Random(seed)
    return [
        {
            "id": index,
            "name": f"User {index}",
            "email": f"user{index}@example.com",
            "active": rng.random() < 0.5,
            "score": round(rng.uniform(0, 100), 3),
            "visits": rng.randrange(10_000),
            "tags": rng.sample(_WORDS, rng.randrange(4)),
            "address": {
                "street": f"{rng.randrange(1, 999)} Main Street",
                "city": rng.choice(("Lyon", "Oslo", "Kyoto", "Lima", "Perth")),
                "zip": f"{rng.randrange(100_000):05d}",
            },
            "note": None if index % 3 else "café ☕",
        }
        for index in range(count)
    ]


def graph(people: int = 620, *, seed: int = 2) -> dict[str, Any]:
    """People who know each other (cycles), share teams (shared references) and
    carry Dates, Sets and Maps; 620 people make about 10,000 nodes."""
    rng = random.Random(seed)
    teams = [{"name": f"team {n}", "since": _EPOCH - timedelta(days=n)} for n in range(20)]
    everyone: list[dict[str, Any]] = []
    for index in range(people):
        person: dict[str, Any] = {
            "id": index,
            "joined": _EPOCH + timedelta(minutes=rng.randrange(10**6)),
            "team": rng.choice(teams),
            "friends": S.JSSet(),
            "scores": S.JSMap([(word, rng.randrange(100)) for word in rng.sample(_WORDS, 2)]),
        }
        everyone.append(person)
    for person in everyone:
        for friend in rng.sample(everyone, 3):
            person["friends"].add(friend)
    by_id: S.JSMap[Any, Any] = S.JSMap((p["id"], p) for p in everyone)
    root: dict[str, Any] = {"people": everyone, "teams": teams, "index": by_id}
    root["self"] = root
    return root


def typed_arrays(total_bytes: int = 1_048_576, *, seed: int = 3) -> list[S.JSTypedArray]:
    """Half Float64Array, a quarter Int32Array, a quarter Uint8Array (one shares a buffer)."""
    rng = random.Random(seed)
    floats = total_bytes // 2 // 8
    ints = total_bytes // 4 // 4
    data = struct.pack(f"<{floats}d", *(rng.gauss(0, 1) for _ in range(floats)))
    int_buffer = bytearray(
        struct.pack(f"<{ints}i", *(rng.randrange(-(2**31), 2**31) for _ in range(ints)))
    )
    octets = bytearray(rng.randbytes(total_bytes // 4))
    return [
        S.JSTypedArray("Float64Array", bytearray(data)),
        S.JSTypedArray("Int32Array", int_buffer),
        S.JSTypedArray("Uint8Array", octets),
        S.JSTypedArray("Uint8Array", octets, 16, 64),
    ]


def deep(levels: int = 1_000) -> dict[str, Any]:
    """``{"level": 998, "next": {… {"level": 0, "next": {}}}}``: ``levels`` objects, nested.

    1,000 is the most seroval's default ``depth_limit`` allows.
    """
    value: dict[str, Any] = {}
    for level in range(levels - 1):
        value = {"level": level, "next": value}
    return value


def stream_items(count: int = 10_000, *, seed: int = 4) -> list[dict[str, Any]]:
    """Small values as a stream sends them one chunk at a time (each a few dozen bytes)."""
    rng = random.Random(seed)
    return [
        {"seq": index, "value": round(rng.random(), 6), "label": rng.choice(_WORDS)}
        for index in range(count)
    ]


PAYLOADS: Final[dict[str, Callable[[], Any]]] = {
    "records": records,
    "graph": graph,
    "typed_arrays": typed_arrays,
    "deep": deep,
    "stream_items": stream_items,
}
"""The payloads by name, each built at its default size."""
