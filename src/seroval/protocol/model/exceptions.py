"""JS errors: the seven constructors, message and own properties in JS order."""

from __future__ import annotations

from collections.abc import (
    Iterable,
    Mapping,
)
from enum import IntEnum
from typing import Any, Final, TypeVar

from .nodes import (
    ERROR_CONSTRUCTOR_NAMES,
)
from .primitives import undefined

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


# ---------------------------------------------------------------------------
# Errors


class JSException(Exception):
    """What a JS ``throw`` or a promise's rejection raises in Python, whatever was thrown.

    ``except JSException`` catches everything a read-back promise, stream or
    iterator can raise for its peer: a :class:`JSError` (the peer threw an Error
    object) or a :class:`~seroval.protocol.model.promises.ThrownValue` (it threw any
    other value, kept as ``.value``).  A reader that stops early (an aborted
    :class:`~seroval.CrossDeserializer`, a cut connection) rejects with its own
    reason instead, usually a :class:`~seroval.SerovalError`.
    """


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


class JSError(JSException):
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
