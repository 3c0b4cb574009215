"""``Request`` and ``Response`` (the fetch API's), and their plugins.

seroval-plugins writes a Request as ``new Request(url, {body, cache, ...})`` and a
Response as ``new Response(body, {headers, status, statusText})``, with the headers
as a ``Headers`` value.  The body is the bytes (an ArrayBuffer) in async mode and a
``ReadableStream`` in stream mode, where a Request also gets ``duplex: "half"``.
seroval has no sync form (a JS body can only be read asynchronously); a Python body
held as bytes is written in sync mode too, as async mode writes it.  A body that is
a :class:`~.streams.ReadableStream` is read to its end in async mode, as seroval
does (the bytes are sent), sent as it comes in stream mode, and refused in sync
mode (``await message.aread()`` first keeps the bytes as the body).

The constructors check what JS's do (methods, enumerations, status range, a body
on GET/HEAD or on a null-body status), so a value read from the wire is one JS
would have built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Final, TypeAlias

from ...protocol.errors import SerovalUnsupportedTypeError
from ...protocol.model.plugins import Awaited, PluginDeserializeContext, PluginSerializeContext
from ...protocol.model.values import JSTypedArray, undefined
from .. import validators as v
from ._base import WebPlugin, call_arguments, option, to_uint
from .headers import Headers, HeadersPlugin
from .streams import ReadableStream, ReadableStreamPlugin
from .url import URL

__all__ = ["Body", "Request", "RequestPlugin", "Response", "ResponsePlugin"]

Body: TypeAlias = "bytes | bytearray | memoryview | ReadableStream | None"

_ENUMS: Final = {
    "cache": frozenset(
        {"default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached"}
    ),
    "credentials": frozenset({"omit", "same-origin", "include"}),
    "mode": frozenset({"same-origin", "no-cors", "cors"}),
    "redirect": frozenset({"follow", "error", "manual"}),
    "referrer_policy": frozenset(
        {
            "",
            "no-referrer",
            "no-referrer-when-downgrade",
            "same-origin",
            "origin",
            "strict-origin",
            "origin-when-cross-origin",
            "strict-origin-when-cross-origin",
            "unsafe-url",
        }
    ),
}
_METHOD: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", re.ASCII)
_NORMALIZED_METHODS: Final = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"})
_FORBIDDEN_METHODS: Final = frozenset({"CONNECT", "TRACE", "TRACK"})
_NULL_BODY_STATUSES: Final = frozenset({101, 103, 204, 205, 304})
_REASON_PHRASE: Final = re.compile("[\t\x20-\x7e\x80-\xff]*")


def _body(body: object) -> bytes | ReadableStream | None:
    if body is None or isinstance(body, ReadableStream):
        return body
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise TypeError(f"a body is bytes, a ReadableStream or None, not {type(body).__name__}")


def _method(method: str) -> str:
    if not isinstance(method, str) or _METHOD.fullmatch(method) is None:
        raise TypeError(f"{method!r} is not a valid HTTP method")
    upper = method.upper()
    if upper in _FORBIDDEN_METHODS:
        raise TypeError(f"the {upper} method is forbidden")
    return upper if upper in _NORMALIZED_METHODS else method


def _checked_enum(name: str, value: str) -> str:
    if value not in _ENUMS[name]:
        raise TypeError(f"{value!r} is not a valid Request {name}")
    return value


async def _buffer(body: ReadableStream) -> bytearray:
    """The whole body as an ArrayBuffer, as seroval's async mode sends a stream body."""
    return bytearray(await _drain(body))


async def _drain(body: ReadableStream) -> bytes:
    chunks: list[bytes] = []
    async for chunk in body:
        if isinstance(chunk, JSTypedArray):
            chunks.append(chunk.tobytes())
        elif isinstance(chunk, (bytes, bytearray, memoryview)):
            chunks.append(bytes(chunk))
        else:
            raise TypeError(f"a body chunk must be bytes, not {type(chunk).__name__}")
    return b"".join(chunks)


class _Message:
    """What Request and Response share: a body of bytes or a one-read stream."""

    __slots__ = ("body",)

    body: bytes | ReadableStream | None

    async def aread(self) -> bytes:
        """Read a stream body to its end and keep the bytes as the body; return them."""
        if isinstance(self.body, ReadableStream):
            self.body = await _drain(self.body)
        return self.body or b""


class Request(_Message):
    """An HTTP request as JS's ``Request`` holds it (options in snake_case)."""

    __slots__ = (
        "cache",
        "credentials",
        "duplex",
        "headers",
        "integrity",
        "keepalive",
        "method",
        "mode",
        "redirect",
        "referrer",
        "referrer_policy",
        "url",
    )

    def __init__(
        self,
        url: str | URL,
        *,
        method: str = "GET",
        headers: object = None,
        body: Body = None,
        cache: str = "default",
        credentials: str = "same-origin",
        integrity: str = "",
        keepalive: bool = False,
        mode: str = "cors",
        redirect: str = "follow",
        referrer: str = "about:client",
        referrer_policy: str = "",
        duplex: str | None = None,
    ) -> None:
        self.url: str = URL(url).href
        self.method: str = _method(method)
        self.headers: Headers = headers if isinstance(headers, Headers) else Headers(headers)
        self.body = _body(body)
        if self.body is not None and self.method in ("GET", "HEAD"):
            raise TypeError(f"a {self.method} request cannot have a body")
        self.cache: str = _checked_enum("cache", cache)
        self.credentials: str = _checked_enum("credentials", credentials)
        self.integrity: str = str(integrity)
        self.keepalive: bool = bool(keepalive)
        self.mode: str = _checked_enum("mode", mode)
        self.redirect: str = _checked_enum("redirect", redirect)
        self.referrer: str = str(referrer)
        self.referrer_policy: str = _checked_enum("referrer_policy", referrer_policy)
        if duplex not in (None, "half"):
            raise TypeError(f"{duplex!r} is not a valid Request duplex")
        self.duplex: str | None = duplex

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.url} body={self.body!r}>"


class Response(_Message):
    """An HTTP response as JS's ``Response`` holds it."""

    __slots__ = ("headers", "status", "status_text")

    def __init__(
        self,
        body: Body = None,
        *,
        status: int = 200,
        status_text: str = "",
        headers: object = None,
    ) -> None:
        if not isinstance(status, int) or not 200 <= status <= 599:
            raise ValueError(f"a Response status must be in 200..599, not {status!r}")
        if not isinstance(status_text, str) or _REASON_PHRASE.fullmatch(status_text) is None:
            raise TypeError(f"{status_text!r} is not a valid status text")
        self.body = _body(body)
        if self.body is not None and status in _NULL_BODY_STATUSES:
            raise TypeError(f"a Response with status {status} cannot have a body")
        self.status: int = status
        self.status_text: str = status_text
        self.headers: Headers = headers if isinstance(headers, Headers) else Headers(headers)

    def __repr__(self) -> str:
        return f"<Response {self.status} body={self.body!r}>"


def _body_part(message: _Message, mode: str) -> object:
    """The body as seroval-plugins sends it in ``mode`` (a fresh value each time)."""
    body = message.body
    if body is None:
        return None
    if mode == "stream":
        if isinstance(body, ReadableStream):
            return body
        chunk = JSTypedArray("Uint8Array", bytearray(body))
        return ReadableStream([chunk] if body else [])
    if isinstance(body, ReadableStream):
        if mode == "async":
            return Awaited(_buffer(body))
        raise SerovalUnsupportedTypeError(
            f"a {type(message).__name__} whose body is a ReadableStream needs async or stream "
            "mode (or `await message.aread()` first, to keep the bytes as the body)",
            message,
        )
    return bytearray(body)


def _is_body(value: object) -> bool:
    """seroval-plugins' body check: null, undefined, an ArrayBuffer or a ReadableStream."""
    return value is None or value is undefined or isinstance(value, (bytearray, ReadableStream))


def _optional_headers(value: object) -> bool:
    return value is undefined or isinstance(value, Headers)


_REQUEST_OPTIONS: Final = v.object_of(
    {
        "body": _is_body,
        "cache": v.optional(v.string),
        "credentials": v.optional(v.string),
        "headers": _optional_headers,
        "integrity": v.optional(v.string),
        "keepalive": v.optional(v.boolean),
        "method": v.optional(v.string),
        "mode": v.optional(v.string),
        "redirect": v.optional(v.string),
        "referrer": v.optional(v.string),
        "referrerPolicy": v.optional(v.string),
        "duplex": v.optional(v.string),
    }
)
_RESPONSE_OPTIONS: Final = v.object_of(
    {
        "headers": _optional_headers,
        "status": v.optional(v.number),
        "statusText": v.optional(v.string),
    }
)


def _request_call(arguments: list[Any]) -> dict[str, Any]:
    url, options = call_arguments(arguments, 2)
    return {"url": url, "options": options}


def _response_call(arguments: list[Any]) -> dict[str, Any]:
    body, options = call_arguments(arguments, 2)
    return {"body": body, "options": options}


class RequestPlugin(WebPlugin):
    """``seroval-plugins/web/Request``: ``new Request(url,{...})``; not in seroval's sync mode."""

    tag = "seroval-plugins/web/Request"
    extends = (ReadableStreamPlugin(), HeadersPlugin())
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "url": v.string,
        "options": _REQUEST_OPTIONS,
    }
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new Request": _request_call
    }

    def test(self, value: object) -> bool:
        return isinstance(value, Request)

    def fields(self, value: Request, mode: str) -> Mapping[str, Any]:
        options: dict[str, Any] = {
            "body": _body_part(value, mode),
            "cache": value.cache,
            "credentials": value.credentials,
            "headers": value.headers,
            "integrity": value.integrity,
            "keepalive": value.keepalive,
            "method": value.method,
            "mode": value.mode,
            "redirect": value.redirect,
            "referrer": value.referrer,
            "referrerPolicy": value.referrer_policy,
        }
        if mode == "stream" and value.body is not None:
            options["duplex"] = "half"
        return {"url": value.url, "options": options}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return (
            "new Request(" + ctx.serialize(info["url"]) + "," + ctx.serialize(info["options"]) + ")"
        )

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Request:
        url = ctx.deserialize(info["url"])
        options = ctx.deserialize(info["options"])
        body = option(options, "body", None)
        return Request(
            url,
            method=option(options, "method", "GET"),
            headers=option(options, "headers", None),
            body=bytes(body) if isinstance(body, bytearray) else body,
            cache=option(options, "cache", "default"),
            credentials=option(options, "credentials", "same-origin"),
            integrity=option(options, "integrity", ""),
            keepalive=option(options, "keepalive", False),
            mode=option(options, "mode", "cors"),
            redirect=option(options, "redirect", "follow"),
            referrer=option(options, "referrer", "about:client"),
            referrer_policy=option(options, "referrerPolicy", ""),
            duplex=option(options, "duplex", None),
        )


class ResponsePlugin(WebPlugin):
    """``seroval-plugins/web/Response``: ``new Response(body,{...})``; async and stream modes."""

    tag = "seroval-plugins/web/Response"
    extends = (ReadableStreamPlugin(), HeadersPlugin())
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "body": _is_body,
        "options": _RESPONSE_OPTIONS,
    }
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new Response": _response_call
    }

    def test(self, value: object) -> bool:
        return isinstance(value, Response)

    def fields(self, value: Response, mode: str) -> Mapping[str, Any]:
        options = {
            "headers": value.headers,
            "status": value.status,
            "statusText": value.status_text,
        }
        return {"body": _body_part(value, mode), "options": options}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return (
            "new Response("
            + ctx.serialize(info["body"])
            + ","
            + ctx.serialize(info["options"])
            + ")"
        )

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Response:
        body = ctx.deserialize(info["body"])
        options = ctx.deserialize(info["options"])
        return Response(
            bytes(body) if isinstance(body, bytearray) else (None if body is undefined else body),
            status=to_uint(option(options, "status", 200), 16),
            status_text=option(options, "statusText", ""),
            headers=option(options, "headers", None),
        )
