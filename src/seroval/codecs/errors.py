"""The codec layer's errors, grafted onto the library's exception tree.

Bytes that a codec cannot turn back into a node tree are a deserialization
failure like any other, so the codec errors sit under
:class:`~seroval.protocol.errors.SerovalDeserializationError`::

    SerovalDeserializationError
    └── SerovalCodecError            bytes that are not a valid payload for the codec
        ├── SerovalFramingError      a bad ``;0x…;`` frame header, or a stream cut mid-frame
        └── SerovalCodecLimitError   a payload or frame over its size limit

Nesting deeper than a codec's ``max_depth`` raises the library's own
:class:`~seroval.protocol.errors.SerovalDepthLimitError`, and a tree that cannot
be encoded (a value outside the JSON data model) raises
:class:`~seroval.protocol.errors.SerovalError` with ``step="serialize"``, exactly
as :func:`~seroval.protocol.tree.json_text.dumps_json` does, so all three codecs fail
the same way on the same input.  An unknown codec name or content type raises
:class:`SerovalUnknownCodecError`, which is also a :class:`LookupError`.
"""

from __future__ import annotations

from ..protocol.errors import SerovalDeserializationError, SerovalError

__all__ = [
    "SerovalCodecError",
    "SerovalCodecLimitError",
    "SerovalFramingError",
    "SerovalUnknownCodecError",
]


class SerovalCodecError(SerovalDeserializationError):
    """Bytes that do not decode to a node tree with this codec.

    ``codec`` names the codec; ``offset`` is the byte offset of the problem when
    the underlying library reports one (``None`` otherwise).  Values that decode
    but fall outside the JSON data model (a msgpack ``bin``, a CBOR ``undefined``)
    also raise this error, with :attr:`path` saying where they are.
    """

    def __init__(self, message: str, *, codec: str, offset: int | None = None) -> None:
        where = f" at byte {offset}" if offset is not None else ""
        super().__init__(f"{codec}: {message}{where}")
        self.codec = codec
        self.offset = offset


class SerovalFramingError(SerovalCodecError):
    """A header that is not ``;0x`` + 8 hex digits + ``;``, or a stream that ends mid-frame."""

    def __init__(self, message: str, *, offset: int) -> None:
        super().__init__(message, codec="framing", offset=offset)


class SerovalCodecLimitError(SerovalCodecError):
    """A payload or frame larger than the configured limit; nothing past the header is read."""

    def __init__(self, what: str, size: int, limit: int, *, codec: str) -> None:
        super().__init__(f"{what} of {size} bytes is over the limit of {limit} bytes", codec=codec)
        self.size = size
        self.limit = limit


class SerovalUnknownCodecError(SerovalError, LookupError):
    """No codec is registered under this name or content type."""
