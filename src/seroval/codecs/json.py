"""The JSON codec: exactly the bytes seroval writes.

This is :func:`~seroval.protocol.tree.json_text.dumps_json` (JS ``JSON.stringify``:
JS number spelling, ``\\udxxx`` for lone surrogates) as UTF-8, and
:func:`~seroval.protocol.tree.json_text.loads_json` (JS ``JSON.parse``: numbers as
JS numbers, any depth) back.  The codec adds nothing but the size limit, so it
stays byte-compatible with seroval and SolidStart.

Reading gives JS numbers: an integral number within ±(2**53 - 1) is an ``int``
and any other number a ``float``, so a tree holding the float ``1.0`` comes
back holding the int ``1``; both write as ``1``, which is what matters on the
wire.  (msgpack and CBOR keep the Python type as given.)
"""

from __future__ import annotations

from typing import Any, Final

from ..protocol.errors import (
    SerovalDepthLimitError,
    SerovalSerializationError,
    SerovalSyntaxError,
)
from ..protocol.tree.json_text import dumps_json, loads_json
from .base import DEFAULT_MAX_SIZE
from .errors import SerovalCodecEncodeError, SerovalCodecLimitError, SerovalCodecSyntaxError

__all__ = ["JsonCodec"]


class JsonCodec:
    """seroval's JSON text as UTF-8 bytes (``application/json``)."""

    __slots__ = ("max_size",)

    name: Final = "json"
    content_type: Final = "application/json"

    def __init__(self, *, max_size: int = DEFAULT_MAX_SIZE) -> None:
        if max_size < 0:
            raise ValueError("max_size must be at least 0")
        self.max_size = max_size

    def __repr__(self) -> str:
        return f"JsonCodec(max_size={self.max_size})"

    def encode(self, tree: Any) -> bytes:
        """``JSON.stringify(tree)`` as UTF-8; :class:`~seroval.SerovalError` if not JSON data."""
        try:
            return dumps_json(tree).encode("utf-8")
        except SerovalDepthLimitError:
            raise
        except SerovalSerializationError as error:
            raise SerovalCodecEncodeError(error.detail, codec=self.name).at(*error.path) from error

    def decode(self, data: bytes | bytearray | memoryview) -> Any:
        """``JSON.parse`` of UTF-8 ``data``; :class:`~seroval.SerovalSyntaxError` if not JSON."""
        if isinstance(data, memoryview):
            data = data.tobytes()
        if len(data) > self.max_size:
            raise SerovalCodecLimitError("payload", len(data), self.max_size, codec=self.name)
        try:
            return loads_json(data)
        except SerovalSyntaxError as error:
            raise SerovalCodecSyntaxError(
                error.detail,
                codec=self.name,
                line=error.line or 1,
                column=error.column or 1,
                offset=error.offset or 0,
            ) from error
