"""Starlette and FastAPI: answer with seroval, read seroval bodies, and map its errors.

Needs Starlette, which FastAPI brings (``pip install 'seroval[starlette]'``)::

    from seroval.integrations.starlette import SerovalResponse, install, read_value

    app = FastAPI()
    install(app)                        # SerovalError from reading a request -> 400/413/415

    @app.post("/orders")
    async def create(request: Request) -> SerovalResponse:
        order = await read_value(request, max_body_size=1 << 20)
        return SerovalResponse({"id": 1, "at": datetime.now(UTC), "tags": {"new"}})

:class:`SerovalResponse` picks the codec from the request's ``Accept`` (JSON,
msgpack, CBOR; 406 when none is acceptable) and, when the value holds promises,
async iterables or streams, streams it framed: one frame per record, sent as each
part settles.  See :mod:`seroval.integrations.content` for the rules.

**FastAPI's pitfall.**  With ``response_class=SerovalResponse`` and an endpoint
that returns a *raw value*, FastAPI first turns it into JSON data (its response
model, or ``jsonable_encoder`` without one), which silently turns a ``datetime``
into a string, a ``set`` into a list, a ``bytes`` into text, a dataclass into a
dict, a ``Decimal`` into a float or a string, before seroval or its plugins ever
see it.  Return a
``SerovalResponse(value)`` instead: FastAPI sends a ``Response`` as it is.  Keep
``response_class=SerovalResponse`` only to document the content type in OpenAPI.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Final

from starlette.background import BackgroundTask
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from ..codecs.base import Codec
from ..codecs.errors import SerovalCodecLimitError, SerovalUnknownCodecError
from ..codecs.registry import CodecRegistry, MediaType, default_registry
from ..protocol.errors import SerovalError
from ..protocol.serializers import Deserializer, Serializer
from .content import (
    DEFAULT_MAX_BODY_SIZE,
    OFFERED,
    BodyReader,
    decode_body,
    encode_value,
    framed_content_type,
    negotiate,
    send_framed,
    status_for,
)

__all__ = [
    "SerovalResponse",
    "body_reader",
    "install",
    "read_value",
    "seroval_exception_handler",
]

_DEFAULT_SERIALIZER: Final = Serializer()
_DEFAULT_DESERIALIZER: Final = Deserializer()
_FROM_REQUEST: Final = "_seroval_from_request"


class SerovalResponse(Response):
    """A response whose content is a value, written in the codec the request accepts.

    ``stream`` forces (``True``) or forbids (``False``) framed streaming; by default a
    value streams only when part of it is async.  ``offered`` names the codecs this
    response may use, the first being the default for ``Accept: */*`` or none.
    The response sends ``Vary: Accept``.
    """

    media_type = "application/json"  # what FastAPI documents; the real one is chosen per request

    def __init__(
        self,
        content: Any = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
        *,
        serializer: Serializer | None = None,
        offered: Iterable[str] = OFFERED,
        registry: CodecRegistry = default_registry,
        stream: bool | None = None,
    ) -> None:
        self.value = content
        self.status_code = status_code
        self.background = background
        self.serializer = serializer if serializer is not None else _DEFAULT_SERIALIZER
        self.offered = tuple(offered)
        self.registry = registry
        self.stream = stream
        self.init_headers(headers)  # no body yet: no content-length; content-type set later
        self.headers["vary"] = "accept"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        accept = Headers(scope=scope).get("accept")
        try:
            codec = negotiate(accept, offered=self.offered, registry=self.registry)
        except SerovalUnknownCodecError as error:
            await JSONResponse({"detail": str(error)}, status_code=406)(scope, receive, send)
            return
        body = None if self.stream else encode_value(self.value, codec, self.serializer)
        if body is None and self.stream is False:
            self.serializer.to_json(self.value)  # raises what keeps it from one payload
        if body is not None:
            self.body = body
            self.headers["content-type"] = codec.content_type
            self.headers["content-length"] = str(len(body))
            await super().__call__(scope, receive, send)
            return
        self.headers["content-type"] = framed_content_type(codec)
        framed = _FramedResponse(self, codec)
        await framed(scope, receive, send)


class _FramedResponse(StreamingResponse):
    """Starlette's streaming response (disconnects, background tasks) with frames as
    the body: each is sent when its record is made, and awaited before the next."""

    def __init__(self, response: SerovalResponse, codec: Codec) -> None:
        self.status_code = response.status_code
        self.background = response.background
        self.raw_headers = response.raw_headers
        self.response = response
        self.codec = codec

    async def stream_response(self, send: Send) -> None:
        async def start() -> None:
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": self.raw_headers,
                }
            )

        async def out(frame: bytes) -> None:
            await send({"type": "http.response.body", "body": frame, "more_body": True})

        response = self.response
        await send_framed(response.value, self.codec, response.serializer, out, start=start)
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def read_value(
    request: Request,
    *,
    deserializer: Deserializer | None = None,
    max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    registry: CodecRegistry = default_registry,
) -> Any:
    """The value of the request's body, read by its ``Content-Type`` (JSON when absent).

    A body over ``max_body_size`` bytes is refused as soon as it is known to be
    (from ``Content-Length``, or while reading), before it is buffered.  Errors
    raised here are marked as the request's, so the handler :func:`install`
    registers answers them with 400 (bad payload), 413 (too large) or 415 (a
    content type no codec reads).  A framed body (``framing=seroval``) is read
    whole, so its promises are settled when this returns.  With
    ``deserializer=Deserializer(plain=True)`` the value has Python's own types
    (``set``, ``dict``, ``bytes``, ``list``) wherever its content allows.
    """
    reader = deserializer if deserializer is not None else _DEFAULT_DESERIALIZER
    content_type = request.headers.get("content-type")
    try:
        media = MediaType.parse(content_type or "application/json")
        codec = registry.for_content_type(media)
        limit = BodyReader(max_body_size, codec.name)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_body_size:
            raise SerovalCodecLimitError(
                "a request body", int(declared), max_body_size, codec=codec.name
            )
        async for chunk in request.stream():
            limit.add(chunk)
        return decode_body(
            limit.data(), content_type, reader, registry=registry, max_frame_size=max_body_size
        )
    except SerovalError as error:
        setattr(error, _FROM_REQUEST, True)
        raise


def body_reader(
    *,
    deserializer: Deserializer | None = None,
    max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    registry: CodecRegistry = default_registry,
) -> Callable[[Request], Awaitable[Any]]:
    """A FastAPI dependency giving the request body's value: ``Depends(body_reader())``."""

    async def read(request: Request) -> Any:
        return await read_value(
            request, deserializer=deserializer, max_body_size=max_body_size, registry=registry
        )

    return read


async def seroval_exception_handler(request: Request, error: Exception) -> Response:
    """400/413/415 with the reason for an error :func:`read_value` raised; else 500.

    A :class:`~seroval.SerovalError` from anywhere else (a value the server cannot
    write, data the server itself chose to read) is the server's fault: 500,
    without details.
    """
    if isinstance(error, SerovalError) and getattr(error, _FROM_REQUEST, False):
        status = status_for(error)
        if status < 500:
            return JSONResponse({"detail": str(error), "error": type(error).__name__}, status)
    return JSONResponse({"detail": "Internal Server Error"}, status_code=500)


def install(app: Any) -> None:
    """Register :func:`seroval_exception_handler` for every ``SerovalError`` on ``app``."""
    app.add_exception_handler(SerovalError, seroval_exception_handler)
