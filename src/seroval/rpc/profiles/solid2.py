"""SolidStart 2.0 (JSON mode): the core's own HTTP form, plus the bodies it does not read.

The core already answers a 2.0 client's seroval calls (``X-Start-Type: 0``).  This
profile adds what the 2.0 client sends otherwise, turned into the core's form
before the call starts:

* a single "natural" argument sent raw with its ``X-Start-Type``: 1 string, 2
  FormData (multipart), 3 URLSearchParams, 4 Blob, 5 File (the multipart field
  ``__START__``), 6 ArrayBuffer, 7 Uint8Array; a multipart or urlencoded body
  without the header (a no-JS form post) is read the same way;
* ``GET ?args=`` in the plain-JSON form that ``@solidjs/router``'s ``.with()``
  writes (the framed form goes to the core as it is);

and it reads and writes with the plugins SolidStart's client enables
(``seroval-plugins/web``: AbortSignal, CustomEvent, DOMException, Event, FormData,
Headers, ReadableStream, Request, Response, URLSearchParams, URL).
"""

from __future__ import annotations

import json
from typing import Any, Final
from urllib.parse import parse_qsl, quote, unquote

from ...plugins import web
from ...protocol.model.binary import JSTypedArray
from ...protocol.serializers import Serializer
from ..core.carrier import BodySource, ResponseSink
from ..core.errors import BadRequestError, SerovalRPCError
from ..core.wire import RequestHead
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

__all__ = ["FILE_FIELD", "PLUGINS", "Solid2Handler"]

PLUGINS: Final = (
    web.AbortSignalPlugin(),
    web.CustomEventPlugin(),
    web.DOMExceptionPlugin(),
    web.EventPlugin(),
    web.FormDataPlugin(),
    web.HeadersPlugin(),
    web.ReadableStreamPlugin(),
    web.RequestPlugin(),
    web.ResponsePlugin(),
    web.URLSearchParamsPlugin(),
    web.URLPlugin(),
)
"""SolidStart 2.0.5's ``DEFAULT_PLUGINS`` (dist/fns/serialization.js), in its order."""

FILE_FIELD: Final = "__START__"
_RAW_TYPES: Final = frozenset("1234567")


class Solid2Handler:
    """The :class:`~seroval.rpc.core.carrier.CallHandler` of the ``solid2`` profile."""

    def __init__(self, functions: ServerFunctions, plugins: tuple[Any, ...] = PLUGINS) -> None:
        # Raw bodies are handed to the core as seroval arguments; Blob and File need
        # their plugins for that hop (the JS client itself sends them raw, never so).
        relay = (*plugins, web.BlobPlugin(), web.FilePlugin())
        self.functions = with_plugins(functions, relay, write=plugins)
        self._relay = Serializer(plugins=relay)
        self.core = self.functions.handler

    async def handle(self, head: RequestHead, receive: BodySource, sink: ResponseSink) -> None:
        try:
            head, receive = await self.translate(head, receive)
        except SerovalRPCError as refusal:
            await refuse(self.functions, head, refusal, sink)
            return
        await self.core.handle(head, receive, sink)

    async def translate(
        self, head: RequestHead, receive: BodySource
    ) -> tuple[RequestHead, BodySource]:
        """``head`` and its body in the core's form (unchanged when they already are)."""
        start_type = (head.headers.get("x-start-type") or "").strip()
        content_type = head.headers.get("content-type") or ""
        essence = content_type.partition(";")[0].strip().lower()
        if head.method.upper() == "GET":
            return _plain_json_args(head, self._relay), receive
        raw = start_type in _RAW_TYPES or (
            not start_type
            and essence in ("multipart/form-data", "application/x-www-form-urlencoded")
        )
        if not raw:
            return head, receive
        body = await read_body(receive, self.functions.limits.max_body_size)
        value = _raw_value(start_type, essence, content_type, body)
        head = rewritten_head(head, path=head.path)
        return head, body_source(encode_arguments(self._relay, [value]))


def _raw_value(start_type: str, essence: str, content_type: str, body: bytes) -> Any:
    """The one argument a raw ``X-Start-Type`` body stands for (as the 2.0 server reads it)."""
    if start_type == "1":
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequestError("an X-Start-Type 1 body must be UTF-8 text") from None
    if start_type in ("2", "5") or (not start_type and essence == "multipart/form-data"):
        form = parse_multipart(content_type, body)
        if start_type == "5":
            file = form.get(FILE_FIELD)
            if not isinstance(file, web.File):
                raise BadRequestError(f"an X-Start-Type 5 body needs a file in {FILE_FIELD!r}")
            return file
        return form
    if start_type == "3" or essence == "application/x-www-form-urlencoded":
        text = body.decode("utf-8", errors="replace")
        return web.URLSearchParams(parse_qsl(text, keep_blank_values=True))
    if start_type == "4":
        return web.Blob(body, type=content_type)
    if start_type == "6":
        return bytearray(body)
    return JSTypedArray("Uint8Array", bytearray(body), 0, len(body))


def _plain_json_args(head: RequestHead, serializer: Serializer) -> RequestHead:
    """``head`` with a plain-JSON ``?args=`` (router ``.with()``) rewritten as frames."""
    parts = head.query.split("&") if head.query else []
    for index, part in enumerate(parts):
        name, _, value = part.partition("=")
        if unquote(name) != "args" or not value:
            continue
        text = unquote(value.replace("+", " "))
        if text.startswith(";0x"):
            return head
        try:
            args = json.loads(text)
        except ValueError:
            raise BadRequestError("?args= is neither framed seroval nor JSON") from None
        if not isinstance(args, list):
            raise BadRequestError("?args= must hold an array")
        framed = encode_arguments(serializer, args)
        parts[index] = "args=" + quote(framed.decode("utf-8"), safe="")
        return RequestHead(
            method=head.method,
            path=head.path,
            headers=head.headers,
            query="&".join(parts),
            scheme=head.scheme,
            client=head.client,
            root_path=head.root_path,
        )
    return head
