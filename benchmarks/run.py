"""The performance table: this library against seroval on V8 and Python's serializers.

Run it with ``python -m benchmarks.run`` (``--quick`` for fewer repeats).  Every
figure comes from the same run on the same machine, and the table reports ratios
(ours over each reference), so the machine's speed cancels out; absolute times
are shown for context only.

Payloads (``benchmarks/payloads.py``): 1,000 JSON-like records (~200 KB), an object
graph of ~10,000 nodes with shared references, cycles, Maps, Sets and Dates, ~1 MB
of typed arrays, nesting 1,000 deep, and a stream of 10,000 small items.

Operations: ``to_json`` + JSON text, reading JSON text back, and on each backend
(``native``: the Rust core, ``pure``: the Python reference; the native rows are
left out when the core is not built) the fused ``to_json_text`` /
``from_json_text``, ``serialize`` (JS text) and ``deserialize`` (our safe JS
reader; seroval's is ``eval``, timed on a distinct text each run, as a client
meets them: V8 caches what it compiled for a text, and the rows marked "same text"
compare with eval of one text again and again), and the msgpack and CBOR round
trips; references: stdlib ``json``, ``orjson`` (when installed) and ``pickle``
where the payload allows, and seroval 1.8.1 on Node through the pinned oracle.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import subprocess
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import anyio

import seroval as S
from seroval.codecs import get_codec
from seroval.protocol.tree.backend import forced, native_available

from .payloads import PAYLOADS

Timing = dict[str, float]

#: The payloads that are plain JSON data, so stdlib json and orjson can take them.
JSON_COMPATIBLE = {"records", "deep", "stream_items"}


def best_ms(operation: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` runs, in milliseconds, after one warm-up run."""
    operation()
    fastest = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        operation()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest * 1000


def peak_mb(operation: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        operation()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def ours(value: Any, repeats: int) -> tuple[Timing, Timing]:
    """Times (ms) and peak memory (MB) of our operations on one value."""
    text = S.dumps_json(S.to_json(value))
    js = S.serialize(value)
    operations: dict[str, Callable[[], object]] = {
        "to_json+text": lambda: S.dumps_json(S.to_json(value)),
        "text+from_json": lambda: S.from_json(S.loads_json(text)),
    }
    for name in ("msgpack", "cbor"):
        operations.update(_codec_operations(name, value))
    times = {name: best_ms(operation, repeats) for name, operation in operations.items()}
    memory = {name: peak_mb(operation) for name, operation in operations.items()}
    for backend in BACKENDS:
        fused: dict[str, Callable[[], object]] = {
            f"to_json_text {backend}": lambda: S.to_json_text(value),
            f"from_json_text {backend}": lambda: S.from_json_text(text),
            f"serialize {backend}": lambda: S.serialize(value),
            f"deserialize {backend}": lambda: S.deserialize(js),
        }
        with forced("native" if backend == "native" else "python"):
            for name, operation in fused.items():
                times[name] = best_ms(operation, repeats)
                memory[name] = peak_mb(operation)
    return times, memory


#: The backends the fused rows are measured on (the native one only where it is built).
BACKENDS = ("native", "pure") if native_available() else ("pure",)


def _codec_operations(name: str, value: Any) -> dict[str, Callable[[], object]]:
    codec = get_codec(name)
    data = codec.encode(S.to_json(value))
    return {
        f"{name} write": lambda: codec.encode(S.to_json(value)),
        f"{name} read": lambda: S.from_json(codec.decode(data)),
    }


def python_references(name: str, value: Any, repeats: int) -> Timing:
    """stdlib json, orjson and pickle on the same value, where they can take it."""
    timings: Timing = {}
    if name in JSON_COMPATIBLE:
        try:
            text = json.dumps(value)
            json.loads(text)
        except RecursionError:  # stdlib json cannot nest this deep
            text = ""
        if text:
            timings["json.dumps"] = best_ms(lambda: json.dumps(value), repeats)
            timings["json.loads"] = best_ms(lambda: json.loads(text), repeats)
            timings["json.dumps peak MB"] = peak_mb(lambda: json.dumps(value))
            timings["json.loads peak MB"] = peak_mb(lambda: json.loads(text))
        try:
            import orjson
        except ImportError:
            pass
        else:
            try:
                data = orjson.dumps(value)
            except orjson.JSONEncodeError:  # orjson refuses more than 255 levels
                data = b""
            if data:
                timings["orjson.dumps"] = best_ms(lambda: orjson.dumps(value), repeats)
                timings["orjson.loads"] = best_ms(lambda: orjson.loads(data), repeats)
    try:
        blob = pickle.dumps(value, protocol=5)
    except (pickle.PicklingError, TypeError, RecursionError):
        return timings
    timings["pickle.dumps"] = best_ms(lambda: pickle.dumps(value, protocol=5), repeats)
    timings["pickle.loads"] = best_ms(lambda: pickle.loads(blob), repeats)
    return timings


def seroval_on_node(payloads: dict[str, Any], stream: list[Any], repeats: int) -> dict[str, Timing]:
    """seroval 1.8.1's own times on V8 (empty when Node.js is not available)."""
    from seroval.conformance.oracle import OracleUnavailable, ensure_oracle

    try:
        folder = ensure_oracle()
    except OracleUnavailable as error:
        print(f"(seroval on Node skipped: {error})")
        return {}
    request = {
        "repeats": repeats,
        "payloads": {name: S.dumps_json(S.to_json(value)) for name, value in payloads.items()},
        "streams": {"stream_items": [S.dumps_json(S.to_json(item)) for item in stream]},
    }
    result = subprocess.run(
        ["node", "bench.mjs"],
        cwd=folder,
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
    )
    timings: dict[str, Timing] = json.loads(result.stdout)
    return timings


def stream_ms(items: list[Any], repeats: int) -> float:
    """Sending each item as a cross-mode chunk, all sharing one refs space."""

    def send() -> None:
        refs = S.WriteRefs()
        for item in items:
            S.cross_serialize(item, refs=refs)

    return best_ms(send, repeats)


def streaming_ms(items: list[Any], repeats: int) -> tuple[float, float]:
    """``cross_serialize_stream`` over an async generator of the items, and reading
    the chunks back one by one with a ``CrossDeserializer`` (best of ``repeats``)."""
    chunks: list[str] = []

    async def produce(keep: bool) -> None:
        async def generate() -> Any:
            for item in items:
                yield item

        async with S.cross_serialize_stream(generate()) as stream:
            async for chunk in stream:
                if keep:
                    chunks.append(chunk)

    def send() -> None:
        anyio.run(produce, False)

    def read() -> None:
        reader = S.CrossDeserializer()
        for chunk in chunks:
            reader.feed(chunk)

    anyio.run(produce, True)
    return best_ms(send, repeats), best_ms(read, repeats)


def ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.2f}x"


COMPARISONS = [
    ("to_json+text", "json.dumps", "toJSON+stringify"),
    ("text+from_json", "json.loads", "parse+fromJSON"),
    *(
        row
        for backend in BACKENDS
        for row in (
            (f"to_json_text {backend}", "json.dumps", "toJSON+stringify"),
            (f"from_json_text {backend}", "json.loads", "parse+fromJSON"),
            (f"serialize {backend}", "json.dumps", "serialize"),
            (f"deserialize {backend}", "json.loads", "deserialize (eval)"),
        )
    ),
    ("msgpack write", "json.dumps", None),
    ("msgpack read", "json.loads", None),
    ("cbor write", "json.dumps", None),
    ("cbor read", "json.loads", None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 7")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    arguments = parser.parse_args()
    repeats = 3 if arguments.quick else 7
    values = {name: build() for name, build in PAYLOADS.items() if name != "stream_items"}
    stream = PAYLOADS["stream_items"]()
    node = seroval_on_node(values, stream, repeats)
    figures: dict[str, Any] = {}
    header = (
        f"{'payload':<13} {'operation':<22} {'ours ms':>9} {'peak MB':>8}"
        f" {'vs python':>22} {'vs seroval/V8':>16}"
    )
    print(header)
    print("-" * len(header))
    for name, value in values.items():
        times, memory = ours(value, repeats)
        references = python_references(name, value, repeats)
        figures[name] = {
            "ours": times,
            "peak_mb": memory,
            "python": references,
            "node": node.get(name, {}),
        }
        for operation, python_name, node_name in COMPARISONS:
            python_ms = references.get(python_name) if python_name else None
            node_ms = node.get(name, {}).get(node_name) if node_name else None
            versus_python = (
                f"{ratio(times[operation], python_ms)} {python_name}" if python_ms else "-"
            )
            print(
                f"{name:<13} {operation:<22} {times[operation]:>9.2f} {memory[operation]:>8.1f}"
                f" {versus_python:>22} {ratio(times[operation], node_ms):>16}"
            )
        cached = node.get(name, {}).get("deserialize (eval, same text)")
        for backend in BACKENDS if cached else ():
            # V8's eval cache: the same text again is neither parsed nor compiled.
            print(
                f"{name:<13} {'(' + backend + ', same text)':<22} {'':>9} {'':>8} {'-':>22}"
                f" {ratio(times[f'deserialize {backend}'], cached):>16}"
            )
        if "json.dumps peak MB" in references:
            peaks = (
                f"dumps {references['json.dumps peak MB']:.1f},"
                f" loads {references['json.loads peak MB']:.1f}"
            )
            print(f"{'':<13} {'(json peak MB)':<22} {'':>9} {'':>8} {peaks:>22}")
        if "pickle.dumps" in references:
            print(
                f"{'':<13} {'(pickle)':<22} {'':>9} {'':>8}"
                f" {ratio(times['to_json+text'], references['pickle.dumps']) + ' dumps':>22}"
            )
    ours_stream = stream_ms(stream, repeats)
    streamed, read_back = streaming_ms(stream, repeats)
    node_times = node.get("stream_items", {})
    rows = [
        ("chunk per item", ours_stream, "crossSerialize per item (shared refs)"),
        ("stream (async)", streamed, "crossSerializeStream"),
        ("read chunks", read_back, "eval chunks"),
        ("(read, same texts)", read_back, "eval chunks, same texts"),
    ]
    for label, ms, node_name in rows:
        print(
            f"{'stream_items':<13} {label:<22} {ms:>9.2f} {'':>8} {'-':>22}"
            f" {ratio(ms, node_times.get(node_name)):>16}"
        )
    figures["stream_items"] = {
        "ours": {label: ms for label, ms, _ in rows},
        "node": node_times,
    }
    if arguments.json:
        with open(arguments.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)


if __name__ == "__main__":
    main()
