"""The native readers under libFuzzer, and the inputs it found.

``tests/fuzz_native.py`` fuzzes the Rust readers (JS text, JSON text, node tree)
with coverage from the Rust code itself, checking each input against the pure
reader.  Here CI runs a short budget of it, and every input it has found so far is
replayed on both backends: each was a case where they disagreed, fixed since.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import seroval as S
from seroval.protocol.tree.backend import forced, native_available
from tests.fuzz_native import ROOT

pytestmark = pytest.mark.skipif(
    not native_available(), reason="the native core is not built (no Rust, or pure forced)"
)

#: Inputs libFuzzer found where the native and the pure reader disagreed.
FOUND: list[tuple[str, str]] = [
    (
        # A Map's sentinel referred to by id where the id was not kept (not in `m`):
        # the native JSON reader found it anyway; the pure reader refuses.
        "sentinel reference to an unmarked id",
        '{"t":{"t":9,"i":0,"a":[{"t":8,"i":1,"e":{"k":[{"t":8,"i":4,"e":{"k":[],"v":[]},'
        '"f":{"t":4,"i":2}}],"v":[{"t":2,"s":6}]},"f":{"t":26,"i":2,"s":0}}],"o":0},'
        '"f":97,"m":[1,4]}',
    ),
    (
        # A marked id past 64 bits: the native tree walker overflowed converting it.
        "marked id past 64 bits",
        '{"t":{"t":10,"i":0,"p":{"k":["a"],"v":[{"t":1,"s":"hello"}]},"o":0},"f":116,'
        '"m":[555555555555555555555555555555555]}',
    ),
    (
        # `null` run into a name: the native JS reader took `null` and read on.
        "null run into new",
        "[nullnew Set]",
    ),
]


def _outcome(read: object, text: str) -> tuple[str, str]:
    try:
        value = read(text)  # type: ignore[operator]
    except S.SerovalError as error:
        return type(error).__name__, str(error)
    with forced("python"):
        return "ok", S.serialize(value)


@pytest.mark.parametrize("text", [text for _, text in FOUND], ids=[name for name, _ in FOUND])
def test_found_inputs_read_alike_on_both_backends(text: str) -> None:
    readers: list[object] = [S.deserialize, S.from_json_text]
    try:
        tree = json.loads(text)
    except ValueError:
        pass
    else:
        readers.append(lambda _: S.from_json(tree))
    for read in readers:
        with forced("native"):
            native = _outcome(read, text)
        with forced("python"):
            pure = _outcome(read, text)
        assert native == pure


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
@pytest.mark.skipif(shutil.which("cargo") is None, reason="no cargo to build the fuzzed core")
def test_a_short_fuzz_run_of_the_native_readers_finds_nothing(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tests.fuzz_native", "--seconds", "30", "--corpus", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-6000:]
    # libFuzzer's last line: "Done N runs in S second(s)".
    done = re.search(r"^Done (\d+) runs", run.stderr, re.MULTILINE)
    assert done is not None, run.stderr[-3000:]
    assert int(done.group(1)) > 1_000
