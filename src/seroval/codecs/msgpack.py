"""The msgpack codec (msgpack-python, ``application/vnd.msgpack``).

The tree maps onto msgpack's own types: map with ``str`` keys, array, str, int,
float 64, bool, nil.  Two application ext types cover what JSON data has and
msgpack lacks (see :mod:`.binary` for why each is exact):

* ext **1**: a string holding lone surrogates, as its code points in UTF-8 with
  the surrogates included;
* ext **2**: an int outside the 64-bit range, as its ASCII decimal digits.

The ``binary`` profile adds msgpack ``bin`` for ArrayBuffer payloads.  Nothing
else is accepted: no other ext code (not even the timestamp, -1), no ``bin``
elsewhere, only ``str`` map keys; later duplicate keys win, as in ``JSON.parse``.

msgpack's C unpacker stops at 1,024 levels; deeper payloads (a 1,000-deep value
nests ~3,000 levels as nodes) are read again by a small iterative reader built
on the same :class:`msgpack.Unpacker`, which reads headers and scalars for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Final

from ..protocol.errors import SerovalDepthLimitError, SerovalError
from .binary import INTEGER_LIMIT, BinaryCodec, decode_wtf8
from .errors import SerovalCodecEncodeError

try:
    import msgpack as _msgpack
except ImportError:  # pragma: no cover - exercised only without the extra
    _msgpack = None

__all__ = ["EXT_INTEGER", "EXT_STRING", "MsgpackCodec"]

EXT_STRING: Final = 1
"""msgpack ext code of a string with lone surrogates (payload: its code points as UTF-8)."""

EXT_INTEGER: Final = 2
"""msgpack ext code of an integer beyond 64 bits (payload: ASCII decimal digits)."""

_DIGITS: Final = re.compile(rb"-?(?:0|[1-9][0-9]{0,400})")

# What each lead byte starts: fixmap/map16/map32, fixarray/array16/array32, or a scalar.
_SCALAR, _ARRAY, _MAP = 0, 1, 2
_KIND: Final = bytes(
    _MAP
    if 0x80 <= lead < 0x90 or lead in (0xDE, 0xDF)
    else _ARRAY
    if 0x90 <= lead < 0xA0 or lead in (0xDC, 0xDD)
    else _SCALAR
    for lead in range(256)
)


class MsgpackCodec(BinaryCodec):
    """msgpack for the node tree; ``profile="binary"`` sends ArrayBuffers as ``bin``."""

    __slots__ = ()

    format = "msgpack"
    media_type = "application/vnd.msgpack"

    def _setup(self) -> None:
        if _msgpack is None:
            raise ImportError("the msgpack codec needs msgpack: pip install 'seroval[msgpack]'")

    def _dumps(self, tree: Any) -> bytes:
        packed: bytes = _msgpack.packb(tree, default=_pack_default, use_bin_type=True)
        return packed

    def _array_header(self, length: int) -> bytes:
        return _header(False, length)

    def _map_header(self, length: int) -> bytes:
        return _header(True, length)

    def _wrap_string(self, data: bytes) -> Any:
        return _msgpack.ExtType(EXT_STRING, data)

    def _loads(self, data: bytes) -> Any:
        try:
            return _msgpack.unpackb(
                data, raw=False, strict_map_key=True, ext_hook=self._ext, use_list=True
            )
        except _msgpack.StackError:
            pass  # deeper than the C unpacker's stack: read it iteratively
        except _msgpack.ExtraData as error:
            raise self._error(
                "trailing bytes after the value", len(data) - len(error.extra)
            ) from None
        except (ValueError, TypeError, OverflowError) as error:
            raise self._error(_describe(error)) from None
        return self._loads_deep(data)

    def _ext(self, code: int, payload: bytes) -> Any:
        if code == EXT_STRING:
            return decode_wtf8(payload, self.name)
        if code == EXT_INTEGER:
            if _DIGITS.fullmatch(payload) is None:
                raise self._error("ext 2 does not hold a decimal integer")
            number = int(payload)
            if not -INTEGER_LIMIT < number < INTEGER_LIMIT:
                raise self._error("ext 2 holds an integer wider than 1024 bits")
            return number
        raise self._error(f"unsupported ext type {code}")

    def _loads_deep(self, data: bytes) -> Any:
        """Containers by their headers, scalars by ``unpack()``: as deep as ``max_depth``.

        Each step reads one item (for a map, its key and then its value) into
        the innermost open container.
        """
        unpacker = _msgpack.Unpacker(
            raw=False, strict_map_key=True, ext_hook=self._ext, max_buffer_size=len(data)
        )
        unpacker.feed(data)
        unpack, tell, size = unpacker.unpack, unpacker.tell, len(data)
        containers: list[Any] = []  # the open containers, innermost last
        counts: list[int] = []  # how many items each still expects
        root: Any = None
        key: Any = None
        try:
            while True:
                offset = tell()
                container = containers[-1] if containers else None
                into_map = type(container) is dict
                if into_map:
                    if offset < size and _KIND[data[offset]]:
                        raise self._error("a map key that is not a string", offset)
                    key = unpack()
                    if type(key) is not str:
                        raise self._error("a map key that is not a string", offset)
                    offset = tell()
                if offset >= size:
                    raise self._error("truncated input", offset)
                kind = _KIND[data[offset]]
                count = 0
                if kind == _SCALAR:
                    value = unpack()
                elif len(containers) >= self.max_depth:
                    raise SerovalDepthLimitError(
                        self.max_depth, step="deserialize", what="the tree's nesting"
                    )
                elif kind == _MAP:
                    value = {}
                    count = unpacker.read_map_header()
                else:
                    value = []
                    count = unpacker.read_array_header()
                if container is None:
                    root = value
                else:
                    if into_map:
                        container[key] = value
                    else:
                        container.append(value)
                    counts[-1] -= 1
                if count:
                    containers.append(value)
                    counts.append(count)
                while counts and not counts[-1]:
                    containers.pop()
                    counts.pop()
                if not containers:
                    break
        except SerovalError:
            raise
        except _msgpack.OutOfData:
            raise self._error("truncated input", tell()) from None
        except (ValueError, TypeError, OverflowError) as error:
            raise self._error(_describe(error), tell()) from None
        if tell() != size:
            raise self._error("trailing bytes after the value", tell())
        return root


@lru_cache(maxsize=256)
def _header(is_map: bool, length: int) -> bytes:
    """msgpack's own header for a map or array of ``length`` items."""
    packer = _msgpack.Packer()
    header: bytes = packer.pack_map_header(length) if is_map else packer.pack_array_header(length)
    return header


def _pack_default(value: Any) -> Any:
    """msgpack's hook for what it cannot pack natively: ints beyond 64 bits."""
    if isinstance(value, int):
        if not -INTEGER_LIMIT < value < INTEGER_LIMIT:
            raise SerovalCodecEncodeError(
                "an integer wider than 1024 bits cannot be encoded", codec="msgpack"
            )
        return _msgpack.ExtType(EXT_INTEGER, int.__repr__(value).encode("ascii"))
    raise TypeError(f"cannot pack {type(value).__name__}")


def _describe(error: Exception) -> str:
    text = str(error)
    if isinstance(error, _msgpack.OutOfData) or "incomplete input" in text:
        return "truncated input"
    return f"invalid msgpack ({type(error).__name__}: {text})" if text else "invalid msgpack"
