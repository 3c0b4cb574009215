"""The framework-free part of the integrations: which codec, which bytes, which status.

Both sides of an HTTP exchange make the same three choices, so they live here once:

* **Which codec.**  A response uses the first codec the request's ``Accept``
  prefers (q-values honoured, ``*/*`` and ``application/*`` meaning JSON) among
  those the server offers; a request body is read by its ``Content-Type``
  (absent means JSON).  Media types and profiles are the codec registry's
  (SPEC.md §9.7).
* **Framed or not.**  A value that holds promises, async iterables or streams
  cannot be written at once, so it goes out as a framed stream of node records
  (``to_cross_json_stream``), one ``;0x%08x;`` frame per record as each part
  settles, with ``framing=seroval`` added to the content type.  Any other value
  is one ``to_json`` envelope.  A framed body is read with one
  :class:`~seroval.CrossDeserializer`.
* **Which status.**  :func:`status_for` maps a :class:`~seroval.SerovalError`
  met while reading a request to 400 (bad payload), 413 (over a limit) or 415
  (a content type no codec reads), and anything else to 500.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable, Iterable
from typing import Any, Final

from ..codecs.base import Codec
from ..codecs.errors import SerovalCodecLimitError, SerovalUnknownCodecError
from ..codecs.framing import FrameDecoder, aiter_trees, encode_frame
from ..codecs.registry import CodecRegistry, MediaType, default_registry
from ..protocol.errors import SerovalDeserializationError, SerovalError
from ..protocol.jstext.reader import CrossDeserializer
from ..protocol.model.live_stream import LiveStream
from ..protocol.model.plain import to_plain
from ..protocol.model.plugins import Awaited, StreamSource
from ..protocol.model.stream import Stream
from ..protocol.serializers import Deserializer, Serializer

__all__ = [
    "DEFAULT_MAX_BODY_SIZE",
    "OFFERED",
    "BodyReader",
    "decode_body",
    "encode_value",
    "framed_content_type",
    "negotiate",
    "read_framed",
    "send_framed",
    "status_for",
    "wants_streaming",
]

DEFAULT_MAX_BODY_SIZE: Final = 8 * 1024 * 1024
"""Largest request body read by default: 8 MiB (a limit the caller should set)."""

OFFERED: Final = ("json", "msgpack", "cbor")
"""The codecs a response offers by default, preferred in this order on a tie."""

_ANY: Final = frozenset({"*/*", "application/*"})


def _accept_entries(accept: str) -> list[tuple[float, int, MediaType]]:
    entries: list[tuple[float, int, MediaType]] = []
    for index, part in enumerate(accept.split(",")):
        if not part.strip():
            continue
        try:
            media = MediaType.parse(part)
            quality = float(media.parameters.get("q", "1"))
        except (SerovalUnknownCodecError, ValueError):
            continue  # a malformed entry is ignored, as browsers and servers do
        if quality > 0:
            entries.append((-quality, index, media))
    return sorted(entries, key=lambda entry: entry[:2])


def negotiate(
    accept: str | None,
    *,
    offered: Iterable[str] = OFFERED,
    registry: CodecRegistry = default_registry,
) -> Codec:
    """The codec to answer with: the client's most preferred among ``offered`` names.

    No ``Accept`` (or only wildcards) gives the first offered codec.  Raises
    :class:`~seroval.SerovalUnknownCodecError` when nothing offered is acceptable
    (a 406 for the framework to send).
    """
    names = tuple(offered)
    if not names:
        raise ValueError("offer at least one codec")
    if accept is None or not accept.strip():
        return registry.get(names[0])
    for _, _, media in _accept_entries(accept):
        if media.essence in _ANY:
            return registry.get(names[0])
        try:
            codec = registry.for_content_type(media)
        except SerovalUnknownCodecError:
            continue
        if codec.name in names:
            return codec
    raise SerovalUnknownCodecError(
        f"none of the accepted types {accept[:200]!r} is offered"
        f" ({', '.join(registry.get(name).content_type for name in names)})"
    )


def framed_content_type(codec: Codec) -> str:
    """The content type of a framed stream of ``codec`` payloads."""
    return f"{codec.content_type}; framing=seroval"


_ASYNC_PARTS: Final = (Awaitable, AsyncIterable, Stream, LiveStream, StreamSource, Awaited)


def wants_streaming(error: SerovalError) -> bool:
    """Whether ``to_json`` refused a value only because part of it is async."""
    return isinstance(getattr(error, "value", None), _ASYNC_PARTS)


def encode_value(value: object, codec: Codec, serializer: Serializer) -> bytes | None:
    """``value`` as one ``to_json`` payload, or ``None`` when it must be streamed.

    Raises what ``to_json`` and the codec raise for a value they cannot write.
    """
    try:
        envelope = serializer.to_json(value)
    except SerovalError as error:
        if wants_streaming(error):
            return None
        raise
    return codec.encode(envelope)


async def send_framed(
    value: object,
    codec: Codec,
    serializer: Serializer,
    send: Callable[[bytes], Awaitable[object]],
    *,
    start: Callable[[], Awaitable[object]] | None = None,
) -> None:
    """Stream ``value``: one frame per node record, each sent (and awaited) as it is made.

    The root is written before ``start`` is awaited (a response sends its headers
    there), so a value that cannot be written at all raises before anything is
    sent.  ``send`` is awaited before the next record is taken, so a slow client
    slows the async iterables down (the stream's backpressure).  A part that fails
    later raises here after the frames already sent.
    """
    records = serializer.to_cross_json_stream(value)
    if start is not None:
        try:
            await start()
        except BaseException:
            records.destroy()
            raise
    async with records:
        async for node in records:
            await send(encode_frame(codec.encode(node)))


class BodyReader:
    """Bytes of a body, gathered up to ``max_size`` (``SerovalCodecLimitError`` past it)."""

    __slots__ = ("_parts", "codec_name", "max_size", "size")

    def __init__(self, max_size: int, codec_name: str = "body") -> None:
        self.max_size = max_size
        self.codec_name = codec_name
        self.size = 0
        self._parts: list[bytes] = []

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_size:
            raise SerovalCodecLimitError(
                "a request body", self.size, self.max_size, codec=self.codec_name
            )
        self._parts.append(chunk)

    def data(self) -> bytes:
        return b"".join(self._parts)


def _media(content_type: str | None) -> MediaType:
    return MediaType.parse(content_type or "application/json")


def decode_body(
    body: bytes,
    content_type: str | None,
    deserializer: Deserializer,
    *,
    registry: CodecRegistry = default_registry,
    max_frame_size: int = DEFAULT_MAX_BODY_SIZE,
) -> Any:
    """The value of a whole body: one payload, or (``framing=seroval``) every frame read.

    A framed body read whole is settled when this returns, and no later piece can
    refer to its values, so a ``Deserializer(plain=True)`` gives Python's own types
    here too, in the settled promises and ended streams as well
    (:mod:`seroval.protocol.model.plain`).

    Raises :class:`~seroval.SerovalUnknownCodecError` for a content type no codec
    reads, and a :class:`~seroval.SerovalDeserializationError` for a bad payload.
    """
    media = _media(content_type)
    codec = registry.for_content_type(media)
    if not media.framed:
        return deserializer.from_json(codec.decode(body))
    decoder = FrameDecoder(codec, max_frame_size=max_frame_size)
    trees = decoder.feed(body)
    decoder.close()
    root = _read_records(trees, deserializer.cross_deserializer())
    return to_plain(root) if deserializer.options.plain else root


def _read_records(trees: list[Any], reader: CrossDeserializer) -> Any:
    if not trees:
        raise SerovalDeserializationError("the framed body held no frame")
    root = reader.deserialize(trees[0])
    for tree in trees[1:]:
        reader.deserialize(tree)
    return root


async def read_framed(
    chunks: AsyncIterable[bytes],
    codec: Codec,
    reader: CrossDeserializer,
    *,
    max_frame_size: int = DEFAULT_MAX_BODY_SIZE,
    on_root: Callable[[Any], object] | None = None,
) -> Any:
    """Feed a framed byte stream into ``reader``; return the root (the first record's value).

    ``on_root`` is called with the root as soon as the first frame is read, while
    the later frames (settlements) are still to come.  An empty stream is a
    :class:`~seroval.SerovalDeserializationError`.
    """
    root: Any = None
    first = True
    async for tree in aiter_trees(chunks, codec, max_frame_size=max_frame_size):
        value = reader.deserialize(tree)
        if first:
            first = False
            root = value
            if on_root is not None:
                on_root(root)
    if first:
        raise SerovalDeserializationError("the framed stream held no frame")
    return root


def status_for(error: SerovalError) -> int:
    """The HTTP status for ``error`` raised while reading a request (and writing its reply).

    413 for a body or frame over its limit, 415 for a content type no codec reads,
    400 for any other input that cannot be read, 500 for what is our own fault.
    """
    if isinstance(error, SerovalCodecLimitError):
        return 413
    if isinstance(error, SerovalUnknownCodecError):
        return 415
    if isinstance(error, SerovalDeserializationError):
        return 400
    return 500
