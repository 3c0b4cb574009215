"""The FastAPI app on a real uvicorn, on loopback, with real httpx clients.

* streaming: the client gets the root while the server still holds the value's
  async parts, and each later frame settles them as the server lets them go;
* every type of the conformance catalogue (seroval 1.8.1's core and web vectors)
  goes to the server and back in each codec, and writes the bytes seroval wrote.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

import seroval
from seroval import JSPromise
from seroval.conformance.point import PointPlugin
from seroval.conformance.suite import prepare
from seroval.conformance.vectors import Vector, load_vectors
from seroval.integrations import httpx as sh
from seroval.plugins import web

from .app import WHEN, Gate, make_app, serve

PLUGINS = (*web.ALL, PointPlugin())
SERIALIZER = seroval.Serializer(plugins=PLUGINS)
DESERIALIZER = seroval.Deserializer(plugins=PLUGINS)


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate()


@pytest.fixture(scope="module")
def base_url(gate: Gate) -> Iterator[str]:
    with serve(make_app(SERIALIZER, DESERIALIZER, gate)) as url:
        yield url


def test_streamed_response_arrives_frame_by_frame(base_url: str, gate: Gate) -> None:
    gate.open.clear()

    async def main() -> None:
        async with (
            httpx.AsyncClient(base_url=base_url) as client,
            client.stream("GET", "/stream", headers=sh.accept_headers(["msgpack"])) as response,
        ):
            assert response.headers["content-type"] == "application/vnd.msgpack; framing=seroval"
            async with sh.stream_value(response) as value:
                # The root is here, and the server still holds both async parts.
                assert value["at"] == WHEN
                total = value["total"]
                assert isinstance(total, JSPromise)
                assert total.status == "pending"
                gate.open.set()
                assert await total == 42
                items = [item async for item in value["items"]]
                assert items == ["a", "b", "c"]

    anyio.run(main)


def test_leaving_the_stream_early_rejects_what_is_pending(base_url: str, gate: Gate) -> None:
    gate.open.clear()

    async def main() -> JSPromise:
        async with (
            httpx.AsyncClient(base_url=base_url) as client,
            client.stream("GET", "/stream") as response,
            sh.stream_value(response) as value,
        ):
            return value["total"]  # type: ignore[no-any-return]

    total = anyio.run(main)
    gate.open.set()
    assert total.status == "rejected"
    with pytest.raises(seroval.SerovalAbortedError, match="closed before this settled"):
        total.result()


def test_a_part_that_cannot_be_written_cuts_the_stream(base_url: str) -> None:
    """The headers are gone when a later part fails: the response ends early, and the
    client's pending promise is rejected with the transport's error."""

    async def main() -> None:
        async with (
            httpx.AsyncClient(base_url=base_url) as client,
            client.stream("GET", "/breaks") as response,
            sh.stream_value(response) as value,
        ):
            assert value["ok"] == 1
            with pytest.raises(httpx.HTTPError):
                await value["later"]

    anyio.run(main)


def test_sync_client_reads_a_framed_response_whole(base_url: str, gate: Gate) -> None:
    gate.open.set()
    with httpx.Client(base_url=base_url) as client:
        value = sh.read_value(client.get("/stream", headers=sh.accept_headers(["cbor"])))
        assert value["total"].result() == 42
        response = client.post("/echo", **sh.content({"a": {1, 2}}, codec="cbor"))
        assert sh.read_value(response) == {"a": seroval.JSSet([1, 2])}
        bad = client.post("/echo", content=b"{", headers={"content-type": "application/json"})
        with pytest.raises(httpx.HTTPStatusError):
            sh.read_value(bad)
        assert bad.status_code == 400


def _client(base_url: str) -> httpx.Client:
    """A client with a connection per request.

    On a kept-alive loopback connection each request here waits ~40 ms (uvicorn's h11
    writes the head and the body apart, and the reply's second segment waits for a
    delayed ACK); a fresh connection takes ~3 ms, which keeps this test short.
    """
    return httpx.Client(base_url=base_url, limits=httpx.Limits(max_keepalive_connections=0))


def _catalogue() -> list[Vector]:
    core = [
        vector
        for vector in load_vectors("core")
        if vector.json is not None and vector.disabled_features == 0 and vector.depth_limit == 1000
    ]
    webs = [
        vector
        for vector in load_vectors("web", directory=seroval.conformance.vectors.VECTOR_DIR / "web")
        if vector.json is not None
        and vector.disabled_features == 0
        and vector.raw.get("plugins") == "all"
    ]
    prepare(core + webs)  # register the createReference ids, as the application would
    return core + webs


@pytest.mark.parametrize("codec", ["json", "msgpack", "cbor"])
def test_every_catalogue_type_goes_there_and_back(base_url: str, codec: str) -> None:
    """Each value seroval 1.8.1 wrote, read in Python, sent to the app and back, still
    writes seroval's bytes (the conformance suite's round-trip rule)."""
    vectors = _catalogue()
    names = {vector.name.split("/")[0] for vector in vectors}
    assert len(vectors) > 500
    assert {"web", "temporal", "map", "error"} <= names
    failures: list[str] = []
    with _client(base_url) as client:
        for vector in vectors:
            value: Any = DESERIALIZER.from_json(seroval.loads_json(vector.json or ""))
            body = sh.content(
                value, codec=codec, serializer=SERIALIZER, headers=sh.accept_headers([codec])
            )
            response = client.post("/echo", **body)
            back = sh.read_value(response, deserializer=DESERIALIZER)
            written = seroval.dumps_json(SERIALIZER.to_json(back))
            if written != (vector.json_round_trip or vector.json):
                failures.append(vector.name)
    assert not failures, failures[:20]


@pytest.mark.parametrize("codec", ["json", "msgpack", "cbor"])
def test_every_catalogue_type_in_a_streamed_result(base_url: str, codec: str) -> None:
    """The same values sent back streamed: in the root, as a promise settled by a later
    frame, and one by one from an async generator; each still writes seroval's bytes."""
    vectors, values = [], []
    for vector in _catalogue():
        value = DESERIALIZER.from_json(seroval.loads_json(vector.json or ""))
        if not _nests_at_the_limit(value):
            vectors.append(vector)
            values.append(value)
    assert len(vectors) > 500
    expected = [vector.json_round_trip or vector.json for vector in vectors]

    async def main() -> None:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            body = sh.content(
                values, codec=codec, serializer=SERIALIZER, headers=sh.accept_headers([codec])
            )
            async with (
                client.stream("POST", "/echo-later", **body) as response,
                sh.stream_value(response, deserializer=DESERIALIZER) as back,
            ):
                assert response.headers["content-type"].endswith("; framing=seroval")
                items = [item async for item in back["items"]]
                for part, got in (("now", back["now"]), ("later", await back["later"])):
                    _check(part, got, vectors, expected)
                _check("items", items, vectors, expected)

    anyio.run(main)


def _nests_at_the_limit(value: Any) -> bool:
    """Whether ``value`` is one of the vectors nested at the depth limit, which the
    streamed result's own few levels (an object, a promise, a list) would push past it."""
    try:
        SERIALIZER.to_json({"a": [[[value]]]})
    except seroval.SerovalDepthLimitError:
        return True
    return False


def _check(part: str, got: list[Any], vectors: list[Vector], expected: list[str | None]) -> None:
    assert len(got) == len(vectors), part
    failures = [
        vector.name
        for vector, item, want in zip(vectors, got, expected, strict=True)
        if seroval.dumps_json(SERIALIZER.to_json(item)) != want
    ]
    assert not failures, (part, failures[:20])
