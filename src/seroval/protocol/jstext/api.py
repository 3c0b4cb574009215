"""The JS text API: ``serialize``, ``cross_serialize``, ``compile_json`` and the ``$R`` header.

These mirror seroval's functions of the same names (snake_cased).  Each parses the
value into nodes exactly as ``to_json`` does and hands the tree, with the ids the
parser marked, to the writer in :mod:`.writer`, so the text equals seroval's
byte for byte::

    serialize({"a": [1, 2]})            # '({a:[1,2]})'
    cross_serialize({"a": [1, 2]})      # '($R[0]={a:$R[1]=[1,2]})'
    get_cross_reference_header()        # 'self.$R=self.$R||[]'

The text is JavaScript meant to be evaluated by a JS engine (a browser), for
example inside a ``<script>``: ``<`` is always escaped as ``\\x3C``.  Only ever
evaluate text you produced yourself.

``serialize`` and ``cross_serialize`` have ``*_with`` twins taking a
:class:`~seroval.protocol.model.options.WriteOptions` built once (what
:class:`seroval.Serializer` calls); the keyword forms build one per call.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Unpack

from ..collector import maybe_gc_paused
from ..errors import SerovalSerializationError
from ..model.features import ALL_FEATURES
from ..model.nodes import Node
from ..model.options import WriteKeywords, WriteOptions
from ..model.plugins import Plugin, resolve_plugins
from ..model.references import WriteRefs
from ..model.strings import escape_string
from ..tree.parse import Parser, parse_top
from .native_text import native_serialize
from .writer import WRITE_DEPTH, write_cross, write_vanilla

__all__ = [
    "compile_json",
    "cross_serialize",
    "cross_serialize_with",
    "get_cross_reference_header",
    "serialize",
    "serialize_cross_node",
    "serialize_with",
]


def _levels(depth_limit: int) -> int:
    """The writer's nesting bound for a tree the parser built under ``depth_limit``.

    Nodes can nest a little deeper than values (an iterable's factory instance and
    sequence add two levels per value level), hence the doubling.
    """
    return 2 * depth_limit + 64


def serialize_with(options: WriteOptions, value: object) -> str:
    """:func:`serialize` with options built once.

    Raises :class:`~seroval.SerovalSerializationError`: a
    :class:`~seroval.SerovalParserError` (with :attr:`~seroval.SerovalError.path`)
    for a value that cannot be turned into nodes, the base class (or a subclass
    naming the problem) when a plugin's text cannot be written.
    """
    text = native_serialize(options, value)
    if text is not None:
        return text
    parser = Parser(options)
    with maybe_gc_paused(options.pause_gc):  # one pause over both passes
        root = parse_top(parser, value)
        return write_vanilla(
            root,
            features=options.features,
            marked=parser.marked,
            plugins=options.plugins,
            levels=_levels(options.depth_limit),
        )


def cross_serialize_with(
    options: WriteOptions,
    value: object,
    *,
    refs: WriteRefs | None = None,
    scope_id: str | None = None,
    assign_shared_refs_only: bool = False,
) -> str:
    """:func:`cross_serialize` with options built once.

    Raises as :func:`serialize_with` does, and :class:`TypeError` for a
    ``scope_id`` that is not a ``str``.
    """
    if scope_id is not None and not isinstance(scope_id, str):
        raise TypeError("scope_id must be a str")
    text = native_serialize(
        options,
        value,
        cross=True,
        refs=refs,
        scope_id=scope_id,
        assign_shared_refs_only=assign_shared_refs_only,
    )
    if text is not None:
        return text
    parser = Parser(options, refs)
    with maybe_gc_paused(options.pause_gc):
        root = parse_top(parser, value)
        return write_cross(
            root,
            features=options.features,
            marked=parser.marked,
            plugins=options.plugins,
            scope_id=scope_id,
            assign_shared_refs_only=assign_shared_refs_only,
            levels=_levels(options.depth_limit),
        )


def serialize(value: object, **options: Unpack[WriteKeywords]) -> str:
    """seroval's ``serialize``: a self-contained JS expression that rebuilds ``value``.

    Shared and cyclic values become parameters of an IIFE, ``((h,j)=>…)()``.
    The options are those of :func:`~seroval.to_json` (``plugins``,
    ``disabled_features``, ``depth_limit``, ``naive_timezone``,
    ``include_tracebacks``, ``pause_gc``).

    Raises :class:`~seroval.SerovalSerializationError` (a
    :class:`~seroval.SerovalParserError` with :attr:`~seroval.SerovalError.path`
    when the value cannot be written), as :func:`serialize_with` does.
    """
    return serialize_with(WriteOptions(**options), value)


def cross_serialize(
    value: object,
    *,
    refs: WriteRefs | None = None,
    scope_id: str | None = None,
    assign_shared_refs_only: bool = False,
    **options: Unpack[WriteKeywords],
) -> str:
    """seroval's ``crossSerialize``: JS text that stores its values in the page's ``$R``.

    Every node with an id is written ``$R[id]=…`` (only shared and cyclic ones with
    ``assign_shared_refs_only``).  Pass one ``refs`` to successive calls and later
    outputs refer to values sent earlier by id.  With ``scope_id`` the text reads
    and writes ``$R["scope_id"]`` instead (see :func:`get_cross_reference_header`).

    Raises as :func:`cross_serialize_with` does.
    """
    return cross_serialize_with(
        WriteOptions(**options),
        value,
        refs=refs,
        scope_id=scope_id,
        assign_shared_refs_only=assign_shared_refs_only,
    )


def serialize_cross_node(
    node: Node,
    *,
    marked: dict[Any, None],
    features: int = ALL_FEATURES,
    plugins: Iterable[Plugin] = (),
    scope_id: str | None = None,
    assign_shared_refs_only: bool = False,
) -> str:
    """One node (a root or a streamed chunk) as cross-mode JS text.

    ``marked`` is the parser's marked-id table; it is updated in place, as seroval
    does, so pass the same table for every chunk of one stream.  Raises
    :class:`~seroval.SerovalSerializationError` (or a subclass naming the problem)
    for a node that cannot be written.
    """
    return write_cross(
        node,
        features=features,
        marked=marked,
        plugins=resolve_plugins(plugins),
        scope_id=scope_id,
        assign_shared_refs_only=assign_shared_refs_only,
    )


def compile_json(envelope: dict[str, Any], *, plugins: Iterable[Plugin] = ()) -> str:
    """seroval's ``compileJSON``: the text ``serialize`` gives, from a ``to_json`` envelope.

    It uses the envelope's ``f`` (enabled features) and ``m`` (marked ids) as they
    are: as in seroval, a missing ``f`` means no features.  A missing ``m`` is
    taken as empty (seroval would fail on it).

    Raises :class:`~seroval.SerovalSerializationError` (or a subclass naming the
    problem) for an envelope or node tree that cannot be written.
    """
    if type(envelope) is not dict or "t" not in envelope:
        raise SerovalSerializationError("compile_json needs a to_json envelope {t, f, m}")
    features = envelope.get("f", 0)
    marked = envelope.get("m", [])
    if not isinstance(features, int) or isinstance(features, bool) or type(marked) is not list:
        raise SerovalSerializationError("the envelope's f must be an int and its m a list")
    try:
        table = dict.fromkeys(marked)
    except TypeError:
        raise SerovalSerializationError("the envelope's m must list node ids") from None
    return write_vanilla(
        envelope["t"],
        features=int(features),
        marked=table,
        plugins=resolve_plugins(plugins),
        levels=WRITE_DEPTH,
    )


def get_cross_reference_header(scope_id: str | None = None) -> str:
    """The script that creates ``$R`` (or the ``scope_id`` slot); run it before cross output.

    Raises nothing (``scope_id`` is written as a JS string literal, escaped).
    """
    if scope_id is None:
        return "self.$R=self.$R||[]"
    return '(self.$R=self.$R||{})["' + escape_string(scope_id) + '"]=[]'
