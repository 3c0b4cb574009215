"""The streaming API: ``cross_serialize_stream`` and ``to_cross_json_stream``.

These are seroval's ``crossSerializeStream`` and ``toCrossJSONStream``: the value
goes out at once, with placeholders for its promises, async iterables, streams
and live streams, and each later settlement follows as one more chunk (a JS
expression) or node record, in settlement order, with exactly seroval's ids::

    async with cross_serialize_stream(page_data, scope_id="app") as chunks:
        html_head += f"<script>{chunks.initial}</script>"   # ready without awaiting
        async for chunk in chunks:                           # the first one again, then the rest
            ...

The returned :class:`~seroval.protocol.aio.stream_parse.ChunkStream` is used inside
``async with`` (it owns the tasks that follow the async parts, so they never
outlive it); leaving the block early, or ``destroy()``, cancels them.  A slow
consumer slows the async iterables and live streams down: each is pulled only as
fast as its chunks are taken.

The callback forms, :func:`cross_serialize_stream_to` and
:func:`to_cross_json_stream_to`, mirror seroval's ``onSerialize`` / ``onParse``,
``onDone`` and ``onError``; an awaitable returned by the output callback is
awaited before the next output (seroval's backpressure).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, Unpack

from ..errors import SerovalError
from ..jstext.api import serialize_cross_node
from ..model.nodes import Node
from ..model.options import WriteKeywords, WriteOptions
from ..model.references import WriteRefs
from ..tree.parse import Parser
from .stream_parse import ChunkStream

__all__ = [
    "ChunkStream",
    "cross_serialize_stream",
    "cross_serialize_stream_to",
    "cross_serialize_stream_with",
    "to_cross_json_stream",
    "to_cross_json_stream_to",
    "to_cross_json_stream_with",
]

T = TypeVar("T")


def cross_serialize_stream_with(
    options: WriteOptions,
    value: object,
    *,
    scope_id: str | None = None,
    refs: WriteRefs | None = None,
) -> ChunkStream[str]:
    """:func:`cross_serialize_stream` with options built once."""
    if scope_id is not None and not isinstance(scope_id, str):
        raise TypeError("scope_id must be a str")

    def emit(node: Node, parser: Parser) -> str:
        return serialize_cross_node(
            node,
            marked=parser.marked,
            features=options.features,
            plugins=options.plugins,
            scope_id=scope_id,
        )

    return ChunkStream(value, options, refs, emit)


def to_cross_json_stream_with(
    options: WriteOptions, value: object, *, refs: WriteRefs | None = None
) -> ChunkStream[Node]:
    """:func:`to_cross_json_stream` with options built once."""
    return ChunkStream(value, options, refs, _node)


def cross_serialize_stream(
    value: object,
    *,
    scope_id: str | None = None,
    refs: WriteRefs | None = None,
    **options: Unpack[WriteKeywords],
) -> ChunkStream[str]:
    """seroval's ``crossSerializeStream``: JS chunks, the first at once (``.initial``).

    Each chunk is a complete expression over ``$R`` (run the
    :func:`~seroval.protocol.jstext.api.get_cross_reference_header` first); with
    ``scope_id`` each is wrapped to use ``$R["scope_id"]``.  A value that cannot be
    serialized raises :class:`~seroval.SerovalSerializationError` here if it is met
    at once, and from ``async for`` if it comes later.  The options are those of
    :func:`~seroval.to_json`.
    """
    return cross_serialize_stream_with(WriteOptions(**options), value, scope_id=scope_id, refs=refs)


def to_cross_json_stream(
    value: object, *, refs: WriteRefs | None = None, **options: Unpack[WriteKeywords]
) -> ChunkStream[Node]:
    """seroval's ``toCrossJSONStream``: node records, the root first (``.initial``).

    Feed them, in order, to a :class:`~seroval.CrossDeserializer` (``deserialize``)
    on the other side.  Raises as :func:`cross_serialize_stream` does.
    """
    return to_cross_json_stream_with(WriteOptions(**options), value, refs=refs)


def _node(node: Node, parser: Parser) -> Node:
    return node


async def _drive(
    make: Callable[[], ChunkStream[T]],
    on_output: Callable[[T, bool], object],
    on_done: Callable[[], object] | None,
    on_error: Callable[[Exception], object] | None,
) -> None:
    """Run a stream to its end through callbacks (seroval's calling convention)."""
    try:
        chunks = make()
    except SerovalError as error:
        if on_error is None:
            raise
        on_error(error)
        return
    try:
        async with chunks:
            initial = True
            while True:
                try:
                    output = await chunks.take()
                except StopAsyncIteration:
                    break
                result = on_output(output, initial)
                initial = False
                if inspect.isawaitable(result):
                    await result
                chunks.accept()
    except Exception as error:
        if on_error is None:
            raise
        on_error(error)
        return
    if on_done is not None:
        on_done()


async def cross_serialize_stream_to(
    value: object,
    on_serialize: Callable[[str, bool], Awaitable[None] | None],
    *,
    on_done: Callable[[], object] | None = None,
    on_error: Callable[[Exception], object] | None = None,
    **options: Any,
) -> None:
    """:func:`cross_serialize_stream` with seroval's callbacks; returns once it ended.

    ``on_serialize(chunk, initial)`` gets each chunk (an awaitable it returns is
    awaited first); then ``on_done()``, or ``on_error(error)`` once, after which
    nothing more is emitted.  Without ``on_error`` the error is raised (a
    :class:`~seroval.SerovalSerializationError` for a value that cannot be written).  Cancel
    the calling task to destroy the stream: no callback fires after that.
    The keyword options are those of :func:`cross_serialize_stream`.
    """
    await _drive(lambda: cross_serialize_stream(value, **options), on_serialize, on_done, on_error)


async def to_cross_json_stream_to(
    value: object,
    on_parse: Callable[[Node, bool], Awaitable[None] | None],
    *,
    on_done: Callable[[], object] | None = None,
    on_error: Callable[[Exception], object] | None = None,
    **options: Any,
) -> None:
    """:func:`to_cross_json_stream` with callbacks (see :func:`cross_serialize_stream_to`).

    A failure goes to ``on_error``; without one it is raised
    (:class:`~seroval.SerovalSerializationError` for a value that cannot be written).
    """
    await _drive(lambda: to_cross_json_stream(value, **options), on_parse, on_done, on_error)
