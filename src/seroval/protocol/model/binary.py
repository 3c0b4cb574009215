"""Typed arrays and DataViews over shared ``bytearray`` buffers, as JS shares ArrayBuffers."""

from __future__ import annotations

import struct
from collections.abc import (
    Iterable,
)
from typing import Any, TypeVar

from .nodes import (
    BIGINT_TYPED_ARRAYS,
    TYPED_ARRAY_KINDS,
)

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class JSTypedArray:
    """A JS typed array: a view of ``length`` elements on ``buffer`` from ``byte_offset``.

    ``buffer`` is a ``bytearray`` standing for the JS ArrayBuffer; views that share a
    buffer share the ``bytearray`` object, so the sharing survives a round trip.
    Elements are little-endian, as on every platform JS runs on in practice.
    """

    __slots__ = ("buffer", "byte_offset", "kind", "length")

    def __init__(
        self, kind: str, buffer: bytearray, byte_offset: int = 0, length: int | None = None
    ):
        if kind not in TYPED_ARRAY_KINDS:
            raise ValueError(f"unknown typed array kind {kind!r}")
        size = TYPED_ARRAY_KINDS[kind][0]
        if not isinstance(buffer, bytearray):
            raise TypeError("a typed array's buffer must be a bytearray")
        if byte_offset < 0 or byte_offset % size or byte_offset > len(buffer):
            raise ValueError(f"invalid byte offset {byte_offset} for {kind}")
        if length is None:
            if (len(buffer) - byte_offset) % size:
                raise ValueError(f"buffer length is not a multiple of {size}")
            length = (len(buffer) - byte_offset) // size
        if length < 0 or byte_offset + length * size > len(buffer):
            raise ValueError(f"{kind} of length {length} does not fit its buffer")
        self.kind = kind
        self.buffer = buffer
        self.byte_offset = byte_offset
        self.length = length

    @classmethod
    def of(cls, kind: str, values: Iterable[float]) -> JSTypedArray:
        """Pack ``values`` into a new buffer, like ``new Float64Array([...])``."""
        items = list(values)
        size, fmt = TYPED_ARRAY_KINDS[kind]
        code = fmt[-1]
        if kind == "Uint8ClampedArray":
            items = [min(255, max(0, round(v))) for v in items]
        elif code not in "fd":
            bits = size * 8
            items = [int(v) % (1 << bits) for v in items]
            if code.islower():
                items = [v - (1 << bits) if v >= 1 << (bits - 1) else v for v in items]
        data = struct.pack("<" + code * len(items), *items)
        return cls(kind, bytearray(data), 0, len(items))

    @property
    def byte_length(self) -> int:
        return self.length * TYPED_ARRAY_KINDS[self.kind][0]

    @property
    def is_bigint(self) -> bool:
        return self.kind in BIGINT_TYPED_ARRAYS

    def tobytes(self) -> bytes:
        """The bytes this view covers."""
        return bytes(self.buffer[self.byte_offset : self.byte_offset + self.byte_length])

    def __bytes__(self) -> bytes:
        """``bytes(view)``: the bytes this view covers (a copy)."""
        return self.tobytes()

    def __buffer__(self, flags: int) -> memoryview:
        """The buffer protocol (Python 3.12+): ``memoryview(view)`` shares the bytes."""
        return memoryview(self.buffer)[self.byte_offset : self.byte_offset + self.byte_length]

    def tolist(self) -> list[Any]:
        """The elements as Python numbers (ints for integer and BigInt kinds)."""
        code = TYPED_ARRAY_KINDS[self.kind][1][-1]
        return list(struct.unpack("<" + code * self.length, self.tobytes()))

    def __len__(self) -> int:
        return self.length

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSTypedArray):
            return NotImplemented
        return self.kind == other.kind and self.tobytes() == other.tobytes()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSTypedArray({self.kind!r}, {self.tolist()!r})"


class JSDataView:
    """A JS ``DataView`` of ``byte_length`` bytes on ``buffer`` from ``byte_offset``."""

    __slots__ = ("buffer", "byte_length", "byte_offset")

    def __init__(self, buffer: bytearray, byte_offset: int = 0, byte_length: int | None = None):
        if not isinstance(buffer, bytearray):
            raise TypeError("a DataView's buffer must be a bytearray")
        if byte_offset < 0 or byte_offset > len(buffer):
            raise ValueError(f"invalid byte offset {byte_offset}")
        if byte_length is None:
            byte_length = len(buffer) - byte_offset
        if byte_length < 0 or byte_offset + byte_length > len(buffer):
            raise ValueError(f"DataView of {byte_length} bytes does not fit its buffer")
        self.buffer = buffer
        self.byte_offset = byte_offset
        self.byte_length = byte_length

    def tobytes(self) -> bytes:
        return bytes(self.buffer[self.byte_offset : self.byte_offset + self.byte_length])

    def __bytes__(self) -> bytes:
        """``bytes(view)``: the bytes this view covers (a copy)."""
        return self.tobytes()

    def __buffer__(self, flags: int) -> memoryview:
        """The buffer protocol (Python 3.12+): ``memoryview(view)`` shares the bytes."""
        return memoryview(self.buffer)[self.byte_offset : self.byte_offset + self.byte_length]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSDataView):
            return NotImplemented
        return self.tobytes() == other.tobytes()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSDataView({self.tobytes()!r})"
