"""Our ``tanstack`` profile answers as @tanstack/start-server-core 1.169.45 answers.

The same requests go to TanStack's own request pipeline (``createStartHandler``:
its default CSRF middleware, ``handleServerAction``, serialized redirects;
interop/servers/tanstack-server.mjs, functions in interop/servers/tanstack-functions.mjs)
and to the profile serving the Python twins (tests/interop/app.py) under the same
ids; the status, the headers the client reads and the body bytes (JSON, or each
x-tss-framed frame) must match.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from seroval import Serializer, hole, undefined
from seroval.conformance.oracle import OracleUnavailable
from seroval.rpc import ServerFunctions

from . import app as fixture
from .harness import reference_server, serving

READ = ("content-type", "x-tss-serialized", "x-tss-raw", "allow", "location")
HEADERS = {
    "x-tsr-serverFn": "true",
    "accept": "application/x-tss-framed, application/x-ndjson, application/json",
}
NAMES = (
    "thing_data",
    "later",
    "count",
    "chunks",
    "boom",
    "go_posts",
    "cyclic",
    "echo_data",
    "form",
    "double",
)


def _build() -> Any:
    functions = ServerFunctions(check_site=False)
    for name in NAMES:
        target = fixture._stream_result("tanstack") if name == "chunks" else fixture.FUNCTIONS[name]
        method = "GET" if name in fixture.GET_FUNCTIONS else "POST"
        functions.add(target, id=name, method=method)
    return functions.asgi_app(profile="tanstack")


@pytest.fixture(scope="module")
def origins() -> Iterator[tuple[str, str]]:
    try:
        reference = reference_server("tanstack")
        real = reference.__enter__()
    except OracleUnavailable as error:
        pytest.skip(str(error))
    try:
        with serving(_build()) as ours:
            yield real, ours
    finally:
        reference.__exit__(None, None, None)


def _frames(data: bytes) -> list[tuple[int, int, bytes]]:
    out = []
    while data:
        kind, stream, length = struct.unpack_from(">BII", data)
        out.append((kind, stream, data[9 : 9 + length]))
        data = data[9 + length :]
    return out


def _answer(origin: str, method: str, target: str, **request: Any) -> dict[str, Any]:
    # A same-origin browser call: TanStack's default CSRF middleware wants Origin.
    request["headers"] = {**request.get("headers", {}), "origin": origin}
    response = httpx.request(method, origin + target, follow_redirects=False, **request)
    headers = {name: value for name, value in response.headers.items() if name in READ}
    body: Any = response.content
    if headers.get("content-type", "").startswith("application/x-tss-framed"):
        body = _frames(body)
    return {"status": response.status_code, "headers": headers, "body": body}


def _same(origins: tuple[str, str], method: str, target: str, **request: Any) -> dict[str, Any]:
    real, ours = (_answer(origin, method, target, **request) for origin in origins)
    assert ours == real
    return real


def _payload(data: Any) -> str:
    return json.dumps(Serializer().to_json({"data": data}), separators=(",", ":"))


def _post(data: Any) -> dict[str, Any]:
    return {
        "headers": {**HEADERS, "content-type": "application/json"},
        "content": _payload(data).encode(),
    }


def test_json_result(origins: tuple[str, str]) -> None:
    answer = _same(
        origins, "POST", "/_serverFn/thing_data", **_post({"n": 42, "when": fixture.WHEN})
    )
    assert answer["headers"]["content-type"] == "application/json"


@pytest.mark.parametrize("name", ["later", "count", "chunks"])
def test_framed_result(origins: tuple[str, str], name: str) -> None:
    data = 3 if name == "count" else None
    request = _post(data) if data is not None else {"headers": HEADERS}
    answer = _same(origins, "POST", f"/_serverFn/{name}", **request)
    assert answer["headers"]["content-type"] == "application/x-tss-framed; v=1"


def test_thrown_error(origins: tuple[str, str]) -> None:
    _same(origins, "POST", "/_serverFn/boom", headers=HEADERS)


def test_cyclic_bigint(origins: tuple[str, str]) -> None:
    _same(origins, "POST", "/_serverFn/cyclic", headers=HEADERS)


def test_holes_undefined(origins: tuple[str, str]) -> None:
    args = [[1, hole, 3, undefined], undefined, {"u": undefined, "n": None}]
    _same(origins, "POST", "/_serverFn/echo_data", **_post(args))


def test_form_data(origins: tuple[str, str]) -> None:
    files = {"upload": ("hello.txt", b"hi there", "text/plain")}
    _same(
        origins,
        "POST",
        "/_serverFn/form",
        headers={"x-tsr-serverFn": "true"},
        data={"name": "Ada"},
        files=files,
    )


def test_get_payload(origins: tuple[str, str]) -> None:
    params = {"payload": _payload(21)}
    _same(origins, "GET", "/_serverFn/double", headers=HEADERS, params=params)


def test_wrong_method(origins: tuple[str, str]) -> None:
    answer = _same(origins, "POST", "/_serverFn/double", headers=HEADERS)
    assert answer["status"] == 405
    assert answer["headers"]["allow"] == "GET"


def test_unknown_function(origins: tuple[str, str]) -> None:
    """Status and headers as TanStack's; the message is each resolver's own."""
    real, ours = (_answer(origin, "POST", "/_serverFn/nope", headers=HEADERS) for origin in origins)
    assert (
        (ours["status"], ours["headers"])
        == (real["status"], real["headers"])
        == (
            500,
            {"content-type": "application/json", "x-tss-serialized": "true"},
        )
    )
    assert b'"c":"$TSR/Error"' in ours["body"]
    assert b"nope" in ours["body"]


def test_thrown_redirect(origins: tuple[str, str]) -> None:
    answer = _same(origins, "POST", "/_serverFn/go_posts", headers=HEADERS)
    assert (
        answer["body"]
        == b'{"to":"/posts","statusCode":307,"href":"/posts","isSerializedRedirect":true}'
    )


def test_form_post_without_js_redirects(origins: tuple[str, str]) -> None:
    """No ``x-tsr-serverFn`` (a form posted to ``fn.url``): a real redirect."""
    answer = _same(origins, "POST", "/_serverFn/go_posts", data={"a": "1"})
    assert (answer["status"], answer["headers"]) == (307, {"location": "/posts"})
