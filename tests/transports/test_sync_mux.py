"""The sync client over the multiplexed transports: a ``seroval serve --stdio`` child."""

from __future__ import annotations

import sys

from seroval.conformance import rpc_app
from seroval.rpc import SyncClient

ARGV = [
    sys.executable,
    "-m",
    "seroval",
    "serve",
    "--stdio",
    "seroval.conformance.rpc_app:functions",
]


def test_the_sync_client_calls_a_child_over_stdio() -> None:
    with SyncClient.stdio(ARGV, codec="cbor") as client:
        assert client.stub(rpc_app.add)(2, 40) == 42
        assert list(client.stub(rpc_app.count)(5)) == [0, 1, 2, 3, 4]
