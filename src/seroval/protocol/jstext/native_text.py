"""``serialize``, ``cross_serialize`` and ``deserialize`` by the native core, where it can.

The Rust walker (``native/src/jswrite.rs``) parses and writes in one pass for the
plain types (``None``, ``bool``, numbers, ``str``, lists, ``str``-keyed dicts,
sets, Maps and aware datetimes), shared and cyclic ones included, with the ids
the pure :class:`~seroval.protocol.tree.parse.Parser` would give; with plugins,
only those no plugin could take.  For anything else (other types, an ancestor
inside a Map, any error) it gives
``None``; the refs it took are rolled back and the caller runs the pure path,
which is the reference and raises the precise error.

``deserialize`` likewise (``native/src/jsread.rs``): the Rust reader takes the
spelling ``serialize`` gives those plain values and gives up on anything else,
and the pure reader (which reads seroval's whole output language and applies its
safety rules) reads what it gives up on.
"""

from __future__ import annotations

from typing import Any

from ..collector import maybe_gc_paused
from ..model.options import ReadOptions, WriteOptions
from ..model.plain import to_plain
from ..model.references import WriteRefs
from ..model.strings import escape_string
from ..tree import backend
from ..tree.native_glue import NOT_HANDLED, _reader, _writer
from ..tree.parse import Parser

__all__ = ["NOT_HANDLED", "native_deserialize", "native_serialize"]


def native_serialize(
    options: WriteOptions,
    value: object,
    *,
    cross: bool = False,
    refs: WriteRefs | None = None,
    scope_id: str | None = None,
    assign_shared_refs_only: bool = False,
) -> str | None:
    """The JS text of ``value`` by the native walker, or ``None`` (the pure path writes it).

    Raises nothing of its own: every failure is ``None``.
    """
    native = backend.native_module()
    if native is None:
        return None
    parser = Parser(options, refs)
    plugins = 0 if not parser.plugins else (2 if parser.plain_plugins else 1)
    table = parser.refs
    size = len(table)
    scope = None if scope_id is None else escape_string(scope_id)
    with maybe_gc_paused(options.pause_gc):
        text: str | None = _writer(native).write_js(
            value,
            table._ids,
            table._values,
            parser.marked,
            options.depth_limit,
            cross,
            cross and not assign_shared_refs_only,
            scope,
            plugins,
        )
    if text is None:
        table.rollback(size)
    return text


def native_deserialize(options: ReadOptions, text: str) -> Any:
    """``deserialize(text)`` by the native reader, or :data:`NOT_HANDLED` (the pure
    reader reads it).  Raises nothing of its own."""
    native = backend.native_module()
    # Plugins are reached only through calls in the text, which the native reader
    # never takes: it reads the same with or without them.
    if native is None or type(text) is not str:
        return NOT_HANDLED
    with maybe_gc_paused(options.pause_gc):
        value = _reader(native).read_js(text, options.depth_limit)
    if value is NOT_HANDLED:
        return NOT_HANDLED
    return to_plain(value) if options.plain else value
