"""The exception tree.

Every error this library raises on purpose is a :class:`SerovalError`, and every
failure belongs to one side, by class alone, as h11's local and remote protocol
errors do:

* :class:`SerovalSerializationError`: *our own* value or tree cannot be written
  (a Python value with no mapping, a tree that is not JSON data, a codec that
  cannot encode it).  In a server this is a bug on the server's side: 500.
* :class:`SerovalDeserializationError`: the *input* is bad (text that does not
  parse, a malformed node, bytes a codec cannot decode, a bad frame, a limit
  exceeded).  In a server this is the peer's fault: 400.

A transport maps the two with one ``except`` each.  The codec layer adds its own
step bases (``SerovalCodecError``, ``SerovalFramingError``) whose subclasses sit
on the right side too (see :mod:`seroval.codecs.errors`)::

    SerovalError
    ├── SerovalSerializationError            writing failed (local)
    │   ├── SerovalParserError               a Python value could not become nodes
    │   │   ├── SerovalUnsupportedTypeError  no mapping (and no plugin) for this value
    │   │   └── SerovalParserDepthLimitError
    │   ├── SerovalSerializationDepthLimitError, ...UnsupportedNodeError, ...MissingPluginError
    │   └── SerovalCodecEncodeError          (codecs) a tree the codec cannot encode
    ├── SerovalDeserializationError          reading failed (remote)
    │   ├── SerovalSyntaxError               JSON or JS text that does not parse (line, column)
    │   ├── SerovalEvaluationError           JS text that JS would throw on (line, column)
    │   ├── SerovalMalformedNodeError        a node with a bad field
    │   │   └── SerovalSizeLimitError        a field over a size limit (base64, BigInt, RegExp)
    │   ├── SerovalConflictedNodeIdError     an id registered twice
    │   ├── SerovalMissingReferenceError     a reference to an id that was never defined
    │   ├── SerovalMissingReferenceForIdError  a createReference id nobody registered
    │   ├── SerovalMissingInstanceError      a promise/stream event for an unknown target
    │   ├── SerovalUnknownTypedArrayError
    │   ├── SerovalPluginValidationError     a plugin field that failed its validator
    │   ├── SerovalAbortedError              the cross deserializer was aborted
    │   ├── SerovalDeserializationDepthLimitError, ...UnsupportedNodeError, ...MissingPluginError
    │   └── SerovalCodecDecodeError          (codecs) bytes the codec cannot decode
    ├── SerovalDepthLimitError               nesting deeper than ``depth_limit`` (either side)
    ├── SerovalUnsupportedNodeError          a node type this step cannot handle (either side)
    ├── SerovalMissingPluginError            no plugin with the node's tag (either side)
    └── SerovalLiveStreamError               misuse of a LiveStream (``reason``)

The three "either side" kinds are what ``except`` can name when the side does not
matter; constructing one with ``step=`` gives the side's subclass (so
``SerovalDepthLimitError(10, step="deserialize")`` is both a
``SerovalDepthLimitError`` and a ``SerovalDeserializationError``).

Errors carry a ``path`` (filled in while the stack unwinds, so it costs nothing on
success): for reading, the location in the node tree, such as ``$.t.a[2].p.v[0]``;
for writing, the location in the Python value, such as ``$[2]["key"]``.  Python
exceptions raised by user code (a plugin, an iterator being drained) are wrapped in
the step error with the original as ``__cause__``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Final, Literal

Step = Literal["parse", "serialize", "deserialize"]

__all__ = [
    "SerovalAbortedError",
    "SerovalConflictedNodeIdError",
    "SerovalDepthLimitError",
    "SerovalDeserializationDepthLimitError",
    "SerovalDeserializationError",
    "SerovalDeserializationMissingPluginError",
    "SerovalDeserializationUnsupportedNodeError",
    "SerovalError",
    "SerovalEvaluationError",
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
    "SerovalUnknownTypedArrayError",
    "SerovalUnsupportedNodeError",
    "SerovalUnsupportedTypeError",
    "plugin_hint",
]


_PATH_EDGE = 12


def format_path(path: list[str | int]) -> str:
    """Render a path as ``$`` followed by ``.field`` and ``[index]`` steps.

    Very deep paths keep their first and last steps around an elision.
    """
    if len(path) > 3 * _PATH_EDGE:
        hidden = len(path) - 2 * _PATH_EDGE
        head = format_path(path[:_PATH_EDGE])
        tail = format_path(path[-_PATH_EDGE:])[1:]
        return f"{head}...({hidden} more steps)...{tail}"
    out = ["$"]
    for step in path:
        if isinstance(step, int):
            out.append(f"[{step}]")
        elif step.isidentifier():
            out.append("." + step)
        else:
            out.append("[" + repr(step) + "]")
    return "".join(out)


class SerovalError(Exception):
    """Base class of every error raised by seroval for Python.

    ``line``, ``column`` (1-based) and ``offset`` are set when the error arose while
    reading text (JSON or JS); ``path`` when it arose at a place in a tree or value.
    """

    step: Step | None = None
    line: int | None = None
    column: int | None = None
    offset: int | None = None

    def __init__(self, message: str, *, step: Step | None = None) -> None:
        super().__init__(message)
        self.detail = message
        if step is not None:
            self.step = step
        self.path: list[str | int] = []

    def locate(self, line: int, column: int, offset: int) -> SerovalError:
        """Record where in the input text the error arose (the innermost place wins)."""
        if self.line is None:
            self.line, self.column, self.offset = line, column, offset
        return self

    def at(self, *steps: str | int) -> SerovalError:
        """Prefix ``steps`` to the path (called while unwinding) and return ``self``."""
        self.path[:0] = steps
        return self

    @property
    def where(self) -> str:
        """The path rendered as text, or ``""`` when the error has no location."""
        return format_path(self.path) if self.path else ""

    def __str__(self) -> str:
        text = self.detail
        if self.line is not None and f"at line {self.line}," not in text:
            text = f"{text} at line {self.line}, column {self.column}"
        where = self.where
        return f"{text} (at {where})" if where else text


class SerovalSerializationError(SerovalError):
    """Our own value or tree could not be written: a bug or a limit on the writing side."""

    step: Step | None = "serialize"


class SerovalDeserializationError(SerovalError):
    """Input (nodes, JSON text, JS text, bytes) could not be read back: the input is bad."""

    step: Step | None = "deserialize"


class SerovalParserError(SerovalSerializationError):
    """A Python value could not be turned into nodes (the first half of writing)."""

    step: Step | None = "parse"


class SerovalUnsupportedTypeError(SerovalParserError):
    """A value has no seroval mapping and no plugin accepted it.

    When a ready plugin carries the value's type, the message names it (see
    :func:`plugin_hint`), so the fix is in the error rather than in the docs.
    """

    def __init__(self, message: str, value: object = None) -> None:
        hint = plugin_hint(value) if value is not None else None
        super().__init__(message if hint is None else f"{message}; {hint}")
        self.value = value


#: (module, class name) in a value's MRO -> the ready plugin that carries it, and
#: whether it needs the user's class registered.  Matched by name, so that this
#: bottom layer imports neither the plugins nor the libraries the types come from.
_PLUGIN_HINTS: Final[dict[tuple[str, str], tuple[str, bool]]] = {
    ("decimal", "Decimal"): ("DecimalPlugin", False),
    ("_decimal", "Decimal"): ("DecimalPlugin", False),
    ("_pydecimal", "Decimal"): ("DecimalPlugin", False),
    ("uuid", "UUID"): ("UUIDPlugin", False),
    ("pathlib", "PurePath"): ("PathPlugin", False),
    ("pathlib._local", "PurePath"): ("PathPlugin", False),
    ("enum", "Flag"): ("FlagPlugin", True),
    ("enum", "Enum"): ("EnumPlugin", True),
    ("pydantic.main", "BaseModel"): ("PydanticPlugin", True),
}


def plugin_hint(value: object) -> str | None:
    """Which plugin of :mod:`seroval.plugins.python` would carry ``value``, as advice."""
    kind = type(value)
    found: tuple[str, bool] | None = None
    if hasattr(kind, "__dataclass_fields__") and not isinstance(value, type):
        found = ("DataclassPlugin", True)
    for base in kind.__mro__:
        if found is not None:
            break
        found = _PLUGIN_HINTS.get((base.__module__, base.__qualname__))
    if found is None:
        return None
    plugin, registered = found
    name = kind.__qualname__
    usage = f"python.plugins({name})" if registered else "python.ALL"
    return (
        f"the {plugin} of seroval.plugins.python carries it"
        f" (from seroval.plugins import python; plugins={usage})"
    )


class SerovalSyntaxError(SerovalDeserializationError):
    """JSON or JS text that does not parse; ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, *, line: int, column: int, offset: int) -> None:
        super().__init__(message)
        self.locate(line, column, offset)


class SerovalEvaluationError(SerovalDeserializationError):
    """Well-formed JS text that JS would throw on, or that breaks a safety rule.

    For example ``h.set(1,2)`` where ``h`` is not a Map, assigning to a value the
    application registered, or settling a promise to another promise.
    """

    def __init__(self, message: str, *, line: int, column: int, offset: int) -> None:
        super().__init__(message)
        self.locate(line, column, offset)


class SerovalMalformedNodeError(SerovalDeserializationError):
    """A node has a field of the wrong type or out of range."""

    def __init__(self, message: str, node: object = None) -> None:
        super().__init__(message)
        self.node = node


class SerovalSizeLimitError(SerovalMalformedNodeError):
    """A field is over one of the reader's size limits."""


class SerovalConflictedNodeIdError(SerovalDeserializationError):
    """Two nodes claim the same id."""


class SerovalMissingReferenceError(SerovalDeserializationError):
    """An IndexedValue points at an id that was never defined."""


class SerovalMissingReferenceForIdError(SerovalDeserializationError):
    """A Reference node names an id that no :func:`create_reference` registered."""

    def __init__(self, message: str, reference_id: str) -> None:
        super().__init__(message)
        self.reference_id = reference_id


class SerovalMissingInstanceError(SerovalDeserializationError):
    """A promise or stream event targets an id that holds no promise or stream."""


class SerovalUnknownTypedArrayError(SerovalDeserializationError):
    """A typed-array node names a constructor that is not one of the eleven."""


class SerovalPluginValidationError(SerovalDeserializationError):
    """A plugin node's field failed the plugin's validator."""

    def __init__(self, message: str, tag: str, field: str) -> None:
        super().__init__(message)
        self.tag = tag
        self.field = field


class SerovalAbortedError(SerovalDeserializationError):
    """The cross deserializer was aborted and takes no more input."""


# -- kinds that happen on either side ------------------------------------------------


_SIDES: Final[dict[Step, type[SerovalError]]] = {
    "parse": SerovalParserError,
    "serialize": SerovalSerializationError,
    "deserialize": SerovalDeserializationError,
}


class _EitherSide(SerovalError):
    """A kind of error both sides can raise; ``step=`` picks the side's subclass."""

    _by_step: ClassVar[dict[Step, type[SerovalError]]] = {}

    def __new__(cls, *args: Any, step: Step | None = None, **kwargs: Any) -> Any:
        if step is not None and "_by_step" in cls.__dict__:
            cls = cls._by_step[step]  # type: ignore[assignment]
        return super().__new__(cls, *args)


class SerovalUnsupportedNodeError(_EitherSide):
    """A node type that this step cannot handle, or one gated off by a feature flag."""

    def __init__(self, message: str, node: object = None, *, step: Step | None = None) -> None:
        super().__init__(message, step=step)
        self.node = node


class SerovalMissingPluginError(_EitherSide):
    """A plugin node whose tag matches no plugin given to this call."""

    def __init__(self, message: str, tag: str, *, step: Step | None = None) -> None:
        super().__init__(message, step=step)
        self.tag = tag


class SerovalDepthLimitError(_EitherSide):
    """A value or node tree nested deeper than ``depth_limit``."""

    def __init__(self, limit: int, *, step: Step | None = None, what: str = "nesting") -> None:
        super().__init__(f"{what} is deeper than the depth limit of {limit}", step=step)
        self.limit = limit


class SerovalSerializationUnsupportedNodeError(
    SerovalUnsupportedNodeError, SerovalSerializationError
):
    """A node the JS text writer cannot write (``compile_json`` of a bad tree)."""


class SerovalDeserializationUnsupportedNodeError(
    SerovalUnsupportedNodeError, SerovalDeserializationError
):
    """A node type the reader does not know, or one its feature flags turn off."""


class SerovalSerializationMissingPluginError(SerovalMissingPluginError, SerovalSerializationError):
    """A plugin node to write as JS text whose tag matches no plugin given."""


class SerovalDeserializationMissingPluginError(
    SerovalMissingPluginError, SerovalDeserializationError
):
    """A plugin node to read whose tag matches no plugin given."""


class SerovalParserDepthLimitError(SerovalDepthLimitError, SerovalParserError):
    """A Python value nested deeper than ``depth_limit``."""


class SerovalSerializationDepthLimitError(SerovalDepthLimitError, SerovalSerializationError):
    """A node tree to write nested deeper than the writer allows."""


class SerovalDeserializationDepthLimitError(SerovalDepthLimitError, SerovalDeserializationError):
    """Input nested deeper than ``depth_limit``."""


SerovalUnsupportedNodeError._by_step = {
    "serialize": SerovalSerializationUnsupportedNodeError,
    "deserialize": SerovalDeserializationUnsupportedNodeError,
}
SerovalMissingPluginError._by_step = {
    "serialize": SerovalSerializationMissingPluginError,
    "deserialize": SerovalDeserializationMissingPluginError,
}
SerovalDepthLimitError._by_step = {
    "parse": SerovalParserDepthLimitError,
    "serialize": SerovalSerializationDepthLimitError,
    "deserialize": SerovalDeserializationDepthLimitError,
}


class SerovalLiveStreamError(SerovalError):
    """A LiveStream was used out of turn; ``reason`` is consumed, pending, reading or closed."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"live stream error: {reason}")
        self.reason = reason


def wrap_foreign(error: BaseException, step: Step, what: str) -> SerovalError:
    """Wrap an exception raised by user code during ``step`` in that step's error."""
    wrapped = _SIDES[step](f"{what} raised {type(error).__name__}: {error}")
    wrapped.__cause__ = error
    return wrapped
