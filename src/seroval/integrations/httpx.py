"""httpx: send a value as a request body, and read a response's value, sync and async.

Needs httpx (``pip install 'seroval[http]'``)::

    from seroval.integrations import httpx as sh

    response = client.post(url, **sh.content(order, codec="msgpack", headers=sh.accept_headers()))
    value = sh.read_value(response)                  # framed or not, by its content type

    async with client.stream("GET", url, headers=sh.accept_headers()) as response:
        async with sh.stream_value(response) as value:   # the root, as soon as it arrives
            print(await value["total"])                  # a promise settled by a later frame

:func:`read_value` and :func:`aread_value` read the whole body, so every promise
in it is settled when they return; :func:`stream_value` gives the root at once
and reads the later frames while its block runs.  A response that is not a
success raises ``httpx.HTTPStatusError`` first, as ``raise_for_status`` does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any, Final

import anyio
import httpx

from ..codecs.registry import CodecRegistry, MediaType, default_registry
from ..protocol.errors import SerovalAbortedError, SerovalError
from ..protocol.serializers import Deserializer, Serializer
from .content import DEFAULT_MAX_BODY_SIZE, OFFERED, decode_body, read_framed, wants_streaming

__all__ = [
    "accept_headers",
    "acontent",
    "aread_value",
    "content",
    "read_value",
    "stream_value",
]

_DEFAULT_SERIALIZER: Final = Serializer()
_DEFAULT_DESERIALIZER: Final = Deserializer()


def accept_headers(
    codecs: Iterable[str] = OFFERED, *, registry: CodecRegistry = default_registry
) -> dict[str, str]:
    """An ``Accept`` header preferring ``codecs`` in order (q from 1 down)."""
    names = list(codecs)
    parts = []
    for index, name in enumerate(names):
        media = registry.get(name).content_type
        quality = round(1 - index / (len(names) + 1), 3)
        parts.append(media if index == 0 else f"{media};q={quality}")
    return {"accept": ", ".join(parts)}


def _body(
    data: bytes, codec_name: str, registry: CodecRegistry, headers: Mapping[str, str] | None
) -> dict[str, Any]:
    merged = {**(headers or {}), "content-type": registry.get(codec_name).content_type}
    return {"content": data, "headers": merged}


def content(
    value: object,
    *,
    codec: str = "json",
    headers: Mapping[str, str] | None = None,
    serializer: Serializer | None = None,
    registry: CodecRegistry = default_registry,
) -> dict[str, Any]:
    """``content=`` and ``headers=`` for an httpx request carrying ``value``.

    ``client.post(url, **content(value, headers=accept_headers()))``: other
    headers go in ``headers`` (httpx takes one ``headers`` keyword), and the
    content type is set to the codec's.  A value with async parts is refused
    (:class:`~seroval.SerovalUnsupportedTypeError`, with a note naming
    :func:`acontent`).
    """
    writer = serializer if serializer is not None else _DEFAULT_SERIALIZER
    try:
        envelope = writer.to_json(value)
    except SerovalError as error:
        if wants_streaming(error):
            error.add_note("acontent(value) awaits the value's async parts and sends it settled")
        raise
    data = registry.get(codec).encode(envelope)
    return _body(data, codec, registry, headers)


async def acontent(
    value: object,
    *,
    codec: str = "json",
    headers: Mapping[str, str] | None = None,
    serializer: Serializer | None = None,
    registry: CodecRegistry = default_registry,
) -> dict[str, Any]:
    """:func:`content` for a value with async parts: each is awaited, then sent settled."""
    writer = serializer if serializer is not None else _DEFAULT_SERIALIZER
    data = registry.get(codec).encode(await writer.to_json_async(value))
    return _body(data, codec, registry, headers)


def _decode(
    response: httpx.Response,
    data: bytes,
    deserializer: Deserializer | None,
    registry: CodecRegistry,
    max_frame_size: int,
) -> Any:
    reader = deserializer if deserializer is not None else _DEFAULT_DESERIALIZER
    content_type = response.headers.get("content-type")
    return decode_body(data, content_type, reader, registry=registry, max_frame_size=max_frame_size)


def read_value(
    response: httpx.Response,
    *,
    deserializer: Deserializer | None = None,
    registry: CodecRegistry = default_registry,
    max_frame_size: int = DEFAULT_MAX_BODY_SIZE,
) -> Any:
    """The value of a (sync) response's whole body, by its ``Content-Type``."""
    response.raise_for_status()
    return _decode(response, response.read(), deserializer, registry, max_frame_size)


async def aread_value(
    response: httpx.Response,
    *,
    deserializer: Deserializer | None = None,
    registry: CodecRegistry = default_registry,
    max_frame_size: int = DEFAULT_MAX_BODY_SIZE,
) -> Any:
    """The value of an async response's whole body, by its ``Content-Type``."""
    response.raise_for_status()
    return _decode(response, await response.aread(), deserializer, registry, max_frame_size)


@asynccontextmanager
async def stream_value(
    response: httpx.Response,
    *,
    deserializer: Deserializer | None = None,
    registry: CodecRegistry = default_registry,
    max_frame_size: int = DEFAULT_MAX_BODY_SIZE,
) -> AsyncIterator[Any]:
    """The root value of a streamed response as soon as its first frame is read.

    Use with ``client.stream(...)``.  While the block runs, later frames settle
    the root's promises and feed its streams.  Leaving the block stops reading
    and rejects whatever is still pending; a frame that fails, or a connection
    that drops, rejects what is pending with that error.  An unframed response
    is read whole.  A ``Deserializer(plain=True)`` gives Python's own types only
    for an unframed response: later frames may refer to the root's values, so
    those keep their JS types (:func:`aread_value` reads a framed body whole and
    converts it).
    """
    response.raise_for_status()
    options = deserializer if deserializer is not None else _DEFAULT_DESERIALIZER
    content_type = response.headers.get("content-type")
    media = MediaType.parse(content_type or "application/json")
    if not media.framed:
        yield await aread_value(
            response, deserializer=options, registry=registry, max_frame_size=max_frame_size
        )
        return
    codec = registry.for_content_type(media)
    reader = options.cross_deserializer()
    ready = anyio.Event()
    found: list[Any] = []
    failure: list[BaseException] = []

    def on_root(root: Any) -> None:
        found.append(root)
        ready.set()

    async def pump() -> None:
        try:
            await read_framed(
                response.aiter_bytes(),
                codec,
                reader,
                max_frame_size=max_frame_size,
                on_root=on_root,
            )
        except (SerovalError, httpx.HTTPError) as error:
            failure.append(error)
            if reader.pending:
                reader.abort(error)
        finally:
            ready.set()

    raised: Exception | None = None
    async with anyio.create_task_group() as group:
        group.start_soon(pump)
        await ready.wait()
        if not found:
            group.cancel_scope.cancel()
        else:
            try:
                yield found[0]
            except Exception as error:  # the block's own: re-raised below, as it is
                raised = error
            finally:
                group.cancel_scope.cancel()
                if reader.pending:
                    reader.abort(
                        SerovalAbortedError("the response stream was closed before this settled")
                    )
    # Raised here, outside the task group, so that they are not wrapped in an ExceptionGroup.
    if raised is not None:
        raise raised
    if not found:
        raise failure[0] if failure else SerovalAbortedError("the stream ended before its root")
