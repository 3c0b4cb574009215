"""Everyday Python types between a FastAPI app on a real uvicorn and an httpx client.

The app and the client register the same ``seroval.plugins.python`` plugins (the
dataclasses, enums, flags and pydantic model of the plugin tests) and nothing else:
each value goes to the server and back in each codec, as one payload and as a
streamed result (the value at once, then settled by a later frame, then item by
item), and comes back equal, of the same type.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

import seroval
from seroval.integrations import httpx as sh
from seroval.plugins import web

from ..plugins.python_cases import CASES, PLUGINS
from .app import make_app, serve

SERIALIZER = seroval.Serializer(plugins=(*PLUGINS, *web.ALL))
DESERIALIZER = seroval.Deserializer(plugins=(*PLUGINS, *web.ALL))
CODECS = ("json", "msgpack", "cbor")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(make_app(SERIALIZER, DESERIALIZER)) as url:
        yield url


def _same(back: Any, value: Any, name: str) -> None:
    assert type(back) is type(value), name
    assert repr(back) == repr(value), name
    assert back == value or name == "decimal_nan", name  # NaN equals nothing


@pytest.mark.parametrize("codec", CODECS)
def test_each_python_type_there_and_back(base_url: str, codec: str) -> None:
    with httpx.Client(base_url=base_url) as client:
        for name, value in sorted(CASES.items()):
            body = sh.content(
                value, codec=codec, serializer=SERIALIZER, headers=sh.accept_headers([codec])
            )
            response = client.post("/echo", **body)
            assert response.headers["content-type"] == seroval.codecs.get_codec(codec).content_type
            _same(sh.read_value(response, deserializer=DESERIALIZER), value, name)


@pytest.mark.parametrize("codec", CODECS)
def test_python_types_in_a_streamed_result(base_url: str, codec: str) -> None:
    names = sorted(CASES)
    values = [CASES[name] for name in names]

    async def main() -> None:
        async with httpx.AsyncClient(base_url=base_url) as client:
            body = sh.content(
                values, codec=codec, serializer=SERIALIZER, headers=sh.accept_headers([codec])
            )
            async with (
                client.stream("POST", "/echo-later", **body) as response,
                sh.stream_value(response, deserializer=DESERIALIZER) as back,
            ):
                assert response.headers["content-type"].endswith("; framing=seroval")
                for name, item, value in zip(names, back["now"], values, strict=True):
                    _same(item, value, name)
                for name, item, value in zip(names, await back["later"], values, strict=True):
                    _same(item, value, name)
                items = [item async for item in back["items"]]
                assert len(items) == len(values)
                for name, item, value in zip(names, items, values, strict=True):
                    _same(item, value, name)

    anyio.run(main)
