"""The CBOR codec (cbor2 6.x, ``application/cbor``, RFC 8949).

The tree maps onto CBOR's own major types: map with text keys, array, text
string, integer, float 64 (cbor2 writes NaN and ±Infinity as half floats, which
decode to the same values), true/false/null.  Beyond that:

* an int outside 64 bits is a standard bignum (tags 2 and 3);
* a string with lone surrogates is tag :data:`TAG_STRING` over a byte string of
  its code points in UTF-8, surrogates included.  The number is ours, from the
  first-come-first-served range and not registered (no registered tag fits);
* the ``binary`` profile sends ArrayBuffer payloads as byte strings.

The decoder accepts nothing else: every tag cbor2 would turn into a Python
object (dates, sets, decimals, UUIDs, and the value-sharing and string-reference
tags that could build cycles) is refused, except the self-describe tag 55799,
which is dropped as RFC 8949 allows.  Duplicate map keys are refused (RFC 8949
makes such maps invalid), as are keys that are not text, ``undefined`` and other
simple values.  Indefinite-length items are accepted: they are well-formed CBOR.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any, Final

from ..protocol.errors import SerovalDepthLimitError, SerovalError
from .binary import INTEGER_LIMIT, BinaryCodec, decode_wtf8

try:
    import cbor2 as _cbor2
except ImportError:  # pragma: no cover - exercised only without the extra
    _cbor2 = None  # type: ignore[assignment]

__all__ = ["TAG_STRING", "CborCodec"]

TAG_STRING: Final = 0x53455256
"""CBOR tag of a string with lone surrogates (``"SERV"`` in ASCII); its content is a byte string."""

_SELF_DESCRIBE: Final = 55799

# Every tag cbor2 6.2 decodes natively (found by probing all tags below 70,000),
# so each can be refused or replaced: semantic_decoders overrides them.
_NATIVE_TAGS: Final = (
    *(0, 1, 2, 3, 4, 5, 25, 28, 29, 30, 35, 36, 37, 52, 54, 100),
    *(256, 258, 260, 261, 1004, 43000, _SELF_DESCRIBE),
)
_BIGNUM_BYTES: Final = 128  # 1024 bits


class CborCodec(BinaryCodec):
    """CBOR for the node tree; ``profile="binary"`` sends ArrayBuffers as byte strings."""

    __slots__ = ("_semantic",)

    format = "cbor"
    media_type = "application/cbor"
    _library_errors = (
        ValueError,
        TypeError,
        OverflowError,
        *((_cbor2.CBORError,) if _cbor2 is not None else ()),
    )

    def _setup(self) -> None:
        if _cbor2 is None:
            raise ImportError("the CBOR codec needs cbor2 6: pip install 'seroval[cbor]'")
        semantic: dict[int, Any] = dict.fromkeys(_NATIVE_TAGS, self._refuse_tag)
        semantic[2] = self._positive_bignum
        semantic[3] = self._negative_bignum
        semantic[_SELF_DESCRIBE] = _unwrapped
        self._semantic = semantic

    def _dumps(self, tree: Any) -> bytes:
        return _cbor2.dumps(tree)

    def _array_header(self, length: int) -> bytes:
        return _header(4, length)

    def _map_header(self, length: int) -> bytes:
        return _header(5, length)

    def _wrap_string(self, data: bytes) -> Any:
        return _cbor2.CBORTag(TAG_STRING, data)

    def _loads(self, data: bytes) -> Any:
        stream = io.BytesIO(data)
        decoder = _cbor2.CBORDecoder(
            stream,
            tag_hook=self._tag,
            semantic_decoders=self._semantic,
            str_errors="strict",
            # cbor2 counts every item, tags and scalars included (a scalar inside n
            # containers is at depth n, a tag's content one deeper), so give it two
            # levels of slack for our own tags and a self-describe tag; check_tree
            # then applies the exact limit on containers.
            max_depth=self.max_depth + 2,
            allow_indefinite=True,
            allow_duplicate_keys=False,
            strict_hashable_types=True,
        )
        try:
            tree = decoder.decode()
        except _cbor2.CBORDecodeError as error:
            raise self._translate(error) from None
        except (ValueError, TypeError, OverflowError, RecursionError) as error:
            raise self._error(f"invalid CBOR ({type(error).__name__}: {error})") from None
        if stream.tell() != len(data):
            raise self._error("trailing bytes after the value", stream.tell())
        return tree

    def _translate(self, error: BaseException) -> SerovalError:
        """cbor2 wraps what our hooks raise; hand back our error, or describe cbor2's."""
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, SerovalError):
                return cause
            cause = cause.__cause__ or cause.__context__
        text = str(error)
        if "nesting depth" in text:
            return SerovalDepthLimitError(
                self.max_depth, step="deserialize", what="the tree's nesting"
            )
        if isinstance(error, _cbor2.CBORDecodeEOF):
            return self._error("truncated input")
        return self._error(f"invalid CBOR ({text})")

    def _tag(self, tag: Any, immutable: bool) -> Any:
        if tag.tag == TAG_STRING and type(tag.value) is bytes:
            return decode_wtf8(tag.value, self.name)
        raise self._error(f"unsupported tag {tag.tag}")

    def _refuse_tag(self, value: Any, immutable: bool) -> Any:
        raise self._error("a tag that is not JSON data (date, set, shared value, …)")

    def _positive_bignum(self, value: Any, immutable: bool) -> int:
        return self._bignum(value, 1)

    def _negative_bignum(self, value: Any, immutable: bool) -> int:
        return self._bignum(value, -1)

    def _bignum(self, value: Any, sign: int) -> int:
        if type(value) is not bytes:
            raise self._error("a bignum whose content is not a byte string")
        if len(value) > _BIGNUM_BYTES:
            raise self._error("a bignum wider than 1024 bits")
        magnitude = int.from_bytes(value, "big")
        number = magnitude if sign > 0 else -1 - magnitude
        if not -INTEGER_LIMIT < number < INTEGER_LIMIT:
            raise self._error("a bignum wider than 1024 bits")
        return number


def _unwrapped(value: Any, immutable: bool) -> Any:
    return value


@lru_cache(maxsize=256)
def _header(major: int, length: int) -> bytes:
    """A CBOR head of ``major`` type with ``length``, as cbor2 writes it."""
    stream = io.BytesIO()
    _cbor2.CBOREncoder(stream).encode_length(major, length)
    return stream.getvalue()
