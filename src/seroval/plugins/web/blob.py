"""``Blob`` and ``File``: bytes with a type (and a name), and their plugins.

In JS a Blob's bytes can only be read asynchronously, so seroval-plugins writes
Blob and File in async mode only.  A Python :class:`Blob` holds its bytes, so our
plugins write it in every mode (sync, async and stream); the node is the same one
seroval's async mode makes, which any seroval reader takes, whatever mode wrote it.
As in seroval, :data:`~seroval.plugins.web.ALL` lists ``BlobPlugin`` before
``FilePlugin``, so with the whole list a File is written as a Blob (its name and
date are dropped); list ``FilePlugin`` alone, or first, to keep them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Final, TypeAlias

from ...protocol.model.plugins import PluginDeserializeContext, PluginSerializeContext
from ...protocol.model.values import undefined
from .. import validators as v
from ._base import WebPlugin, call_arguments, js_get, option
from .url import _usv

__all__ = ["Blob", "BlobPlugin", "File", "FilePlugin"]

BlobPart: TypeAlias = "bytes | bytearray | memoryview | str | Blob"


def _blob_type(text: str) -> str:
    """The File API's type rule: lowercase, or "" if any character is outside U+0020..U+007E."""
    return text.lower() if all(" " <= char <= "~" for char in text) else ""


def _join(parts: bytes | bytearray | memoryview | Iterable[BlobPart]) -> bytes:
    if isinstance(parts, (bytes, bytearray, memoryview)):
        return bytes(parts)
    if isinstance(parts, str):
        raise TypeError("Blob parts are a list; wrap a str in [...]")
    chunks: list[bytes] = []
    for part in parts:
        if isinstance(part, Blob):
            chunks.append(part.data)
        elif isinstance(part, str):
            chunks.append(_usv(part).encode("utf-8"))
        else:
            chunks.append(bytes(part))
    return b"".join(chunks)


class Blob:
    """Immutable bytes with a MIME type (JS ``Blob``); ``parts`` as for ``new Blob(parts)``."""

    __slots__ = ("_data", "_type")

    def __init__(
        self, parts: bytes | bytearray | memoryview | Iterable[BlobPart] = b"", *, type: str = ""
    ) -> None:
        self._data = _join(parts)
        self._type = _blob_type(str(type))

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def type(self) -> str:
        return self._type

    @property
    def size(self) -> int:
        return len(self._data)

    def text(self) -> str:
        """The bytes decoded as UTF-8, as JS ``blob.text()`` decodes them."""
        return self._data.decode("utf-8", "replace")

    def _key(self) -> tuple[Any, ...]:
        return (type(self), self._type, self._data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Blob) and other._key() == self._key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Blob({self._data!r}, type={self._type!r})"


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class File(Blob):
    """A named :class:`Blob` with a modification time in ms (JS ``File``; default: now)."""

    __slots__ = ("_last_modified", "_name")

    def __init__(
        self,
        parts: bytes | bytearray | memoryview | Iterable[BlobPart],
        name: str,
        *,
        type: str = "",
        last_modified: int | None = None,
    ) -> None:
        super().__init__(parts, type=type)
        self._name = _usv(str(name))
        self._last_modified = _now_ms() if last_modified is None else int(last_modified)

    @property
    def name(self) -> str:
        return self._name

    @property
    def last_modified(self) -> int:
        return self._last_modified

    def _key(self) -> tuple[Any, ...]:
        return (*super()._key(), self._name, self._last_modified)

    def __repr__(self) -> str:
        return (
            f"File({self.data!r}, {self._name!r}, type={self.type!r}, "
            f"last_modified={self._last_modified})"
        )


def _first_part(parts: Any) -> Any:
    """The buffer of ``[buffer]``, the parts list seroval-plugins writes."""
    return parts[0] if isinstance(parts, list) and len(parts) == 1 else undefined


def _blob_call(arguments: list[Any]) -> dict[str, Any]:
    parts, options = call_arguments(arguments, 2)
    return {"type": js_get(options, "type"), "buffer": _first_part(parts)}


def _file_call(arguments: list[Any]) -> dict[str, Any]:
    parts, name, options = call_arguments(arguments, 3)
    return {"name": name, "options": options, "buffer": _first_part(parts)}


def _long(value: Any) -> int:
    """WebIDL ``long long`` of a JS number (lastModified)."""
    if isinstance(value, (int, float)) and math.isfinite(value):
        return int(value)
    return 0


_FILE_OPTIONS: Final = v.object_of(
    {"type": v.optional(v.string), "lastModified": v.optional(v.number)}
)


class BlobPlugin(WebPlugin):
    """``seroval-plugins/web/Blob``: ``new Blob([buffer],{type})``."""

    tag = "seroval-plugins/web/Blob"
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "type": v.string,
        "buffer": v.instance_of(bytearray),
    }
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new Blob": _blob_call
    }

    def test(self, value: object) -> bool:
        return isinstance(value, Blob)

    def fields(self, value: Blob, mode: str) -> Mapping[str, Any]:
        return {"type": value.type, "buffer": bytearray(value.data)}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        buffer, kind = ctx.serialize(info["buffer"]), ctx.serialize(info["type"])
        return "new Blob([" + buffer + "],{type:" + kind + "})"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Blob:
        buffer = ctx.deserialize(info["buffer"])
        return Blob(buffer, type=ctx.deserialize(info["type"]))


class FilePlugin(WebPlugin):
    """``seroval-plugins/web/File``: ``new File([buffer],name,{type,lastModified})``."""

    tag = "seroval-plugins/web/File"
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "name": v.string,
        "options": _FILE_OPTIONS,
        "buffer": v.instance_of(bytearray),
    }
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new File": _file_call
    }

    def test(self, value: object) -> bool:
        return isinstance(value, File)

    def fields(self, value: File, mode: str) -> Mapping[str, Any]:
        options = {"type": value.type, "lastModified": value.last_modified}
        return {"name": value.name, "options": options, "buffer": bytearray(value.data)}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        buffer, name = ctx.serialize(info["buffer"]), ctx.serialize(info["name"])
        return "new File([" + buffer + "]," + name + "," + ctx.serialize(info["options"]) + ")"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> File:
        buffer = ctx.deserialize(info["buffer"])
        name = ctx.deserialize(info["name"])
        options = ctx.deserialize(info["options"])
        modified = option(options, "lastModified", None)
        return File(
            buffer,
            name,
            type=option(options, "type", ""),
            last_modified=None if modified is None else _long(modified),
        )
