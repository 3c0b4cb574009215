"""Our ``solid2`` profile answers as SolidStart 2.0.5's own server handler answers.

The same requests go to ``@solidjs/start`` 2.0.5's ``handleServerFunction`` (on h3,
interop/servers/solid2-server.mjs) and to our profile on uvicorn, each serving the
same functions (interop/servers/functions.mjs, tests/interop/reference_app.py and
app.py); status, the headers the client reads and the body must match.  Covered:
seroval calls (framed JSON byte for byte), results sent raw (``X-Start-Type`` 1-7)
and no-JS form posts (302/303, the flash cookie), for 1.3.2's handler too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from seroval import Serializer, hole, undefined
from seroval.codecs.framing import encode_frame
from seroval.codecs.registry import default_registry
from seroval.conformance.oracle import OracleUnavailable
from seroval.rpc import ServerFunctions
from seroval.rpc.profiles.base import parse_multipart
from seroval.rpc.profiles.nojs import read_flash

from . import app as fixture
from .harness import reference_server, serving
from .reference_app import WHEN, build

READ = ("content-type", "x-start-type", "x-error", "location", "set-cookie")
REFERER = "http://page.test/todos?tab=1"


@pytest.fixture(scope="module")
def origins() -> Iterator[tuple[str, str]]:
    try:
        reference = reference_server("solid2")
        real = reference.__enter__()
    except OracleUnavailable as error:
        pytest.skip(str(error))
    try:
        with serving(build()) as ours:
            yield real, ours
    finally:
        reference.__exit__(None, None, None)


def _answer(origin: str, method: str, target: str, **request: Any) -> dict[str, Any]:
    response = httpx.request(method, origin + target, follow_redirects=False, **request)
    headers = {
        name: value.replace(origin, "ORIGIN")
        for name, value in response.headers.items()
        if name in READ
    }
    body: Any = response.content
    kind = headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        headers["content-type"] = "multipart/form-data"
        form = parse_multipart(kind, response.content)
        body = [
            (name, value if isinstance(value, str) else (value.name, value.type, value.data))
            for name, value in form.items()
        ]
    return {"status": response.status_code, "headers": headers, "body": body}


def _same(origins: tuple[str, str], method: str, target: str, **request: Any) -> dict[str, Any]:
    real, ours = (_answer(origin, method, target, **request) for origin in origins)
    assert ours == real
    return real


SCRIPTED = {"X-Server-Instance": "server-fn:0"}


@pytest.mark.parametrize(
    "name",
    ["raw_text", "raw_form", "raw_params", "raw_blob", "raw_file", "raw_buffer", "raw_bytes"],
)
def test_raw_result(origins: tuple[str, str], name: str) -> None:
    answer = _same(origins, "POST", "/_server", headers={**SCRIPTED, "X-Server-Id": name})
    assert answer["status"] == 200
    assert answer["headers"]["x-start-type"] in "1234567"


FORM = {"content-type": "application/x-www-form-urlencoded", "referer": REFERER}


def test_no_js_value_flash(origins: tuple[str, str]) -> None:
    answer = _same(origins, "POST", "/_server?id=nojs_value", headers=FORM, content=b"name=Ada&x=1")
    assert answer["status"] == 302
    assert answer["headers"]["location"] == REFERER
    assert answer["headers"]["set-cookie"].startswith("flash=%7B%22url%22")


def test_no_js_bound_args(origins: tuple[str, str]) -> None:
    framed = encode_frame(
        default_registry.get("json").encode(Serializer().to_cross_json([7, "seven"]))
    )
    target = "/_server?id=nojs_value&args=" + quote(framed.decode(), safe="")
    answer = _same(origins, "POST", target, headers=FORM, content=b"name=Bo")
    assert "%22bound%22%3A2" in answer["headers"]["set-cookie"]


def test_no_js_multipart(origins: tuple[str, str]) -> None:
    files = {"upload": ("a.txt", b"text", "text/plain")}
    answer = _same(
        origins,
        "POST",
        "/_server?id=nojs_value",
        headers={"referer": REFERER},
        data={"name": "Ada"},
        files=files,
    )
    assert answer["status"] == 302


@pytest.mark.parametrize(
    "name", ["nojs_throw", "nojs_redirect", "nojs_thrown_redirect", "nojs_nothing"]
)
def test_no_js_outcomes(origins: tuple[str, str], name: str) -> None:
    answer = _same(origins, "POST", f"/_server?id={name}", headers=FORM, content=b"name=Ada")
    assert answer["status"] in (302, 303)


def test_no_js_without_referer(origins: tuple[str, str]) -> None:
    headers = {"content-type": "application/x-www-form-urlencoded"}
    answer = _same(origins, "POST", "/_server?id=nojs_value", headers=headers, content=b"a=1")
    assert answer["headers"]["location"] == "ORIGIN/"


@pytest.fixture(scope="module")
def solid1_origins() -> Iterator[tuple[str, str]]:
    """SolidStart 1.3.2's own handler (servers/solid1-server.mjs) and our solid1-json."""
    try:
        reference = reference_server("solid1")
        real = reference.__enter__()
    except OracleUnavailable as error:
        pytest.skip(str(error))
    try:
        with serving(build("solid1-json")) as ours:
            yield real, ours
    finally:
        reference.__exit__(None, None, None)


@pytest.mark.parametrize(
    "name", ["nojs_value", "nojs_throw", "nojs_redirect", "nojs_thrown_redirect", "nojs_nothing"]
)
def test_no_js_solid1(solid1_origins: tuple[str, str], name: str) -> None:
    """1.3.2 reads the form as FormData; its no-JS URLs carry ``&name=`` too."""
    target = f"/_server?id={name}&name={name}"
    _same(solid1_origins, "POST", target, headers=FORM, content=b"name=Ada")


def test_no_js_solid1_multipart(solid1_origins: tuple[str, str]) -> None:
    files = {"upload": ("a.txt", b"text", "text/plain")}
    target = "/_server?id=nojs_value&name=nojs_value"
    _same(
        solid1_origins, "POST", target, headers={"referer": REFERER}, data={"a": "1"}, files=files
    )


SCRIPTED_CALLS = [
    ("thing", [42, WHEN]),
    ("later", []),
    ("count", [3]),
    ("cyclic", []),
    ("echo", [[1, hole, 3, undefined], undefined, {"u": undefined, "n": None}]),
    ("go_posts", []),
    ("double", [21]),
]


@pytest.fixture(scope="module")
def scripted_origins(origins: tuple[str, str]) -> Iterator[tuple[str, str]]:
    """2.0.5's handler, and the solid2 profile serving tests/interop/app.py's functions."""
    functions = ServerFunctions(check_site=False)
    for name in [*(n for n, _ in SCRIPTED_CALLS), "boom"]:
        functions.add(fixture.FUNCTIONS[name], id=name)
    with serving(functions.asgi_app(profile="solid2")) as ours:
        yield origins[0], ours


@pytest.mark.parametrize(("name", "args"), SCRIPTED_CALLS, ids=[n for n, _ in SCRIPTED_CALLS])
def test_scripted_call(scripted_origins: tuple[str, str], name: str, args: list[Any]) -> None:
    """A seroval call: the framed cross-JSON answer byte for byte."""
    body = encode_frame(default_registry.get("json").encode(Serializer().to_cross_json(args)))
    headers = {**SCRIPTED, "X-Server-Id": name}
    if args:
        headers.update({"X-Start-Type": "0", "Content-Type": "text/plain"})
    _same(scripted_origins, "POST", "/_server", headers=headers, content=body if args else None)


def test_scripted_error(scripted_origins: tuple[str, str]) -> None:
    """A thrown error: 2.0.5 (production) strips the stack; we send the class name."""
    real, ours = (
        _answer(origin, "POST", "/_server", headers={**SCRIPTED, "X-Server-Id": "boom"})
        for origin in scripted_origins
    )
    assert (ours["status"], ours["headers"]) == (real["status"], real["headers"])
    assert real["body"] == b';0x00000033;{"t":13,"i":0,"s":0,"m":"Boom","p":{"k":[],"v":[]}}'
    assert b'"m":"Boom"' in ours["body"]


def test_read_flash_reads_solidstarts_cookie(origins: tuple[str, str]) -> None:
    """``read_flash`` gives the record SolidStart's page handler reads from its cookie."""
    real, _ = origins
    response = httpx.post(
        real + "/_server?id=nojs_throw", headers=FORM, content=b"name=Ada", follow_redirects=False
    )
    value = response.headers["set-cookie"].partition("flash=")[2].partition(";")[0]
    record = read_flash(value)
    assert record is not None
    assert record["result"] == "Nope: bad input"
    assert (record["thrown"], record["error"]) == (True, True)
    assert record["input"] == [[["name", "Ada"]]]
    assert read_flash("") is None
