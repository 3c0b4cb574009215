"""seroval for Python: the seroval 1.8.1 wire format, byte-compatible both ways.

The public API mirrors seroval's in snake_case.  Everything passes through the node
tree: :func:`to_json` turns a value into seroval's ``{"t", "f", "m"}`` envelope,
:func:`from_json` turns one back, and :func:`dumps_json` / :func:`loads_json` are
the JSON text exactly as JS writes and reads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .codecs import (
    SerovalCodecDecodeError,
    SerovalCodecEncodeError,
    SerovalCodecError,
    SerovalCodecLimitError,
    SerovalCodecSyntaxError,
    SerovalFramingDecodeError,
    SerovalFramingEncodeError,
    SerovalFramingError,
    SerovalFramingLimitError,
    SerovalUnknownCodecError,
    codec_for_content_type,
    get_codec,
)
from .protocol.aio.api import (
    cross_serialize_async,
    serialize_async,
    to_cross_json_async,
    to_json_async,
)
from .protocol.aio.streaming import (
    ChunkStream,
    cross_serialize_stream,
    cross_serialize_stream_to,
    to_cross_json_stream,
    to_cross_json_stream_to,
)
from .protocol.errors import (
    SerovalAbortedError,
    SerovalConflictedNodeIdError,
    SerovalDepthLimitError,
    SerovalDeserializationDepthLimitError,
    SerovalDeserializationError,
    SerovalDeserializationMissingPluginError,
    SerovalDeserializationUnsupportedNodeError,
    SerovalError,
    SerovalEvaluationError,
    SerovalLiveStreamError,
    SerovalMalformedNodeError,
    SerovalMissingInstanceError,
    SerovalMissingPluginError,
    SerovalMissingReferenceError,
    SerovalMissingReferenceForIdError,
    SerovalParserDepthLimitError,
    SerovalParserError,
    SerovalPluginValidationError,
    SerovalSerializationDepthLimitError,
    SerovalSerializationError,
    SerovalSerializationMissingPluginError,
    SerovalSerializationUnsupportedNodeError,
    SerovalSizeLimitError,
    SerovalSyntaxError,
    SerovalUnknownTypedArrayError,
    SerovalUnsupportedNodeError,
    SerovalUnsupportedTypeError,
)
from .protocol.jstext.api import (
    compile_json,
    cross_serialize,
    get_cross_reference_header,
    serialize,
)
from .protocol.jstext.reader import CrossDeserializer, deserialize
from .protocol.model.features import Feature
from .protocol.model.live_stream import LiveStream, LiveStreamProducer, create_live_stream
from .protocol.model.nodes import Integrity, Node, NodeType
from .protocol.model.options import ReadOptions, WriteOptions
from .protocol.model.plugins import Plugin, StreamSource, resolve_plugins
from .protocol.model.references import ReadRefs, WriteRefs, create_reference
from .protocol.model.stream import Stream, create_stream
from .protocol.model.values import (
    JSAggregateError,
    JSArray,
    JSBigInt,
    JSBoxed,
    JSDataView,
    JSDate,
    JSError,
    JSErrorType,
    JSMap,
    JSObject,
    JSPromise,
    JSRegExp,
    JSSequence,
    JSSet,
    JSSymbol,
    JSTemporal,
    JSTypedArray,
    OpaqueReference,
    TemporalType,
    ThrownValue,
    Undefined,
    hole,
    undefined,
)
from .protocol.serializers import Deserializer, Serializer
from .protocol.temporal.text import Instant, PlainDateTime, ZonedDateTime
from .protocol.tree.api import from_cross_json, from_json, to_cross_json, to_json
from .protocol.tree.json_text import dumps_json, loads_json

__version__ = "0.1.0"

__all__ = [
    "ChunkStream",
    "CrossDeserializer",
    "Deserializer",
    "Feature",
    "Instant",
    "Integrity",
    "JSAggregateError",
    "JSArray",
    "JSBigInt",
    "JSBoxed",
    "JSDataView",
    "JSDate",
    "JSError",
    "JSErrorType",
    "JSMap",
    "JSObject",
    "JSPromise",
    "JSRegExp",
    "JSSequence",
    "JSSet",
    "JSSymbol",
    "JSTemporal",
    "JSTypedArray",
    "LiveStream",
    "LiveStreamProducer",
    "Node",
    "NodeType",
    "OpaqueReference",
    "PlainDateTime",
    "Plugin",
    "ReadOptions",
    "ReadRefs",
    "Serializer",
    "SerovalAbortedError",
    "SerovalCodecDecodeError",
    "SerovalCodecEncodeError",
    "SerovalCodecError",
    "SerovalCodecLimitError",
    "SerovalCodecSyntaxError",
    "SerovalConflictedNodeIdError",
    "SerovalDepthLimitError",
    "SerovalDeserializationDepthLimitError",
    "SerovalDeserializationError",
    "SerovalDeserializationMissingPluginError",
    "SerovalDeserializationUnsupportedNodeError",
    "SerovalError",
    "SerovalEvaluationError",
    "SerovalFramingDecodeError",
    "SerovalFramingEncodeError",
    "SerovalFramingError",
    "SerovalFramingLimitError",
    "SerovalLiveStreamError",
    "SerovalMalformedNodeError",
    "SerovalMissingInstanceError",
    "SerovalMissingPluginError",
    "SerovalMissingReferenceError",
    "SerovalMissingReferenceForIdError",
    "SerovalParserDepthLimitError",
    "SerovalParserError",
    "SerovalPluginValidationError",
    "SerovalSerializationDepthLimitError",
    "SerovalSerializationError",
    "SerovalSerializationMissingPluginError",
    "SerovalSerializationUnsupportedNodeError",
    "SerovalSizeLimitError",
    "SerovalSyntaxError",
    "SerovalUnknownCodecError",
    "SerovalUnknownTypedArrayError",
    "SerovalUnsupportedNodeError",
    "SerovalUnsupportedTypeError",
    "Stream",
    "StreamSource",
    "TemporalType",
    "ThrownValue",
    "Undefined",
    "WriteOptions",
    "WriteRefs",
    "ZonedDateTime",
    "__version__",
    "codec_for_content_type",
    "compile_json",
    "create_live_stream",
    "create_reference",
    "create_stream",
    "cross_serialize",
    "cross_serialize_async",
    "cross_serialize_stream",
    "cross_serialize_stream_to",
    "deserialize",
    "dumps_json",
    "from_cross_json",
    "from_json",
    "get_codec",
    "get_cross_reference_header",
    "hole",
    "loads_json",
    "resolve_plugins",
    "serialize",
    "serialize_async",
    "to_cross_json",
    "to_cross_json_async",
    "to_cross_json_stream",
    "to_cross_json_stream_to",
    "to_json",
    "to_json_async",
    "undefined",
]


# Outside type checking only, so that a misspelt ``seroval.name`` is still a mypy error.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        """``seroval.Sequence``, the old name of :class:`JSSequence`, with a warning.

        It was renamed because ``Sequence`` shadows ``collections.abc.Sequence`` and
        ``typing.Sequence`` in a star import or a careless ``from seroval import``.
        """
        if name == "Sequence":
            import warnings

            warnings.warn(
                "seroval.Sequence is deprecated; use seroval.JSSequence",
                DeprecationWarning,
                stacklevel=2,
            )
            return JSSequence
        raise AttributeError(f"module 'seroval' has no attribute {name!r}")
