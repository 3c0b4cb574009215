"""seroval for Python: the seroval 1.8.1 wire format, byte-compatible both ways.

The public API mirrors seroval's in snake_case.  Everything passes through the node
tree: :func:`to_json` turns a value into seroval's ``{"t", "f", "m"}`` envelope,
:func:`from_json` turns one back, and :func:`dumps_json` / :func:`loads_json` are
the JSON text exactly as JS writes and reads it.
"""

from __future__ import annotations

from .protocol.errors import (
    SerovalAbortedError,
    SerovalConflictedNodeIdError,
    SerovalDepthLimitError,
    SerovalDeserializationError,
    SerovalError,
    SerovalLiveStreamError,
    SerovalMalformedNodeError,
    SerovalMissingInstanceError,
    SerovalMissingPluginError,
    SerovalMissingReferenceError,
    SerovalMissingReferenceForIdError,
    SerovalParserError,
    SerovalPluginValidationError,
    SerovalSerializationError,
    SerovalSizeLimitError,
    SerovalSyntaxError,
    SerovalUnknownTypedArrayError,
    SerovalUnsupportedNodeError,
    SerovalUnsupportedTypeError,
)
from .protocol.features import Feature
from .protocol.json_text import dumps_json, loads_json
from .protocol.nodes import Integrity, Node, NodeType
from .protocol.plugins import Plugin, resolve_plugins
from .protocol.references import ReadRefs, WriteRefs, create_reference
from .protocol.stream import Stream, create_stream
from .protocol.tree import from_cross_json, from_json, to_cross_json, to_json
from .protocol.values import (
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
    JSSet,
    JSSymbol,
    JSTemporal,
    JSTypedArray,
    OpaqueReference,
    Sequence,
    TemporalType,
    ThrownValue,
    Undefined,
    hole,
    undefined,
)

__version__ = "0.1.0"

__all__ = [
    "Feature",
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
    "JSSet",
    "JSSymbol",
    "JSTemporal",
    "JSTypedArray",
    "Node",
    "NodeType",
    "OpaqueReference",
    "Plugin",
    "ReadRefs",
    "Sequence",
    "SerovalAbortedError",
    "SerovalConflictedNodeIdError",
    "SerovalDepthLimitError",
    "SerovalDeserializationError",
    "SerovalError",
    "SerovalLiveStreamError",
    "SerovalMalformedNodeError",
    "SerovalMissingInstanceError",
    "SerovalMissingPluginError",
    "SerovalMissingReferenceError",
    "SerovalMissingReferenceForIdError",
    "SerovalParserError",
    "SerovalPluginValidationError",
    "SerovalSerializationError",
    "SerovalSizeLimitError",
    "SerovalSyntaxError",
    "SerovalUnknownTypedArrayError",
    "SerovalUnsupportedNodeError",
    "SerovalUnsupportedTypeError",
    "Stream",
    "TemporalType",
    "ThrownValue",
    "Undefined",
    "WriteRefs",
    "__version__",
    "create_reference",
    "create_stream",
    "dumps_json",
    "from_cross_json",
    "from_json",
    "hole",
    "loads_json",
    "resolve_plugins",
    "to_cross_json",
    "to_json",
    "undefined",
]
