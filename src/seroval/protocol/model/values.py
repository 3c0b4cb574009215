"""Python types for the JS values that Python has no natural type for.

Where Python has a natural type it is used as is (``None``, ``bool``, ``int``,
``float``, ``str``, ``list``, ``dict``, ``datetime``, ``bytearray``, exceptions).
Everything else gets a small type here, designed so that a value read from
seroval's nodes and written again gives the identical nodes: same ids (identity is
kept), same key order, same flags, same error properties, same buffer sharing.
SPEC.md has the two-way table.
"""

from __future__ import annotations

import math
import struct
from collections.abc import (
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    MutableSet,
)
from datetime import UTC, datetime, timedelta
from enum import Enum, IntEnum
from typing import Any, Final, Generic, TypeVar

from .nodes import (
    BIGINT_TYPED_ARRAYS,
    ERROR_CONSTRUCTOR_NAMES,
    SYMBOL_NAMES,
    TEMPORAL_TYPE_NAMES,
    TYPED_ARRAY_KINDS,
    Integrity,
)

__all__ = [
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
    "OpaqueReference",
    "Sequence",
    "TemporalType",
    "ThrownValue",
    "Undefined",
    "hole",
    "undefined",
]

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

MAX_SAFE_INTEGER: Final = 2**53 - 1


class Undefined:
    """JS ``undefined``.  There is one instance, :data:`undefined`; it is falsy."""

    __slots__ = ()
    _instance: Undefined | None = None

    def __new__(cls) -> Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "undefined"

    def __reduce__(self) -> str:
        return "undefined"


undefined: Final = Undefined()


class Hole:
    """An array hole (a missing index in a sparse JS array).  One instance, :data:`hole`."""

    __slots__ = ()
    _instance: Hole | None = None

    def __new__(cls) -> Hole:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "hole"

    def __reduce__(self) -> str:
        return "hole"


hole: Final = Hole()


class JSBigInt(int):
    """A JS BigInt.  An ``int`` that stays a BigInt on the wire even when it is small.

    Plain Python ints within +-(2**53 - 1) become JS numbers; beyond that they become
    BigInts anyway.  Arithmetic gives plain ints, as for any ``int`` subclass.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"JSBigInt({int(self)})"


class JSSymbol(Enum):
    """The 13 well-known JS symbols.  The value is the WKSymbol node's ``s``."""

    ASYNC_ITERATOR = 0
    HAS_INSTANCE = 1
    IS_CONCAT_SPREADABLE = 2
    ITERATOR = 3
    MATCH = 4
    MATCH_ALL = 5
    REPLACE = 6
    SEARCH = 7
    SPECIES = 8
    SPLIT = 9
    TO_PRIMITIVE = 10
    TO_STRING_TAG = 11
    UNSCOPABLES = 12

    @property
    def js_name(self) -> str:
        """The JS expression for the symbol, such as ``Symbol.iterator``."""
        return "Symbol." + SYMBOL_NAMES[self.value]

    def __repr__(self) -> str:
        return self.js_name


class JSObject(dict[Any, Any]):
    """A JS object that a plain ``dict`` cannot describe: null prototype or an integrity level.

    Plain extensible objects read back as plain ``dict``.  Keys are ``str``, or one of
    the :class:`JSSymbol` members seroval keeps (iterator, asyncIterator, toStringTag,
    isConcatSpreadable).
    """

    __slots__ = ("integrity", "null_prototype")

    def __init__(
        self,
        data: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = (),
        /,
        *,
        null_prototype: bool = False,
        integrity: Integrity = Integrity.NONE,
    ) -> None:
        super().__init__(data)
        self.null_prototype = null_prototype
        self.integrity = Integrity(integrity)

    def __repr__(self) -> str:
        extra = []
        if self.null_prototype:
            extra.append("null_prototype=True")
        if self.integrity:
            extra.append(f"integrity={self.integrity.name}")
        return f"JSObject({dict.__repr__(self)}{''.join(', ' + e for e in extra)})"


class JSArray(list[Any]):
    """A JS array with an integrity level (frozen, sealed, non-extensible).

    Ordinary arrays read back as plain ``list``.
    """

    __slots__ = ("integrity",)

    def __init__(self, items: Iterable[Any] = (), /, *, integrity: Integrity = Integrity.NONE):
        super().__init__(items)
        self.integrity = Integrity(integrity)

    def __repr__(self) -> str:
        return f"JSArray({list.__repr__(self)}, integrity={self.integrity.name})"


# ---------------------------------------------------------------------------
# Map and Set with JS key semantics (SameValueZero; objects by identity).

_NAN_KEY: Final = object()
_TRUE_KEY: Final = object()
_FALSE_KEY: Final = object()


def js_key(value: object) -> object:
    """A hashable key with JS SameValueZero semantics.

    Strings and numbers compare by value (``NaN`` equals ``NaN``, ``-0`` equals ``0``),
    booleans and BigInts do not collide with numbers, and everything else compares
    by identity, as JS Map and Set keys do.
    """
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        return value if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else ("bigint", value)  # type: ignore[operator]
    if kind is float:
        return _NAN_KEY if value != value else value
    if kind is bool:
        return _TRUE_KEY if value else _FALSE_KEY
    if kind is JSBigInt:
        return ("bigint", int(value))  # type: ignore[call-overload]
    if value is None or kind is Undefined:
        return value
    return ("id", id(value))


class JSMap(MutableMapping[K, V]):
    """A JS ``Map``: insertion-ordered, keys may be unhashable objects (compared by identity)."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Iterable[tuple[K, V]] | Mapping[K, V] = (), /) -> None:
        self._entries: dict[object, tuple[K, V]] = {}
        items = entries.items() if isinstance(entries, Mapping) else entries
        for key, value in items:
            self[key] = value

    def __getitem__(self, key: K) -> V:
        return self._entries[js_key(key)][1]

    def __setitem__(self, key: K, value: V) -> None:
        if type(key) is float and key == 0:
            key = 0  # type: ignore[assignment]  # a JS Map stores the key -0 as +0
        marker = js_key(key)
        current = self._entries.get(marker)
        # JS keeps the first key object (and its position) when a key is set again.
        self._entries[marker] = (key if current is None else current[0], value)

    def __delitem__(self, key: K) -> None:
        del self._entries[js_key(key)]

    def __contains__(self, key: object) -> bool:
        return js_key(key) in self._entries

    def __iter__(self) -> Iterator[K]:
        return (entry[0] for entry in list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[tuple[K, V]]:
        """The ``(key, value)`` pairs in insertion order."""
        return list(self._entries.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSMap):
            return NotImplemented
        if len(self) != len(other):
            return False
        for marker, (_, value) in self._entries.items():
            theirs = other._entries.get(marker)
            if theirs is None or not (theirs[1] is value or theirs[1] == value):
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSMap({self.entries()!r})"


class JSSet(MutableSet[T]):
    """A JS ``Set``: insertion-ordered, items may be unhashable objects (compared by identity)."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[T] = (), /) -> None:
        self._items: dict[object, T] = {}
        for item in items:
            self.add(item)

    def add(self, value: T) -> None:
        if type(value) is float and value == 0:
            value = 0  # type: ignore[assignment]  # a JS Set stores -0 as +0
        self._items.setdefault(js_key(value), value)

    def discard(self, value: T) -> None:
        self._items.pop(js_key(value), None)

    def __contains__(self, value: object) -> bool:
        return js_key(value) in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSSet):
            return NotImplemented
        return self._items.keys() == other._items.keys()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSSet({list(self._items.values())!r})"


# ---------------------------------------------------------------------------
# Dates

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS: Final = timedelta(milliseconds=1)
MAX_DATE_MS: Final = 8.64e15
_MIN_DATETIME_MS: Final = (datetime(1, 1, 1, tzinfo=UTC) - _EPOCH) // _ONE_MS
_MAX_DATETIME_MS: Final = (
    datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC) - _EPOCH
) // _ONE_MS


def _days_to_civil(days: int) -> tuple[int, int, int]:
    """Proleptic Gregorian (year, month, day) for a day count from 1970-01-01."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a proleptic Gregorian date (any year)."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    mp = month - 3 if month > 2 else month + 9
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def iso_from_ms(ms: int) -> str:
    """``Date.prototype.toISOString`` for a valid time value in milliseconds."""
    days, rest = divmod(ms, 86_400_000)
    year, month, day = _days_to_civil(days)
    hours, rest = divmod(rest, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    if 0 <= year <= 9999:
        year_text = f"{year:04d}"
    else:
        year_text = ("+" if year > 0 else "-") + f"{abs(year):06d}"
    return (
        f"{year_text}-{month:02d}-{day:02d}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}Z"
    )


def ms_from_datetime(value: datetime) -> int:
    """Milliseconds since the epoch for an aware datetime, sub-millisecond part floored."""
    return (value - _EPOCH) // _ONE_MS


def datetime_from_ms(ms: int) -> datetime | None:
    """An aware UTC datetime for a time value, or ``None`` when Python cannot hold it."""
    if _MIN_DATETIME_MS <= ms <= _MAX_DATETIME_MS:
        return _EPOCH + timedelta(milliseconds=ms)
    return None


class JSDate:
    """A JS Date that ``datetime`` cannot hold: invalid, or outside years 1-9999.

    ``time`` is the JS time value in milliseconds since the epoch, or ``nan`` for an
    invalid date.  Valid dates within datetime's range read back as aware
    ``datetime`` objects instead.
    """

    __slots__ = ("time",)

    def __init__(self, time: float) -> None:
        if time != time or abs(time) > MAX_DATE_MS:
            self.time = math.nan
        else:
            self.time = float(math.trunc(time)) + 0.0

    @property
    def is_valid(self) -> bool:
        return self.time == self.time

    def iso(self) -> str:
        """``toISOString()``, or ``""`` for an invalid date (seroval's encoding)."""
        return iso_from_ms(int(self.time)) if self.is_valid else ""

    def to_datetime(self) -> datetime:
        """The aware UTC datetime; ``ValueError`` when invalid or out of datetime's range."""
        result = datetime_from_ms(int(self.time)) if self.is_valid else None
        if result is None:
            raise ValueError(f"{self!r} cannot be represented as a datetime")
        return result

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSDate):
            return NotImplemented
        return self.time == other.time or (not self.is_valid and not other.is_valid)

    def __hash__(self) -> int:
        return hash(("JSDate", self.time if self.is_valid else None))

    def __repr__(self) -> str:
        return f"JSDate({self.iso()!r})" if self.is_valid else "JSDate(invalid)"


# ---------------------------------------------------------------------------
# RegExp

_REGEXP_FLAG_ORDER: Final = "dgimsuvy"


class JSRegExp:
    """A JS regular expression, kept as text: it is never compiled here.

    ``source`` is what JS's ``RegExp.prototype.source`` returns; ``flags`` is put in
    JS's canonical order.  :meth:`from_pattern` converts a Python ``re.Pattern``.
    """

    __slots__ = ("flags", "source")

    def __init__(self, source: str, flags: str = "") -> None:
        if not isinstance(source, str) or not isinstance(flags, str):
            raise TypeError("JSRegExp source and flags must be str")
        if any(flag not in _REGEXP_FLAG_ORDER for flag in flags) or len(set(flags)) != len(flags):
            raise ValueError(f"invalid RegExp flags {flags!r}")
        if "u" in flags and "v" in flags:
            raise ValueError("RegExp flags cannot hold both 'u' and 'v'")
        self.source = source
        self.flags = "".join(flag for flag in _REGEXP_FLAG_ORDER if flag in flags)

    @classmethod
    def from_pattern(cls, pattern: Any) -> JSRegExp:
        """Convert a compiled Python ``re.Pattern`` with flags JS also has (I, M, S)."""
        import re

        if not isinstance(pattern.pattern, str):
            raise TypeError("only str patterns have a JS equivalent")
        supported = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE
        if pattern.flags & ~supported:
            raise ValueError("pattern uses flags with no JS equivalent (only I, M and S map)")
        flags = ""
        if pattern.flags & re.IGNORECASE:
            flags += "i"
        if pattern.flags & re.MULTILINE:
            flags += "m"
        if pattern.flags & re.DOTALL:
            flags += "s"
        return cls(escape_regexp_source(pattern.pattern), flags)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSRegExp):
            return NotImplemented
        return (self.source, self.flags) == (other.source, other.flags)

    def __hash__(self) -> int:
        return hash((self.source, self.flags))

    def __repr__(self) -> str:
        return f"JSRegExp({self.source!r}, {self.flags!r})"


def escape_regexp_source(pattern: str) -> str:
    """What JS's ``source`` getter gives for a pattern: ``/`` and line breaks escaped."""
    if not pattern:
        return "(?:)"
    out: list[str] = []
    in_class = False
    escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
            continue
        if char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == "/" and not in_class:
            out.append("\\/")
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\u2028":
            out.append("\\u2028")
        elif char == "\u2029":
            out.append("\\u2029")
        else:
            out.append(char)
    return "".join(out)


# ---------------------------------------------------------------------------
# Errors


class JSErrorType(IntEnum):
    """The seven JS error constructors; the value is an Error node's ``s``."""

    ERROR = 0
    EVAL_ERROR = 1
    RANGE_ERROR = 2
    REFERENCE_ERROR = 3
    SYNTAX_ERROR = 4
    TYPE_ERROR = 5
    URI_ERROR = 6

    @property
    def js_name(self) -> str:
        return ERROR_CONSTRUCTOR_NAMES[self.value]


_MISSING: Final = object()


class JSError(Exception):
    """A JS error: constructor, message, and own properties in order.

    ``properties`` holds every own property except ``message``: ``name`` when it is
    not the constructor's, ``stack``, ``cause``, ``errors`` and any custom ones.  It is
    the one source of truth; :attr:`name`, :attr:`stack` and :attr:`cause` read it.
    """

    default_name: str | None = None

    def __init__(
        self,
        message: str = "",
        *,
        type: JSErrorType = JSErrorType.ERROR,
        name: str | None = None,
        stack: str | None = None,
        cause: object = _MISSING,
        properties: Mapping[Any, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.type = JSErrorType(type)
        props: dict[Any, Any] = {}
        if name is not None:
            props["name"] = name
        if stack is not None:
            props["stack"] = stack
        if cause is not _MISSING:
            props["cause"] = cause
        if properties:
            props.update(properties)
        self.properties = props

    @property
    def constructor_name(self) -> str:
        """The JS class the error was made with (``AggregateError`` for that subclass)."""
        return self.default_name or self.type.js_name

    @property
    def name(self) -> Any:
        return self.properties.get("name", self.constructor_name)

    @property
    def stack(self) -> Any:
        return self.properties.get("stack", undefined)

    @property
    def cause(self) -> Any:
        return self.properties.get("cause", undefined)

    def __str__(self) -> str:
        return f"{self.name}: {self.message}" if self.message else str(self.name)

    def __repr__(self) -> str:
        kind = type(self).__name__
        return f"{kind}({self.message!r}, type={self.type.name}, properties={self.properties!r})"


class JSAggregateError(JSError):
    """A JS ``AggregateError``; its ``errors`` live in ``properties["errors"]``."""

    default_name = "AggregateError"

    def __init__(
        self,
        errors: Iterable[Any] = (),
        message: str = "",
        *,
        name: str | None = None,
        stack: str | None = None,
        cause: object = _MISSING,
        properties: Mapping[Any, Any] | None = None,
    ) -> None:
        super().__init__(message, name=name, stack=stack, cause=cause)
        self.properties["errors"] = list(errors)
        if properties:
            self.properties.update(properties)

    @property
    def errors(self) -> Any:
        return self.properties.get("errors", undefined)


class JSPromise:
    """A JS Promise read from the wire (or made in Python to be written as one).

    It is fulfilled, rejected or pending (a streamed promise whose settlement comes
    in a later chunk).  Awaiting it gives the value or raises the rejection (a
    non-exception rejection is raised as :class:`ThrownValue`); awaiting a pending
    promise waits for it under asyncio or trio.
    """

    __slots__ = ("_callbacks", "status", "value")

    PENDING: Final = "pending"
    FULFILLED: Final = "fulfilled"
    REJECTED: Final = "rejected"

    def __init__(self) -> None:
        self.status: str = JSPromise.PENDING
        self.value: Any = undefined
        self._callbacks: list[Callable[[JSPromise], None]] = []

    @classmethod
    def resolve(cls, value: object) -> JSPromise:
        promise = cls()
        promise.settle(True, value)
        return promise

    @classmethod
    def reject(cls, value: object) -> JSPromise:
        promise = cls()
        promise.settle(False, value)
        return promise

    def settle(self, fulfilled: bool, value: object) -> None:
        """Fulfil or reject; a promise settles once and later calls are ignored."""
        if self.status is not JSPromise.PENDING:
            return
        self.status = JSPromise.FULFILLED if fulfilled else JSPromise.REJECTED
        self.value = value
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self)

    def add_done_callback(self, callback: Callable[[JSPromise], None]) -> None:
        """Call ``callback(self)`` once settled (at once if already settled)."""
        if self.status is JSPromise.PENDING:
            self._callbacks.append(callback)
        else:
            callback(self)

    def result(self) -> Any:
        """The value, or raise the rejection; ``RuntimeError`` while pending."""
        if self.status is JSPromise.FULFILLED:
            return self.value
        if self.status is JSPromise.REJECTED:
            raise self.value if isinstance(self.value, BaseException) else ThrownValue(self.value)
        raise RuntimeError("the promise is still pending")

    def __await__(self) -> Generator[Any, None, Any]:
        if self.status is JSPromise.PENDING:
            from ..aio.waiting import new_wakeup  # waiting needs the event loop

            event = new_wakeup()
            self.add_done_callback(lambda _: event.set())
            yield from event.wait().__await__()
        return self.result()

    def __repr__(self) -> str:
        if self.status is JSPromise.PENDING:
            return "JSPromise(pending)"
        return f"JSPromise({self.status}, {self.value!r})"


class ThrownValue(Exception):
    """A JS ``throw`` (or promise rejection) of something that is not an error object."""

    def __init__(self, value: object) -> None:
        super().__init__(value)
        self.value = value


# ---------------------------------------------------------------------------
# Boxed primitives, binary data, Temporal, sequences, opaque references


class JSBoxed(Generic[T]):
    """A boxed primitive: ``Object(1)``, ``Object("s")``, ``Object(false)``, ``Object(1n)``."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSBoxed):
            return NotImplemented
        return type(self.value) is type(other.value) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSBoxed({self.value!r})"


class JSTypedArray:
    """A JS typed array: a view of ``length`` elements on ``buffer`` from ``byte_offset``.

    ``buffer`` is a ``bytearray`` standing for the JS ArrayBuffer; views that share a
    buffer share the ``bytearray`` object, so the sharing survives a round trip.
    Elements are little-endian, as on every platform JS runs on in practice.
    """

    __slots__ = ("buffer", "byte_offset", "kind", "length")

    def __init__(
        self, kind: str, buffer: bytearray, byte_offset: int = 0, length: int | None = None
    ):
        if kind not in TYPED_ARRAY_KINDS:
            raise ValueError(f"unknown typed array kind {kind!r}")
        size = TYPED_ARRAY_KINDS[kind][0]
        if not isinstance(buffer, bytearray):
            raise TypeError("a typed array's buffer must be a bytearray")
        if byte_offset < 0 or byte_offset % size or byte_offset > len(buffer):
            raise ValueError(f"invalid byte offset {byte_offset} for {kind}")
        if length is None:
            if (len(buffer) - byte_offset) % size:
                raise ValueError(f"buffer length is not a multiple of {size}")
            length = (len(buffer) - byte_offset) // size
        if length < 0 or byte_offset + length * size > len(buffer):
            raise ValueError(f"{kind} of length {length} does not fit its buffer")
        self.kind = kind
        self.buffer = buffer
        self.byte_offset = byte_offset
        self.length = length

    @classmethod
    def of(cls, kind: str, values: Iterable[float]) -> JSTypedArray:
        """Pack ``values`` into a new buffer, like ``new Float64Array([...])``."""
        items = list(values)
        size, fmt = TYPED_ARRAY_KINDS[kind]
        code = fmt[-1]
        if kind == "Uint8ClampedArray":
            items = [min(255, max(0, round(v))) for v in items]
        elif code not in "fd":
            bits = size * 8
            items = [int(v) % (1 << bits) for v in items]
            if code.islower():
                items = [v - (1 << bits) if v >= 1 << (bits - 1) else v for v in items]
        data = struct.pack("<" + code * len(items), *items)
        return cls(kind, bytearray(data), 0, len(items))

    @property
    def byte_length(self) -> int:
        return self.length * TYPED_ARRAY_KINDS[self.kind][0]

    @property
    def is_bigint(self) -> bool:
        return self.kind in BIGINT_TYPED_ARRAYS

    def tobytes(self) -> bytes:
        """The bytes this view covers."""
        return bytes(self.buffer[self.byte_offset : self.byte_offset + self.byte_length])

    def tolist(self) -> list[Any]:
        """The elements as Python numbers (ints for integer and BigInt kinds)."""
        code = TYPED_ARRAY_KINDS[self.kind][1][-1]
        return list(struct.unpack("<" + code * self.length, self.tobytes()))

    def __len__(self) -> int:
        return self.length

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSTypedArray):
            return NotImplemented
        return self.kind == other.kind and self.tobytes() == other.tobytes()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSTypedArray({self.kind!r}, {self.tolist()!r})"


class JSDataView:
    """A JS ``DataView`` of ``byte_length`` bytes on ``buffer`` from ``byte_offset``."""

    __slots__ = ("buffer", "byte_length", "byte_offset")

    def __init__(self, buffer: bytearray, byte_offset: int = 0, byte_length: int | None = None):
        if not isinstance(buffer, bytearray):
            raise TypeError("a DataView's buffer must be a bytearray")
        if byte_offset < 0 or byte_offset > len(buffer):
            raise ValueError(f"invalid byte offset {byte_offset}")
        if byte_length is None:
            byte_length = len(buffer) - byte_offset
        if byte_length < 0 or byte_offset + byte_length > len(buffer):
            raise ValueError(f"DataView of {byte_length} bytes does not fit its buffer")
        self.buffer = buffer
        self.byte_offset = byte_offset
        self.byte_length = byte_length

    def tobytes(self) -> bytes:
        return bytes(self.buffer[self.byte_offset : self.byte_offset + self.byte_length])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSDataView):
            return NotImplemented
        return self.tobytes() == other.tobytes()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSDataView({self.tobytes()!r})"


class TemporalType(IntEnum):
    """The eight Temporal classes; the value is a Temporal node's ``c``."""

    INSTANT = 0
    DURATION = 1
    PLAIN_DATE = 2
    PLAIN_DATE_TIME = 3
    PLAIN_MONTH_DAY = 4
    PLAIN_TIME = 5
    PLAIN_YEAR_MONTH = 6
    ZONED_DATE_TIME = 7

    @property
    def js_name(self) -> str:
        return TEMPORAL_TYPE_NAMES[self.value]


class JSTemporal:
    """A ``Temporal.*`` value, kept as its class and its ``toString()`` text."""

    __slots__ = ("text", "type")

    def __init__(self, type: TemporalType, text: str) -> None:
        self.type = TemporalType(type)
        self.text = text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSTemporal):
            return NotImplemented
        return (self.type, self.text) == (other.type, other.text)

    def __hash__(self) -> int:
        return hash((self.type, self.text))

    def __repr__(self) -> str:
        return f"JSTemporal({self.type.js_name}, {self.text!r})"


class Sequence:
    """seroval's captured sync iterator: ``values`` yielded, then done or thrown.

    ``done_at`` is the index of the return value (the last entry), and ``throw_at`` the
    index of a thrown value, or -1.  Iterating it in Python replays the iterator:
    it yields the values before ``done_at`` and returns (or raises) the last one.
    A dict with a :attr:`JSSymbol.ITERATOR` key holding a Sequence is a JS iterable.
    """

    __slots__ = ("done_at", "throw_at", "values")

    def __init__(self, values: list[Any], throw_at: int = -1, done_at: int | None = None) -> None:
        self.values = values
        self.throw_at = throw_at
        self.done_at = len(values) - 1 if done_at is None else done_at

    @classmethod
    def from_iterable(cls, source: Iterable[Any], limit: int) -> Sequence:
        """Drain ``source`` like seroval does: every yielded value, then the return value.

        An exception raised by the iterator becomes the thrown entry.  More than
        ``limit`` items raise ``OverflowError`` (an endless iterator would never end).
        """
        values: list[Any] = []
        iterator = iter(source)
        while True:
            try:
                item = next(iterator)
            except StopIteration as stop:
                values.append(undefined if stop.value is None else stop.value)
                return cls(values, -1, len(values) - 1)
            except Exception as error:
                values.append(error.value if type(error) is ThrownValue else error)
                return cls(values, len(values) - 1, len(values) - 1)
            values.append(item)
            if len(values) > limit:
                raise OverflowError(f"iterable yielded more than {limit} items")

    def __iter__(self) -> Iterator[Any]:
        return self._replay()

    def _replay(self) -> Generator[Any, None, Any]:
        for index, value in enumerate(self.values):
            if index == self.throw_at:
                raise value if isinstance(value, BaseException) else ThrownValue(value)
            if index == self.done_at:
                return value
            yield value
        return undefined

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return (self.values, self.throw_at, self.done_at) == (
            other.values,
            other.throw_at,
            other.done_at,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Sequence({self.values!r}, throw_at={self.throw_at}, done_at={self.done_at})"


class OpaqueReference(Generic[T]):
    """Hide ``value`` from the serializer: ``replacement`` is written in its place.

    As in seroval, the reference itself still takes an id, which is then unused.
    """

    __slots__ = ("replacement", "value")

    def __init__(self, value: T, replacement: object = undefined) -> None:
        self.value = value
        self.replacement = replacement

    def __repr__(self) -> str:
        return f"OpaqueReference({self.value!r}, replacement={self.replacement!r})"


def js_truthy(value: object) -> bool:
    """JS truthiness: 0, -0, NaN, "", null, undefined and false are falsy."""
    if value is None or value is undefined or value is False:
        return False
    if isinstance(value, (int, float)):
        return value == value and value != 0
    if isinstance(value, str):
        return value != ""
    return True


def js_to_string(value: object) -> str:
    """JS ``String(value)`` for primitives; ``TypeError`` for anything else."""
    from .strings import js_number

    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is undefined:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, JSBigInt):
        return str(int(value))
    if isinstance(value, (int, float)):
        return js_number(value)
    raise TypeError(f"cannot convert {type(value).__name__} to a JS string here")
