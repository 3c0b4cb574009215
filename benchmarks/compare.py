"""This checkout against an earlier commit, in one run: has a change made anything slower?

``python -m benchmarks.compare [REF] [--rounds N]`` checks ``REF`` (default
``HEAD~1``) out into a temporary git worktree, then times the same operations on the
same payloads with each tree's ``src/`` first on ``sys.path``, alternating between
the two trees round by round so that the machine's noise falls on both alike.  Each
measurement runs in a fresh child process and reports CPU time (``process_time``),
the best of its repeats; the table shows the best round of each tree and the ratio.

A ratio above :data:`TOLERANCE` is flagged: refactorings of the wire-format core are
meant to cost nothing measurable.  Exit status 1 when any ratio is flagged, so the
command can gate a change.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent

TOLERANCE: Final = 1.10
"""Slower than the reference by more than this factor is flagged."""

OPERATIONS: Final = ("to_json", "from_json", "serialize", "deserialize")
PAYLOAD_NAMES: Final = ("records", "graph", "typed_arrays", "deep")

# Runs in the child: ``argv`` is (src dir, operation, payload, repeats).  The payloads
# come from this checkout's benchmarks package and use only the public API, so both
# trees are timed on identical values.
_CHILD: Final = """
import sys, time, gc
src, operation, payload, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
extra = {{"pause_gc": True}} if sys.argv[5] == "1" else {{}}
sys.path.insert(0, src)
sys.path.insert(1, {root!r})
import seroval as S
from benchmarks.payloads import PAYLOADS
value = PAYLOADS[payload]()
if operation == "to_json":
    run = lambda: S.to_json(value, **extra)
elif operation == "from_json":
    tree = S.to_json(value)
    run = lambda: S.from_json(tree, **extra)
elif operation == "serialize":
    run = lambda: S.serialize(value, **extra)
else:
    text = S.serialize(value)
    run = lambda: S.deserialize(text, **extra)
run()
best = float("inf")
for _ in range(repeats):
    gc.collect()
    start = time.process_time()
    run()
    best = min(best, time.process_time() - start)
print(best * 1000)
"""


def time_once(src: Path, operation: str, payload: str, repeats: int, pause_gc: bool) -> float:
    """Best CPU milliseconds of ``repeats`` runs of one operation, in a fresh process."""
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD.format(root=str(ROOT)),
            str(src),
            operation,
            payload,
            str(repeats),
            "1" if pause_gc else "0",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{operation} on {payload} failed in {src}:\n{completed.stderr}")
    return float(completed.stdout.strip())


def compare(reference: Path, rounds: int, repeats: int, pause_gc: bool) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for operation in OPERATIONS:
        for payload in PAYLOAD_NAMES:
            best = {"ref": float("inf"), "this": float("inf")}
            for round_index in range(rounds):
                order = ("ref", "this") if round_index % 2 == 0 else ("this", "ref")
                for side in order:
                    src = reference / "src" if side == "ref" else ROOT / "src"
                    this_pauses = pause_gc and side == "this"
                    timing = time_once(src, operation, payload, repeats, this_pauses)
                    best[side] = min(best[side], timing)
            ratio = best["this"] / best["ref"]
            rows.append(
                {
                    "operation": operation,
                    "payload": payload,
                    "ref_ms": best["ref"],
                    "this_ms": best["this"],
                    "ratio": ratio,
                }
            )
            flag = "  SLOWER" if ratio > TOLERANCE else ""
            print(
                f"{operation:<12} {payload:<13} {best['ref']:9.2f} ms {best['this']:9.2f} ms"
                f"  {ratio:5.2f}x{flag}",
                flush=True,
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", nargs="?", default="HEAD~1", help="the commit to compare against")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per tree")
    parser.add_argument("--repeats", type=int, default=5, help="runs per child process")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument(
        "--pause-gc",
        action="store_true",
        help="call this checkout with pause_gc=True (a reference from before the opt-in "
        "paused the collector itself): measures the code, not the collector",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="seroval-compare-") as scratch:
        reference = Path(scratch) / "ref"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(reference), args.ref],
            check=True,
        )
        try:
            print(
                f"this checkout vs {args.ref} (CPU ms, best of {args.rounds} rounds "
                f"x {args.repeats} runs; ratio = this / ref)",
                flush=True,
            )
            rows = compare(reference, args.rounds, args.repeats, args.pause_gc)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(reference)],
                check=False,
            )
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=2))
    slower = [row for row in rows if float(str(row["ratio"])) > TOLERANCE]
    return 1 if slower else 0


if __name__ == "__main__":
    raise SystemExit(main())
