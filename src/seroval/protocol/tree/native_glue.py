"""The call sites of the native core: its inputs set up, its errors made the pure walkers'.

The Rust walkers take the pure walkers' own state (a :class:`Parser`'s refs tables and
``marked`` dict, a :class:`Deserializer`'s values), so that anything they hand back
to Python (a value or node outside the fast path) continues the same walk, with the
same ids.  Errors come out as the pure path raises them: the walker builds the
same error classes, fills in the same paths, and on failure the refs are rolled
back as :func:`~seroval.protocol.tree.parse.parse_top` does.
"""

from __future__ import annotations

from datetime import UTC
from types import ModuleType
from typing import Any, Final

from ..collector import maybe_gc_paused
from ..errors import (
    SerovalDepthLimitError,
    SerovalDeserializationError,
    SerovalError,
    SerovalParserError,
    SerovalSerializationError,
    wrap_foreign,
)
from ..model.containers import js_key
from ..model.dates import date_from_iso
from ..model.features import enabled_features
from ..model.nodes import Node, SpecialReference
from ..model.options import ReadOptions, WriteOptions
from ..model.references import _BY_IDENTITY, ReadRefs, WriteRefs
from ..model.sequence import JSSequence
from ..model.values import JSMap, JSSet, hole, undefined
from . import backend
from .deserialize import Deserializer
from .json_text import dumps_json
from .parse import SPECIAL_REFERENCE_MARKERS, Parser
from .read_base import INTERNAL_RECORDS, MAX_REGEXP_PROPERTY_ESCAPES
from .read_rules import SPECIAL_MAP_SENTINEL, SPECIAL_RECORDS
from .read_values import CONSTANT_VALUES

__all__ = ["NOT_HANDLED", "native_read", "native_write", "read_top"]


def _parse_depth_error(limit: int) -> SerovalError:
    return SerovalDepthLimitError(limit, step="parse")


_writers: dict[int, Any] = {}


def _writer(native: ModuleType) -> Any:
    """The native Writer for ``native``, built once (it holds the types it compares with)."""
    writer = _writers.get(id(native))
    if writer is None:
        writer = native.Writer(
            undefined,
            hole,
            JSSet,
            JSMap,
            SPECIAL_REFERENCE_MARKERS[SpecialReference.MAP_SENTINEL],
            _BY_IDENTITY,
            _parse_depth_error,
            SerovalSerializationError,
        )
        _writers[id(native)] = writer
    return writer


def native_write(
    native: ModuleType,
    options: WriteOptions,
    value: object,
    refs: WriteRefs | None,
    *,
    envelope: bool,
) -> str:
    """The JSON text of ``value`` (the envelope, or the bare cross node) by the native walker."""
    parser = Parser(options, refs)
    table = parser.refs
    size = len(table)

    def fallback(item: object, depth: int) -> Node:
        parser.budget.start(depth)
        return parser.parse(item, depth)

    features = options.features if envelope else None
    plugins = 0 if not parser.plugins else (2 if parser.plain_plugins else 1)
    try:
        with maybe_gc_paused(options.pause_gc):
            text: str = _writer(native).write(
                value,
                table._ids,
                table._values,
                parser.marked,
                options.depth_limit,
                fallback,
                dumps_json,
                features,
                plugins,
            )
    except SerovalError:
        table.rollback(size)
        raise
    except RecursionError:
        table.rollback(size)
        raise SerovalParserError(
            "the value nests deeper than Python's recursion limit allows"
        ) from None
    except Exception as error:
        table.rollback(size)
        raise wrap_foreign(error, "parse", "a value being serialized") from error
    return text


def _read_depth_error(limit: int) -> SerovalError:
    return SerovalDepthLimitError(limit, step="deserialize", what="the node tree")


_readers: dict[int, Any] = {}

#: What the native reader returns when the pure path must read the whole input.
NOT_HANDLED: Final = object()


def _reader(native: ModuleType) -> Any:
    """The native Reader for ``native``, built once."""
    reader = _readers.get(id(native))
    if reader is None:
        reader = native.Reader(
            list(CONSTANT_VALUES),
            hole,
            JSSet,
            JSMap,
            UTC,
            date_from_iso,
            _read_depth_error,
            SerovalDeserializationError,
            NOT_HANDLED,
            SPECIAL_RECORDS[SPECIAL_MAP_SENTINEL],
            [*INTERNAL_RECORDS, JSSequence],
            js_key,
        )
        _readers[id(native)] = reader
    return reader


def native_read(
    native: ModuleType,
    options: ReadOptions,
    text: str | bytes | bytearray,
    *,
    envelope: bool,
    refs: ReadRefs | None = None,
    features: int | None = None,
) -> Any:
    """``from_json(loads_json(text))`` (or the cross form) by the native walker.

    ``begin`` makes the :class:`Deserializer` whose state the native reader shares
    (and whose ``read`` it calls for nodes outside its fast path): in vanilla mode
    once the envelope's ``f`` and ``m`` are known, in cross mode at once (its
    ``values`` are the shared refs).  Text or envelopes the native reader does not
    take (a syntax error, a lone surrogate escape, a 64-bit overflow, an odd ``f``
    or ``m``) give :data:`NOT_HANDLED`: the caller reads them by the pure path,
    which also raises the precise error.
    """

    state: list[Deserializer] = []

    def begin(found_features: int | None, marked: list[int] | None) -> tuple[Any, Any]:
        if envelope:
            assert found_features is not None
            assert marked is not None
            reader = Deserializer(
                options,
                found_features & ~options.disabled_features,
                marked=frozenset(marked),
            )
        else:
            enabled = (
                features if features is not None else enabled_features(options.disabled_features)
            )
            reader = Deserializer(options, enabled, refs=refs)

        reader.strict = True  # input: the strictness rules apply (read_rules.py)

        def fallback(node: object, depth: int) -> Any:
            reader.budget.start(depth)
            return reader.read(node, depth)

        state.append(reader)
        return reader, fallback

    core = _reader(native)
    try:
        with maybe_gc_paused(options.pause_gc):
            value = core.read(text, options.depth_limit, begin, envelope)
            if value is not NOT_HANDLED and state:
                _check_unwritten(state[-1])
    except SerovalError as error:
        if envelope:
            error.at("t")
        raise
    except RecursionError:
        too_deep = _read_depth_error(options.depth_limit)
        if envelope:
            too_deep.at("t")
        raise too_deep from None
    except Exception as error:
        wrapped = wrap_foreign(error, "deserialize", "reading a node")
        if envelope:
            wrapped.at("t")
        raise wrapped from error
    return value


def _check_unwritten(reader: Deserializer) -> None:
    """What :meth:`Deserializer.read_top` checks once the whole tree is read."""
    if reader.unresolved and reader.marked is not None:
        reader.check_unwritten()


def read_top(reader: Deserializer, node: object) -> Any:
    """``reader.read_top(node)`` for a node tree in memory, by the native walker where
    the core is active and the tree is plain JSON data (see ``native/src/tree.rs``)."""
    native = backend.native_module()
    if native is None:
        return reader.read_top(node)
    reader.regexp_escapes = MAX_REGEXP_PROPERTY_ESCAPES
    reader.strict = True  # input: the strictness rules apply (read_rules.py)

    def fallback(item: object, depth: int) -> Any:
        reader.budget.start(depth)
        return reader.read(item, depth)

    try:
        value = _reader(native).read_tree(node, reader.depth_limit, reader, fallback)
        if value is not NOT_HANDLED:
            _check_unwritten(reader)
    except SerovalError:
        raise
    except RecursionError:
        raise _read_depth_error(reader.depth_limit) from None
    except Exception as error:
        raise wrap_foreign(error, "deserialize", "reading a node") from error
    if value is NOT_HANDLED:  # not plain JSON data: the pure reader reads the original
        return reader.read_top(node)
    return value
