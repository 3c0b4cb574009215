"""The call sites of the native core: its inputs set up, its errors made the pure walkers'.

The Rust walkers take the pure walkers' own state (a :class:`Parser`'s refs tables and
``marked`` dict, a :class:`Deserializer`'s values), so that anything they hand back
to Python (a value or node outside the fast path) continues the same walk, with the
same ids.  Errors come out as the pure path raises them: the walker builds the
same error classes, fills in the same paths, and on failure the refs are rolled
back as :func:`~seroval.protocol.tree.parse.parse_top` does.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from ..collector import maybe_gc_paused
from ..errors import (
    SerovalDepthLimitError,
    SerovalError,
    SerovalParserError,
    SerovalSerializationError,
    wrap_foreign,
)
from ..model.nodes import Node, SpecialReference
from ..model.options import WriteOptions
from ..model.references import _BY_IDENTITY, WriteRefs
from ..model.values import JSMap, JSSet, hole, undefined
from .json_text import dumps_json
from .parse import SPECIAL_REFERENCE_MARKERS, Parser

__all__ = ["native_write"]


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
