"""SolidStart 1.x (1.3.2 on npm): JS mode (its default) and JSON mode, over the one RPC core.

Read from ``@solidjs/start`` 1.3.2 (``dist/runtime/server-runtime.js``):

* request: ``X-Server-Id: encodeURIComponent(id + "#" + name)`` (the core takes the
  part before ``#``); arguments as a seroval ``toJSON`` envelope (``x-serialized:
  true`` + ``text/plain`` from 1.3, ``application/json`` before), one FormData
  (multipart) or URLSearchParams (urlencoded, read as FormData, as 1.x does); GET
  goes to ``/_server/?id=…&name=…&args=<toJSON or plain JSON>``;
* response: always ``x-serialized: true``; JS mode: ``Content-Type: text/javascript``
  and each ``;0x…;`` frame holds JS text (``crossSerializeStream`` under the request's
  ``X-Server-Instance`` scope, the first one after ``getCrossReferenceHeader``);
  JSON mode: the core's cross-JSON frames with **no** content type, because the
  1.3.2 client reads a ``text/plain`` body as a plain string and an
  ``application/json`` one with ``response.json()``.

The JS text is written by our writer from the core's records; the client
evaluates it (that is JS mode: only for clients that trust this server).
"""

from __future__ import annotations

import json
from typing import Any, Final, Literal
from urllib.parse import parse_qsl, quote, unquote

from ...plugins import web
from ...protocol.errors import SerovalError
from ...protocol.jstext.api import get_cross_reference_header, serialize_cross_node
from ...protocol.serializers import Deserializer, Serializer
from ..core.carrier import BodySource, ResponseSink
from ..core.errors import BadRequestError, SerovalRPCError
from ..core.wire import Headers, RequestHead, ResponseHead
from ..registry import ServerFunctions
from .base import (
    body_source,
    encode_arguments,
    parse_multipart,
    read_body,
    refuse,
    rewritten_head,
    with_plugins,
)
from .solid2 import PLUGINS

__all__ = ["Solid1Handler"]

_RELAY: Final = (*PLUGINS, web.BlobPlugin(), web.FilePlugin())


class Solid1Handler:
    """The call handler of the ``solid1-js`` and ``solid1-json`` profiles."""

    def __init__(self, functions: ServerFunctions, mode: Literal["js", "json"]) -> None:
        self.mode = mode
        self.functions = with_plugins(functions, _RELAY, write=PLUGINS)
        self._relay = Serializer(plugins=_RELAY)
        self._reader = Deserializer(plugins=_RELAY, depth_limit=functions.limits.depth_limit)
        self.core = self.functions.handler

    async def handle(self, head: RequestHead, receive: BodySource, sink: ResponseSink) -> None:
        instance = head.headers.get("x-server-instance") or "server-fn:0"
        out = _Solid1Sink(sink, self.mode, instance)
        try:
            head, receive = await self.translate(head, receive)
        except SerovalRPCError as refusal:
            await refuse(self.functions, head, refusal, out)
            return
        await self.core.handle(head, receive, out)

    def _arguments(self, text: str) -> list[Any]:
        """A ``toJSON`` envelope of the argument array (or, as <=1.2 took it, plain JSON)."""
        try:
            parsed = json.loads(text)
            args = self._reader.from_json(parsed) if isinstance(parsed, dict) else parsed
        except (ValueError, SerovalError) as error:
            raise BadRequestError(f"the arguments cannot be read: {error}") from None
        if not isinstance(args, list):
            raise BadRequestError("the arguments must be an array")
        return args

    async def translate(
        self, head: RequestHead, receive: BodySource
    ) -> tuple[RequestHead, BodySource]:
        if head.method.upper() == "GET":
            return self._get(head), receive
        content_type = head.headers.get("content-type") or ""
        essence = content_type.partition(";")[0].strip().lower()
        body = await read_body(receive, self.functions.limits.max_body_size)
        args: list[Any]
        if not body:
            args = []
        elif essence == "multipart/form-data":
            args = [parse_multipart(content_type, body)]
        elif essence == "application/x-www-form-urlencoded":
            pairs = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            args = [web.FormData(pairs)]
        else:
            args = self._arguments(body.decode("utf-8", errors="replace"))
        framed = encode_arguments(self._relay, args) if args else b""
        return rewritten_head(head, path=head.path, drop=("x-serialized",)), body_source(framed)

    def _get(self, head: RequestHead) -> RequestHead:
        parts = head.query.split("&") if head.query else []
        for index, part in enumerate(parts):
            name, _, value = part.partition("=")
            if unquote(name) == "args" and value:
                args = self._arguments(unquote(value.replace("+", " ")))
                framed = encode_arguments(self._relay, args).decode("utf-8")
                parts[index] = "args=" + quote(framed, safe="")
        return RequestHead(
            method=head.method,
            path=head.path,
            headers=head.headers,
            query="&".join(parts),
            scheme=head.scheme,
            client=head.client,
            root_path=head.root_path,
        )


class _Solid1Sink:
    """The core's response with 1.x headers; in JS mode each record as JS text."""

    def __init__(self, sink: ResponseSink, mode: str, instance: str) -> None:
        self.sink = sink
        self.mode = mode
        self.instance = instance
        self.first = True
        self.marked: dict[Any, None] = {}

    async def start(self, head: ResponseHead) -> None:
        headers = Headers(
            (name, value)
            for name, value in head.headers
            if name not in ("x-start-type", "content-type")
        )
        headers.add("x-serialized", "true")
        if self.mode == "js":
            headers.add("content-type", "text/javascript")
        await self.sink.start(ResponseHead(head.status, headers))

    async def send(self, data: bytes, *, end: bool = False) -> None:
        if self.mode == "js" and data:
            node = json.loads(data[12:])
            text = serialize_cross_node(
                node, marked=self.marked, plugins=PLUGINS, scope_id=self.instance
            )
            if self.first:
                text = f"({get_cross_reference_header(self.instance)},{text})"
            payload = text.encode("utf-8")
            data = f";0x{len(payload):08x};".encode("ascii") + payload
        self.first = False
        await self.sink.send(data, end=end)
