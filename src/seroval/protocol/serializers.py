"""Configured once, used for every call: :class:`Serializer` and :class:`Deserializer`.

A server has one set of options per deployment (its plugins, the features its
clients support, its limits), and every free function (``to_json``,
``serialize``, ``from_json``...) takes them again as keywords on each call.
These two objects, in the spirit of msgspec's ``Encoder`` / ``Decoder``, check
and resolve the options once and offer every form as a method.  They hold no
per-call state, so one instance can serve any number of threads and tasks.

    serializer = seroval.Serializer(plugins=web.ALL, include_tracebacks=False)
    deserializer = seroval.Deserializer(plugins=web.ALL, depth_limit=200)
    deserializer.from_json(serializer.to_json(value))
"""

from __future__ import annotations

from typing import Any, Unpack

from .aio.api import (
    cross_serialize_async_with,
    serialize_async_with,
    to_cross_json_async_with,
    to_json_async_with,
)
from .aio.stream_parse import ChunkStream
from .aio.streaming import cross_serialize_stream_with, to_cross_json_stream_with
from .jstext.api import cross_serialize, serialize
from .jstext.reader import CrossDeserializer, deserialize
from .model.nodes import Node
from .model.options import ReadKeywords, ReadOptions, WriteKeywords, WriteOptions
from .model.references import ReadRefs, WriteRefs
from .tree.api import from_cross_json_with, from_json_with, to_cross_json_with, to_json_with
from .tree.text_api import (
    from_cross_json_text_with,
    from_json_text_with,
    to_cross_json_text_with,
    to_json_text_with,
)

__all__ = ["Deserializer", "Serializer"]


class Serializer:
    """Every writer with one set of options: the keywords of :func:`seroval.to_json`.

    Methods raise what the free function of the same name raises (a
    :class:`~seroval.SerovalSerializationError` for a value that cannot be written).
    """

    __slots__ = ("_keywords", "options")

    def __init__(self, **options: Unpack[WriteKeywords]) -> None:
        self.options = WriteOptions(**options)
        self._keywords: dict[str, Any] = {
            "plugins": self.options.plugins,
            "disabled_features": self.options.disabled_features,
            "depth_limit": self.options.depth_limit,
            "naive_timezone": self.options.naive_timezone,
            "include_tracebacks": self.options.include_tracebacks,
        }

    def __repr__(self) -> str:
        return f"Serializer({self.options!r})"

    # -- node trees -------------------------------------------------------------------

    def to_json(self, value: object) -> dict[str, Any]:
        """seroval's ``toJSON``: the ``{"t", "f", "m"}`` envelope."""
        return to_json_with(self.options, value)

    def to_cross_json(self, value: object, *, refs: WriteRefs | None = None) -> Node:
        """seroval's ``toCrossJSON``: the bare root node; ids continue across ``refs``."""
        return to_cross_json_with(self.options, value, refs=refs)

    def to_json_text(self, value: object) -> str:
        """The envelope's JSON text in one call (native where built): ``dumps_json(to_json(v))``."""
        return to_json_text_with(self.options, value)

    def to_cross_json_text(self, value: object, *, refs: WriteRefs | None = None) -> str:
        """The bare root node's JSON text in one call, ids continuing across ``refs``."""
        return to_cross_json_text_with(self.options, value, refs=refs)

    # -- JS text ----------------------------------------------------------------------

    def serialize(self, value: object) -> str:
        """seroval's ``serialize``: a self-contained JS expression."""
        return serialize(value, **self._keywords)

    def cross_serialize(
        self,
        value: object,
        *,
        refs: WriteRefs | None = None,
        scope_id: str | None = None,
        assign_shared_refs_only: bool = False,
    ) -> str:
        """seroval's ``crossSerialize``: ``$R[…]`` text, ids continuing across ``refs``."""
        return cross_serialize(
            value,
            refs=refs,
            scope_id=scope_id,
            assign_shared_refs_only=assign_shared_refs_only,
            **self._keywords,
        )

    # -- async: wait for every promise and stream, then write once --------------------

    async def to_json_async(self, value: object) -> dict[str, Any]:
        """seroval's ``toJSONAsync``."""
        return await to_json_async_with(self.options, value)

    async def to_cross_json_async(self, value: object, *, refs: WriteRefs | None = None) -> Node:
        """seroval's ``toCrossJSONAsync``."""
        return await to_cross_json_async_with(self.options, value, refs=refs)

    async def serialize_async(self, value: object) -> str:
        """seroval's ``serializeAsync``."""
        return await serialize_async_with(self.options, value)

    async def cross_serialize_async(
        self,
        value: object,
        *,
        refs: WriteRefs | None = None,
        scope_id: str | None = None,
        assign_shared_refs_only: bool = False,
    ) -> str:
        """seroval's ``crossSerializeAsync``."""
        return await cross_serialize_async_with(
            self.options,
            value,
            refs=refs,
            scope_id=scope_id,
            assign_shared_refs_only=assign_shared_refs_only,
        )

    # -- streaming: the value at once, then one piece per settlement ------------------

    def to_cross_json_stream(
        self, value: object, *, refs: WriteRefs | None = None
    ) -> ChunkStream[Node]:
        """seroval's ``toCrossJSONStream``: node records (use inside ``async with``)."""
        return to_cross_json_stream_with(self.options, value, refs=refs)

    def cross_serialize_stream(
        self, value: object, *, refs: WriteRefs | None = None, scope_id: str | None = None
    ) -> ChunkStream[str]:
        """seroval's ``crossSerializeStream``: JS chunks (use inside ``async with``)."""
        return cross_serialize_stream_with(self.options, value, refs=refs, scope_id=scope_id)


class Deserializer:
    """Every reader with one set of options: the keywords of :func:`seroval.from_json`.

    Methods raise what the free function of the same name raises: a
    :class:`~seroval.SerovalDeserializationError` for any bad input, and nothing else.
    """

    __slots__ = ("_keywords", "options")

    def __init__(self, **options: Unpack[ReadKeywords]) -> None:
        self.options = ReadOptions(**options)
        self._keywords: dict[str, Any] = {
            "plugins": self.options.plugins,
            "disabled_features": self.options.disabled_features,
            "depth_limit": self.options.depth_limit,
            "max_base64_length": self.options.max_base64_length,
        }

    def __repr__(self) -> str:
        return f"Deserializer({self.options!r})"

    def from_json(self, envelope: object) -> Any:
        """seroval's ``fromJSON``."""
        return from_json_with(self.options, envelope)

    def from_cross_json(
        self, node: object, *, refs: ReadRefs | None = None, features: int | None = None
    ) -> Any:
        """seroval's ``fromCrossJSON``; pass the same ``refs`` to read later payloads."""
        return from_cross_json_with(self.options, node, refs=refs, features=features)

    def from_json_text(self, text: str | bytes | bytearray) -> Any:
        """``from_json(loads_json(text))`` in one call (native where built)."""
        return from_json_text_with(self.options, text)

    def from_cross_json_text(
        self,
        text: str | bytes | bytearray,
        *,
        refs: ReadRefs | None = None,
        features: int | None = None,
    ) -> Any:
        """``from_cross_json(loads_json(text))`` in one call; share ``refs`` across calls."""
        return from_cross_json_text_with(self.options, text, refs=refs, features=features)

    def deserialize(self, text: str) -> Any:
        """seroval's ``deserialize`` for ``serialize`` output, without ``eval``."""
        return deserialize(text, plain=self.options.plain, **self._keywords)

    def cross_deserializer(self) -> CrossDeserializer:
        """A fresh :class:`~seroval.CrossDeserializer` (one per stream) with these options."""
        return CrossDeserializer(**self._keywords)
