"""The RPC conformance suite passes over every transport, codec and client event loop."""

from __future__ import annotations

import pytest

from seroval.conformance import rpc_suite
from seroval.rpc import Client


@pytest.mark.parametrize("transport", rpc_suite.TRANSPORTS)
def test_the_rpc_suite_passes(transport: str) -> None:
    outcome = rpc_suite.run(transports=[transport])
    checks = [
        name
        for name in rpc_suite.CHECKS
        if transport in rpc_suite.MULTIPLEXED or name not in rpc_suite.MULTIPLEXED_ONLY
    ]
    expected = len(rpc_suite.CODECS) * len(rpc_suite.BACKENDS) * len(checks)
    assert len(outcome.results) == expected
    assert outcome.ok, outcome.failures


def test_the_suite_reports_a_failing_check(monkeypatch: pytest.MonkeyPatch) -> None:
    async def wrong(client: Client) -> None:
        assert await client.call("1a2b3c4d-0", 1, rpc_suite.WHEN) == {"id": 2}

    monkeypatch.setitem(rpc_suite.CHECKS, "wrong", wrong)
    outcome = rpc_suite.run(
        transports=["memory"], codecs=["json"], backends=["asyncio"], checks=["unary", "wrong"]
    )
    assert not outcome.ok
    assert [key for key, _ in outcome.failures] == [("memory", "json", "asyncio", "wrong")]
