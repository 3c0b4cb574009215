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

from collections.abc import Iterable
from datetime import tzinfo
from typing import Any

from ..jstext.api import _levels
from ..jstext.writer import write_cross, write_vanilla
from ..model.nodes import Node
from ..model.options import DEFAULT_DEPTH_LIMIT, WriteOptions
from ..model.plugins import Plugin
from ..model.references import WriteRefs
from .async_parse import parse_async

__all__ = ["cross_serialize_async", "serialize_async", "to_cross_json_async", "to_json_async"]


async def to_json_async(
    value: object,
    *,
    disabled_features: int = 0,
    plugins: Iterable[Plugin] = (),
    depth_limit: int = DEFAULT_DEPTH_LIMIT,
    naive_timezone: tzinfo | None = None,
    include_tracebacks: bool = False,
) -> dict[str, Any]:
    """seroval's ``toJSONAsync``: the ``{"t", "f", "m"}`` envelope, async parts inlined."""
    options = WriteOptions(
        disabled_features=disabled_features,
        plugins=plugins,
        depth_limit=depth_limit,
        naive_timezone=naive_timezone,
        include_tracebacks=include_tracebacks,
    )
    root, parser = await parse_async(value, options)
    return {"t": root, "f": options.features, "m": list(parser.marked)}


async def to_cross_json_async(
    value: object,
    *,
    refs: WriteRefs | None = None,
    disabled_features: int = 0,
    plugins: Iterable[Plugin] = (),
    depth_limit: int = DEFAULT_DEPTH_LIMIT,
    naive_timezone: tzinfo | None = None,
    include_tracebacks: bool = False,
) -> Node:
    """seroval's ``toCrossJSONAsync``: the bare root node; ids continue across shared ``refs``."""
    options = WriteOptions(
        disabled_features=disabled_features,
        plugins=plugins,
        depth_limit=depth_limit,
        naive_timezone=naive_timezone,
        include_tracebacks=include_tracebacks,
    )
    root, _ = await parse_async(value, options, refs)
    return root


async def serialize_async(
    value: object,
    *,
    disabled_features: int = 0,
    plugins: Iterable[Plugin] = (),
    depth_limit: int = DEFAULT_DEPTH_LIMIT,
    naive_timezone: tzinfo | None = None,
    include_tracebacks: bool = False,
) -> str:
    """seroval's ``serializeAsync``: a self-contained JS expression, async parts inlined.

    A promise is written ``Promise.resolve(…)`` or ``Promise.reject(…)``; an async
    iterable or stream as the stream helper replaying its events.
    """
    options = WriteOptions(
        disabled_features=disabled_features,
        plugins=plugins,
        depth_limit=depth_limit,
        naive_timezone=naive_timezone,
        include_tracebacks=include_tracebacks,
    )
    root, parser = await parse_async(value, options)
    return write_vanilla(
        root,
        features=options.features,
        marked=parser.marked,
        plugins=options.plugins,
        levels=_levels(options.depth_limit),
    )


async def cross_serialize_async(
    value: object,
    *,
    refs: WriteRefs | None = None,
    scope_id: str | None = None,
    assign_shared_refs_only: bool = False,
    disabled_features: int = 0,
    plugins: Iterable[Plugin] = (),
    depth_limit: int = DEFAULT_DEPTH_LIMIT,
    naive_timezone: tzinfo | None = None,
    include_tracebacks: bool = False,
) -> str:
    """seroval's ``crossSerializeAsync``: ``$R[…]`` text with async parts inlined.

    The options are those of :func:`~seroval.protocol.jstext.api.cross_serialize`.
    """
    if scope_id is not None and not isinstance(scope_id, str):
        raise TypeError("scope_id must be a str")
    options = WriteOptions(
        disabled_features=disabled_features,
        plugins=plugins,
        depth_limit=depth_limit,
        naive_timezone=naive_timezone,
        include_tracebacks=include_tracebacks,
    )
    root, parser = await parse_async(value, options, refs)
    return write_cross(
        root,
        features=options.features,
        marked=parser.marked,
        plugins=options.plugins,
        scope_id=scope_id,
        assign_shared_refs_only=assign_shared_refs_only,
        levels=_levels(options.depth_limit),
    )
