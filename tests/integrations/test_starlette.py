"""The Starlette / FastAPI helpers, in a real FastAPI app driven by a real httpx client.

These use httpx's ASGI transport (no sockets); ``test_uvicorn.py`` runs the same app
on a real uvicorn for streaming and for the whole catalogue of types.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest

import seroval
from seroval import JSBigInt, JSMap, JSPromise, JSSet, JSTypedArray
from seroval.codecs import encode_frame, get_codec
from seroval.integrations import httpx as sh

from .app import PITFALL_VALUE, WHEN, Gate, make_app

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    gate = Gate()
    gate.open.set()
    app = make_app(seroval.Serializer(), seroval.Deserializer(), gate)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        yield client


VALUE: dict[str, Any] = {
    "when": WHEN,
    "set": {1, 2},
    "map": JSMap([(1, "one"), ("k", [None])]),
    "bytes": b"\x00\xff",
    "big": 2**64,
    "floats": [math.inf, -0.0],
    "text": "é\u2028",
}


def _same(back: Any) -> None:
    assert back["when"] == WHEN
    assert isinstance(back["set"], JSSet)
    assert set(back["set"]) == {1, 2}
    assert isinstance(back["map"], JSMap)
    assert dict(back["map"].items()) == {1: "one", "k": [None]}
    assert isinstance(back["bytes"], JSTypedArray)
    assert bytes(back["bytes"].tobytes()) == b"\x00\xff"
    assert back["big"] == 2**64
    assert type(back["big"]) is JSBigInt
    assert back["floats"][0] == math.inf
    assert math.copysign(1, back["floats"][1]) == -1
    assert back["text"] == "é\u2028"


@pytest.mark.parametrize("codec", ["json", "msgpack", "cbor"])
async def test_echo_in_each_codec(client: httpx.AsyncClient, codec: str) -> None:
    response = await client.post(
        "/echo", **sh.content(VALUE, codec=codec, headers=sh.accept_headers([codec]))
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == get_codec(codec).content_type
    assert response.headers["vary"] == "accept"
    _same(await sh.aread_value(response))


async def test_the_response_codec_follows_accept(client: httpx.AsyncClient) -> None:
    body = sh.content([1], codec="cbor")
    for accept, content_type in [
        ({}, "application/json"),
        ({"accept": "application/vnd.msgpack, application/json;q=0.5"}, "application/vnd.msgpack"),
        ({"accept": "text/html, */*;q=0.1"}, "application/json"),
    ]:
        response = await client.post(
            "/echo", content=body["content"], headers={**body["headers"], **accept}
        )
        assert response.headers["content-type"] == content_type
        assert await sh.aread_value(response) == [1]


async def test_406_when_nothing_offered_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post("/echo", **sh.content(1, headers={"accept": "text/html"}))
    assert response.status_code == 406
    assert "none of the accepted types 'text/html'" in response.json()["detail"]


async def test_a_bad_body_is_a_400_with_the_reason(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/echo",
        content=b'{"t":{"t":99},"f":127,"m":[]}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "unknown node type 99 (at $.t)",
        "error": "SerovalDeserializationUnsupportedNodeError",
    }
    response = await client.post(
        "/echo", content=b"\xc1", headers={"content-type": "application/vnd.msgpack"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "SerovalCodecDecodeError"


async def test_an_unknown_content_type_is_a_415(client: httpx.AsyncClient) -> None:
    response = await client.post("/echo", content=b"1", headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["detail"] == "no codec for content type 'text/plain'"


async def test_a_body_over_the_limit_is_a_413(client: httpx.AsyncClient) -> None:
    small = await client.post("/small", **sh.content("x" * 10))
    assert small.status_code == 200
    assert await sh.aread_value(small) == {"got": "x" * 10}
    declared = await client.post("/small", **sh.content("x" * 100))
    assert declared.status_code == 413
    assert "is over the limit of 64 bytes" in declared.json()["detail"]

    async def chunks() -> AsyncIterator[bytes]:  # no content-length: counted while read
        body = sh.content("y" * 100)["content"]
        for start in range(0, len(body), 16):
            yield body[start : start + 16]

    chunked = await client.post(
        "/small", content=chunks(), headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413


async def test_a_value_the_server_cannot_write_is_a_500_without_details(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/unwritable")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}


async def test_fastapi_pitfall_raw_values_go_through_jsonable_encoder(
    client: httpx.AsyncClient,
) -> None:
    """Returning a raw value with ``response_class=SerovalResponse``: FastAPI's
    ``jsonable_encoder`` runs first and turns the datetime into a string, the set into a
    list and the bytes into text, silently."""
    value = await sh.aread_value(await client.get("/pitfall"))
    assert value == {"when": "2024-05-06T07:08:09Z", "tags": ["a"], "raw": "\x00\x01"}
    assert not isinstance(value["when"], datetime)


async def test_fastapi_pattern_return_the_response(client: httpx.AsyncClient) -> None:
    """Returning ``SerovalResponse(value)``: FastAPI sends it untouched."""
    value = await sh.aread_value(await client.get("/pattern"))
    assert value["when"] == PITFALL_VALUE["when"]
    assert isinstance(value["tags"], JSSet)
    assert set(value["tags"]) == {"a"}
    assert bytes(value["raw"].tobytes()) == b"\x00\x01"


async def test_a_value_with_async_parts_is_framed(client: httpx.AsyncClient) -> None:
    response = await client.get("/stream", headers=sh.accept_headers(["cbor"]))
    assert response.headers["content-type"] == "application/cbor; framing=seroval"
    assert "content-length" not in response.headers
    value = await sh.aread_value(response)
    assert value["at"] == WHEN
    assert isinstance(value["total"], JSPromise)
    assert value["total"].result() == 42
    assert [item async for item in value["items"]] == ["a", "b", "c"]


async def test_a_framed_request_body_is_read_whole(client: httpx.AsyncClient) -> None:
    async def later() -> str:
        return "settled"

    records = []
    async with seroval.to_cross_json_stream({"p": later()}) as stream:
        async for node in stream:
            records.append(encode_frame(seroval.dumps_json(node).encode()))
    response = await client.post(
        "/echo",
        content=b"".join(records),
        headers={"content-type": "application/json; framing=seroval"},
    )
    assert response.status_code == 200
    value = await sh.aread_value(response)
    assert value["p"].result() == "settled"


async def test_plain_reads_a_framed_response_whole_as_python_types(
    client: httpx.AsyncClient,
) -> None:
    """``Deserializer(plain=True)`` on a framed response read whole: the root, the
    settled promise's value and the ended stream's items are Python's types."""
    plain = seroval.Deserializer(plain=True)
    for codec in ("json", "msgpack", "cbor"):
        response = await client.get("/plain-stream", headers=sh.accept_headers([codec]))
        assert response.headers["content-type"].endswith("; framing=seroval")
        value = await sh.aread_value(response, deserializer=plain)
        assert type(value["tags"]) is set
        later = value["later"].result()
        assert later == {"tags": {"b"}, "raw": b"\x01"}
        assert type(later["tags"]) is set
        assert type(later["raw"]) is bytes
        rows = [row async for row in value["rows"]]
        assert rows == [{1, 2}, {"k": b"\x02"}]
        assert [type(row) for row in rows] == [set, dict]
        # Without the option, the same response reads back as JS types.
        again = await client.get("/plain-stream", headers=sh.accept_headers([codec]))
        assert type((await sh.aread_value(again))["tags"]) is JSSet


async def test_plain_reads_a_framed_request_body_as_python_types(
    client: httpx.AsyncClient,
) -> None:
    async def later() -> object:
        return JSMap([(1, b"\x00")])

    records = []
    async with seroval.to_cross_json_stream({"s": {1}, "p": later()}) as stream:
        async for node in stream:
            records.append(encode_frame(seroval.dumps_json(node).encode()))
    framed = await client.post(
        "/plain-types",
        content=b"".join(records),
        headers={"content-type": "application/json; framing=seroval"},
    )
    assert await sh.aread_value(framed) == {
        "root": {"s": "set", "p": "JSPromise"},
        "settled": {"p": {1: "bytes"}},  # a dict (its type names; a JSMap on the way back)
    }
    whole = await client.post(
        "/plain-types", **sh.content({"s": {1}, "m": JSMap([(1, b"\x00")]), "b": b"x"})
    )
    assert await sh.aread_value(whole) == {
        "root": {"s": "set", "m": {1: "bytes"}, "b": "bytes"},
        "settled": {},
    }


async def test_a_plain_starlette_app_uses_the_same_helpers() -> None:
    """No FastAPI: a Starlette route, the response class, the reader and the handler."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.routing import Route

    from seroval.integrations.starlette import SerovalResponse, install, read_value

    async def echo(request: Request) -> SerovalResponse:
        return SerovalResponse({"got": await read_value(request), "at": WHEN})

    app = Starlette(routes=[Route("/echo", echo, methods=["POST"])])
    install(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        response = await client.post(
            "/echo", **sh.content({1}, headers=sh.accept_headers(["cbor"]))
        )
        assert response.headers["content-type"] == "application/cbor"
        assert await sh.aread_value(response) == {"got": {1}, "at": WHEN}
        bad = await client.post("/echo", content=b"[", headers={"content-type": "application/json"})
        assert bad.status_code == 400
        assert bad.json()["error"] == "SerovalCodecSyntaxError"
