"""The async API: ``serialize_async``, ``to_json_async`` and their cross-mode forms.

These mirror seroval's ``serializeAsync``, ``toJSONAsync``, ``crossSerializeAsync``
and ``toCrossJSONAsync``: they wait for every awaitable (coroutines, futures,
:class:`~seroval.protocol.model.values.JSPromise`), drain every async iterable, stream
and live stream in the value, and write the outcome inline, with exactly
seroval's ids::

    await serialize_async({"user": fetch_user()})        # '({user:Promise.resolve({...})})'
    await to_json_async(agen())                          # a stream node holding every item

They run under asyncio or trio.  Cancelling the caller cancels the waiting, and
closes the async generators that were being drained.
"""

from __future__ import annotations

from typing import Any, Unpack

from ..collector import maybe_gc_paused
from ..jstext.api import _levels
from ..jstext.writer import write_cross, write_vanilla
from ..model.nodes import Node
from ..model.options import WriteKeywords, WriteOptions
from ..model.references import WriteRefs
from .async_parse import parse_async

__all__ = [
    "cross_serialize_async",
    "cross_serialize_async_with",
    "serialize_async",
    "serialize_async_with",
    "to_cross_json_async",
    "to_cross_json_async_with",
    "to_json_async",
    "to_json_async_with",
]


async def to_json_async_with(options: WriteOptions, value: object) -> dict[str, Any]:
    """:func:`to_json_async` with options built once."""
    root, parser = await parse_async(value, options)
    return {"t": root, "f": options.features, "m": list(parser.marked)}


async def to_cross_json_async_with(
    options: WriteOptions, value: object, *, refs: WriteRefs | None = None
) -> Node:
    """:func:`to_cross_json_async` with options built once."""
    root, _ = await parse_async(value, options, refs)
    return root


async def serialize_async_with(options: WriteOptions, value: object) -> str:
    """:func:`serialize_async` with options built once."""
    root, parser = await parse_async(value, options)
    with maybe_gc_paused(options.pause_gc):
        return write_vanilla(
            root,
            features=options.features,
            marked=parser.marked,
            plugins=options.plugins,
            levels=_levels(options.depth_limit),
        )


async def cross_serialize_async_with(
    options: WriteOptions,
    value: object,
    *,
    refs: WriteRefs | None = None,
    scope_id: str | None = None,
    assign_shared_refs_only: bool = False,
) -> str:
    """:func:`cross_serialize_async` with options built once."""
    if scope_id is not None and not isinstance(scope_id, str):
        raise TypeError("scope_id must be a str")
    root, parser = await parse_async(value, options, refs)
    with maybe_gc_paused(options.pause_gc):
        return write_cross(
            root,
            features=options.features,
            marked=parser.marked,
            plugins=options.plugins,
            scope_id=scope_id,
            assign_shared_refs_only=assign_shared_refs_only,
            levels=_levels(options.depth_limit),
        )


async def to_json_async(value: object, **options: Unpack[WriteKeywords]) -> dict[str, Any]:
    """seroval's ``toJSONAsync``: the ``{"t", "f", "m"}`` envelope, async parts inlined.

    The options are those of :func:`~seroval.to_json`.  Raises
    :class:`~seroval.SerovalSerializationError` when a value (or what an awaitable
    settles to) cannot be written; a rejection is written, not raised.
    """
    return await to_json_async_with(WriteOptions(**options), value)


async def to_cross_json_async(
    value: object, *, refs: WriteRefs | None = None, **options: Unpack[WriteKeywords]
) -> Node:
    """seroval's ``toCrossJSONAsync``: the bare root node; ids continue across shared ``refs``.

    Raises as :func:`to_json_async` does.
    """
    return await to_cross_json_async_with(WriteOptions(**options), value, refs=refs)


async def serialize_async(value: object, **options: Unpack[WriteKeywords]) -> str:
    """seroval's ``serializeAsync``: a self-contained JS expression, async parts inlined.

    A promise is written ``Promise.resolve(…)`` or ``Promise.reject(…)``; an async
    iterable or stream as the stream helper replaying its events.  Raises as
    :func:`to_json_async` does.
    """
    return await serialize_async_with(WriteOptions(**options), value)


async def cross_serialize_async(
    value: object,
    *,
    refs: WriteRefs | None = None,
    scope_id: str | None = None,
    assign_shared_refs_only: bool = False,
    **options: Unpack[WriteKeywords],
) -> str:
    """seroval's ``crossSerializeAsync``: ``$R[…]`` text with async parts inlined.

    The options are those of :func:`~seroval.cross_serialize`.  Raises as
    :func:`to_json_async` does.
    """
    return await cross_serialize_async_with(
        WriteOptions(**options),
        value,
        refs=refs,
        scope_id=scope_id,
        assign_shared_refs_only=assign_shared_refs_only,
    )
