"""TanStack Start's server-function endpoint, ``/_serverFn/<id>``, over the one RPC core.

Read from ``@tanstack/start-client-core`` 1.170.39 (``serverFnFetcher``) and the
newest server's answers (see the protocol reference, §2):

* request: the method the function declares (``method="GET"`` here; POST otherwise;
  a mismatch is ``405`` with ``Allow`` and TanStack's plain-text message; an unknown
  id is ``{error}`` at 500, as its failed lookup is); the payload ``{data?, context?}`` is a seroval
  ``toJSON`` envelope in the POST body or ``?payload=``; a FormData body is ``data``
  itself (its ``__TSS_CONTEXT`` field removed); no payload means ``data`` is undefined;
* cross-site requests are refused as TanStack's CSRF middleware refuses them
  (:mod:`.csrf`: ``403 Forbidden``);
* the function is called with ``data`` (one argument, or none when undefined);
* response: the envelope ``{result}`` or ``{error}`` as cross-JSON; an exception is
  a ``$TSR/Error`` node (its message only, as TanStack's ShallowErrorPlugin sends);
  a result with no async parts is ``application/json``, anything else (promises,
  generators, :class:`RawStream`) ``application/x-tss-framed; v=1`` (for clients
  before v1.144, whose ``Accept`` lacks it, ``application/x-ndjson``: a node a line,
  no RawStreams): 9-byte headers
  (type, stream id, length; big-endian), JSON records on stream 0, each RawStream's
  bytes on its own stream from 1 with an END frame; always ``x-tss-serialized: true``;
* a raised :func:`~seroval.rpc.redirect` is TanStack's serialized redirect: status
  200, ``application/json``, ``{"to", "statusCode", "href", "isSerializedRedirect"}``;
  for a request without ``x-tsr-serverFn`` (a form posted to ``fn.url`` without
  JS) it is a real redirect: its status and ``Location``.

The core runs the call: the profile rewrites the request into the core's form and
wraps each function so that its return value *is* the envelope.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import json
import logging
import struct
from collections.abc import AsyncIterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Final
from urllib.parse import parse_qsl, unquote_plus

import anyio.to_thread

from ...plugins import web
from ...protocol.errors import SerovalError
from ...protocol.model.exceptions import JSError
from ...protocol.model.nodes import T_OBJECT, T_PLUGIN, T_STRING
from ...protocol.model.plugins import Plugin, PluginDeserializeContext, PluginSerializeContext
from ...protocol.model.primitives import undefined
from ...protocol.model.strings import escape_string
from ...protocol.serializers import Deserializer, Serializer
from ..context import current_context
from ..core.carrier import BodySource, ResponseSink
from ..core.errors import (
    BadRequestError,
    MethodNotAllowedError,
    SerovalRPCError,
    ServerError,
    UnknownFunctionError,
)
from ..core.wire import Headers, RequestHead, ResponseHead
from ..redirect import Redirect
from ..registry import ServerFunction, ServerFunctions
from .base import (
    body_source,
    encode_arguments,
    parse_multipart,
    read_body,
    refuse,
    rewritten_head,
    with_plugins,
)
from .csrf import csrf_allowed

__all__ = ["BASE", "RawStream", "RawStreamPlugin", "TSRErrorPlugin", "TanStackHandler"]

logger = logging.getLogger("seroval.rpc")

BASE: Final = "/_serverFn/"
FORM_CONTEXT: Final = "__TSS_CONTEXT"
FRAMED: Final = "application/x-tss-framed; v=1"
MAX_PAYLOAD: Final = 1_000_000
_JSON, _CHUNK, _END, _ERROR = 0, 1, 2, 3


class RawStream:
    """Bytes sent beside the JSON (TanStack's ``RawStream``): the client gets a
    ``ReadableStream`` of ``Uint8Array`` chunks."""

    __slots__ = ("source",)

    def __init__(self, source: AsyncIterable[bytes]) -> None:
        self.source = source


@dataclass
class _CallState:
    raw: list[RawStream] = field(default_factory=list)
    redirect: Redirect | None = None


_CALL: contextvars.ContextVar[_CallState] = contextvars.ContextVar("seroval_tanstack_call")


class RawStreamPlugin(Plugin):
    """``tss/RawStream``: ``{streamId}``; the bytes follow in the stream's own frames."""

    tag = "tss/RawStream"

    def test(self, value: object) -> bool:
        return isinstance(value, RawStream)

    def fields(self, value: RawStream, mode: str) -> Mapping[str, Any]:
        state = _CALL.get()
        state.raw.append(value)
        return {"streamId": len(state.raw)}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        raise SerovalError("a RawStream is only sent in TanStack's framed responses")

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Any:
        raise SerovalError("a RawStream cannot be read from a request here")


class TSRErrorPlugin(Plugin):
    """``$TSR/Error`` (TanStack's ShallowErrorPlugin): an error as its message alone."""

    tag = "$TSR/Error"
    validate: ClassVar[Mapping[str, Any]] = {"message": lambda value: isinstance(value, str)}

    def test(self, value: object) -> bool:
        return isinstance(value, BaseException | JSError)

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        message = value.message if isinstance(value, JSError) else str(value)
        return {"message": message}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return "new Error(" + ctx.serialize(info["message"]) + ")"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> JSError:
        return JSError(str(ctx.deserialize(info["message"])))


PLUGINS: Final = (TSRErrorPlugin(), RawStreamPlugin(), web.ReadableStreamPlugin())
"""What the TanStack client decodes with (``createDefaultSerovalPlugins`` + RawStream)."""
_RELAY: Final = (*PLUGINS, web.FormDataPlugin(), web.BlobPlugin(), web.FilePlugin())


def _frame(kind: int, stream: int, payload: bytes) -> bytes:
    return struct.pack(">BII", kind, stream, len(payload)) + payload


def _envelope_call(entry: ServerFunction) -> Any:
    """``entry``'s function, returning TanStack's ``{result}`` / ``{error}`` envelope."""

    async def call(data: Any = undefined) -> dict[str, Any]:
        context = current_context()
        try:
            positional, keywords = entry.bind([] if data is undefined else [data], context)
            if entry.kind == "sync":
                bound = functools.partial(entry.fn, *positional, **keywords)
                result = await anyio.to_thread.run_sync(bound)
            elif entry.kind == "async":
                result = await entry.fn(*positional, **keywords)
            else:
                result = entry.fn(*positional, **keywords)
        except Redirect as thrown:
            _CALL.get().redirect = thrown
            raise
        except Exception as error:
            logger.warning("%s raised", entry.id, exc_info=error)
            return {"error": error}
        if isinstance(result, Redirect):
            _CALL.get().redirect = result
            raise result
        return {"result": result}

    return call


class TanStackHandler:
    """The :class:`~seroval.rpc.core.carrier.CallHandler` of the ``tanstack`` profile."""

    def __init__(self, functions: ServerFunctions) -> None:
        self.declared = functions
        profiled = with_plugins(functions, _RELAY, write=PLUGINS)
        wrapped = {}
        for entry in functions:
            call = _envelope_call(entry)
            signature = inspect.signature(call)
            wrapped[entry.id] = replace(
                entry,
                fn=call,
                kind="async",
                signature=signature,
                context_parameter=None,
            )
        profiled._functions = wrapped
        # TanStack's own CSRF rule replaces the core's (see .csrf).
        self.site = functions.site
        profiled.site = replace(functions.site, check=False)
        self.functions = profiled
        self._relay = Serializer(plugins=_RELAY)
        self._reader = Deserializer(plugins=_RELAY, depth_limit=functions.limits.depth_limit)
        self.core = profiled.handler

    async def handle(self, head: RequestHead, receive: BodySource, sink: ResponseSink) -> None:
        state = _CALL.set(_CallState())
        accept = (head.headers.get("accept") or "").lower()
        # Clients before v1.144 (RC) take streamed answers as NDJSON, one node a line.
        ndjson = "application/x-ndjson" in accept and "application/x-tss-framed" not in accept
        out = _TanStackSink(sink, scripted="x-tsr-serverfn" in head.headers, ndjson=ndjson)
        try:
            if self.site.check and not csrf_allowed(
                head,
                allowed_origins=self.site.allowed_origins,
                allow_same_site=self.site.allow_same_site,
            ):
                headers = Headers([("content-type", "text/plain;charset=UTF-8")])
                await sink.start(ResponseHead(403, headers))
                await sink.send(b"Forbidden", end=True)
                return
            try:
                head, receive = await self.translate(head, receive)
            except MethodNotAllowedError as refusal:
                # As handleServerAction answers it: plain text, before any body is read.
                allow = ", ".join(refusal.allow)
                text = f"expected {allow} method. Got {head.method.upper()}"
                headers = Headers([("content-type", "text/plain;charset=UTF-8"), ("allow", allow)])
                await sink.start(ResponseHead(405, headers))
                await sink.send(text.encode("utf-8"), end=True)
                return
            except UnknownFunctionError as refusal:
                # TanStack's lookup throws; the error is answered as {error} at 500.
                unknown = ServerError(str(refusal))
                await refuse(self.functions, head, unknown, out)
                return
            except SerovalRPCError as refusal:
                await refuse(self.functions, head, refusal, out)
                return
            await self.core.handle(head, receive, out)
        finally:
            _CALL.reset(state)

    async def translate(
        self, head: RequestHead, receive: BodySource
    ) -> tuple[RequestHead, BodySource]:
        path = head.path
        if not path.startswith(BASE):
            raise UnknownFunctionError(f"nothing is served at {path!r}")
        function_id = unquote_plus(path[len(BASE) :].partition("/")[0])
        entry = self.declared.get(function_id)
        if entry is None:
            raise UnknownFunctionError(
                f"no server function has the id {function_id!r}", function_id=function_id
            )
        method = head.method.upper()
        declared = "GET" if entry.allow_get else "POST"
        if method != declared:
            raise MethodNotAllowedError(
                f"{function_id!r} is called with {declared}",
                allow=(declared,),
                function_id=function_id,
            )
        content_type = head.headers.get("content-type") or ""
        essence = content_type.partition(";")[0].strip().lower()
        data: Any = undefined
        if method == "GET":
            payload = _query_value(head.query, "payload")
            if payload is not None:
                if len(payload) > MAX_PAYLOAD:
                    raise BadRequestError("Payload too large")
                data = self._payload(payload)
        else:
            body = await read_body(receive, self.functions.limits.max_body_size)
            if essence == "multipart/form-data":
                form = parse_multipart(content_type, body)
                form.delete(FORM_CONTEXT)
                data = form
            elif essence == "application/x-www-form-urlencoded":
                pairs = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
                data = web.FormData([pair for pair in pairs if pair[0] != FORM_CONTEXT])
            elif body:
                data = self._payload(body.decode("utf-8", errors="replace"))
        args = [] if data is undefined else [data]
        new_head = rewritten_head(
            head, path=self.functions.path, function_id=function_id, method="POST", query=""
        )
        return new_head, body_source(encode_arguments(self._relay, args) if args else b"")

    def _payload(self, text: str) -> Any:
        try:
            envelope = self._reader.from_json(json.loads(text))
        except (ValueError, SerovalError) as error:
            raise BadRequestError(f"the payload cannot be read: {error}") from None
        if not isinstance(envelope, dict):
            raise BadRequestError("the payload must be an object {data?, context?}")
        return envelope.get("data", undefined)


def _query_value(query: str, name: str) -> str | None:
    for part in query.split("&") if query else ():
        key, _, value = part.partition("=")
        if unquote_plus(key) == name:
            return unquote_plus(value)
    return None


class _TanStackSink:
    """The core's response, rewritten on its way out into TanStack's form."""

    def __init__(self, sink: ResponseSink, *, scripted: bool = True, ndjson: bool = False) -> None:
        self.sink = sink
        self.scripted = scripted
        self.ndjson = ndjson
        self.head: ResponseHead | None = None
        self.started = False
        self.framed = False
        self.done = False

    async def start(self, head: ResponseHead) -> None:
        self.head = head

    def _headers(self, content_type: str, *, serialized: bool = True) -> Headers:
        assert self.head is not None
        skip = {"x-start-type", "content-type", "x-error", "location", "x-revalidate"}
        headers = Headers((n, v) for n, v in self.head.headers if n not in skip)
        headers.add("content-type", content_type)
        if serialized:
            headers.add("x-tss-serialized", "true")
        return headers

    async def send(self, data: bytes, *, end: bool = False) -> None:
        if self.done:
            return
        assert self.head is not None
        if not self.started:
            self.started = True
            state = _CALL.get()
            if state.redirect is not None or "location" in self.head.headers:
                await self._redirect(state.redirect)
                return
            message = self.head.headers.get("x-error")
            if message is not None:
                await self._error(message)
                return
            payload = data[12:]
            if end and not state.raw:
                await self.sink.start(
                    ResponseHead(self.head.status, self._headers("application/json"))
                )
                await self.sink.send(payload, end=True)
                self.done = True
                return
            self.framed = True
            if self.ndjson and not state.raw:
                kind = "application/x-ndjson"
                await self.sink.start(ResponseHead(self.head.status, self._headers(kind)))
                await self.sink.send(payload + b"\n")
            else:
                self.ndjson = False
                await self.sink.start(ResponseHead(self.head.status, self._headers(FRAMED)))
                await self.sink.send(_frame(_JSON, 0, payload))
        elif data and self.ndjson:
            await self.sink.send(data[12:] + b"\n")
        elif data:
            await self.sink.send(_frame(_JSON, 0, data[12:]))
        if end:
            await self._raw_streams()
            await self.sink.send(b"", end=True)
            self.done = True

    async def _raw_streams(self) -> None:
        for stream_id, stream in enumerate(_CALL.get().raw, start=1):
            try:
                async for chunk in stream.source:
                    if chunk:
                        await self.sink.send(_frame(_CHUNK, stream_id, bytes(chunk)))
            except Exception as error:
                logger.warning("a RawStream failed", exc_info=error)
                await self.sink.send(_frame(_ERROR, stream_id, str(error).encode("utf-8")))
                continue
            await self.sink.send(_frame(_END, stream_id, b""))

    async def _redirect(self, thrown: Redirect | None) -> None:
        assert self.head is not None
        location = (
            thrown.location if thrown is not None else self.head.headers.get("location") or "/"
        )
        status = thrown.status if thrown is not None else 307
        if not self.scripted:
            # A form posted to fn.url without JS (no x-tsr-serverFn): a real
            # redirect, as TanStack's server answers (use 303 for form flows).
            skip = {"x-start-type", "content-type", "x-error", "location", "x-revalidate"}
            headers = Headers((n, v) for n, v in self.head.headers if n not in skip)
            headers.add("location", location)
            await self.sink.start(ResponseHead(status, headers))
            await self.sink.send(b"", end=True)
            self.done = True
            return
        body = {
            "to": location,
            "statusCode": status,
            "href": location,
            "isSerializedRedirect": True,
        }
        headers = self._headers("application/json", serialized=False)
        await self.sink.start(ResponseHead(200, headers))
        await self.sink.send(json.dumps(body, separators=(",", ":")).encode("utf-8"), end=True)
        self.done = True

    async def _error(self, message: str) -> None:
        """A refusal (before the function ran): ``{error}`` at the refusal's status."""
        assert self.head is not None
        text = escape_string(unquote_plus(message) if "%" in message else message)
        node = {
            "t": T_OBJECT,
            "i": 0,
            "p": {
                "k": ["error"],
                "v": [
                    {
                        "t": T_PLUGIN,
                        "i": 1,
                        "s": {"message": {"t": T_STRING, "s": text}},
                        "c": "$TSR/Error",
                    }
                ],
            },
            "o": 0,
        }
        await self.sink.start(ResponseHead(self.head.status, self._headers("application/json")))
        await self.sink.send(
            json.dumps(node, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), end=True
        )
        self.done = True
