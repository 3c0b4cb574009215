"""The oracle: pinned, and the committed vectors are exactly what it generates today."""

from __future__ import annotations

import gzip
import json
import subprocess
from pathlib import Path

from seroval.conformance.oracle import ORACLE_SOURCE, PINNED
from seroval.conformance.vectors import VECTOR_DIR


def test_lock_file_pins_the_oracle() -> None:
    lock = json.loads((ORACLE_SOURCE / "package-lock.json").read_text())
    for name, version in PINNED.items():
        entry = lock["packages"][f"node_modules/{name}"]
        assert entry["version"] == version
        assert entry["integrity"].startswith("sha512-")
    manifest = json.loads((ORACLE_SOURCE / "package.json").read_text())
    assert manifest["dependencies"] == PINNED


def test_committed_vectors_match_a_fresh_generation(oracle_dir: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["node", "generate.mjs", "--out", str(tmp_path)],
        cwd=oracle_dir,
        check=True,
        capture_output=True,
        text=True,
    )
    generated = sorted(p.name for p in tmp_path.glob("*.jsonl.gz"))
    assert generated, "the generator wrote no vectors"
    for name in generated:
        fresh = gzip.decompress((tmp_path / name).read_bytes())
        committed = gzip.decompress((VECTOR_DIR / name).read_bytes())
        assert fresh == committed, f"{name} drifted from the oracle: regenerate and commit it"
