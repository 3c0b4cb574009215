"""What the msgpack and CBOR codecs share: checks, limits, profiles, fallbacks.

Both carry the JSON tree unchanged: the same one-letter keys, the same
(already JS-escaped) strings, ints as ints and floats as 64-bit floats, so a
float stays a float (``1.0`` is not ``1``), and ``-0.0``, ``NaN`` and
``±Infinity`` survive if a hostile tree holds them.  Only three things need a
codec-specific form, each chosen so the decoded tree is identical:

* a string with a lone surrogate (legal in JS, not encodable as UTF-8) is
  wrapped in a msgpack ext / CBOR tag holding its code points as UTF-8 with the
  surrogates included (Python's ``surrogatepass``);
* an int outside 64 bits: msgpack ext (decimal digits) or CBOR bignum;
* in the opt-in ``binary`` profile, the base64 ``s`` of an ArrayBuffer node
  (``t: 19``) travels as raw bytes, but only when re-encoding the bytes gives
  back exactly that string (seroval's canonical padded base64); otherwise it
  stays a string.

Encoding checks the tree first (:func:`~.model.check_tree`), so a Python-only
value never reaches the library, and the depth is known before the library
recurses.  Decoding checks the library's output the same way, so nothing but
JSON data reaches the node reader.
"""

from __future__ import annotations

import base64
import binascii
from abc import ABC, abstractmethod
from functools import partial
from typing import Any, ClassVar, Final

from ..protocol.errors import SerovalError
from ..protocol.model.nodes import T_ARRAY_BUFFER
from .base import DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, PROFILES, Profile
from .errors import SerovalCodecDecodeError, SerovalCodecEncodeError, SerovalCodecLimitError
from .model import check_tree, map_tree, replace_dicts
from .nested import NATIVE_DEPTH, write_nested

__all__ = ["INTEGER_LIMIT", "BinaryCodec", "decode_wtf8", "encode_wtf8"]

INTEGER_LIMIT: Final = 2**1024
"""Integers must lie strictly between ``-INTEGER_LIMIT`` and ``INTEGER_LIMIT`` to be decoded.

No JS number is that large (``Number.MAX_VALUE`` < 2**1024), and the bound keeps
a hostile bignum from costing quadratic time when it is later printed.
"""


class BinaryCodec(ABC):
    """A codec over a binary format library; subclasses supply the library calls."""

    __slots__ = ("max_depth", "max_size", "profile")

    format: ClassVar[str]
    """The format's short name; the codec's :attr:`name` adds a non-default profile."""
    media_type: ClassVar[str]
    _library_errors: ClassVar[tuple[type[Exception], ...]] = (ValueError, TypeError, OverflowError)

    def __init__(
        self,
        *,
        profile: Profile = "canonical",
        max_depth: int = DEFAULT_MAX_DEPTH,
        max_size: int = DEFAULT_MAX_SIZE,
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; expected one of {PROFILES}")
        if max_depth < 1 or max_size < 0:
            raise ValueError("max_depth must be at least 1 and max_size at least 0")
        self.profile: Profile = profile
        self.max_depth = max_depth
        self.max_size = max_size
        self._setup()

    @abstractmethod
    def _setup(self) -> None:
        """Check that the library is installed and prepare per-codec state."""

    @property
    def name(self) -> str:
        """``msgpack`` or ``cbor``, with ``-binary`` for the binary profile."""
        return self.format if self.profile == "canonical" else f"{self.format}-{self.profile}"

    @property
    def content_type(self) -> str:
        """The media type, with ``; profile=binary`` for the binary profile."""
        if self.profile == "canonical":
            return self.media_type
        return f"{self.media_type}; profile={self.profile}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(profile={self.profile!r}, "
            f"max_depth={self.max_depth}, max_size={self.max_size})"
        )

    # -- encoding ------------------------------------------------------------------

    def encode(self, tree: Any) -> bytes:
        """The bytes for ``tree``; :class:`~seroval.SerovalError` (serialize) if not JSON data."""
        depth = check_tree(
            tree, max_depth=self.max_depth, other=partial(_encodable, self.name), step="serialize"
        )
        if self.profile == "binary":
            tree = replace_dicts(tree, _raw_buffer)
        try:
            return self._write(tree, depth)
        except UnicodeEncodeError:
            pass  # a lone surrogate somewhere: wrap those strings and write again
        return self._write(map_tree(tree, self._wrap_if_surrogate), depth)

    def _write(self, tree: Any, depth: int) -> bytes:
        try:
            if depth <= NATIVE_DEPTH:
                return self._dumps(tree)
            return write_nested(
                tree,
                pack=self._dumps,
                array_header=self._array_header,
                map_header=self._map_header,
            )
        except (UnicodeEncodeError, SerovalError):
            raise
        except self._library_errors as error:
            raise SerovalCodecEncodeError(
                f"could not encode the tree: {error}", codec=self.name
            ) from error

    def _wrap_if_surrogate(self, text: str) -> Any:
        if text.isascii():
            return text
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return self._wrap_string(encode_wtf8(text))
        return text

    @abstractmethod
    def _dumps(self, tree: Any) -> bytes:
        """The library's encoding of a tree at most ``NATIVE_DEPTH`` deep."""

    @abstractmethod
    def _array_header(self, length: int) -> bytes:
        """The bytes that start an array of ``length`` items."""

    @abstractmethod
    def _map_header(self, length: int) -> bytes:
        """The bytes that start a map of ``length`` pairs."""

    @abstractmethod
    def _wrap_string(self, data: bytes) -> Any:
        """The library value (ext, tag) that carries a string with lone surrogates."""

    # -- decoding ------------------------------------------------------------------

    def decode(self, data: bytes | bytearray | memoryview) -> Any:
        """The tree in ``data``; only :class:`~seroval.SerovalError` subclasses on bad input."""
        if not isinstance(data, bytes):
            data = bytes(data)
        if len(data) > self.max_size:
            raise SerovalCodecLimitError("payload", len(data), self.max_size, codec=self.name)
        tree = self._loads(data)
        check_tree(tree, max_depth=self.max_depth, other=self._decoded, step="deserialize")
        return tree

    def _decoded(self, container: Any, key: Any, value: Any) -> bool:
        """Accept a ``binary``-profile buffer (converting it back to base64); refuse the rest."""
        if (
            self.profile == "binary"
            and key == "s"
            and type(value) is bytes
            and type(container.get("t")) is int
            and container["t"] == T_ARRAY_BUFFER
        ):
            container["s"] = base64.b64encode(value).decode("ascii")
            return False
        what = "a map key of type" if key is None and container is not None else "a value of type"
        raise SerovalCodecDecodeError(
            f"{what} {type(value).__name__} is not JSON data", codec=self.name
        )

    @abstractmethod
    def _loads(self, data: bytes) -> Any:
        """The library's decoding of exactly one item filling ``data``, errors mapped to ours."""

    def _error(self, message: str, offset: int | None = None) -> SerovalCodecDecodeError:
        return SerovalCodecDecodeError(message, codec=self.name, offset=offset)


def _encodable(codec: str, container: Any, key: Any, value: Any) -> bool:
    """Admit what the JSON codec admits: containers and scalars, subclasses included."""
    if key is None and container is not None:
        if isinstance(value, str):
            return False
        raise SerovalCodecEncodeError(
            f"not JSON data: a dict key of type {type(value).__name__}", codec=codec
        )
    if isinstance(value, (dict, list, tuple)):
        return True
    if isinstance(value, (str, int, float)):
        return False
    raise SerovalCodecEncodeError(
        f"not JSON data: a value of type {type(value).__name__}", codec=codec
    )


def _raw_buffer(node: dict[Any, Any]) -> dict[Any, Any] | None:
    """A copy of an ArrayBuffer node with its base64 ``s`` as raw bytes, when that is exact."""
    text = node.get("s")
    if type(text) is not str or type(node.get("t")) is not int or node["t"] != T_ARRAY_BUFFER:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    if base64.b64encode(raw).decode("ascii") != text:
        return None
    return {**node, "s": raw}


def encode_wtf8(text: str) -> bytes:
    """A string's code points as UTF-8, lone surrogates included (three bytes each)."""
    return text.encode("utf-8", "surrogatepass")


def decode_wtf8(data: bytes, codec: str) -> str:
    """The inverse of :func:`encode_wtf8`; malformed bytes are a :class:`SerovalCodecError`."""
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError as error:
        raise SerovalCodecDecodeError(
            f"bad string with lone surrogates: {error.reason}", codec=codec
        ) from None
