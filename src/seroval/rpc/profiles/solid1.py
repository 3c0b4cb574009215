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
from .nojs import no_js_response
from .outcome import AnsweringSink, Intercept, current_intercept, intercepted
from .single_flight import SingleFlight, flight_step
from .solid2 import PLUGINS, query_args, without_args

__all__ = ["Solid1Handler"]

_RELAY: Final = (*PLUGINS, web.BlobPlugin(), web.FilePlugin())


class Solid1Handler:
    """The call handler of the ``solid1-js`` and ``solid1-json`` profiles."""

    def __init__(
        self,
        functions: ServerFunctions,
        mode: Literal["js", "json"],
        *,
        single_flight: SingleFlight | None = None,
    ) -> None:
        self.mode = mode
        self.single_flight = single_flight
        self.functions = with_plugins(functions, _RELAY, write=PLUGINS)
        intercepted(self.functions)
        self._relay = Serializer(plugins=_RELAY)
        self._reader = Deserializer(plugins=_RELAY, depth_limit=functions.limits.depth_limit)
        self.core = self.functions.handler

    async def handle(self, head: RequestHead, receive: BodySource, sink: ResponseSink) -> None:
        instance = head.headers.get("x-server-instance")
        scripted = instance is not None
        intercept = Intercept(capture=not scripted)
        if scripted:
            intercept.after = flight_step(self.single_flight, head, intercept)
        framed = _Solid1Sink(sink, self.mode, instance or "server-fn:0")
        token = current_intercept().set(intercept)
        try:
            try:
                core_head, core_receive, inputs = await self.translate(head, receive)
            except SerovalRPCError as refusal:
                await refuse(self.functions, head, refusal, framed)
                return

            def answer(kept: Intercept) -> tuple[ResponseHead, bytes]:
                thrown = kept.thrown is not None
                outcome = kept.thrown if thrown else kept.result
                response = no_js_response(head, outcome, thrown=thrown, inputs=inputs, line="1")
                return response, b""

            # No-JS answers bypass the 1.x framing; scripted ones get it (and any
            # single-flight headers on the way in).
            out = AnsweringSink(framed if scripted else sink, intercept, answer)
            await self.core.handle(core_head, core_receive, out)
        finally:
            current_intercept().reset(token)

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
    ) -> tuple[RequestHead, BodySource, list[Any]]:
        """The request in the core's form, and the arguments it stands for."""
        scripted = "x-server-instance" in head.headers
        if head.method.upper() == "GET" and scripted:
            return self._get(head), receive, []
        bound: list[Any] = []
        if not scripted:
            # No-JS: the bound arguments of ?args= first (toJSON or plain JSON).
            bound = query_args(head.query, self._reader)
            head = RequestHead(
                method="POST",
                path=head.path,
                headers=head.headers,
                query=without_args(head.query),
                scheme=head.scheme,
                client=head.client,
                root_path=head.root_path,
            )
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
        args = [*bound, *args]
        framed = encode_arguments(self._relay, args) if args else b""
        new = rewritten_head(head, path=head.path, drop=("x-serialized",))
        return new, body_source(framed), args

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
