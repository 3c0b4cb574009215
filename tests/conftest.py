"""Shared fixtures: the test plugins and the Node oracle (skipped with a reason when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from seroval.conformance.oracle import (
    OracleServer,
    OracleUnavailable,
    ensure_oracle,
    node_executable,
)
from seroval.conformance.point import PointPlugin

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
