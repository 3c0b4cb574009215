"""Our Python clients call the frameworks' own server handlers.

SolidStart 2.0.5 and 1.3.2, each in JSON and JS mode, and
@tanstack/start-server-core 1.169.45.  interop/servers/solid2-server.mjs runs 2.0.5's
``handleServerFunction`` on h3, solid1-server.mjs 1.3.2's handler on h3 1.15 (what
vinxi wraps), both with interop/servers/functions.mjs; the client reads their
answers with our cross-JSON and JS text readers (nothing is evaluated).  The cases
are interop/cases.mjs's, from the Python side.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from seroval import hole, undefined
from seroval.conformance.oracle import OracleUnavailable
from seroval.plugins import web
from seroval.protocol.model.binary import JSTypedArray
from seroval.protocol.model.values import JSBigInt, JSMap
from seroval.rpc import Redirect
from seroval.rpc.core.errors import ProtocolError, RemoteError
from seroval.rpc.frameworks import RawStreamReader, SolidStartClient, TanStackClient

from .harness import reference_server

pytestmark = pytest.mark.anyio
WHEN = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


SERVERS = [("solid2", "json"), ("solid2", "js"), ("solid1", "json"), ("solid1", "js")]


@pytest.fixture(scope="module", params=SERVERS, ids=["-".join(p) for p in SERVERS])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(origin, line): SolidStart 2.0.5's or 1.3.2's own handler in one build mode."""
    name, mode = request.param
    try:
        running = reference_server(name, mode)
        url = running.__enter__()
    except OracleUnavailable as error:
        pytest.skip(str(error))
    try:
        yield url, name
    finally:
        running.__exit__(None, None, None)


class _Line:
    """A client for the server's line; 1.x ids are ``<id>#<name>`` (the name is the
    id here, as the fixture manifest lists them)."""

    def __init__(self, server: tuple[str, str]) -> None:
        self.url, self.line = server

    def client(self) -> SolidStartClient:
        return SolidStartClient(self.url, version="2" if self.line == "solid2" else "1")

    def id(self, name: str) -> str:
        return name if self.line == "solid2" else f"{name}#{name}"


@pytest.fixture
def line(server: tuple[str, str]) -> _Line:
    return _Line(server)


async def _items(iterable: Any) -> list[Any]:
    return [item async for item in iterable]


async def test_number_date(line: _Line) -> None:
    async with line.client() as client:
        result = await client.call(line.id("thing"), 42, WHEN)
    assert result["id"] == 42
    assert result["when"] == WHEN
    assert isinstance(result["tags"], JSMap)
    assert list(result["tags"].items()) == [("a", 1), ("b", 2)]


async def test_promise_later(line: _Line) -> None:
    async with line.client() as client:
        started = time.monotonic()
        result = await client.call(line.id("later"))
        assert time.monotonic() - started < 0.25, "the result came before the promise settled"
        assert result["now"] == 1
        assert await result["later"] == "done"


async def test_async_generator(line: _Line) -> None:
    async with line.client() as client:
        result = await client.call(line.id("count"), 3)
        assert await _items(result) == [1, 2, 3]


async def test_stream(line: _Line) -> None:
    async with line.client() as client:
        result = await client.call(line.id("chunks"))
        assert isinstance(result, AsyncIterator | web.ReadableStream), result
        assert "".join(await _items(result)) == "hello world"


async def test_thrown_error(line: _Line) -> None:
    async with line.client() as client:
        with pytest.raises(RemoteError) as caught:
            await client.call(line.id("boom"))
    assert caught.value.message == "Boom"


async def test_thrown_redirect(line: _Line) -> None:
    async with line.client() as client:
        with pytest.raises(Redirect) as caught:
            await client.call(line.id("go_posts"))
    assert caught.value.location == "/posts"
    assert caught.value.revalidate == ("posts",)


async def test_cyclic_bigint(line: _Line) -> None:
    async with line.client() as client:
        result = await client.call(line.id("cyclic"))
    assert result["self"] is result
    assert result["a"] is result["b"]
    assert result["a"] == {"x": 1}
    assert result["big"] == JSBigInt(2**70)


async def test_holes_undefined(line: _Line) -> None:
    async with line.client() as client:
        result = await client.call(
            "echo", [1, hole, 3, undefined], undefined, {"u": undefined, "n": None}
        )
    sparse, second, third = result["args"]
    assert sparse[1] is hole
    assert sparse[3] is undefined
    assert second is undefined
    assert third == {"u": undefined, "n": None}
    assert result["seen"] == ["list", "hole", "undefined", "undefined", "null"]


async def test_form_data(line: _Line) -> None:
    form = web.FormData()
    form.append("name", "Ada")
    form.append("upload", web.File(b"hi there", "hello.txt", type="text/plain"))
    async with line.client() as client:
        result = await client.call(line.id("form"), form)
    assert result == {"name": "Ada", "file": "hello.txt", "type": "text/plain", "text": "hi there"}


async def test_file_arg(line: _Line) -> None:
    async with line.client() as client:
        result = await client.call(
            line.id("file"), web.File(b"file body", "notes.txt", type="text/plain")
        )
    assert result == {"name": "notes.txt", "size": 9, "text": "file body"}


async def test_get_call(line: _Line) -> None:
    async with line.client() as client:
        assert await client.call(line.id("double"), 21, method="GET") == 42


async def test_natural_results(line: _Line) -> None:
    """2.0 sends these raw (``X-Start-Type`` 1-7); 1.x serializes the ones its plugins
    can (a string, URLSearchParams; not a FormData holding a File) and the client
    reads either."""
    async with line.client() as client:
        assert await client.call(line.id("raw_text")) == "hi there"
        params = await client.call(line.id("raw_params"))
        assert list(params) == [("a", "1"), ("b", "two words"), ("c", "é")]
        if line.line != "solid2":
            return
        form = await client.call(line.id("raw_form"))
        assert isinstance(form, web.FormData)
        assert form.get("name") == "Ada"
        upload = form.get("upload")
        assert isinstance(upload, web.File)
        assert upload.text() == "file body"
        blob = await client.call(line.id("raw_blob"))
        assert isinstance(blob, web.Blob)
        assert blob.type == "text/csv"
        file = await client.call(line.id("raw_file"))
        assert isinstance(file, web.File)
        assert file.name == "notes.txt"
        assert await client.call(line.id("raw_buffer")) == bytearray([1, 2, 255])
        data = await client.call(line.id("raw_bytes"))
        assert isinstance(data, JSTypedArray)
        assert bytes(data) == bytes([1, 2, 255])


# -- TanStack Start ---------------------------------------------------------------------
# interop/servers/tanstack-server.mjs: @tanstack/start-server-core 1.169.45's whole
# request pipeline (createStartHandler) with servers/tanstack-functions.mjs.  Its
# default CSRF middleware wants an Origin, which the client sends as a page would.


@pytest.fixture(scope="module")
def tanstack_origin() -> Iterator[str]:
    try:
        server = reference_server("tanstack")
        url = server.__enter__()
    except OracleUnavailable as error:
        pytest.skip(str(error))
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


async def test_tanstack_number_date(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        result = await client.call("thing_data", {"n": 42, "when": WHEN}, method="POST")
    assert result["id"] == 42
    assert result["when"] == WHEN
    assert list(result["tags"].items()) == [("a", 1), ("b", 2)]


async def test_tanstack_promise_later(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        started = time.monotonic()
        result = await client.call("later", method="POST")
        assert time.monotonic() - started < 0.25, "the result came before the promise settled"
        assert result["now"] == 1
        assert await result["later"] == "done"


async def test_tanstack_async_generator(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        result = await client.call("count", 3, method="POST")
        assert await _items(result) == [1, 2, 3]


async def test_tanstack_raw_stream(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        result = await client.call("chunks", method="POST")
        assert isinstance(result["file"], RawStreamReader)
        assert await result["file"].read() == b"hello world"


async def test_tanstack_thrown_error(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        with pytest.raises(RemoteError) as caught:
            await client.call("boom", method="POST")
    assert caught.value.message == "Boom"


async def test_tanstack_cyclic_bigint(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        result = await client.call("cyclic", method="POST")
    assert result["self"] is result
    assert result["a"] is result["b"]
    assert result["big"] == JSBigInt(2**70)


async def test_tanstack_holes_undefined(tanstack_origin: str) -> None:
    args = [[1, hole, 3, undefined], undefined, {"u": undefined, "n": None}]
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        result = await client.call("echo_data", args, method="POST")
    assert result["seen"] == ["list", "hole", "undefined", "undefined", "null"]
    assert result["args"][0][1] is hole


async def test_tanstack_form_data(tanstack_origin: str) -> None:
    form = web.FormData()
    form.append("name", "Ada")
    form.append("upload", web.File(b"hi there", "hello.txt", type="text/plain"))
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        result = await client.call("form", form, method="POST")
    assert result == {"name": "Ada", "file": "hello.txt", "type": "text/plain", "text": "hi there"}


async def test_tanstack_file_arg(tanstack_origin: str) -> None:
    form = web.FormData()
    form.append("file", web.File(b"file body", "notes.txt", type="text/plain"))
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        result = await client.call("file", form, method="POST")
    assert result == {"name": "notes.txt", "size": 9, "text": "file body"}


async def test_tanstack_get_call(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        assert await client.call("double", 21) == 42
        with pytest.raises(ProtocolError, match="405"):
            await client.call("double", 21, method="POST")


async def test_tanstack_thrown_redirect(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin, headers=[("Origin", tanstack_origin)]) as client:
        with pytest.raises(Redirect) as caught:
            await client.call("go_posts", method="POST")
    assert (caught.value.location, caught.value.status) == ("/posts", 307)


async def test_tanstack_csrf_refusal(tanstack_origin: str) -> None:
    """Without an Origin (or Referer), TanStack's default CSRF middleware refuses."""
    async with TanStackClient(tanstack_origin) as client:
        with pytest.raises(ProtocolError, match="403: Forbidden"):
            await client.call("double", 21)
