"""Python types for the JS values that Python has no natural type for.

Where Python has a natural type it is used as is (``None``, ``bool``, ``int``,
``float``, ``str``, ``list``, ``dict``, ``datetime``, ``bytearray``, exceptions).
Everything else gets a small type here, designed so that a value read from
seroval's nodes and written again gives the identical nodes: same ids (identity is
kept), same key order, same flags, same error properties, same buffer sharing.
SPEC.md has the two-way table.

Each kind lives in a module of its own (``primitives``, ``containers``, ``jsdate``,
``regexp``, ``exceptions``, ``promises``, ``binary``, ``jstemporal``, ``sequence``,
``conversions``); this module gathers them under one name.
"""

from __future__ import annotations

from .binary import (
    JSDataView,
    JSTypedArray,
)
from .containers import (
    JSArray,
    JSAsyncIterable,
    JSMap,
    JSObject,
    JSSet,
    js_key,
)
from .conversions import (
    js_to_string,
    js_truthy,
)
from .exceptions import (
    JSAggregateError,
    JSError,
    JSErrorType,
    JSException,
)
from .jsdate import (
    MAX_DATE_MS,
    JSDate,
    datetime_from_ms,
    days_from_civil,
    iso_from_ms,
    ms_from_datetime,
)
from .jstemporal import (
    JSTemporal,
    TemporalType,
)
from .primitives import (
    MAX_SAFE_INTEGER,
    Hole,
    JSBigInt,
    JSBoxed,
    JSSymbol,
    Undefined,
    hole,
    undefined,
)
from .promises import (
    JSPromise,
    ThrownValue,
)
from .regexp import (
    JSRegExp,
    escape_regexp_source,
)
from .sequence import (
    JSSequence,
    OpaqueReference,
)

__all__ = [
    "MAX_DATE_MS",
    "MAX_SAFE_INTEGER",
    "Hole",
    "JSAggregateError",
    "JSArray",
    "JSAsyncIterable",
    "JSBigInt",
    "JSBoxed",
    "JSDataView",
    "JSDate",
    "JSError",
    "JSErrorType",
    "JSException",
    "JSMap",
    "JSObject",
    "JSPromise",
    "JSRegExp",
    "JSSequence",
    "JSSet",
    "JSSymbol",
    "JSTemporal",
    "JSTypedArray",
    "OpaqueReference",
    "TemporalType",
    "ThrownValue",
    "Undefined",
    "datetime_from_ms",
    "days_from_civil",
    "escape_regexp_source",
    "hole",
    "iso_from_ms",
    "js_key",
    "js_to_string",
    "js_truthy",
    "ms_from_datetime",
    "undefined",
]
