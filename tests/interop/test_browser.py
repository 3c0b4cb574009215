"""A real page in a real browser: examples/solidstart_browser in headless Chromium.

The page is built by Vite from Solid and the published ``@solidjs/start`` 2.0.5
client runtime (interop/'s lock file), served with its Python server functions by
one ASGI app on uvicorn, and clicked through by interop/browser.mjs
(``playwright-core`` driving the system's Chromium; no browser download).  Skips,
saying why, without Node, npm or Chromium (CI installs Chromium: .ci/run).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from examples.solidstart_browser import app as example
from seroval.conformance.oracle import OracleUnavailable, node_executable
from seroval.rpc.profiles.ids import ids_in_bundle

from .harness import ensure_interop, serving

#: README's screenshot: rewritten only with SEROVAL_UPDATE_SCREENSHOT=1 (tests leave the
#: tree as it is).
README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "solidstart-browser.png"


def _chromium() -> str | None:
    given = os.environ.get("SEROVAL_CHROMIUM")
    if given:
        return given
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; or set SEROVAL_CHROMIUM)")
    try:
        folder = ensure_interop()
    except OracleUnavailable as error:
        pytest.skip(str(error))
    node = node_executable()
    assert node is not None
    example.build(node)
    shot = README_SHOT
    if not os.environ.get("SEROVAL_UPDATE_SCREENSHOT"):
        shot = tmp_path_factory.mktemp("browser") / "page.png"
    with serving(example.App()) as origin:
        result = subprocess.run(
            [node, "browser.mjs", origin + "/", str(shot)],
            cwd=folder,
            env={**os.environ, "SEROVAL_CHROMIUM": chromium},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"browser.mjs said nothing:\n{result.stdout}\n{result.stderr}"
    observed: dict[str, Any] = json.loads(lines[-1])
    assert "failure" not in observed, observed
    observed["screenshot"] = shot.read_bytes()[:8]
    return observed


def test_date_and_map_rendered(seen: dict[str, Any]) -> None:
    text = seen["thing"]
    assert "id 42" in text
    assert "2024-01-02T03:04:05.678Z (a Date)" in text
    assert "tags a Map: answer=42, year=2024" in text


def test_async_generator_fills_the_list_item_by_item(seen: dict[str, Any]) -> None:
    assert seen["partial"]["state"] == "counting"
    assert 1 <= seen["partial"]["items"] < 5
    assert seen["items"] == ["1", "2", "3", "4", "5"]


def test_thrown_error_shown(seen: dict[str, Any]) -> None:
    assert seen["error"] == "Error: the order is empty"


def test_no_page_errors(seen: dict[str, Any]) -> None:
    assert not [line for line in seen["console"] if line.startswith(("error", "pageerror"))]


def test_screenshot_taken(seen: dict[str, Any]) -> None:
    assert seen["screenshot"] == b"\x89PNG\r\n\x1a\n"


def test_the_bundle_ids_are_the_registered_ones(seen: dict[str, Any]) -> None:
    """``seroval ids`` finds in the built bundle exactly the ids the app registered."""
    found = {found_id for _, found_id in ids_in_bundle([example.DIST])}
    assert found == {entry.id for entry in example.functions}
