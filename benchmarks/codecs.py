"""Codec benchmark: each codec's size and speed as ratios to the JSON codec.

Run it with ``python -m benchmarks.codecs`` (or ``python benchmarks/codecs.py``);
``--repeat``, ``--payload`` and ``--codec`` narrow it down.  Every payload of
:mod:`benchmarks.payloads` is turned into its node tree once, outside the
timings (the stream payload into one cross-JSON node per item, sharing refs,
as a stream sends them); then for each codec it measures

* **size**: the encoded bytes (for the stream: all frames, headers included);
* **encode**: tree -> bytes (stream: every item encoded and framed);
* **decode**: bytes -> tree (stream: a :class:`~seroval.codecs.FrameDecoder`
  fed 64 KiB network-sized chunks).

Times are the best of ``--repeat`` runs with the garbage collector paused, all in
one process, and are printed as ratios to JSON's (below 1 is smaller/faster), so
the machine's speed cancels out.  No figure is asserted.  Each codec's output is
checked once to decode to a tree whose JSON bytes are JSON's.
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import seroval as S
from benchmarks.payloads import PAYLOADS
from seroval.codecs import Codec, FrameDecoder, encode_frame, get_codec

CODECS = ("json", "msgpack", "cbor", "msgpack-binary", "cbor-binary")
STREAMED = frozenset({"stream_items"})
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Result:
    """One codec on one payload: bytes, and the best encode and decode times in seconds."""

    size: int
    encode: float
    decode: float


def node_trees(name: str, value: Any) -> list[Any]:
    """The trees a codec carries for a payload: one envelope, or one cross node per item."""
    if name in STREAMED:
        refs = S.WriteRefs()
        return [S.to_cross_json(item, refs=refs) for item in value]
    return [S.to_json(value)]


def best_time(action: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, with the cyclic GC paused (as ``timeit`` does)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def measure(codec: Codec, trees: list[Any], streamed: bool, repeat: int) -> Result:
    if streamed:

        def encode() -> bytes:
            return b"".join(encode_frame(codec.encode(tree)) for tree in trees)

        def decode(data: bytes) -> list[Any]:
            decoder = FrameDecoder(codec)
            out: list[Any] = []
            for start in range(0, len(data), CHUNK):
                out += decoder.feed(data[start : start + CHUNK])
            decoder.close()
            return out

    else:

        def encode() -> bytes:
            return codec.encode(trees[0])

        def decode(data: bytes) -> list[Any]:
            return [codec.decode(data)]

    data = encode()
    json = get_codec("json")
    if [json.encode(tree) for tree in decode(data)] != [json.encode(tree) for tree in trees]:
        raise AssertionError(f"{codec.name} did not give the same trees back")
    return Result(
        size=len(data),
        encode=best_time(encode, repeat),
        decode=best_time(lambda: decode(data), repeat),
    )


def run(
    payloads: Sequence[str], codecs: Sequence[str], repeat: int
) -> dict[str, dict[str, Result]]:
    """Results by payload, then by codec (JSON always included, as the baseline)."""
    names = ["json", *(name for name in codecs if name != "json")]
    results: dict[str, dict[str, Result]] = {}
    for payload in payloads:
        trees = node_trees(payload, PAYLOADS[payload]())
        results[payload] = {
            name: measure(get_codec(name), trees, payload in STREAMED, repeat) for name in names
        }
    return results


def report(results: dict[str, dict[str, Result]], repeat: int) -> str:
    lines = [
        f"codec ratios to JSON (size, encode, decode; < 1 is better), best of {repeat}, "
        f"Python {platform.python_version()} on {platform.machine()}",
        "",
        f"{'payload':<14}{'codec':<16}{'size':>10}{'encode':>9}{'decode':>9}"
        f"{'json bytes':>14}{'json enc ms':>13}{'json dec ms':>13}",
    ]
    for payload, by_codec in results.items():
        base = by_codec["json"]
        for index, (name, result) in enumerate(by_codec.items()):
            absolute = (
                f"{base.size:>14,}{base.encode * 1e3:>13.2f}{base.decode * 1e3:>13.2f}"
                if index == 0
                else ""
            )
            lines.append(
                f"{payload if index == 0 else '':<14}{name:<16}"
                f"{result.size / base.size:>10.2f}{result.encode / base.encode:>9.2f}"
                f"{result.decode / base.decode:>9.2f}{absolute}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (best kept)")
    parser.add_argument("--payload", action="append", choices=sorted(PAYLOADS), help="repeatable")
    parser.add_argument("--codec", action="append", choices=CODECS, help="repeatable")
    options = parser.parse_args(argv)
    payloads = options.payload or list(PAYLOADS)
    results = run(payloads, options.codec or CODECS, max(1, options.repeat))
    print(report(results, max(1, options.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
