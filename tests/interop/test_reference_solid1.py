"""Our ``solid1-js`` / ``solid1-json`` profiles answer as SolidStart 1.3.2's own handler.

The same scripted calls go to 1.3.2's ``handleServerFunction`` (h3 1.15, what vinxi
wraps: interop/servers/solid1-server.mjs, each build mode) and to our profile
serving the Python twins (tests/interop/app.py); status, the headers the client
reads and the body bytes (JSON records, or JS text in JS mode) must match.  A
thrown error differs only where we mean it to: 1.x sends the JS stack, we send the
exception's class name instead (never a traceback unless configured).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from seroval.conformance.oracle import OracleUnavailable
from seroval.rpc import ServerFunctions

from . import app as fixture
from .harness import reference_server, serving

READ = ("content-type", "x-serialized", "x-error", "location", "x-revalidate")
NAMES = ("thing", "later", "count", "boom", "go_posts", "cyclic", "echo", "double")
THING = (
    '{"t":{"t":9,"i":0,"a":[{"t":0,"s":42},{"t":5,"i":1,"s":"2024-01-02T03:04:05.678Z"}],'
    '"o":0},"f":31,"m":[]}'
)
ECHO = (
    '{"t":{"t":9,"i":0,"a":[{"t":9,"i":1,"a":[{"t":0,"s":1},0,{"t":0,"s":3},{"t":2,"s":1}],'
    '"o":0},{"t":2,"s":1},{"t":10,"i":2,"p":{"k":["u","n"],"v":[{"t":2,"s":1},{"t":2,"s":0}]},'
    '"o":0}],"o":0},"f":31,"m":[]}'
)


def _build(mode: str) -> Any:
    functions = ServerFunctions(check_site=False)
    for name in NAMES:
        method = "GET" if name in fixture.GET_FUNCTIONS else "POST"
        functions.add(fixture.FUNCTIONS[name], id=name, method=method)
    return functions.asgi_app(profile=f"solid1-{mode}")


@pytest.fixture(scope="module", params=["js", "json"])
def origins(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    try:
        reference = reference_server("solid1", request.param)
        real = reference.__enter__()
    except OracleUnavailable as error:
        pytest.skip(str(error))
    try:
        with serving(_build(request.param)) as ours:
            yield real, ours
    finally:
        reference.__exit__(None, None, None)


def _answer(origin: str, name: str, body: str | None, method: str = "POST") -> dict[str, Any]:
    headers = {"X-Server-Id": quote(f"{name}#{name}"), "X-Server-Instance": "server-fn:0"}
    if method == "GET":
        target = f"/_server/?id={name}&name={name}&args={quote(body or '', safe='')}"
        response = httpx.get(origin + target, headers=headers)
    else:
        if body is not None:
            headers.update({"x-serialized": "true", "content-type": "text/plain"})
        response = httpx.post(origin + "/_server", headers=headers, content=body)
    kept = {k: v for k, v in response.headers.items() if k in READ}
    return {"status": response.status_code, "headers": kept, "body": response.content}


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("thing", THING),
        ("later", None),
        ("count", '{"t":{"t":9,"i":0,"a":[{"t":0,"s":3}],"o":0},"f":31,"m":[]}'),
        ("cyclic", None),
        ("echo", ECHO),
        ("go_posts", None),
    ],
)
def test_same_answer(origins: tuple[str, str], name: str, body: str | None) -> None:
    real, ours = (_answer(origin, name, body) for origin in origins)
    assert ours == real


def test_get_call(origins: tuple[str, str]) -> None:
    args = '{"t":{"t":9,"i":0,"a":[{"t":0,"s":21}],"o":0},"f":31,"m":[]}'
    real, ours = (_answer(origin, "double", args, "GET") for origin in origins)
    assert ours == real


def test_thrown_error(origins: tuple[str, str]) -> None:
    real, ours = (_answer(origin, "boom", None) for origin in origins)
    assert (ours["status"], ours["headers"]) == (real["status"], real["headers"])
    assert b"Boom" in ours["body"]
    assert b"stack" in real["body"]
    assert b"stack" not in ours["body"]
