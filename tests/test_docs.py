"""The API reference builds from the docstrings, warnings as errors, a page per public module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
PACKAGE = DOCS.parent / "src" / "seroval"

#: Packages whose every module is internal, and the modules of public packages that are.
PUBLIC_PACKAGES = ("codecs", "plugins", "integrations", "rpc", "transports")


def _public_modules() -> set[str]:
    """``seroval``, each public package, and each module of ``plugins`` and
    ``integrations`` (each is imported on its own)."""
    names = {"seroval"} | {f"seroval.{package}" for package in PUBLIC_PACKAGES}
    for package in ("plugins", "integrations"):
        for path in (PACKAGE / package).iterdir():
            if path.name.startswith("_") or path.name == "__pycache__":
                continue
            stem = path.name.removesuffix(".py")
            names.add(f"seroval.{package}.{stem}")
    return names


def test_every_public_module_has_a_page() -> None:
    pages = {path.stem for path in (DOCS / "api").glob("*.rst")}
    assert pages == _public_modules()
    index = (DOCS / "index.rst").read_text()
    assert all(f"api/{page}\n" in index for page in pages)


def test_the_docs_build_with_warnings_as_errors(tmp_path: Path) -> None:
    pytest.importorskip("sphinx", reason="Sphinx is not installed (it is in the test extra)")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-E",
            "-b",
            "html",
            str(DOCS),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    for page in ("seroval", "seroval.integrations.starlette", "seroval.plugins.python"):
        html = (tmp_path / "html" / "api" / f"{page}.html").read_text()
        assert 'class="sig-name descname"' in html  # members were documented, not just a title
