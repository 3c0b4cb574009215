"""Finding a codec by name or by content type, and registering new ones.

Content types name the codec by their media type and choose the layout with a
``profile`` parameter (``canonical`` when absent, or ``binary``), so
``application/vnd.msgpack`` and ``application/vnd.msgpack; profile=binary``
are two codecs.  A ``framing=seroval`` parameter says the body is a stream of
``;0x%08x;`` frames (see :mod:`.framing`) rather than one payload; it does not
change the codec, so :meth:`CodecRegistry.for_content_type` ignores it and
:class:`MediaType` reports it.  Other parameters (``charset=utf-8``) are
ignored.

The built-in codecs are created on first use, so a missing optional library
(msgpack, cbor2) only matters to whoever asks for that codec.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Final

from .base import PROFILES, Codec
from .cbor import CborCodec
from .errors import SerovalUnknownCodecError
from .json import JsonCodec
from .msgpack import MsgpackCodec

__all__ = [
    "CodecRegistry",
    "MediaType",
    "codec_for_content_type",
    "default_registry",
    "get_codec",
    "register_codec",
]

FRAMING_SEROVAL: Final = "seroval"

_TOKEN: Final = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE: Final = re.compile(rf"\s*({_TOKEN}/{_TOKEN})\s*")
_PARAMETER: Final = re.compile(rf';\s*({_TOKEN})\s*=\s*({_TOKEN}|"(?:[^"\\]|\\.)*")\s*', re.DOTALL)


@dataclass(frozen=True, slots=True)
class MediaType:
    """A parsed content type: the lowercased ``essence`` and its parameters.

    Parameter names are lowercased and quoted values unquoted (RFC 9110).
    """

    essence: str
    parameters: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> MediaType:
        """Parse ``type/subtype; name=value; …``; :class:`SerovalUnknownCodecError` if malformed."""
        match = _MEDIA_TYPE.match(text)
        if match is None:
            raise SerovalUnknownCodecError(f"not a content type: {text!r}")
        parameters: dict[str, str] = {}
        position = match.end()
        while position < len(text):
            found = _PARAMETER.match(text, position)
            if found is None:
                raise SerovalUnknownCodecError(f"bad parameters in content type {text!r}")
            value = found.group(2)
            if value.startswith('"'):
                value = re.sub(r"\\(.)", r"\1", value[1:-1], flags=re.DOTALL)
            parameters[found.group(1).lower()] = value
            position = found.end()
        return cls(match.group(1).lower(), parameters)

    @property
    def profile(self) -> str:
        """The ``profile`` parameter, ``canonical`` when absent."""
        return self.parameters.get("profile", "canonical").lower()

    @property
    def framed(self) -> bool:
        """Whether the body is a stream of ``;0x%08x;`` frames (``framing=seroval``)."""
        return self.parameters.get("framing", "").lower() == FRAMING_SEROVAL

    def __str__(self) -> str:
        return "".join([self.essence, *(f"; {k}={v}" for k, v in self.parameters.items())])


CodecFactory = Callable[[], Codec]


class CodecRegistry:
    """Codecs by name and by (media type, profile); thread-safe.

    :meth:`register` takes a codec, or a factory called once on first lookup
    (give ``name`` and ``content_type`` then, since there is no codec to ask).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codecs: dict[str, Codec] = {}
        self._factories: dict[str, CodecFactory] = {}
        self._by_type: dict[tuple[str, str], str] = {}

    def register(
        self,
        codec: Codec | CodecFactory,
        *,
        name: str | None = None,
        content_type: str | None = None,
        aliases: Iterable[str] = (),
        replace: bool = False,
    ) -> None:
        """Register ``codec`` under its name, its content type and any alias media types.

        Refuses to shadow an existing name or content type unless ``replace`` is true.
        """
        is_codec = not isinstance(codec, type) and isinstance(codec, Codec)
        if is_codec:
            name = name or codec.name  # type: ignore[union-attr]
            content_type = content_type or codec.content_type  # type: ignore[union-attr]
        if not name or not content_type:
            raise ValueError("a codec factory needs a name and a content type")
        primary = MediaType.parse(content_type)
        keys = [(primary.essence, primary.profile)]
        keys += [(MediaType.parse(alias).essence, primary.profile) for alias in aliases]
        with self._lock:
            if not replace:
                known = name in self._codecs or name in self._factories
                taken = [f"name {name!r}"] if known else []
                taken += [f"{t}; profile={p}" for t, p in keys if (t, p) in self._by_type]
                if taken:
                    raise ValueError(f"already registered: {', '.join(taken)}")
            self._codecs.pop(name, None)
            self._factories.pop(name, None)
            if is_codec:
                self._codecs[name] = codec  # type: ignore[assignment]
            else:
                self._factories[name] = codec  # type: ignore[assignment]
            for key in keys:
                self._by_type[key] = name

    def get(self, name: str) -> Codec:
        """The codec registered as ``name``."""
        codec = self._codecs.get(name)
        if codec is not None:
            return codec
        with self._lock:
            codec = self._codecs.get(name)
            if codec is None:
                factory = self._factories.get(name)
                if factory is None:
                    known = ", ".join(sorted({*self._codecs, *self._factories}))
                    raise SerovalUnknownCodecError(f"no codec named {name!r} (known: {known})")
                codec = self._codecs[name] = factory()
                del self._factories[name]
            return codec

    def for_content_type(self, content_type: str | MediaType) -> Codec:
        """The codec for a ``Content-Type`` or ``Accept`` entry; ``profile`` picks the layout."""
        media = (
            content_type if isinstance(content_type, MediaType) else MediaType.parse(content_type)
        )
        with self._lock:
            name = self._by_type.get((media.essence, media.profile))
        if name is None:
            raise SerovalUnknownCodecError(f"no codec for content type {str(media)!r}")
        return self.get(name)

    def names(self) -> list[str]:
        """Registered names, sorted."""
        with self._lock:
            return sorted({*self._codecs, *self._factories})

    def content_types(self) -> list[str]:
        """Registered media types with their profile, e.g. ``application/cbor; profile=binary``."""
        with self._lock:
            keys = sorted(self._by_type)
        return [t if p == "canonical" else f"{t}; profile={p}" for t, p in keys]


def _builtin_registry() -> CodecRegistry:
    registry = CodecRegistry()
    registry.register(JsonCodec())
    msgpack_aliases = ("application/msgpack", "application/x-msgpack")
    for profile in PROFILES:
        suffix = "" if profile == "canonical" else "-binary"
        parameter = "" if profile == "canonical" else "; profile=binary"
        registry.register(
            partial(MsgpackCodec, profile=profile),
            name="msgpack" + suffix,
            content_type="application/vnd.msgpack" + parameter,
            aliases=msgpack_aliases,
        )
        registry.register(
            partial(CborCodec, profile=profile),
            name="cbor" + suffix,
            content_type="application/cbor" + parameter,
        )
    return registry


default_registry: Final = _builtin_registry()
"""The registry the module-level functions use: json, msgpack, cbor and their binary profiles."""


def register_codec(
    codec: Codec | CodecFactory,
    *,
    name: str | None = None,
    content_type: str | None = None,
    aliases: Iterable[str] = (),
    replace: bool = False,
) -> None:
    """Add a codec to :data:`default_registry` (see :meth:`CodecRegistry.register`)."""
    default_registry.register(
        codec, name=name, content_type=content_type, aliases=aliases, replace=replace
    )


def get_codec(name: str) -> Codec:
    """A codec from :data:`default_registry` by name: ``json``, ``msgpack``, ``cbor-binary``…

    Raises :class:`~seroval.SerovalUnknownCodecError` (also a ``LookupError``) for a
    name nothing is registered under.
    """
    return default_registry.get(name)


def codec_for_content_type(content_type: str | MediaType) -> Codec:
    """A codec from :data:`default_registry` by content type.

    Raises :class:`~seroval.SerovalUnknownCodecError` (also a ``LookupError``) for a
    content type no codec is registered for.
    """
    return default_registry.for_content_type(content_type)
