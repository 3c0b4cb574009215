"""The sans-I/O call protocol on its own: heads and bytes in, decisions and bytes out."""

from __future__ import annotations

import pytest

from seroval.codecs import encode_frame, get_codec
from seroval.rpc.core import (
    BadRequestError,
    CallLimits,
    ClientCall,
    CrossSiteError,
    FunctionInfo,
    Headers,
    MethodNotAllowedError,
    PayloadTooLargeError,
    RequestHead,
    ResponseHead,
    ServerCall,
    ServerCallState,
    UnknownFunctionError,
)
from seroval.rpc.core.wire import check_site, error_header, format_timeout, parse_timeout

FUNCTIONS = {"f": FunctionInfo("f", allow_get=False), "g": FunctionInfo("g", allow_get=True)}
ARGS = {"t": 9, "i": 0, "a": [{"t": 0, "s": 1}], "o": 0}


def _server(method: str = "POST", path: str = "/_server", **headers: str) -> ServerCall:
    head = RequestHead(method, path, Headers(headers.items()), query=headers.pop("_query", ""))
    return ServerCall(head, lookup=FUNCTIONS.get, limits=CallLimits(max_body_size=1000))


def test_a_client_request_is_read_back_by_the_server_split_anywhere() -> None:
    client = ClientCall("f", codec=get_codec("json"), instance=3)
    head, body = client.request([ARGS], timeout=1.5)
    assert list(head.headers) == [
        ("x-server-id", "f"),
        ("x-server-instance", "server-fn:3"),
        ("x-start-type", "0"),
        ("content-type", "text/plain"),
        ("x-seroval-timeout-ms", "1500"),
    ]
    server = ServerCall(head, lookup=FUNCTIONS.get, limits=CallLimits())
    start = server.start()
    assert (start.function.id, start.codec.name, start.timeout) == ("f", "json", 1.5)
    for index in range(len(body)):
        server.receive_data(body[index : index + 1])
    assert server.end_of_body() == [ARGS]
    response, frame = server.respond({"t": 0, "s": 2})
    assert frame == b';0x0000000d;{"t":0,"s":2}'
    client.receive_head(response)
    assert client.receive_data(frame[:5]) == []
    assert client.receive_data(frame[5:]) == [{"t": 0, "s": 2}]
    client.end_of_response()


def test_the_get_form_carries_binary_frames_in_the_query() -> None:
    client = ClientCall("g", codec=get_codec("msgpack"), method="GET")
    head, body = client.request([ARGS])
    assert body == b""
    assert head.query.startswith("id=g&args=%3B0x")
    server = ServerCall(head, lookup=FUNCTIONS.get, limits=CallLimits())
    server.start()
    assert server.end_of_body() == [ARGS]


@pytest.mark.parametrize(
    ("method", "path", "headers", "error"),
    [
        ("POST", "/elsewhere", {"x-server-id": "f"}, UnknownFunctionError),
        ("PUT", "/_server", {"x-server-id": "f"}, MethodNotAllowedError),
        ("GET", "/_server", {"x-server-id": "f"}, MethodNotAllowedError),
        ("POST", "/_server", {}, BadRequestError),
        ("POST", "/_server", {"x-server-id": "nope"}, UnknownFunctionError),
        (
            "POST",
            "/_server",
            {"x-server-id": "f", "origin": "https://evil.example"},
            CrossSiteError,
        ),
        ("POST", "/_server", {"x-server-id": "f", "content-type": "image/png"}, BadRequestError),
        ("POST", "/_server", {"x-server-id": "f", "x-seroval-timeout-ms": "-1"}, BadRequestError),
        ("POST", "/_server", {"x-server-id": "f", "content-length": "5000"}, PayloadTooLargeError),
        ("POST", "/_server", {"x-server-id": "f", "x-start-type": "4"}, BadRequestError),
    ],
)
def test_the_head_is_refused_before_any_body_is_read(
    method: str, path: str, headers: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        _server(method, path, **headers).start()


def test_a_405_names_what_is_allowed() -> None:
    call = _server("GET", **{"x-server-id": "f"})
    with pytest.raises(MethodNotAllowedError) as caught:
        call.start()
    head, frame = call.refuse(caught.value, {"t": 2, "s": 0})
    assert head.status == 405
    assert head.headers.get("allow") == "POST"
    assert head.headers.get("x-error") == "'f' is not a GET function"
    assert call.state is ServerCallState.DONE
    assert frame == encode_frame(b'{"t":2,"s":0}')


def test_body_limits_and_bad_frames() -> None:
    call = _server(**{"x-server-id": "f"})
    call.start()
    with pytest.raises(PayloadTooLargeError):
        call.receive_data(b";0x00001000;")  # one frame over the limit, known from its header
    call = _server(**{"x-server-id": "f"})
    call.start()
    frame = encode_frame(b"[" + b"0," * 40 + b"0]")
    for _ in range(10):
        call.receive_data(frame)  # 10 x 95 bytes: within 1,000
    with pytest.raises(PayloadTooLargeError):
        call.receive_data(frame)
    call = _server(**{"x-server-id": "f"})
    call.start()
    call.receive_data(b";0x00000010;{}")
    with pytest.raises(BadRequestError, match="ended inside a frame"):
        call.end_of_body()


def test_out_of_order_use_is_a_bug_in_the_carrier() -> None:
    call = _server(**{"x-server-id": "f"})
    with pytest.raises(RuntimeError):
        call.receive_data(b"")
    call.start()
    with pytest.raises(RuntimeError):
        call.record({"t": 2, "s": 0})
    client = ClientCall("f", codec=get_codec("json"))
    with pytest.raises(RuntimeError):
        client.receive_head(ResponseHead(200))


@pytest.mark.parametrize(
    ("message", "header"),
    [
        ("Boom", "Boom"),
        ("two\r\nlines", "twolines"),
        ("café", "café"),
        ("😀 ok", "%F0%9F%98%80%20ok"),
        (ValueError("x"), "true"),
    ],
)
def test_x_error_is_a_safe_header_value(message: object, header: str) -> None:
    assert error_header(message) == header
    header.encode("latin-1")


def test_the_timeout_header() -> None:
    assert format_timeout(1.2345) == "1234"
    assert format_timeout(-3) == "0"
    assert parse_timeout(Headers([("x-seroval-timeout-ms", "250")])) == 0.25
    assert parse_timeout(Headers()) is None
    for bad in ["1.5", "soon", "12345678901", ""]:
        with pytest.raises(BadRequestError):
            parse_timeout(Headers([("x-seroval-timeout-ms", bad)]))


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({}, True),
        ({"sec-fetch-site": "same-origin"}, True),
        ({"sec-fetch-site": "none"}, True),
        ({"sec-fetch-site": "same-site"}, False),
        ({"sec-fetch-site": "cross-site", "origin": "https://app.example"}, True),
        ({"origin": "http://api.example"}, True),
        ({"origin": "http://API.example/"}, True),
        ({"origin": "https://api.example"}, False),
        ({"origin": "null"}, False),
        ({"origin": "https://evil.example"}, False),
    ],
)
def test_the_site_check(headers: dict[str, str], allowed: bool) -> None:
    head = RequestHead("POST", "/_server", Headers([("host", "api.example"), *headers.items()]))
    if allowed:
        check_site(head, allowed_origins=["https://app.example"])
    else:
        with pytest.raises(CrossSiteError):
            check_site(head, allowed_origins=["https://app.example"])
    check_site(
        RequestHead("POST", "/", Headers([("sec-fetch-site", "same-site")])), allow_same_site=True
    )
