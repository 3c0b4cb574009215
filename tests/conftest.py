"""Shared fixtures: the test plugins and the Node oracle (skipped with a reason when absent)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from seroval.conformance.oracle import (
    OracleServer,
    OracleUnavailable,
    ensure_oracle,
    node_executable,
)
from seroval.conformance.point import PointPlugin
from seroval.protocol.tree.backend import forced, native_available

PLUGINS = (PointPlugin(),)


@pytest.fixture(scope="session")
def oracle_dir() -> Path:
    """The installed oracle folder; skips the test when Node.js is not available."""
    if node_executable() is None:
        pytest.skip("Node.js is not installed: the seroval oracle cannot run")
    try:
        return ensure_oracle()
    except OracleUnavailable as error:
        pytest.skip(f"the seroval oracle is unavailable: {error}")


@pytest.fixture
def oracle(oracle_dir: Path) -> OracleServer:
    """The shared ``server.mjs`` process (one per test session)."""
    return OracleServer.shared(oracle_dir)


@pytest.fixture(params=["python", "native"])
def each_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test once on pure Python and once on the native core (skipped when not built)."""
    name = request.param
    if name == "native" and not native_available():
        pytest.skip("the native core is not built (no Rust toolchain, or SEROVAL_PURE set)")
    with forced(name):
        yield name
