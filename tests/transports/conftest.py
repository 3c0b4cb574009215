"""Fixtures for the RPC tests: both anyio backends."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """httpx nests async generators in a streamed response; closing one early (a
    client hanging up mid-stream) leaves the inner ones to the garbage collector,
    which trio reports as a ResourceWarning.  The connection itself is closed."""
    for item in items:
        item.add_marker(
            pytest.mark.filterwarnings(
                "ignore:Async generator 'httpx.*was garbage collected:ResourceWarning"
            )
        )
