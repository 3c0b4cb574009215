"""Fuzzing the RPC request decoder: mutated heads and bodies into the real call handler.

The decoder is everything between the carrier and the function: the head checks,
the frame reader, each codec, the node reader, the pending-promise check and the
argument binding (:class:`~seroval.rpc.server.FunctionHandler`).  Inputs are the
client's own requests (every codec, POST and GET), mutated: headers dropped, added
or changed, body bytes flipped, inserted, cut, split anywhere.  Whatever arrives,
the handler must answer it with one response (a head, then frames, the last one
marked as the end) and let nothing escape: every refusal is a ``SerovalRPCError``
turned into that response.  Budget: :mod:`tests.fuzzing`.
"""

from __future__ import annotations

from typing import Any

import anyio
from hypothesis import given
from hypothesis import strategies as st

from seroval.codecs import get_codec
from seroval.protocol.model.containers import JSMap
from seroval.rpc import ServerFunctions
from seroval.rpc.core.client_call import ClientCall
from seroval.rpc.core.wire import Headers, RequestHead, ResponseHead

from ..fuzzing import fuzz

functions = ServerFunctions()


@functions.function(id="echo")
async def echo(*values: Any) -> list[Any]:
    return list(values)


@functions.function(id="pair", method="GET")
async def pair(a: int, b: str = "x", *, flag: bool = False) -> dict[str, Any]:
    return {"a": a, "b": b, "flag": flag}


_ARGS: list[tuple[str, str, list[Any]]] = [
    ("echo", "POST", [1, "two", [3.5, None], {"k": JSMap([("m", 1)])}]),
    ("echo", "POST", []),
    ("pair", "POST", [4, "y"]),
    ("pair", "GET", [5]),
]


def _requests() -> list[tuple[RequestHead, bytes]]:
    """The client's own requests, in every codec."""
    found = []
    for name in ("json", "msgpack", "cbor"):
        codec = get_codec(name)
        for function_id, method, args in _ARGS:
            call = ClientCall(function_id, codec=codec, method=method)
            records = [functions.serializer.to_cross_json(args)]
            found.append(call.request(records, timeout=5))
    return found


_REQUESTS = _requests()
_HEADER_NAMES = [
    "x-server-id",
    "x-start-type",
    "content-type",
    "content-length",
    "x-seroval-timeout-ms",
    "origin",
    "sec-fetch-site",
    "host",
]
_HEADER_VALUES = st.one_of(
    st.sampled_from(
        [
            "echo",
            "pair",
            "0",
            "1",
            "-1",
            "99999999999999999999",
            "application/vnd.msgpack",
            "application/cbor",
            "text/plain",
            "application/json; charset=utf-8",
            "null",
            "cross-site",
            "",
            " ",
            "%00",
        ]
    ),
    st.text(max_size=12),
)


class _Sink:
    """Records what the handler sends, and checks it sends it in order."""

    def __init__(self) -> None:
        self.head: ResponseHead | None = None
        self.ended = False

    async def start(self, head: ResponseHead) -> None:
        assert self.head is None, "a second response head"
        self.head = head

    async def send(self, data: bytes, *, end: bool = False) -> None:
        assert self.head is not None, "a body before the head"
        assert not self.ended, "a body after the end"
        self.ended = end


def _mutate_bytes(body: bytes, data: st.DataObject) -> bytes:
    for _ in range(data.draw(st.integers(0, 3), label="edits")):
        where = data.draw(st.integers(0, len(body)), label="where")
        action = data.draw(st.sampled_from(["flip", "insert", "cut", "copy"]), label="action")
        if action == "flip" and where < len(body):
            bit = 1 << data.draw(st.integers(0, 7))
            body = body[:where] + bytes([body[where] ^ bit]) + body[where + 1 :]
        elif action == "insert":
            piece = data.draw(
                st.sampled_from([b";", b"0x", b";0xffffffff;", b"\x00", b"{", b"\xff"])
            )
            body = body[:where] + piece + body[where:]
        elif action == "cut":
            body = body[:where]
        else:
            size = data.draw(st.integers(1, 16))
            body = body[:where] + body[where : where + size] * 2 + body[where + size :]
    return body


def _mutate_head(head: RequestHead, data: st.DataObject) -> RequestHead:
    headers = list(head.headers)
    for _ in range(data.draw(st.integers(0, 2), label="header edits")):
        action = data.draw(st.sampled_from(["drop", "add", "set"]), label="header action")
        if action == "drop" and headers:
            headers.pop(data.draw(st.integers(0, len(headers) - 1)))
        else:
            name = data.draw(st.sampled_from(_HEADER_NAMES))
            value = data.draw(_HEADER_VALUES)
            if action == "set":
                headers = [(n, v) for n, v in headers if n != name]
            headers.append((name, value))
    method = data.draw(st.sampled_from([head.method, head.method, "GET", "PUT"]), label="method")
    query = head.query
    if query and data.draw(st.booleans(), label="mutate query"):
        query = _mutate_bytes(query.encode("ascii"), data).decode("latin-1")
    return RequestHead(method, head.path, Headers(headers), query)


async def _handle(head: RequestHead, pieces: list[bytes]) -> _Sink:
    sink = _Sink()
    queue = iter(pieces)

    async def receive() -> bytes | None:
        return next(queue, None)

    await functions.handler.handle(head, receive, sink)
    return sink


@fuzz(600)
@given(st.sampled_from(_REQUESTS), st.data())
def test_mutated_requests_always_get_one_response(
    request: tuple[RequestHead, bytes], data: st.DataObject
) -> None:
    head, body = request
    head = _mutate_head(head, data)
    body = _mutate_bytes(body, data)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(body)), max_size=4), label="cuts"))
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    sink = anyio.run(_handle, head, pieces)
    assert sink.head is not None
    assert sink.ended
    assert functions.handler.active == 0
    if sink.head.status != 200:
        assert 400 <= sink.head.status < 600
        assert Headers(list(sink.head.headers)).get("x-error")
