"""SolidStart's stream framing, for every codec: ``;0x%08x;`` then the payload.

A framed stream is a sequence of frames and nothing else (no terminator).  Each
frame is a 12-byte ASCII header, ``;0x`` + the payload's length in bytes as 8
lowercase hex digits + ``;``, followed by that many bytes of payload.  For JSON
the payload is the UTF-8 text, so the length is its UTF-8 byte length, exactly
as SolidStart's ``createChunk`` writes it (``;0x000000ea;`` for 234 bytes).  The
same header carries msgpack and CBOR payloads unchanged.

:class:`FrameReader` is sans-I/O: feed it bytes as they arrive, split anywhere,
and it returns the payloads that are complete.  Unlike SolidStart's own reader
(which parses a header as soon as any byte is buffered), a header split across
reads is fine.  It validates each header byte as it arrives, refuses a length
over ``max_frame_size`` as soon as the header is complete, and never holds more
than one header and one payload.  Frames that were complete before an error are
returned first; the error comes from the next call.  :class:`FrameDecoder` adds
a codec, and :func:`aiter_frames` / :func:`aiter_trees` drive either from an
async byte iterator.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any, Final

from ..protocol.errors import SerovalError
from .base import DEFAULT_MAX_SIZE, Codec
from .errors import (
    SerovalFramingDecodeError,
    SerovalFramingEncodeError,
    SerovalFramingError,
    SerovalFramingLimitError,
)

__all__ = [
    "HEADER_SIZE",
    "MAX_FRAME_LENGTH",
    "FrameDecoder",
    "FrameReader",
    "aiter_frames",
    "aiter_trees",
    "encode_frame",
    "frame_header",
]

HEADER_SIZE: Final = 12
"""Bytes in a frame header: ``;0x`` + 8 hex digits + ``;``."""

MAX_FRAME_LENGTH: Final = 0xFFFF_FFFF
"""The largest length 8 hex digits can state."""

_HEADER: Final = re.compile(rb";0x([0-9a-fA-F]{8});")
_HEX: Final = frozenset(b"0123456789abcdefABCDEF")
# What each header position must hold; "h" stands for any hex digit.
_SHAPE: Final = b";0xhhhhhhhh;"

Chunk = bytes | bytearray | memoryview


def frame_header(length: int) -> bytes:
    """The 12-byte header of a ``length``-byte payload (lowercase hex, as SolidStart writes)."""
    if not 0 <= length <= MAX_FRAME_LENGTH:
        raise SerovalFramingEncodeError(f"a frame cannot hold {length} bytes")
    return b";0x%08x;" % length


def encode_frame(payload: Chunk) -> bytes:
    """One frame: the header for ``payload`` followed by ``payload``."""
    data = bytes(payload)
    return frame_header(len(data)) + data


class FrameReader:
    """Incremental, sans-I/O reader of a framed stream; ``feed`` bytes, get payloads.

    The header's hex digits may be either case (SolidStart reads them with
    ``parseInt(…, 16)``); writers use lowercase.  Call :meth:`close` at the end
    of the stream: it raises :class:`SerovalFramingError` if the stream stopped
    inside a frame.
    """

    __slots__ = ("_buffer", "_closed", "_consumed", "_error", "_length", "max_frame_size")

    def __init__(self, *, max_frame_size: int = DEFAULT_MAX_SIZE) -> None:
        if not 0 <= max_frame_size <= MAX_FRAME_LENGTH:
            raise ValueError(f"max_frame_size must be between 0 and {MAX_FRAME_LENGTH}")
        self.max_frame_size = max_frame_size
        self._buffer = bytearray()
        self._length = -1  # the payload length being waited for, or -1 for a header
        self._consumed = 0  # stream offset of the buffer's first byte
        self._error: SerovalError | None = None
        self._closed = False

    @property
    def buffered(self) -> int:
        """Bytes received but not yet returned (at most one header and one payload)."""
        return len(self._buffer)

    @property
    def offset(self) -> int:
        """Stream offset of the first byte not yet returned."""
        return self._consumed

    def feed(self, data: Chunk) -> list[bytes]:
        """Take the next bytes of the stream and return the payloads now complete."""
        self._check_usable()
        buffer = self._buffer
        buffer += data
        frames: list[bytes] = []
        position = 0
        try:
            while True:
                if self._length < 0:
                    match = _HEADER.match(buffer, position)
                    if match is None:
                        bad = self._bad_header_byte(position)
                        if bad is None:
                            break  # a valid start of a header: wait for the rest
                        raise bad
                    length = int(match.group(1), 16)
                    if length > self.max_frame_size:
                        raise SerovalFramingLimitError(
                            length, self.max_frame_size, offset=self._consumed + position
                        )
                    self._length = length
                    position += HEADER_SIZE
                end = position + self._length
                if end > len(buffer):
                    break
                frames.append(bytes(buffer[position:end]))
                position = end
                self._length = -1
        except SerovalError as error:
            self._error = error
            if not frames:
                raise
        finally:
            del buffer[:position]
            self._consumed += position
        return frames

    def close(self) -> None:
        """End of stream: raise :class:`SerovalFramingError` if it ended inside a frame."""
        self._check_usable()
        self._closed = True
        if self._buffer or self._length >= 0:
            part = "payload" if self._length >= 0 else "header"
            self._error = SerovalFramingDecodeError(
                f"the stream ended inside a frame {part} ({len(self._buffer)} bytes left over)",
                offset=self._consumed + len(self._buffer),
            )
            raise self._error

    def _check_usable(self) -> None:
        if self._error is not None:
            raise self._error
        if self._closed:
            raise SerovalFramingError("the stream is closed", offset=self._consumed)

    def _bad_header_byte(self, start: int) -> SerovalFramingDecodeError | None:
        """The error for the first byte from ``start`` that cannot be part of a header, if any."""
        buffer = self._buffer
        for index in range(start, min(len(buffer), start + HEADER_SIZE)):
            expected = _SHAPE[index - start]
            byte = buffer[index]
            if byte not in _HEX if expected == ord("h") else byte != expected:
                return SerovalFramingDecodeError(
                    f"bad frame header: byte {byte:#04x} where {_describe(expected)} belongs",
                    offset=self._consumed + index,
                )
        return None


def _describe(expected: int) -> str:
    return "a hex digit" if expected == ord("h") else repr(chr(expected))


class FrameDecoder:
    """A :class:`FrameReader` whose payloads are decoded with ``codec``."""

    __slots__ = ("_error", "_reader", "codec")

    def __init__(self, codec: Codec, *, max_frame_size: int = DEFAULT_MAX_SIZE) -> None:
        self.codec = codec
        self._reader = FrameReader(max_frame_size=max_frame_size)
        self._error: SerovalError | None = None

    def feed(self, data: Chunk) -> list[Any]:
        """Take the next bytes of the stream and return the trees now complete."""
        if self._error is not None:
            raise self._error
        trees: list[Any] = []
        for payload in self._reader.feed(data):
            try:
                trees.append(self.codec.decode(payload))
            except SerovalError as error:
                self._error = error
                if not trees:
                    raise
                break
        return trees

    def close(self) -> None:
        """End of stream: raise if it ended inside a frame (or a frame failed to decode)."""
        if self._error is not None:
            raise self._error
        self._reader.close()


async def aiter_frames(
    source: AsyncIterable[Chunk], *, max_frame_size: int = DEFAULT_MAX_SIZE
) -> AsyncIterator[bytes]:
    """The payloads of the framed stream ``source`` (e.g. ``response.aiter_bytes()``)."""
    reader = FrameReader(max_frame_size=max_frame_size)
    async for chunk in source:
        for payload in reader.feed(chunk):
            yield payload
    reader.close()


async def aiter_trees(
    source: AsyncIterable[Chunk], codec: Codec, *, max_frame_size: int = DEFAULT_MAX_SIZE
) -> AsyncIterator[Any]:
    """The decoded trees of the framed stream ``source``."""
    decoder = FrameDecoder(codec, max_frame_size=max_frame_size)
    async for chunk in source:
        for tree in decoder.feed(chunk):
            yield tree
    decoder.close()
