"""Linear scaling: 10x the input should cost about 10x the time and memory.

Run it with ``python -m benchmarks.scaling`` (``--quick`` for a smaller run,
``--large`` for JSON-like records of 1, 10 and 100 MB of JSON text).  For
each payload family it measures writing (``to_json`` + ``dumps_json``) and reading
(``loads_json`` + ``from_json``) at three sizes, each ten times the last, and prints
the time and peak-memory ratios between consecutive sizes.  A linear
implementation shows ratios near 10; quadratic behaviour shows ~100.  Times are the
best of several repeats, measured in one run, so the machine's noise cancels out in
the ratios; no absolute figure is asserted anywhere.

``--fused`` measures ``to_json_text`` / ``from_json_text`` instead, and ``--js``
``serialize`` / ``deserialize`` (JS text), on the active backend (the native core
where built; ``SEROVAL_PURE=1`` for pure Python).
"""

from __future__ import annotations

import argparse
import gc
import json
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import pairwise
from typing import Any

import seroval as S


def records(count: int) -> list[dict[str, Any]]:
    """JSON-like records (about 180 bytes of JSON each)."""
    return [
        {
            "id": index,
            "name": f"user{index}",
            "email": f"user{index}@example.com",
            "score": (index * 37 % 1000) / 7,
            "tags": ["alpha", "beta", "gamma"],
            "active": index % 2 == 0,
            "address": {"city": f"City{index % 97}", "zip": f"{index:05d}"},
            "note": None,
        }
        for index in range(count)
    ]


def graph(count: int) -> dict[str, Any]:
    """Nodes with shared references, cycles, Maps, Sets and Dates."""
    epoch = datetime(2024, 1, 1, tzinfo=UTC)
    shared = {"kind": "shared", "at": epoch}
    nodes: list[dict[str, Any]] = []
    for index in range(count):
        node: dict[str, Any] = {
            "id": index,
            "when": epoch + timedelta(minutes=index),
            "shared": shared,
            "labels": S.JSSet([f"l{index % 5}", "all"]),
        }
        if nodes:
            node["parent"] = nodes[(index - 1) // 2]
        nodes.append(node)
    index_map: S.JSMap[Any, Any] = S.JSMap((node["id"], node) for node in nodes)
    root = {"nodes": nodes, "index": index_map}
    root["self"] = root
    return root


def nested(depth: int) -> Any:
    """Arrays nested ``depth`` deep (one ten-element level per step)."""
    value: Any = list(range(10))
    for _ in range(depth):
        value = [value, *range(9)]
    return value


def best_time(function: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(function: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


#: Set by ``--fused``: measure the one-call text forms instead of node tree + text.
FUSED = False
#: Set by ``--js``: measure ``serialize`` / ``deserialize``.
JS = False


def measure(family: str, build: Callable[[int], Any], sizes: list[int], repeats: int) -> None:
    if JS:
        family += f" (serialize / deserialize, {S.backend()})"
    elif FUSED:
        family += f" (to_json_text / from_json_text, {S.backend()})"
    print(f"\n{family}")
    print(f"  {'size':>8} {'write ms':>10} {'read ms':>10} {'write MB':>9} {'read MB':>9}")
    rows: list[tuple[float, float, int, int]] = []
    for size in sizes:
        value = build(size)
        text = S.serialize(value) if JS else S.dumps_json(S.to_json(value))

        def write(value: Any = value) -> str:
            if JS:
                return S.serialize(value)
            if FUSED:
                return S.to_json_text(value)
            return S.dumps_json(S.to_json(value))

        def read(text: str = text) -> Any:
            if JS:
                return S.deserialize(text)
            if FUSED:
                return S.from_json_text(text)
            return S.from_json(S.loads_json(text))

        row = (
            best_time(write, repeats),
            best_time(read, repeats),
            peak_memory(write),
            peak_memory(read),
        )
        rows.append(row)
        print(
            f"  {size:>8} {row[0] * 1e3:>10.2f} {row[1] * 1e3:>10.2f}"
            f" {row[2] / 1e6:>9.2f} {row[3] / 1e6:>9.2f}"
        )
    for small, large, a, b in zip(sizes, sizes[1:], rows, rows[1:], strict=False):
        ratios = [b[0] / a[0], b[1] / a[1], b[2] / a[2], b[3] / a[3]]
        step = f"  x{large // small} ({small}->{large}):"
        print(
            f"{step} time write {ratios[0]:.1f}x read {ratios[1]:.1f}x,"
            f" memory write {ratios[2]:.1f}x read {ratios[3]:.1f}x"
        )


def large(megabytes: list[int]) -> None:
    """JSON-like records at sizes given in MB of JSON text (one run each; slow).

    stdlib ``json`` on the same records at the same sizes is the baseline: what
    growing memory alone (caches, allocation) costs a linear algorithm here.
    """
    per_record = len(S.dumps_json(S.to_json(records(1000)))) / 1000
    sizes = [max(1, int(mb * 1e6 / per_record)) for mb in megabytes]
    print(f"records by size of JSON text ({', '.join(f'{mb} MB' for mb in megabytes)})")
    measure("records (JSON-like), large", records, sizes, 1)
    print("\nstdlib json on the same records (the baseline)")
    baseline: list[tuple[float, float]] = []
    for size in sizes:
        value = records(size)
        text = json.dumps(value)
        row = (
            best_time(partial(json.dumps, value), 1),
            best_time(partial(json.loads, text), 1),
        )
        baseline.append(row)
        print(f"  {size:>8} {row[0] * 1e3:>10.2f} {row[1] * 1e3:>10.2f}")
    for small, large_row in pairwise(baseline):
        print(
            f"  x10: time dumps {large_row[0] / small[0]:.1f}x loads {large_row[1] / small[1]:.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument(
        "--large",
        action="store_true",
        help="records at 1, 10 and 100 MB of JSON text instead (needs ~10 GB of memory)",
    )
    parser.add_argument(
        "--fused", action="store_true", help="to_json_text / from_json_text (active backend)"
    )
    parser.add_argument("--js", action="store_true", help="serialize / deserialize (active)")
    arguments = parser.parse_args()
    global FUSED, JS
    FUSED = arguments.fused
    JS = arguments.js
    if arguments.large:
        large([1, 10, 100])
        return
    base = 100 if arguments.quick else 300
    repeats = 2 if arguments.quick else 3
    sizes = [base, base * 10, base * 100]
    measure("records (JSON-like)", records, sizes, repeats)
    measure("graph (shared refs, cycles, Map, Set, Date)", graph, sizes, repeats)
    measure("nesting (depth)", nested, [9, 99, 998], repeats)


if __name__ == "__main__":
    main()
