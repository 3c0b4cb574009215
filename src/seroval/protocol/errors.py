"""The exception tree.

Every error this library raises on purpose is a :class:`SerovalError`.  The tree
mirrors seroval's errors; where seroval wraps a specific error in a "step" error
(``SerovalParserError`` with ``cause``), we raise the specific error and make it a
subclass of its step, so both ``except SerovalMalformedNodeError`` and
``except SerovalDeserializationError`` work.  Errors that can happen in more than
one step (unsupported node, missing plugin, depth limit) hang off the root and
say which step in :attr:`SerovalError.step`::

    SerovalError
    ├── SerovalParserError                a Python value could not become nodes
    │   └── SerovalUnsupportedTypeError   no mapping (and no plugin) for this value
    ├── SerovalSerializationError         nodes could not be written as JS text
    ├── SerovalDeserializationError       input could not be read back into values
    │   ├── SerovalSyntaxError            JSON or JS text that does not parse (line, column)
    │   ├── SerovalEvaluationError        JS text that JS would throw on (line, column)
    │   ├── SerovalMalformedNodeError     a node with a bad field
    │   │   └── SerovalSizeLimitError     a field over a size limit (base64, BigInt, RegExp)
    │   ├── SerovalConflictedNodeIdError  an id registered twice
    │   ├── SerovalMissingReferenceError  a reference to an id that was never defined
    │   ├── SerovalMissingReferenceForIdError  a createReference id nobody registered
    │   ├── SerovalMissingInstanceError   a promise/stream event for an unknown target
    │   ├── SerovalUnknownTypedArrayError
    │   ├── SerovalPluginValidationError  a plugin field that failed its validator
    │   └── SerovalAbortedError           the cross deserializer was aborted
    ├── SerovalUnsupportedNodeError       a node type this step cannot handle
    ├── SerovalMissingPluginError         no plugin with the node's tag
    ├── SerovalDepthLimitError            nesting deeper than ``depth_limit``
    └── SerovalLiveStreamError            misuse of a LiveStream (``reason``)

Errors carry a ``path`` (filled in while the stack unwinds, so it costs nothing on
success): for reading, the location in the node tree, such as ``$.t.a[2].p.v[0]``;
for writing, the location in the Python value, such as ``$[2]["key"]``.  Python
exceptions raised by user code (a plugin, an iterator being drained) are wrapped in
the step error with the original as ``__cause__``.
"""

from __future__ import annotations

from typing import Any, Literal

Step = Literal["parse", "serialize", "deserialize"]

__all__ = [
    "SerovalAbortedError",
    "SerovalConflictedNodeIdError",
    "SerovalDepthLimitError",
    "SerovalDeserializationError",
    "SerovalError",
    "SerovalEvaluationError",
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


class SerovalParserError(SerovalError):
    """A Python value could not be turned into nodes."""

    step: Step | None = "parse"


class SerovalSerializationError(SerovalError):
    """A node tree could not be written as JS text."""

    step: Step | None = "serialize"


class SerovalDeserializationError(SerovalError):
    """Input (nodes, JSON text or JS text) could not be read back into values."""

    step: Step | None = "deserialize"


class SerovalUnsupportedTypeError(SerovalParserError):
    """A value has no seroval mapping and no plugin accepted it."""

    def __init__(self, message: str, value: object = None) -> None:
        super().__init__(message)
        self.value = value


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


class SerovalUnsupportedNodeError(SerovalError):
    """A node type that this step cannot handle, or one gated off by a feature flag."""

    def __init__(self, message: str, node: object = None, *, step: Step | None = None) -> None:
        super().__init__(message, step=step)
        self.node = node


class SerovalMissingPluginError(SerovalError):
    """A plugin node whose tag matches no plugin given to this call."""

    def __init__(self, message: str, tag: str, *, step: Step | None = None) -> None:
        super().__init__(message, step=step)
        self.tag = tag


class SerovalDepthLimitError(SerovalError):
    """A value or node tree nested deeper than ``depth_limit``."""

    def __init__(self, limit: int, *, step: Step | None = None, what: str = "nesting") -> None:
        super().__init__(f"{what} is deeper than the depth limit of {limit}", step=step)
        self.limit = limit


class SerovalLiveStreamError(SerovalError):
    """A LiveStream was used out of turn; ``reason`` is consumed, pending, reading or closed."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"live stream error: {reason}")
        self.reason = reason


def wrap_foreign(error: BaseException, step: Step, what: str) -> SerovalError:
    """Wrap an exception raised by user code during ``step`` in that step's error."""
    cls: Any = {
        "parse": SerovalParserError,
        "serialize": SerovalSerializationError,
        "deserialize": SerovalDeserializationError,
    }[step]
    wrapped: SerovalError = cls(f"{what} raised {type(error).__name__}: {error}")
    wrapped.__cause__ = error
    return wrapped
