"""The formats the command line reads and writes, and how they convert.

Everything converts through the node tree, as the library does: a *document* is a
vanilla envelope ``{"t", "f", "m"}`` or a list of cross-mode node records (a single
value is one record; a stream is several).  JS text is the only format read through
values (by the safe reader, never by eval), because JS text is code, not a tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from ..codecs import FrameReader, encode_frame, get_codec
from ..protocol.jstext.api import compile_json, serialize_cross_node
from ..protocol.jstext.reader import CrossDeserializer, deserialize
from ..protocol.model.features import ALL_FEATURES
from ..protocol.model.nodes import (
    T_INDEXED_VALUE,
    T_MAP,
    T_STREAM_CONSTRUCTOR,
    T_STREAM_NEXT,
    T_STREAM_RETURN,
    T_STREAM_THROW,
    Node,
)
from ..protocol.model.plugins import Plugin
from ..protocol.model.references import ReadRefs
from ..protocol.model.strings import escape_string
from ..protocol.tree.api import from_cross_json, from_json, to_json
from ..protocol.tree.json_text import dumps_json, loads_json

__all__ = ["FORMATS", "Document", "Format", "UsageError", "read_document", "write_document"]


class UsageError(Exception):
    """A request the command cannot carry out (wrong format pairing, binary to a terminal)."""


@dataclass
class Document:
    """A payload as nodes: a vanilla envelope, or cross-mode records in order."""

    envelope: dict[str, Any] | None = None
    records: list[Node] | None = None
    features: int = ALL_FEATURES

    @classmethod
    def vanilla(cls, envelope: dict[str, Any]) -> Document:
        features = envelope.get("f", ALL_FEATURES)
        return cls(envelope=envelope, features=features if isinstance(features, int) else 127)

    def as_envelope(self) -> dict[str, Any]:
        """The vanilla envelope; one cross record becomes one (same ids, marks recomputed)."""
        if self.envelope is not None:
            return self.envelope
        assert self.records is not None
        if len(self.records) != 1:
            raise UsageError(
                f"a stream of {len(self.records)} records has no single vanilla form;"
                " write it as cross-json, framed or framed-json"
            )
        root = self.records[0]
        return {"t": root, "f": self.features, "m": marked_ids(root)}

    def as_records(self) -> list[Node]:
        """The cross-mode records; a vanilla envelope is one record with the same ids."""
        if self.records is not None:
            return self.records
        assert self.envelope is not None
        return [self.envelope["t"]]

    def value(self, plugins: tuple[Plugin, ...] = ()) -> Any:
        """The Python value (for a stream: the root, after every record was read)."""
        if self.envelope is not None:
            return from_json(self.envelope, plugins=plugins)
        refs = ReadRefs()
        records = self.as_records()
        root = from_cross_json(records[0], refs=refs, plugins=plugins, features=self.features)
        for record in records[1:]:
            from_cross_json(record, refs=refs, plugins=plugins, features=self.features)
        return root


def marked_ids(root: Node) -> list[int]:
    """The ids a parser marks for this tree, in the order it marks them.

    An id is marked the first time a reference to it appears, and a stream's id when
    its first event appears.  A pre-order walk meets them in that order, provided it
    visits children in the order the parser made them: a Map's sentinel (``f``)
    and a stream's helper (``f``) come before their entries and events, and a
    record's keys and values alternate (``k[0]``, ``v[0]``, ``k[1]``, ...).
    """
    marked: dict[int, None] = {}
    todo: list[Any] = [root]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            kind = item.get("t")
            if kind in (
                T_INDEXED_VALUE,
                T_STREAM_NEXT,
                T_STREAM_THROW,
                T_STREAM_RETURN,
            ) and isinstance(item.get("i"), int):
                marked.setdefault(item["i"], None)
            if isinstance(item.get("k"), list) and isinstance(item.get("v"), list):
                pairs = zip(item["k"], item["v"], strict=False)
                todo.extend(reversed([child for pair in pairs for child in pair]))
                continue
            children = list(item.values())
            if kind in (T_MAP, T_STREAM_CONSTRUCTOR) and "f" in item:
                children.remove(item["f"])
                children.insert(0, item["f"])
            todo.extend(reversed(children))
        elif isinstance(item, list):
            todo.extend(reversed(item))
    return list(marked)


Reader = Callable[[bytes, tuple[Plugin, ...], int], Document]
Writer = Callable[[Document, tuple[Plugin, ...]], bytes]


@dataclass(frozen=True)
class Format:
    """A wire format: its name, whether it is bytes or text, and what it holds."""

    name: str
    binary: bool
    description: str
    read: Reader
    write: Writer


def _text(data: bytes) -> str:
    # JS strings may hold lone surrogates, which seroval writes raw; on disk and on
    # pipes they travel as WTF-8 (UTF-8 that lets surrogates through).
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError as error:
        raise UsageError(f"the input is not UTF-8 text (byte {error.start})") from None


_SURROGATES: Final = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")


def _utf8_escape(match: re.Match[str]) -> str:
    pair = match.group()
    if len(pair) == 2:  # a pair read from WTF-8 input: the character it encodes
        return chr(0x10000 + ((ord(pair[0]) - 0xD800) << 10) + ord(pair[1]) - 0xDC00)
    return f"\\u{ord(pair):04X}"


def utf8_text(text: str) -> bytes:
    """Strict UTF-8 for JS or JSON text that may hold lone surrogates.

    A JS string may hold a lone surrogate, which seroval writes raw and UTF-8 cannot
    carry.  Every lone surrogate in seroval's text sits inside a string literal (or
    a RegExp), where the escape ``\\uD800`` means the same code unit, so the output
    is valid UTF-8 that JS and our readers read as the same value.
    """
    if not _SURROGATES.search(text):
        return text.encode("utf-8")
    return _SURROGATES.sub(_utf8_escape, text).encode("utf-8")


def utf8_js(text: str) -> bytes:
    """:func:`utf8_text` for seroval's JS text, keeping every RegExp's source exact.

    In a string literal ``\\uD800`` is the same code unit; in a RegExp literal it
    would change ``.source``, so a RegExp holding a lone surrogate is written as
    ``new RegExp("...","flags")`` (seroval's own form for a source with ``<``),
    whose string gives the source back unchanged.  seroval's text has no comments
    or other quotes, and divides only in ``0/0``, ``1/0`` and ``-1/0``, so a ``/``
    after anything but a digit starts a RegExp.
    """
    if not _SURROGATES.search(text):
        return text.encode("utf-8")
    out: list[str] = []
    pos = 0
    size = len(text)
    while pos < size:
        char = text[pos]
        if char == '"':
            end = _string_end(text, pos)
            out.append(_SURROGATES.sub(_utf8_escape, text[pos:end]))
            pos = end
        elif char == "/" and not (pos and text[pos - 1].isdigit()):
            end, flags_end = _regexp_end(text, pos)
            source = text[pos + 1 : end]
            if _SURROGATES.search(source):
                quoted = _SURROGATES.sub(_utf8_escape, escape_string(source))
                out.append(f'new RegExp("{quoted}","{text[end + 1 : flags_end]}")')
            else:
                out.append(text[pos:flags_end])
            pos = flags_end
        else:
            out.append(char)
            pos += 1
    return "".join(out).encode("utf-8")


def _string_end(text: str, start: int) -> int:
    pos = start + 1
    while pos < len(text) and text[pos] != '"':
        pos += 2 if text[pos] == "\\" else 1
    return pos + 1


def _regexp_end(text: str, start: int) -> tuple[int, int]:
    """The offsets of a RegExp literal's closing ``/`` and of the end of its flags."""
    pos = start + 1
    in_class = False
    while pos < len(text) and (text[pos] != "/" or in_class):
        if text[pos] == "\\":
            pos += 1
        elif text[pos] == "[":
            in_class = True
        elif text[pos] == "]":
            in_class = False
        pos += 1
    flags_end = pos + 1
    while flags_end < len(text) and text[flags_end].isalpha():
        flags_end += 1
    return pos, flags_end


def _encode_text(text: str) -> bytes:
    return utf8_js(text)


def _read_json(data: bytes, plugins: tuple[Plugin, ...], features: int) -> Document:
    tree = loads_json(data)
    if not isinstance(tree, dict) or "t" not in tree:
        raise UsageError('JSON input must be a to_json envelope {"t", "f", "m"}')
    if isinstance(tree["t"], int):  # a bare cross node, not an envelope
        return Document(records=[tree])
    return Document.vanilla(tree)


def _write_json(document: Document, plugins: tuple[Plugin, ...]) -> bytes:
    return (dumps_json(document.as_envelope()) + "\n").encode("utf-8")


def _read_cross_json(data: bytes, plugins: tuple[Plugin, ...], features: int) -> Document:
    records = [loads_json(line) for line in _text(data).splitlines() if line.strip()]
    if not records:
        raise UsageError("no cross-json records in the input")
    return Document(records=records)


def _write_cross_json(document: Document, plugins: tuple[Plugin, ...]) -> bytes:
    return "".join(dumps_json(record) + "\n" for record in document.as_records()).encode("utf-8")


def _read_js(data: bytes, plugins: tuple[Plugin, ...], features: int) -> Document:
    disabled = ALL_FEATURES ^ features
    value = deserialize(_text(data).strip(), plugins=plugins, disabled_features=disabled)
    return Document.vanilla(to_json(value, plugins=plugins, disabled_features=disabled))


def _write_js(document: Document, plugins: tuple[Plugin, ...]) -> bytes:
    return _encode_text(compile_json(document.as_envelope(), plugins=plugins) + "\n")


def _chunks_to_document(chunks: list[str], plugins: tuple[Plugin, ...], features: int) -> Document:
    if len(chunks) != 1:
        raise UsageError(
            "JS chunks are code, not node records: only a single chunk converts"
            f" (this stream has {len(chunks)}); use decode or inspect to read it"
        )
    disabled = ALL_FEATURES ^ features
    value = CrossDeserializer(plugins=plugins, disabled_features=disabled).feed(chunks[0])
    return Document.vanilla(to_json(value, plugins=plugins, disabled_features=disabled))


def _write_js_chunks(document: Document, plugins: tuple[Plugin, ...]) -> list[str]:
    marked: dict[Any, None] = {}
    chunks = []
    for record in document.as_records():
        marked.update(dict.fromkeys(marked_ids(record)))
        chunks.append(
            serialize_cross_node(record, marked=marked, features=document.features, plugins=plugins)
        )
    return chunks


def _read_cross_js(data: bytes, plugins: tuple[Plugin, ...], features: int) -> Document:
    return _chunks_to_document([_text(data).strip()], plugins, features)


def _write_cross_js(document: Document, plugins: tuple[Plugin, ...]) -> bytes:
    chunks = _write_js_chunks(document, plugins)
    if len(chunks) != 1:
        raise UsageError("a stream of chunks needs a framed format (framed)")
    return _encode_text(chunks[0] + "\n")


def _frames(data: bytes) -> list[bytes]:
    reader = FrameReader()
    frames = reader.feed(data)
    reader.close()
    return frames


def _read_framed(data: bytes, plugins: tuple[Plugin, ...], features: int) -> Document:
    return _chunks_to_document([_text(frame) for frame in _frames(data)], plugins, features)


def _write_framed(document: Document, plugins: tuple[Plugin, ...]) -> bytes:
    chunks = _write_js_chunks(document, plugins)
    return b"".join(encode_frame(_encode_text(chunk)) for chunk in chunks)


def _framed_codec(name: str) -> tuple[Reader, Writer]:
    def read(data: bytes, plugins: tuple[Plugin, ...], features: int) -> Document:
        codec = get_codec(name)
        return Document(records=[codec.decode(frame) for frame in _frames(data)])

    def write(document: Document, plugins: tuple[Plugin, ...]) -> bytes:
        codec = get_codec(name)
        return b"".join(encode_frame(codec.encode(record)) for record in document.as_records())

    return read, write


def _codec(name: str) -> tuple[Reader, Writer]:
    def read(data: bytes, plugins: tuple[Plugin, ...], features: int) -> Document:
        tree = get_codec(name).decode(data)
        if not isinstance(tree, dict) or "t" not in tree:
            raise UsageError(f"{name} input must hold a to_json envelope")
        return Document.vanilla(tree)

    def write(document: Document, plugins: tuple[Plugin, ...]) -> bytes:
        return get_codec(name).encode(document.as_envelope())

    return read, write


def _format(name: str, binary: bool, description: str, pair: tuple[Any, Any]) -> Format:
    return Format(name, binary, description, pair[0], pair[1])


FORMATS: Final[dict[str, Format]] = {
    f.name: f
    for f in (
        _format("json", False, "seroval JSON: the toJSON envelope", (_read_json, _write_json)),
        _format(
            "cross-json",
            False,
            "toCrossJSON node records, one JSON object per line (a stream is several)",
            (_read_cross_json, _write_cross_json),
        ),
        _format("js", False, "seroval's serialize JS text", (_read_js, _write_js)),
        _format(
            "cross-js",
            False,
            "crossSerialize JS text (one chunk)",
            (_read_cross_js, _write_cross_js),
        ),
        _format(
            "framed",
            True,
            "crossSerialize JS chunks in SolidStart's ;0x%08x; framing",
            (_read_framed, _write_framed),
        ),
        _format("framed-json", True, "cross node records, JSON, framed", _framed_codec("json")),
        _format(
            "framed-msgpack", True, "cross node records, msgpack, framed", _framed_codec("msgpack")
        ),
        _format("framed-cbor", True, "cross node records, CBOR, framed", _framed_codec("cbor")),
        _format("msgpack", True, "the toJSON envelope as msgpack", _codec("msgpack")),
        _format("cbor", True, "the toJSON envelope as CBOR", _codec("cbor")),
    )
}


_MSGPACK_MAPS: Final = frozenset(range(0x80, 0x90)) | {0xDE, 0xDF}
_CBOR_MAPS: Final = frozenset(range(0xA0, 0xC0)) | {0xD9}  # 0xD9: the self-describe tag


def sniff(data: bytes) -> str:
    """Guess the format of ``data``: the formats differ in their first bytes."""
    if data.startswith(b";0x"):  # SolidStart framing: look at what the first frame holds
        first = data[12:13]
        if first and first[0] in _MSGPACK_MAPS:
            return "framed-msgpack"
        if first and first[0] in _CBOR_MAPS:
            return "framed-cbor"
        if data[12:17] == b'{"t":':
            return "framed-json"
        return "framed"
    if data[:1] and data[0] in _MSGPACK_MAPS:
        return "msgpack"
    if data[:1] and data[0] in _CBOR_MAPS:
        return "cbor"
    text = data.lstrip()
    if text.startswith(b'{"t":{'):
        return "json"
    if text.startswith(b'{"t":'):
        return "cross-json"
    if text[:1] in (b"{", b"[", b'"') or not text:
        raise UsageError(
            "this does not look like a seroval payload (plain JSON?); use `seroval encode`"
            " to encode a value, or pass --from"
        )
    if b"$R" in text[:4096]:
        return "cross-js"
    return "js"


def read_document(
    data: bytes, format_name: str, plugins: tuple[Plugin, ...], features: int = ALL_FEATURES
) -> Document:
    """Read ``data`` in ``format_name`` ("auto" guesses it).

    ``features`` applies to formats that do not carry them (cross records and JS).
    """
    name = sniff(data) if format_name == "auto" else format_name
    try:
        form = FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}") from None
    document = form.read(data, plugins, features)
    if document.envelope is None:
        document.features = features
    return document


def write_document(document: Document, format_name: str, plugins: tuple[Plugin, ...]) -> bytes:
    """Write ``document`` in ``format_name``."""
    try:
        form = FORMATS[format_name]
    except KeyError:
        raise UsageError(f"unknown format {format_name!r}") from None
    return form.write(document, plugins)
