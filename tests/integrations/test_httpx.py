"""The httpx helpers on their own, with httpx's mock transport standing in for a server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest

import seroval
from seroval.codecs import SerovalFramingDecodeError, encode_frame, get_codec
from seroval.integrations import httpx as sh


def test_accept_headers_prefer_in_order() -> None:
    assert sh.accept_headers(["cbor", "json"]) == {
        "accept": "application/cbor, application/json;q=0.667"
    }


def test_content_sets_the_codecs_type_and_keeps_other_headers() -> None:
    body = sh.content([1], codec="msgpack", headers={"accept": "application/json"})
    assert body["headers"] == {
        "accept": "application/json",
        "content-type": "application/vnd.msgpack",
    }
    assert get_codec("msgpack").decode(body["content"]) == seroval.to_json([1])


def test_acontent_awaits_the_async_parts() -> None:
    async def later() -> str:
        return "done"

    async def main() -> dict[str, Any]:
        return await sh.acontent({"p": later()})

    body = anyio.run(main)
    value = seroval.from_json(seroval.loads_json(body["content"].decode()))
    assert value["p"].result() == "done"


def test_content_refuses_async_parts_and_names_acontent() -> None:
    async def later() -> str:
        return "done"

    coroutine = later()
    with pytest.raises(seroval.SerovalUnsupportedTypeError, match="needs an async") as caught:
        sh.content({"p": coroutine})
    coroutine.close()
    assert caught.value.__notes__ == [
        "acontent(value) awaits the value's async parts and sends it settled"
    ]
    with pytest.raises(seroval.SerovalUnsupportedTypeError) as other:
        sh.content(object())
    assert not hasattr(other.value, "__notes__")  # only async parts get the note


def _framed(records: list[bytes]) -> httpx.MockTransport:
    async def chunks() -> AsyncIterator[bytes]:
        for record in records:
            yield record
            await anyio.sleep(0)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": "application/json; framing=seroval"},
            content=chunks(),
        )

    return httpx.MockTransport(handler)


def _records(value: object) -> list[bytes]:
    async def main() -> list[bytes]:
        async with seroval.to_cross_json_stream(value) as stream:
            return [encode_frame(seroval.dumps_json(node).encode()) async for node in stream]

    return anyio.run(main)


def test_a_bad_frame_rejects_what_is_pending() -> None:
    async def later() -> int:
        return 1

    root = _records({"p": later()})[0]  # the root only: the promise stays pending

    async def main() -> None:
        transport = _framed([root, b";0xZZ"])
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://mock") as client,
            client.stream("GET", "/") as response,
            sh.stream_value(response) as value,
        ):
            with pytest.raises(SerovalFramingDecodeError, match="bad frame header"):
                await value["p"]

    anyio.run(main)


def test_a_stream_with_no_frame_is_an_error() -> None:
    async def main() -> None:
        transport = _framed([])
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://mock") as client,
            client.stream("GET", "/") as response,
        ):
            with pytest.raises(seroval.SerovalDeserializationError, match="held no frame"):
                async with sh.stream_value(response):
                    pass

    anyio.run(main)


def test_an_unframed_response_is_read_whole() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, **sh.content({"a": {1}}, codec="cbor"))

    async def main() -> Any:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://m") as c,
            c.stream("GET", "/") as response,
            sh.stream_value(response) as value,
        ):
            return value

    assert anyio.run(main) == {"a": {1}}


def test_an_error_in_the_block_propagates_as_it_is() -> None:
    async def later() -> int:
        return 1

    root = _records({"p": later()})[0]

    async def main() -> None:
        async with (
            httpx.AsyncClient(transport=_framed([root]), base_url="http://mock") as client,
            client.stream("GET", "/") as response,
            sh.stream_value(response),
        ):
            raise KeyError("mine")

    with pytest.raises(KeyError, match="mine"):
        anyio.run(main)
