"""Our Python clients call the frameworks' own server handlers.

SolidStart 2.0.5 (JSON and JS mode) and @tanstack/start-server-core 1.169.45.

interop/servers/solid2-server.mjs runs ``@solidjs/start`` 2.0.5's
``handleServerFunction`` on h3 with interop/servers/functions.mjs; the client reads
its answers with our cross-JSON and JS text readers (nothing is evaluated).  The
cases are interop/cases.mjs's, from the Python side.
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


@pytest.fixture(scope="module", params=["json", "js"])
def origin(request: pytest.FixtureRequest) -> Iterator[str]:
    try:
        server = reference_server("solid2", request.param)
        url = server.__enter__()
    except OracleUnavailable as error:
        pytest.skip(str(error))
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


async def _items(iterable: Any) -> list[Any]:
    return [item async for item in iterable]


async def test_number_date(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        result = await client.call("thing", 42, WHEN)
    assert result["id"] == 42
    assert result["when"] == WHEN
    assert isinstance(result["tags"], JSMap)
    assert list(result["tags"].items()) == [("a", 1), ("b", 2)]


async def test_promise_later(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        started = time.monotonic()
        result = await client.call("later")
        assert time.monotonic() - started < 0.25, "the result came before the promise settled"
        assert result["now"] == 1
        assert await result["later"] == "done"


async def test_async_generator(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        result = await client.call("count", 3)
        assert await _items(result) == [1, 2, 3]


async def test_stream(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        result = await client.call("chunks")
        assert isinstance(result, AsyncIterator | web.ReadableStream), result
        assert "".join(await _items(result)) == "hello world"


async def test_thrown_error(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        with pytest.raises(RemoteError) as caught:
            await client.call("boom")
    assert caught.value.message == "Boom"


async def test_thrown_redirect(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        with pytest.raises(Redirect) as caught:
            await client.call("go_posts")
    assert caught.value.location == "/posts"
    assert caught.value.revalidate == ("posts",)


async def test_cyclic_bigint(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        result = await client.call("cyclic")
    assert result["self"] is result
    assert result["a"] is result["b"]
    assert result["a"] == {"x": 1}
    assert result["big"] == JSBigInt(2**70)


async def test_holes_undefined(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        result = await client.call(
            "echo", [1, hole, 3, undefined], undefined, {"u": undefined, "n": None}
        )
    sparse, second, third = result["args"]
    assert sparse[1] is hole
    assert sparse[3] is undefined
    assert second is undefined
    assert third == {"u": undefined, "n": None}
    assert result["seen"] == ["list", "hole", "undefined", "undefined", "null"]


async def test_form_data(origin: str) -> None:
    form = web.FormData()
    form.append("name", "Ada")
    form.append("upload", web.File(b"hi there", "hello.txt", type="text/plain"))
    async with SolidStartClient(origin) as client:
        result = await client.call("form", form)
    assert result == {"name": "Ada", "file": "hello.txt", "type": "text/plain", "text": "hi there"}


async def test_file_arg(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        result = await client.call("file", web.File(b"file body", "notes.txt", type="text/plain"))
    assert result == {"name": "notes.txt", "size": 9, "text": "file body"}


async def test_get_call(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        assert await client.call("double", 21, method="GET") == 42


async def test_raw_results(origin: str) -> None:
    async with SolidStartClient(origin) as client:
        assert await client.call("raw_text") == "hi there"
        form = await client.call("raw_form")
        assert isinstance(form, web.FormData)
        assert form.get("name") == "Ada"
        upload = form.get("upload")
        assert isinstance(upload, web.File)
        assert upload.text() == "file body"
        params = await client.call("raw_params")
        assert list(params) == [("a", "1"), ("b", "two words"), ("c", "é")]
        blob = await client.call("raw_blob")
        assert isinstance(blob, web.Blob)
        assert blob.type == "text/csv"
        file = await client.call("raw_file")
        assert isinstance(file, web.File)
        assert file.name == "notes.txt"
        assert await client.call("raw_buffer") == bytearray([1, 2, 255])
        data = await client.call("raw_bytes")
        assert isinstance(data, JSTypedArray)
        assert bytes(data) == bytes([1, 2, 255])


# -- TanStack Start ---------------------------------------------------------------------
# interop/servers/tanstack-server.mjs: @tanstack/start-server-core 1.169.45's own
# handleServerAction (inside its request scope) with servers/tanstack-functions.mjs.
# Not covered there: a thrown redirect (createStartHandler's pipeline turns it into
# the serialized-redirect JSON, and that pipeline needs a whole router).


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
    async with TanStackClient(tanstack_origin) as client:
        result = await client.call("thing_data", {"n": 42, "when": WHEN}, method="POST")
    assert result["id"] == 42
    assert result["when"] == WHEN
    assert list(result["tags"].items()) == [("a", 1), ("b", 2)]


async def test_tanstack_promise_later(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin) as client:
        started = time.monotonic()
        result = await client.call("later", method="POST")
        assert time.monotonic() - started < 0.25, "the result came before the promise settled"
        assert result["now"] == 1
        assert await result["later"] == "done"


async def test_tanstack_async_generator(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin) as client:
        result = await client.call("count", 3, method="POST")
        assert await _items(result) == [1, 2, 3]


async def test_tanstack_raw_stream(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin) as client:
        result = await client.call("chunks", method="POST")
        assert isinstance(result["file"], RawStreamReader)
        assert await result["file"].read() == b"hello world"


async def test_tanstack_thrown_error(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin) as client:
        with pytest.raises(RemoteError) as caught:
            await client.call("boom", method="POST")
    assert caught.value.message == "Boom"


async def test_tanstack_cyclic_bigint(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin) as client:
        result = await client.call("cyclic", method="POST")
    assert result["self"] is result
    assert result["a"] is result["b"]
    assert result["big"] == JSBigInt(2**70)


async def test_tanstack_holes_undefined(tanstack_origin: str) -> None:
    args = [[1, hole, 3, undefined], undefined, {"u": undefined, "n": None}]
    async with TanStackClient(tanstack_origin) as client:
        result = await client.call("echo_data", args, method="POST")
    assert result["seen"] == ["list", "hole", "undefined", "undefined", "null"]
    assert result["args"][0][1] is hole


async def test_tanstack_form_data(tanstack_origin: str) -> None:
    form = web.FormData()
    form.append("name", "Ada")
    form.append("upload", web.File(b"hi there", "hello.txt", type="text/plain"))
    async with TanStackClient(tanstack_origin) as client:
        result = await client.call("form", form, method="POST")
    assert result == {"name": "Ada", "file": "hello.txt", "type": "text/plain", "text": "hi there"}


async def test_tanstack_file_arg(tanstack_origin: str) -> None:
    form = web.FormData()
    form.append("file", web.File(b"file body", "notes.txt", type="text/plain"))
    async with TanStackClient(tanstack_origin) as client:
        result = await client.call("file", form, method="POST")
    assert result == {"name": "notes.txt", "size": 9, "text": "file body"}


async def test_tanstack_get_call(tanstack_origin: str) -> None:
    async with TanStackClient(tanstack_origin) as client:
        assert await client.call("double", 21) == 42
        with pytest.raises(ProtocolError, match="405"):
            await client.call("double", 21, method="POST")
