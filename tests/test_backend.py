"""The two backends: ``SEROVAL_PURE`` forces pure Python, and an install without a Rust
toolchain still succeeds and serves every call in pure Python."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from seroval.protocol.tree import backend

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "import seroval\n"
    "print(seroval.backend())\n"
    "print(seroval.to_json_text({'a': [1, 2.5, 'x']}))\n"
    "print(seroval.from_json_text(seroval.to_json_text({'a': [1]})))\n"
)


def _probe(**environment: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_seroval_pure_forces_python() -> None:
    lines = _probe(SEROVAL_PURE="1")
    assert lines[0] == "python"
    assert lines[1:] == [
        '{"t":{"t":10,"i":0,"p":{"k":["a"],"v":[{"t":9,"i":1,"a":[{"t":0,"s":1},'
        '{"t":0,"s":2.5},{"t":1,"s":"x"}],"o":0}]},"o":0},"f":127,"m":[]}',
        "{'a': [1]}",
    ]


def test_the_default_is_native_where_built() -> None:
    # Built, whether or not this process was started with SEROVAL_PURE set.
    built = importlib.util.find_spec("seroval._native") is not None
    lines = _probe(SEROVAL_PURE="")
    assert lines[0] == ("native" if built else "python")
    assert lines[1:] == _probe(SEROVAL_PURE="1")[1:]


def test_use_backend_refuses_what_is_not_built() -> None:
    if backend.native_available():
        with backend.forced("python"):
            assert backend.backend() == "python"
        with pytest.raises(ValueError, match="unknown backend"):
            backend.use_backend("rust")  # type: ignore[arg-type]
    else:
        with pytest.raises(RuntimeError, match="not available"):
            backend.use_backend("native")


def test_a_wheel_builds_without_a_rust_toolchain(tmp_path: Path) -> None:
    """setuptools-rust skips the optional extension when cargo is missing."""
    pytest.importorskip("setuptools_rust")
    folders = os.environ.get("PATH", "").split(os.pathsep)
    without_cargo = os.pathsep.join(
        folder for folder in folders if not (Path(folder) / "cargo").exists()
    )
    if shutil.which("cargo", path=without_cargo) is not None:
        pytest.skip("cargo is on every PATH entry this test could use")
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "target", "node_modules", "build", "*.so", "__pycache__", ".*cache"
        ),
    )
    environment = {**os.environ, "PATH": without_cargo, "CARGO_HOME": str(tmp_path / "none")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path / "wheels"),
            str(source),
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (wheel,) = (tmp_path / "wheels").glob("seroval-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "seroval/__init__.py" in names
    assert "seroval/conformance/vectors/core.jsonl.gz" in names
    assert not [name for name in names if "_native" in name]
