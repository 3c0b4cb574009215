"""Function ids: our schemes against SolidStart 2.0.5's own compiler, and the bundle scan."""

from __future__ import annotations

import json
import subprocess

import pytest

from seroval.conformance.oracle import OracleUnavailable, node_executable
from seroval.rpc.profiles.ids import ids_in_text, solid2_id, tanstack_id

from .harness import ensure_interop

MODULE = "/home/ci/app/src/lib/todos.ts"


def _compiled(module_id: str) -> dict[str, object]:
    try:
        folder = ensure_interop()
    except OracleUnavailable as error:
        pytest.skip(str(error))
    node = node_executable()
    assert node is not None
    result = subprocess.run(
        [node, "compile-ids.mjs", module_id],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out: dict[str, object] = json.loads(result.stdout)
    return out


def test_solid2_ids_match_the_compiler() -> None:
    compiled = _compiled(MODULE)
    code = str(compiled["code"])
    found = [function_id for framework, function_id in ids_in_text(code) if framework == "solid2"]
    assert sorted(found) == sorted(solid2_id(MODULE, n) for n in range(3))


def test_bundle_scan_finds_minified_references() -> None:
    text = 'const a=e("b7db6f69-0"),b=e(\'b7db6f69-1\');x.url="/_server?id=b7db6f69-1";'
    tanstack = tanstack_id("src/utils/posts.ts", "fetchPost")
    text += f'const c=createClientRpc("{tanstack}");'
    assert ids_in_text(text) == [
        ("solid2", "b7db6f69-0"),
        ("solid2", "b7db6f69-1"),
        ("tanstack", tanstack),
    ]


def test_tanstack_documented_example() -> None:
    # The id the TanStack docs and the protocol reference give for this function.
    assert (
        tanstack_id("src/utils/posts.ts", "fetchPost")
        == "fcc606bc6a4391068ed708ee59e18e7e8c5685d0fa5f2f3f35a0d234c04f679f"
    )
