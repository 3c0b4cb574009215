"""The node-tree API: ``to_json`` / ``from_json`` and the cross-reference forms.

``to_json`` returns seroval's envelope ``{"t": root, "f": features, "m": marked}``
as plain Python data; :func:`~seroval.protocol.tree.json_text.dumps_json` turns it into
the exact text JS ``JSON.stringify`` gives.  The cross forms return and take the
bare root node and share ``refs`` across calls, so later payloads can point at
values sent earlier.

Each function has a ``*_with`` twin taking an options object built once (what
:class:`seroval.Serializer` and :class:`seroval.Deserializer` call); the keyword
forms build one per call.  The readers hand the tree to
:func:`~seroval.protocol.tree.native_glue.read_top`, which is
``Deserializer.read_top`` unless the native core is active.
"""

from __future__ import annotations

from typing import Any, Unpack

from ..collector import maybe_gc_paused
from ..errors import SerovalError
from ..model.features import enabled_features
from ..model.nodes import Node
from ..model.options import ReadKeywords, ReadOptions, WriteKeywords, WriteOptions
from ..model.plain import to_plain
from ..model.references import ReadRefs, WriteRefs
from .deserialize import Deserializer, check_envelope, read_features, read_marked
from .native_glue import read_top
from .parse import Parser, parse_top

__all__ = [
    "from_cross_json",
    "from_cross_json_with",
    "from_json",
    "from_json_with",
    "to_cross_json",
    "to_cross_json_with",
    "to_json",
    "to_json_with",
]


def to_json_with(options: WriteOptions, value: object) -> dict[str, Any]:
    """:func:`to_json` with options built once."""
    parser = Parser(options)
    with maybe_gc_paused(options.pause_gc):
        root = parse_top(parser, value)
    return {"t": root, "f": options.features, "m": list(parser.marked)}


def to_cross_json_with(
    options: WriteOptions, value: object, *, refs: WriteRefs | None = None
) -> Node:
    """:func:`to_cross_json` with options built once."""
    with maybe_gc_paused(options.pause_gc):
        return parse_top(Parser(options, refs), value)


def from_json_with(options: ReadOptions, envelope: object) -> Any:
    """:func:`from_json` with options built once."""
    checked = check_envelope(envelope)
    features = read_features(checked, options.disabled_features)
    marked = read_marked(checked)
    reader = Deserializer(options, features, marked=marked)
    try:
        with maybe_gc_paused(options.pause_gc):
            value = read_top(reader, checked["t"])
    except SerovalError as error:
        error.at("t")
        raise
    return to_plain(value) if options.plain else value


def from_cross_json_with(
    options: ReadOptions,
    node: object,
    *,
    refs: ReadRefs | None = None,
    features: int | None = None,
) -> Any:
    """:func:`from_cross_json` with options built once."""
    enabled = features if features is not None else enabled_features(options.disabled_features)
    reader = Deserializer(options, enabled, refs=refs)
    with maybe_gc_paused(options.pause_gc):
        value = read_top(reader, node)
    return to_plain(value) if options.plain and refs is None else value


def to_json(value: object, **options: Unpack[WriteKeywords]) -> dict[str, Any]:
    """seroval's ``toJSON``: the ``{"t", "f", "m"}`` envelope for ``value``.

    The options are :class:`~seroval.protocol.model.options.WriteOptions`'
    (``plugins``, ``disabled_features``, ``depth_limit``, ``naive_timezone``,
    ``include_tracebacks``, ``pause_gc``).

    Raises :class:`~seroval.SerovalSerializationError` (a
    :class:`~seroval.SerovalParserError`) when the value cannot be written, with
    :attr:`~seroval.SerovalError.path` saying where in the value.
    """
    return to_json_with(WriteOptions(**options), value)


def to_cross_json(
    value: object, *, refs: WriteRefs | None = None, **options: Unpack[WriteKeywords]
) -> Node:
    """seroval's ``toCrossJSON``: the bare root node; ids continue across calls sharing ``refs``.

    Raises as :func:`to_json` does.
    """
    return to_cross_json_with(WriteOptions(**options), value, refs=refs)


def from_json(envelope: object, **options: Unpack[ReadKeywords]) -> Any:
    """seroval's ``fromJSON``: the value described by a ``to_json`` envelope.

    Features are ``(envelope["f"] or 127) & ~disabled_features``; only ids listed in
    ``envelope["m"]`` are registered for references, as in seroval.  The options
    are :class:`~seroval.protocol.model.options.ReadOptions` (``plugins``,
    ``disabled_features``, ``depth_limit``, ``max_base64_length``, ``pause_gc``).

    Raises :class:`~seroval.SerovalDeserializationError` (a subclass naming the
    problem, with :attr:`~seroval.SerovalError.path` in the tree) for any bad input,
    and nothing else.
    """
    return from_json_with(ReadOptions(**options), envelope)


def from_cross_json(
    node: object,
    *,
    refs: ReadRefs | None = None,
    features: int | None = None,
    **options: Unpack[ReadKeywords],
) -> Any:
    """seroval's ``fromCrossJSON``: read a bare node, registering every id in ``refs``.

    Pass the same ``refs`` to successive calls to resolve references between them.
    ``features`` overrides the enabled-feature mask (default: all but
    ``disabled_features``).  Raises as :func:`from_json` does.
    """
    return from_cross_json_with(ReadOptions(**options), node, refs=refs, features=features)
