"""The sync client over a real uvicorn, with the user's own ``httpx.Client``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from seroval import JSMap
from seroval.conformance import rpc_app
from seroval.conformance.rpc_servers import serving
from seroval.rpc import Redirect, RemoteError, SyncClient, SyncStream, UnknownFunctionError

WHEN = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(rpc_app.functions.asgi_app(), "uvicorn") as url:
        yield url


def test_unary_calls_errors_and_redirects(server: str) -> None:
    with SyncClient(server) as client:
        assert client.call("1a2b3c4d-0", 42, WHEN)["tags"] == JSMap([("a", 1), ("b", 2)])
        assert client.stub(rpc_app.add)(2, 2) == 4
        with pytest.raises(RemoteError, match="not enough money"):
            client.stub(rpc_app.boom)()
        with pytest.raises(UnknownFunctionError):
            client.call("nope")
        with pytest.raises(Redirect):
            client.stub(rpc_app.go_login)()


def test_promises_and_streams_are_waited_for_synchronously(server: str) -> None:
    with SyncClient(server) as client:
        result = client.stub(rpc_app.later)(0.02)
        assert result["later"].result() == "done"
        stream = client.stub(rpc_app.count)(100)
        assert isinstance(stream, SyncStream)
        assert list(stream) == list(range(100))


def test_closing_a_stream_cancels_the_function(server: str) -> None:
    key = uuid.uuid4().hex
    with SyncClient(server) as client:
        stream = client.stub(rpc_app.endless)(key)
        assert [next(stream) for _ in range(3)] == [0, 1, 2]
        stream.close()
    import time

    deadline = time.monotonic() + 1
    while len(rpc_app.LEDGER.get(key, [])) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert rpc_app.LEDGER[key][1] in ("cancelled", "closed")


def test_the_users_httpx_client_stays_open(server: str) -> None:
    with httpx.Client() as http:
        with SyncClient(server, http_client=http) as client:
            assert client.stub(rpc_app.add)(1, 2) == 3
        assert not http.is_closed
