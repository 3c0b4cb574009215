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
* a result that is one of those natural values goes back raw the same way
  (:mod:`.raw`);
* a call without ``X-Server-Instance`` (a no-JS form post) is answered with a
  redirect and the flash cookie (:mod:`.nojs`); its bound ``?args=`` come first;
* an action with ``X-Single-Flight`` gets the next page's query data when the
  application gave a :class:`~.single_flight.SingleFlight` (else a plain answer);

and it reads and writes with the plugins SolidStart's client enables
(``seroval-plugins/web``: AbortSignal, CustomEvent, DOMException, Event, FormData,
Headers, ReadableStream, Request, Response, URLSearchParams, URL).
"""

from __future__ import annotations

import json
from typing import Any, Final
from urllib.parse import quote, unquote

from ...codecs.framing import FrameDecoder
from ...codecs.registry import default_registry
from ...plugins import web
from ...protocol.errors import SerovalError
from ...protocol.serializers import Deserializer, Serializer
from ..core.carrier import BodySource, ResponseSink
from ..core.errors import BadRequestError, SerovalRPCError
from ..core.wire import Headers, RequestHead, ResponseHead
from ..registry import ServerFunctions
from .base import (
    body_source,
    encode_arguments,
    read_body,
    refuse,
    rewritten_head,
    with_plugins,
)
from .nojs import no_js_response
from .outcome import AnsweringSink, Intercept, current_intercept, intercepted
from .raw import FILE_FIELD, RAW_TYPES, is_raw, raw_body, raw_value
from .single_flight import SingleFlight, flight_step

__all__ = ["FILE_FIELD", "PLUGINS", "Solid2Handler", "query_args", "without_args"]

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

_FORMS: Final = ("multipart/form-data", "application/x-www-form-urlencoded")


class Solid2Handler:
    """The :class:`~seroval.rpc.core.carrier.CallHandler` of the ``solid2`` profile."""

    def __init__(
        self,
        functions: ServerFunctions,
        plugins: tuple[Any, ...] = PLUGINS,
        *,
        single_flight: SingleFlight | None = None,
    ) -> None:
        self.single_flight = single_flight
        # Raw bodies are handed to the core as seroval arguments; Blob and File need
        # their plugins for that hop (the JS client itself sends them raw, never so).
        relay = (*plugins, web.BlobPlugin(), web.FilePlugin())
        self.functions = with_plugins(functions, relay, write=plugins)
        intercepted(self.functions)
        self._relay = Serializer(plugins=relay)
        self._reader = Deserializer(plugins=relay, depth_limit=functions.limits.depth_limit)
        self.core = self.functions.handler

    async def handle(self, head: RequestHead, receive: BodySource, sink: ResponseSink) -> None:
        scripted = "x-server-instance" in head.headers
        intercept = Intercept(capture=not scripted, keep=is_raw if scripted else None)
        if scripted:
            intercept.after = flight_step(self.single_flight, head, intercept)
        token = current_intercept().set(intercept)
        try:
            try:
                core_head, core_receive, inputs = await self.translate(head, receive)
            except SerovalRPCError as refusal:
                await refuse(self.functions, head, refusal, sink)
                return

            def answer(kept: Intercept) -> tuple[ResponseHead, bytes]:
                if scripted:
                    headers, body = raw_body(kept.result)
                    return ResponseHead(200, Headers(headers)), body
                thrown = kept.thrown is not None
                outcome = kept.thrown if thrown else kept.result
                return no_js_response(head, outcome, thrown=thrown, inputs=inputs), b""

            out = AnsweringSink(sink, intercept, answer)
            await self.core.handle(core_head, core_receive, out)
        finally:
            current_intercept().reset(token)

    async def translate(
        self, head: RequestHead, receive: BodySource
    ) -> tuple[RequestHead, BodySource, list[Any]]:
        """``head`` and its body in the core's form (unchanged when they already are),
        and, for a no-JS call, the arguments it stands for."""
        start_type = (head.headers.get("x-start-type") or "").strip()
        content_type = head.headers.get("content-type") or ""
        essence = content_type.partition(";")[0].strip().lower()
        scripted = "x-server-instance" in head.headers
        if head.method.upper() == "GET":
            if scripted:
                return _plain_json_args(head, self._relay), receive, []
            args = query_args(head.query, self._reader)
            query = without_args(head.query)
            new = rewritten_head(head, path=head.path, method="POST", query=query)
            return new, body_source(encode_arguments(self._relay, args) if args else b""), args
        if scripted:
            if start_type not in RAW_TYPES:
                return head, receive, []
            body = await read_body(receive, self.functions.limits.max_body_size)
            value = raw_value(start_type, content_type, body)
            new = rewritten_head(head, path=head.path)
            return new, body_source(encode_arguments(self._relay, [value])), []
        # No-JS: bound arguments from ?args= (any form), then the posted form.
        args = query_args(head.query, self._reader)
        body = await read_body(receive, self.functions.limits.max_body_size)
        if start_type in RAW_TYPES or essence in _FORMS:
            args.append(raw_value(start_type, content_type, body))
        elif body:
            args.extend(self._framed(body))
        query = without_args(head.query)
        new = rewritten_head(head, path=head.path, query=query)
        return new, body_source(encode_arguments(self._relay, args) if args else b""), args

    def _framed(self, data: bytes) -> list[Any]:
        return _read_framed(data, self._reader)


def _read_framed(data: bytes, reader: Deserializer) -> list[Any]:
    """The argument array in framed cross-JSON ``data``."""
    decoder = FrameDecoder(default_registry.get("json"))
    try:
        records = decoder.feed(data)
        decoder.close()
        cross = reader.cross_deserializer()
        args = cross.deserialize(records[0]) if records else []
        for record in records[1:]:
            cross.deserialize(record)
    except (SerovalError, IndexError) as error:
        raise BadRequestError(f"the arguments cannot be read: {error}") from None
    if not isinstance(args, list):
        raise BadRequestError("the arguments must be an array")
    return list(args)


def query_args(query: str, reader: Deserializer) -> list[Any]:
    """The bound arguments of ``?args=``: framed seroval, a ``toJSON`` envelope or the
    plain JSON array ``@solidjs/router``'s ``.with()`` writes (empty without one)."""
    for part in query.split("&") if query else ():
        name, _, value = part.partition("=")
        if unquote(name) != "args" or not value:
            continue
        text = unquote(value.replace("+", " "))
        if text.startswith(";0x"):
            return _read_framed(text.encode("utf-8"), reader)
        try:
            parsed = json.loads(text)
            args = (
                reader.from_json(parsed) if isinstance(parsed, dict) and "t" in parsed else parsed
            )
        except (ValueError, SerovalError):
            raise BadRequestError("?args= is neither seroval nor JSON") from None
        if not isinstance(args, list):
            raise BadRequestError("?args= must hold an array")
        return list(args)
    return []


def without_args(query: str) -> str:
    """``query`` without its ``args`` parameter."""
    parts = query.split("&") if query else []
    return "&".join(part for part in parts if unquote(part.partition("=")[0]) != "args")


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
