"""Exceptions across the wire: a raised exception becomes a seroval Error, and back.

Server side, :func:`to_js_error` keeps what a caller can act on: the error's name
(its class name), its message, its ``cause`` (recursively) and its public instance
attributes that seroval can carry (``self.code = 42`` travels as ``code``).  The
traceback stays on the server unless ``include_tracebacks`` is set.

Client side, :func:`from_js_error` turns what arrived into an exception:

1. an error the server itself decided (refusal, deadline) becomes its class from
   :data:`~seroval.rpc.core.errors.REFUSALS`, found by the ``code`` property and
   checked against the name;
2. an error whose name the application registered becomes that class (an explicit
   table given to the client; nothing is looked up from payload text);
3. anything else is a :class:`~seroval.rpc.core.errors.RemoteError`.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable, Mapping
from typing import Any, Final

from ..protocol.errors import SerovalError
from ..protocol.model.exceptions import JSError
from ..protocol.model.options import WriteOptions
from ..protocol.model.primitives import undefined
from ..protocol.tree.api import to_cross_json_with
from .core.errors import REFUSALS, MethodNotAllowedError, RemoteError, SerovalRPCError

__all__ = ["ExceptionTable", "from_js_error", "to_js_error"]

ExceptionTable = Mapping[str, type[BaseException] | Callable[[RemoteError], BaseException]]
"""Error name -> the exception class (called with the message) or factory to raise."""

_PROBE: Final = WriteOptions()
_MAX_CAUSES: Final = 32


def _carried(value: Any) -> bool:
    """Whether seroval can write ``value`` (a probe; only errors pay for it)."""
    try:
        to_cross_json_with(_PROBE, value)
    except SerovalError:
        return False
    return True


def to_js_error(
    error: BaseException, *, include_tracebacks: bool = False, _depth: int = 0
) -> JSError:
    """The seroval Error a raised exception is sent as (see the module docs)."""
    if isinstance(error, JSError):
        return error
    if isinstance(error, SerovalRPCError):
        return JSError(error.detail, name=type(error).__name__, properties=error.wire_properties())
    properties: dict[str, Any] = {}
    for key, value in vars(error).items() if hasattr(error, "__dict__") else ():
        public = isinstance(key, str) and not key.startswith("_")
        if public and key not in ("name", "message") and _carried(value):
            properties[key] = value
    stack = "".join(traceback.format_exception(error)) if include_tracebacks else None
    cause = error.__cause__
    if cause is not None and _depth < _MAX_CAUSES:
        properties["cause"] = to_js_error(
            cause, include_tracebacks=include_tracebacks, _depth=_depth + 1
        )
    return JSError(str(error), name=type(error).__name__, stack=stack, properties=properties)


def from_js_error(
    value: Any, exceptions: ExceptionTable | None = None, *, function_id: str | None = None
) -> BaseException:
    """The exception a client raises for an error value the server sent."""
    if not isinstance(value, JSError):
        return RemoteError(
            "ThrownValue", _text(value), properties={"value": value}, function_id=function_id
        )
    name = value.name if isinstance(value.name, str) else "Error"
    own = {key: item for key, item in value.properties.items() if isinstance(key, str)}
    code = own.get("code")
    known = REFUSALS.get(code) if isinstance(code, str) else None
    if known is not None and known.__name__ == name:
        if known is MethodNotAllowedError:
            allow = own.get("allow")
            methods = tuple(m.strip() for m in allow.split(",")) if isinstance(allow, str) else ()
            return MethodNotAllowedError(value.message, allow=methods, function_id=function_id)
        return known(value.message, function_id=function_id)
    cause = own.pop("cause", undefined)
    stack = own.pop("stack", None)
    own.pop("name", None)
    remote = RemoteError(
        name,
        value.message,
        cause=None if cause is undefined else _cause(cause, exceptions),
        properties=own,
        stack=stack if isinstance(stack, str) else None,
        function_id=function_id,
    )
    registered = exceptions.get(name) if exceptions else None
    if registered is None:
        return remote
    if isinstance(registered, type):
        return _rebuild(registered, remote)
    return registered(remote)


def _rebuild(cls: type[BaseException], remote: RemoteError) -> BaseException:
    """An instance of a registered class: made with the message, the properties set on it.

    A class whose constructor wants more than the message is made without calling it
    (``args`` is the message), so registering a class never fails at receive time.
    """
    try:
        exception = cls(remote.message)
    except TypeError:
        exception = cls.__new__(cls)
        exception.args = (remote.message,)
    for key, item in remote.properties.items():
        if key.isidentifier() and not key.startswith("_"):
            with contextlib.suppress(AttributeError, TypeError):
                setattr(exception, key, item)
    exception.__cause__ = remote.cause if isinstance(remote.cause, BaseException) else None
    exception.remote = remote  # type: ignore[attr-defined]
    return exception


def _cause(value: Any, exceptions: ExceptionTable | None) -> Any:
    return from_js_error(value, exceptions) if isinstance(value, JSError) else value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)
