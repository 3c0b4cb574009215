"""Coverage-guided fuzzing of the native readers with atheris (libFuzzer).

    python -m tests.fuzz_native [--runs N] [--seconds S] [--corpus DIR]

builds the Rust core a second time with libFuzzer's coverage instrumentation
(``-C passes=sancov-module``, 8-bit counters and comparison tracing, debug
assertions and overflow checks on; stable rustc takes these), puts it into a copy
of the package in a temporary folder, and runs libFuzzer through atheris on three
readers at once: ``deserialize`` (the native JS text reader), ``from_json_text``
(the native JSON text reader) and ``from_json`` on the parsed node tree (the native
tree walker). libFuzzer mutates inputs towards new branches of the Rust code,
starting from the conformance vectors' texts.

An input fails when a reader raises anything but a ``SerovalError``, when the
process aborts (a panic that escaped, a failed debug assertion, an overflow), or
when the native and the pure reader disagree: one reads a value where the other
refuses, or they refuse with different error classes.  libFuzzer then writes the
input to ``native/target/fuzz/artifacts/crash-*`` and stops with a non-zero status.

Needs ``atheris`` (installed by the ``test`` extra on Linux x86-64) and cargo;
``tests/protocol/test_fuzz_native.py`` runs a short budget of it in CI and the
README ("Fuzzing") gives the figures of a long run.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
PACKAGE: Final = ROOT / "src" / "seroval"
VECTORS: Final = PACKAGE / "conformance" / "vectors"

#: rustc flags for libFuzzer's coverage (what ``cargo fuzz`` passes, without a sanitizer).
COVERAGE_FLAGS: Final = (
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=3",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    "-Cdebug-assertions",
    "-Coverflow-checks",
)

#: Host triple: with ``--target`` given, RUSTFLAGS skip build scripts and proc
#: macros, which could not link against the coverage callbacks.
TARGET: Final = "x86_64-unknown-linux-gnu"

MAX_LEN: Final = 4096

#: Where libFuzzer writes a failing input (``crash-<sha1>``).
ARTIFACTS: Final = ROOT / "native" / "target" / "fuzz" / "artifacts"


def build_instrumented() -> Path:
    """The instrumented extension module, built (incrementally) under ``native/target``."""
    target_dir = ROOT / "native" / "target" / "fuzz"
    environment = dict(os.environ, RUSTFLAGS=" ".join(COVERAGE_FLAGS))
    subprocess.run(
        ["cargo", "build", "--release", "--target", TARGET, "--target-dir", str(target_dir)],
        cwd=ROOT / "native",
        env=environment,
        check=True,
    )
    return target_dir / TARGET / "release" / "lib_native.so"


def package_copy(module: Path, into: Path) -> Path:
    """A copy of the ``seroval`` package in ``into`` whose native core is ``module``."""
    copy = into / "seroval"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.so", "vectors", "__pycache__"))
    shutil.copy(module, copy / f"_native{sysconfig.get_config_var('EXT_SUFFIX')}")
    return copy


def seed_corpus(folder: Path) -> int:
    """The conformance vectors' JS and JSON texts as libFuzzer's starting inputs."""
    folder.mkdir(parents=True, exist_ok=True)
    texts: set[str] = set()
    for path in sorted(VECTORS.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                vector = json.loads(line)
                for field in ("serialize", "json", "crossJson", "crossSerialize"):
                    text = vector.get(field)
                    if isinstance(text, str):
                        texts.add(text)
    kept = 0
    for text in sorted(texts):
        data = text.encode("utf-8", "surrogatepass")
        if len(data) <= MAX_LEN:
            (folder / f"vector-{kept:05d}").write_bytes(data)
            kept += 1
    return kept


# The child process.  atheris loads libFuzzer when fuzzing starts, with the global
# symbols asked for here; the instrumented module, imported only then (on the first
# input), finds its coverage callbacks among them.
_CHILD: Final = """
import os, sys
sys.setdlopenflags(os.RTLD_NOW | os.RTLD_GLOBAL)
import atheris
sys.path.insert(0, sys.argv[1])
sys.path.insert(1, {root!r})
from tests.fuzz_native import one_input
atheris.Setup([sys.argv[0], *sys.argv[2:]], one_input)
atheris.Fuzz()
"""


def _outcome(read: object, text: str) -> str:
    """``"ok"`` or the ``SerovalError`` class a reader gave; anything else propagates."""
    import seroval as S

    try:
        read(text)  # type: ignore[operator]
    except S.SerovalError as error:
        return type(error).__name__
    return "ok"


_CHECKED = False


def one_input(data: bytes) -> None:
    """One fuzz input through the three native readers, each checked against the pure one."""
    import seroval as S
    from seroval.protocol.tree.backend import forced

    global _CHECKED
    if not _CHECKED:
        # The package copy's instrumented core, not an installed one, nor pure Python.
        assert S.backend() == "native", S.backend()
        assert "seroval-fuzz-" in S.__file__, S.__file__
        _CHECKED = True
    text = data.decode("utf-8", "replace")
    tree: object = None
    # Not JSON, or too deep for the stdlib parser: the node tree reader is left out.
    with contextlib.suppress(ValueError, RecursionError):
        tree = json.loads(text)
    readers: list[tuple[str, object]] = [
        ("deserialize", S.deserialize),
        ("from_json_text", S.from_json_text),
    ]
    if tree is not None:
        readers.append(("from_json", lambda _: S.from_json(tree)))
    for name, read in readers:
        native = _outcome(read, text)
        with forced("python"):
            pure = _outcome(read, text)
        if native != pure:
            raise AssertionError(f"{name}: native {native}, pure {pure}, on {text!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=0, help="stop after N inputs (0: no limit)")
    parser.add_argument("--seconds", type=int, default=60, help="stop after S seconds")
    parser.add_argument("--corpus", type=Path, help="keep the corpus here (default: temporary)")
    arguments = parser.parse_args()
    module = build_instrumented()
    with tempfile.TemporaryDirectory(prefix="seroval-fuzz-") as scratch:
        copy_root = Path(scratch) / "package"
        package_copy(module, copy_root)
        corpus = arguments.corpus or Path(scratch) / "corpus"
        seeds = seed_corpus(corpus)
        print(f"fuzzing the native readers: {seeds} seed texts, corpus in {corpus}", flush=True)
        flags = [
            f"-max_total_time={arguments.seconds}",
            f"-max_len={MAX_LEN}",
            "-timeout=20",
            f"-artifact_prefix={ARTIFACTS}/",
        ]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if arguments.runs:
            flags.append(f"-runs={arguments.runs}")
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                _CHILD.format(root=str(ROOT)),
                str(copy_root),
                *flags,
                str(corpus),
            ],
            cwd=ROOT,
            check=False,
        )
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
