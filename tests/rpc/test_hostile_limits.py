"""Every ``CallLimits`` limit at its edge: at the limit accepted, one past refused, typed.

Through the real handler (``FunctionHandler.handle``) with the request as a
client sends it, so each refusal is checked as it travels: its status and its
``X-Error``.  The body deadline is a carrier's limit; its edge is tested on real
servers in ``test_hostile_clients`` (a body inside the deadline is read, one
past it is a 408).
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from seroval.codecs import encode_frame, get_codec
from seroval.rpc import ServerFunctions
from seroval.rpc.core.limits import CallLimits
from seroval.rpc.core.wire import Headers, RequestHead, ResponseHead

pytestmark = pytest.mark.anyio


class _Sink:
    def __init__(self) -> None:
        self.head: ResponseHead | None = None
        self.ended = False

    async def start(self, head: ResponseHead) -> None:
        self.head = head

    async def send(self, data: bytes, *, end: bool = False) -> None:
        self.ended = end


def _app(**limits: Any) -> ServerFunctions:
    functions = ServerFunctions(limits=CallLimits(**limits))

    @functions.function(id="echo")
    async def echo(*values: Any) -> list[Any]:
        return list(values)

    @functions.function(id="length")
    async def length(*values: Any) -> int:
        return len(values)  # not the values: a promise left open would hold the response

    @functions.function(id="sleepy")
    async def sleepy(seconds: float) -> str:
        await anyio.sleep(seconds)
        return "slept"

    return functions


async def _call(
    functions: ServerFunctions,
    body: bytes,
    *,
    function_id: str = "echo",
    headers: list[tuple[str, str]] | None = None,
) -> tuple[int, str | None]:
    """The status and ``X-Error`` of one call."""
    head = RequestHead(
        "POST", "/_server", Headers([("x-server-id", function_id), *(headers or [])])
    )
    sink = _Sink()
    pieces = [body]

    async def receive() -> bytes | None:
        return pieces.pop() if pieces else None

    await functions.handler.handle(head, receive, sink)
    assert sink.head is not None
    assert sink.ended
    return sink.head.status, sink.head.headers.get("x-error")


def _frames(functions: ServerFunctions, *records: Any) -> bytes:
    return b"".join(encode_frame(get_codec("json").encode(record)) for record in records)


def _args(functions: ServerFunctions, *args: Any) -> bytes:
    return _frames(functions, functions.serializer.to_cross_json(list(args)))


async def test_max_body_size() -> None:
    probe = _app()
    overhead = len(_args(probe, ""))
    functions = _app(max_body_size=overhead + 100)
    assert (await _call(functions, _args(functions, "x" * 100)))[0] == 200
    status, error = await _call(functions, _args(functions, "x" * 101))
    assert status == 413
    assert error is not None
    assert "over" in error


async def test_max_header_size() -> None:
    functions = _app(max_header_size=200)
    base = len("x-server-id") + len("echo") + 4  # "name: value\r\n"
    pad = 200 - base - len("x-pad") - 4
    body = _args(functions, 1)
    assert (await _call(functions, body, headers=[("x-pad", "p" * pad)]))[0] == 200
    status, error = await _call(functions, body, headers=[("x-pad", "p" * (pad + 1))])
    assert status == 431
    assert error is not None
    assert "201 bytes" in error


async def test_max_records() -> None:
    functions = _app(max_records=3)
    root = functions.serializer.to_cross_json([1])
    # records after the root are settlements; three frames in all is the limit
    extra = {"t": 0, "s": 1}
    assert (await _call(functions, _frames(functions, root, extra, extra)))[0] != 413
    status, error = await _call(functions, _frames(functions, root, extra, extra, extra))
    assert status == 400
    assert error is not None
    assert "more than 3 records" in error


async def test_max_nodes() -> None:
    functions = _app(max_nodes=11)
    ten = _args(functions, *range(10))  # the array and ten numbers: 11 nodes
    assert (await _call(functions, ten))[0] == 200
    status, error = await _call(functions, _args(functions, *range(11)))
    assert status == 400
    assert error is not None
    assert "more than 11 nodes" in error


def _nested(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


async def test_depth_limit() -> None:
    functions = _app(depth_limit=5)
    # the number inside five arrays (the arguments and four more) is at depth 5
    assert (await _call(functions, _args(functions, _nested(4))))[0] == 200
    status, error = await _call(functions, _args(functions, _nested(5)))
    assert status == 400
    assert error is not None
    assert "depth" in error


async def test_max_pending() -> None:
    promise = b'{"t":9,"i":0,"a":[{"t":22,"i":1,"s":2,"f":{"t":26,"i":3,"s":1}}],"o":0}'
    two = (
        b'{"t":9,"i":0,"a":[{"t":22,"i":1,"s":2,"f":{"t":26,"i":3,"s":1}},'
        b'{"t":22,"i":4,"s":5,"f":{"t":4,"i":3}}],"o":0}'
    )
    functions = _app(max_pending=1)
    assert (await _call(functions, encode_frame(promise), function_id="length"))[0] == 200
    status, error = await _call(functions, encode_frame(two), function_id="length")
    assert status == 400
    assert error is not None
    assert "2 promises" in error


async def test_max_duration() -> None:
    functions = _app(max_duration=0.5)
    assert (await _call(functions, _args(functions, 0.05), function_id="sleepy"))[0] == 200
    status, _ = await _call(functions, _args(functions, 2), function_id="sleepy")
    assert status == 504


def test_limits_refuse_nonsense() -> None:
    for name in ("max_header_size", "body_timeout"):
        with pytest.raises(ValueError, match=name):
            CallLimits(**{name: 0})
    assert CallLimits().body_timeout == 30.0
    assert CallLimits().max_header_size == 16 * 1024
    assert CallLimits(body_timeout=None).body_timeout is None
