"""The codec layer's errors, on both sides of the library's exception tree.

Each step has a base that catches every failure of the step, and each failure
also sits on its side (see :mod:`seroval.protocol.errors`): bytes that cannot be
read are the peer's fault, a tree that cannot be written is ours::

    SerovalError
    ├── SerovalCodecError                  any codec failure, either way
    │   ├── SerovalCodecDecodeError        bytes that are not a payload (remote)
    │   │   ├── SerovalCodecLimitError     a payload over its size limit
    │   │   └── SerovalCodecSyntaxError    JSON text that does not parse (a SerovalSyntaxError)
    │   ├── SerovalCodecEncodeError        a tree the codec cannot encode (local)
    │   └── SerovalFramingError            any ``;0x%08x;`` framing failure
    │       ├── SerovalFramingDecodeError  a bad header, a stream cut mid-frame
    │       │   └── SerovalFramingLimitError  a frame over its size limit
    │       └── SerovalFramingEncodeError  a payload too large for one frame
    └── SerovalUnknownCodecError           no codec by that name or content type (a LookupError)

Each decode class is also a ``SerovalDeserializationError`` (remote), each encode
class a ``SerovalSerializationError`` (local); the framing ones are also the codec
decode, limit or encode error of their direction.  Nesting deeper than a codec's
``max_depth`` raises the library's own
:class:`~seroval.protocol.errors.SerovalDepthLimitError`, on the side of the
direction that failed, exactly as the JSON text writer does.
"""

from __future__ import annotations

from ..protocol.errors import (
    SerovalDeserializationError,
    SerovalError,
    SerovalSerializationError,
    SerovalSyntaxError,
)

__all__ = [
    "SerovalCodecDecodeError",
    "SerovalCodecEncodeError",
    "SerovalCodecError",
    "SerovalCodecLimitError",
    "SerovalCodecSyntaxError",
    "SerovalFramingDecodeError",
    "SerovalFramingEncodeError",
    "SerovalFramingError",
    "SerovalFramingLimitError",
    "SerovalUnknownCodecError",
]


class SerovalCodecError(SerovalError):
    """A codec failed, in either direction; ``except`` this to catch the whole step.

    ``codec`` names the codec; ``offset`` is the byte offset of the problem when it
    is known (``None`` otherwise).
    """

    def __init__(self, message: str, *, codec: str, offset: int | None = None) -> None:
        where = f" at byte {offset}" if offset is not None else ""
        super().__init__(f"{codec}: {message}{where}")
        self.codec = codec
        self.offset = offset


class SerovalCodecDecodeError(SerovalCodecError, SerovalDeserializationError):
    """Bytes that do not decode to a node tree with this codec.

    Values that decode but fall outside the JSON data model (a msgpack ``bin``, a
    CBOR ``undefined``) also raise this error, with :attr:`path` saying where.
    """


class SerovalCodecSyntaxError(SerovalCodecDecodeError, SerovalSyntaxError):
    """Text a text codec (JSON) cannot parse; ``line`` and ``column`` say where."""

    def __init__(self, message: str, *, codec: str, line: int, column: int, offset: int) -> None:
        SerovalError.__init__(self, f"{codec}: {message}")  # one base __init__, not two
        self.codec = codec
        self.offset = offset
        self.locate(line, column, offset)


class SerovalCodecEncodeError(SerovalCodecError, SerovalSerializationError):
    """A tree this codec cannot encode (a value outside the JSON data model, a huge int)."""


class SerovalCodecLimitError(SerovalCodecDecodeError):
    """A payload larger than the configured limit; nothing past the header is read."""

    def __init__(self, what: str, size: int, limit: int, *, codec: str) -> None:
        super().__init__(f"{what} of {size} bytes is over the limit of {limit} bytes", codec=codec)
        self.size = size
        self.limit = limit


class SerovalFramingError(SerovalCodecError):
    """The ``;0x%08x;`` framing failed, in either direction."""

    def __init__(self, message: str, *, offset: int | None = None) -> None:
        SerovalCodecError.__init__(self, message, codec="framing", offset=offset)


class SerovalFramingDecodeError(SerovalFramingError, SerovalCodecDecodeError):
    """A header that is not ``;0x`` + 8 hex digits + ``;``, or a stream that ends mid-frame."""


class SerovalFramingLimitError(SerovalFramingDecodeError, SerovalCodecLimitError):
    """A frame whose header announces more than the reader's limit."""

    def __init__(self, size: int, limit: int, *, offset: int) -> None:
        message = f"a frame of {size} bytes is over the limit of {limit} bytes"
        SerovalCodecError.__init__(self, message, codec="framing", offset=offset)
        self.size = size
        self.limit = limit


class SerovalFramingEncodeError(SerovalFramingError, SerovalCodecEncodeError):
    """A payload too large for one frame's 32-bit length."""


class SerovalUnknownCodecError(SerovalError, LookupError):
    """No codec is registered under this name or content type."""
