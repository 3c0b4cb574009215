"""Calls over HTTP: a real uvicorn (and hypercorn under trio) on loopback, the httpx client.

The byte-for-byte tests send SolidStart 2.0's requests from
``server-function-protocols.md`` §1.8 and compare the response headers and frames
with the ones recorded there (seroval 1.8.1's output).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from seroval import JSMap
from seroval.conformance import rpc_app
from seroval.conformance.rpc_servers import SERVER_KINDS, serving
from seroval.rpc import (
    BadRequestError,
    Client,
    CrossSiteError,
    DeadlineExceededError,
    MethodNotAllowedError,
    PayloadTooLargeError,
    ProtocolError,
    UnknownFunctionError,
)

from ..tasks import fd_count, task_count

pytestmark = pytest.mark.anyio

WHEN = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
SOLID_HEADERS = {"x-server-instance": "server-fn:0"}
ARGS_A = (
    b';0x00000055;{"t":9,"i":0,"a":[{"t":0,"s":42},{"t":5,"i":1,"s":"2024-01-02T03:04:05.678Z"}],'
    b'"o":0}'
)


@pytest.fixture(scope="module", params=SERVER_KINDS)
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    with serving(rpc_app.functions.asgi_app(), request.param) as url:
        yield url


@asynccontextmanager
async def connect(url: str, **options: Any) -> AsyncIterator[Client]:
    async with Client(url, **options) as client:
        yield client


def _ours(response: httpx.Response) -> dict[str, str]:
    """The headers the app sent (the ASGI server adds date, server, framing)."""
    added = {"date", "server", "transfer-encoding", "content-length"}
    return {name: value for name, value in response.headers.items() if name not in added}


def _solid(function_id: str, body: bytes = b"", **extra: str) -> dict[str, str]:
    headers = {"x-server-id": function_id, **SOLID_HEADERS, **extra}
    if body:
        headers |= {"x-start-type": "0", "content-type": "text/plain"}
    return headers


JSON_HEAD = {"x-start-type": "0", "content-type": "text/plain; charset=utf-8"}


# -- §1.8, byte for byte ------------------------------------------------------------------


def test_exchange_a_a_number_and_a_date_in_an_object_with_a_map_out(server: str) -> None:
    response = httpx.post(f"{server}/_server", headers=_solid("1a2b3c4d-0", ARGS_A), content=ARGS_A)
    assert response.status_code == 200
    assert _ours(response) == JSON_HEAD
    assert response.content == (
        b';0x000000ea;{"t":10,"i":0,"p":{"k":["id","when","tags"],"v":[{"t":0,"s":42},'
        b'{"t":5,"i":1,"s":"2024-01-02T03:04:05.678Z"},{"t":8,"i":2,"e":{"k":[{"t":1,"s":"a"},'
        b'{"t":1,"s":"b"}],"v":[{"t":0,"s":1},{"t":0,"s":2}]},"f":{"t":26,"i":3,"s":0}}]},"o":0}'
    )


def test_exchange_a_by_get(server: str) -> None:
    args = ';0x00000027;{"t":9,"i":0,"a":[{"t":0,"s":7}],"o":0}'
    params = {"id": "seroval.conformance.rpc_app:read_thing", "args": args}
    response = httpx.get(f"{server}/_server", params=params, headers=SOLID_HEADERS)
    assert response.status_code == 200
    assert (
        response.content == b';0x00000038;{"t":10,"i":0,"p":{"k":["n"],"v":[{"t":0,"s":7}]},"o":0}'
    )


def test_exchange_b_a_promise_settles_in_a_second_frame(server: str) -> None:
    response = httpx.post(f"{server}/_server", headers=_solid("seroval.conformance.rpc_app:later"))
    assert _ours(response) == JSON_HEAD
    assert response.content == (
        b';0x00000070;{"t":10,"i":0,"p":{"k":["now","later"],"v":[{"t":0,"s":1},'
        b'{"t":22,"i":1,"s":2,"f":{"t":26,"i":3,"s":1}}]},"o":0}'
        b';0x0000003c;{"t":23,"i":2,"a":[{"t":26,"i":4,"s":2},{"t":1,"s":"done"}]}'
    )


def test_exchange_b_an_async_generator_frame_by_frame(server: str) -> None:
    frames = [
        b';0x000000e4;{"t":11,"i":0,"p":{"k":[{"t":17,"i":1,"s":0},{"t":17,"i":6,"s":11}],"v":'
        b'[{"t":30,"a":[{"t":29,"i":2,"a":[{"t":26,"i":3,"s":1},{"t":4,"i":1}]},{"t":31,"i":4,'
        b'"a":[],"f":{"t":26,"i":5,"s":4}}]},{"t":1,"s":"AsyncGenerator"}]},"o":0}',
        b';0x00000020;{"t":32,"i":4,"f":{"t":0,"s":1}}',
        b';0x00000020;{"t":32,"i":4,"f":{"t":0,"s":2}}',
        b';0x00000020;{"t":34,"i":4,"f":{"t":2,"s":1}}',
    ]
    headers = _solid("seroval.conformance.rpc_app:one_two")
    with httpx.stream("POST", f"{server}/_server", headers=headers) as response:
        assert _ours(response) == JSON_HEAD
        assert response.read() == b"".join(frames)


def test_exchange_c_a_thrown_error(server: str) -> None:
    response = httpx.post(
        f"{server}/_server", headers=_solid("seroval.conformance.rpc_app:boom_js")
    )
    assert response.status_code == 200
    assert _ours(response) == {**JSON_HEAD, "x-error": "Boom"}
    assert response.content == b';0x00000033;{"t":13,"i":0,"s":0,"m":"Boom","p":{"k":[],"v":[]}}'


def test_exchange_c_a_thrown_redirect(server: str) -> None:
    response = httpx.post(
        f"{server}/_server", headers=_solid("seroval.conformance.rpc_app:go_login")
    )
    assert response.status_code == 200
    assert _ours(response) == {**JSON_HEAD, "location": "/login", "x-error": "true"}
    assert response.content == b';0x0000000d;{"t":2,"s":0}'


# -- refusals -----------------------------------------------------------------------------


def test_an_unknown_function_is_404(server: str) -> None:
    response = httpx.post(f"{server}/_server", headers=_solid("os:system"))
    assert response.status_code == 404
    assert "x-error" in response.headers


def test_a_post_only_function_by_get_is_405_with_allow(server: str) -> None:
    response = httpx.get(f"{server}/_server", params={"id": "1a2b3c4d-0"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    response = httpx.put(f"{server}/_server", headers=_solid("1a2b3c4d-0"))
    assert (response.status_code, response.headers["allow"]) == (405, "GET, POST")


def test_malformed_frames_are_400(server: str) -> None:
    for body in [b";0xzz;{}", b';0x00000099;{"t":9}', b";0x00000002;{]"]:
        response = httpx.post(f"{server}/_server", headers=_solid("1a2b3c4d-0", body), content=body)
        assert response.status_code == 400, body


def test_an_oversized_body_is_413(server: str) -> None:
    body = b";0x%08x;" % (300 * 1024) + b"x" * (300 * 1024)
    response = httpx.post(f"{server}/_server", headers=_solid("1a2b3c4d-0", body), content=body)
    assert response.status_code == 413


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "https://evil.example"},
        {"origin": "null"},
    ],
)
def test_a_cross_site_call_is_403(server: str, headers: dict[str, str]) -> None:
    response = httpx.post(
        f"{server}/_server", headers=_solid("1a2b3c4d-0", ARGS_A, **headers), content=ARGS_A
    )
    assert response.status_code == 403


def test_a_same_origin_browser_call_passes(server: str) -> None:
    host = server.removeprefix("http://")
    for headers in [{"sec-fetch-site": "same-origin"}, {"origin": server, "host": host}]:
        response = httpx.post(
            f"{server}/_server", headers=_solid("1a2b3c4d-0", ARGS_A, **headers), content=ARGS_A
        )
        assert response.status_code == 200, headers


# -- the Python client over HTTP ----------------------------------------------------------


@pytest.mark.parametrize("codec", ["json", "msgpack", "cbor"])
async def test_the_client_calls_over_http(server: str, codec: str) -> None:
    async with connect(server, codec=codec) as client:
        assert await client.call("1a2b3c4d-0", 42, WHEN) == {
            "id": 42,
            "when": WHEN,
            "tags": JSMap([("a", 1), ("b", 2)]),
        }
        assert await client.stub(rpc_app.add)(2, 3) == 5
        assert await client.invoke(rpc_app.read_thing.__seroval_id__, [3], method="GET") == {"n": 3}  # type: ignore[attr-defined]


async def test_the_client_raises_the_refusal_classes(server: str) -> None:
    async with connect(server) as client:
        with pytest.raises(UnknownFunctionError):
            await client.call("nope")
        with pytest.raises(MethodNotAllowedError) as caught:
            await client.invoke("1a2b3c4d-0", [1, WHEN], method="GET")
        assert caught.value.allow == ("POST",)
        with pytest.raises(PayloadTooLargeError):
            await client.call(rpc_app.echo.__seroval_id__, "x" * 300_000)  # type: ignore[attr-defined]
    async with connect(server, headers=[("origin", "https://evil.example")]) as client:
        with pytest.raises(CrossSiteError):
            await client.call("1a2b3c4d-0", 1, WHEN)


async def test_items_arrive_as_they_are_produced(server: str) -> None:
    async with connect(server) as client:
        started = time.monotonic()
        stream = await client.stub(rpc_app.count)(5, 0.1)
        first = await anext(stream)
        first_at = time.monotonic() - started
        rest = [item async for item in stream]
        total = time.monotonic() - started
    assert [first, *rest] == [0, 1, 2, 3, 4]
    assert first_at < 0.35 < total  # the first item did not wait for the last


async def test_a_deadline_ends_the_call_on_both_sides(server: str) -> None:
    key = uuid.uuid4().hex
    async with connect(server) as client:
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError):
            await client.invoke(rpc_app.slow.__seroval_id__, [key, 10], timeout=0.2)  # type: ignore[attr-defined]
        assert time.monotonic() - started < 1
    with anyio.fail_after(1):
        while "cancelled" not in rpc_app.LEDGER.get(key, []):
            await anyio.sleep(0.01)


def test_an_expired_deadline_header_is_504_and_the_function_is_cancelled(server: str) -> None:
    key = uuid.uuid4().hex
    payload = b'{"t":9,"i":0,"a":[{"t":1,"s":"%s"},{"t":0,"s":10}],"o":0}' % key.encode()
    framed = b";0x%08x;" % len(payload) + payload
    headers = _solid(rpc_app.slow.__seroval_id__, framed, **{"x-seroval-timeout-ms": "100"})  # type: ignore[attr-defined]
    started = time.monotonic()
    response = httpx.post(f"{server}/_server", headers=headers, content=framed)
    assert response.status_code == 504
    assert time.monotonic() - started < 1
    assert rpc_app.LEDGER[key] == ["started", "cancelled"]
    bad = httpx.post(
        f"{server}/_server", headers={**headers, "x-seroval-timeout-ms": "soon"}, content=framed
    )
    assert bad.status_code == 400


async def test_a_disconnect_mid_stream_cancels_the_function(
    server: str, anyio_backend: str
) -> None:
    key = uuid.uuid4().hex
    fds = fd_count()
    async with connect(server) as client:
        before = task_count(anyio_backend)
        stream = await client.stub(rpc_app.endless)(key)
        assert [await anext(stream) for _ in range(5)] == [0, 1, 2, 3, 4]
        await stream.aclose()
        with anyio.fail_after(1):
            while len(rpc_app.LEDGER.get(key, [])) < 2:
                await anyio.sleep(0.01)
        assert task_count(anyio_backend) <= before
    assert rpc_app.LEDGER[key][1] in ("cancelled", "closed")
    await anyio.sleep(0.05)
    assert fd_count() <= fds


async def test_a_response_that_is_not_seroval_is_a_protocol_error(server: str) -> None:
    async with Client(server, path="/elsewhere") as client:
        with pytest.raises((ProtocolError, UnknownFunctionError)):
            await client.call("1a2b3c4d-0")


async def test_the_app_mounts_under_a_prefix_without_lifespan() -> None:
    host = Starlette(routes=[Mount("/api", app=rpc_app.functions.asgi_app())])
    with serving(host, "uvicorn") as url:
        async with connect(f"{url}/api") as client:
            assert await client.stub(rpc_app.add)(1, 1) == 2
        response = httpx.post(
            f"{url}/api/_server", headers=_solid("1a2b3c4d-0", ARGS_A), content=ARGS_A
        )
        assert response.status_code == 200


async def test_the_users_own_httpx_client_is_used(server: str) -> None:
    seen: list[str] = []

    async def hook(request: httpx.Request) -> None:
        seen.append(request.headers["x-server-id"])

    async with httpx.AsyncClient(event_hooks={"request": [hook]}) as http:
        async with Client(server, http_client=http) as client:
            assert await client.stub(rpc_app.add)(1, 2) == 3
        assert not http.is_closed  # it stays the user's
    assert seen == ["seroval.conformance.rpc_app:add"]


def test_a_bad_request_names_the_problem(server: str) -> None:
    body = b';0x0000000f;{"t":1,"s":"x"}'
    response = httpx.post(f"{server}/_server", headers=_solid("1a2b3c4d-0", body), content=body)
    assert response.status_code == 400
    assert "array" in response.headers["x-error"]
    assert BadRequestError.status == 400
