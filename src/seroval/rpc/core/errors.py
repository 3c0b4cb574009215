"""The RPC layer's errors: why a call failed, with the HTTP status each one maps to.

Every failure of a call is a :class:`SerovalRPCError` (a :class:`~seroval.SerovalError`),
and every one the server decides travels as a seroval Error whose ``name`` is the
class name and whose own properties hold a stable ``code`` and the ``status``, so
a client maps it back with an explicit table (:data:`REFUSALS`), never by looking
a class up from payload text::

    SerovalError
    └── SerovalRPCError                 a call failed; ``status`` and ``code``
        ├── RemoteError                 the function raised: name, message, cause, properties
        ├── CallRefusedError            the server refused the call; the function did not run
        │   ├── BadRequestError         400: body not decodable, malformed frames, bad header
        │   │   └── ArgumentsError      400: the arguments do not bind to the signature
        │   ├── CrossSiteError          403: Sec-Fetch-Site / Origin say another site sent it
        │   ├── UnknownFunctionError    404: no function has this id
        │   ├── MethodNotAllowedError   405: ``allow`` lists the methods it takes
        │   ├── RequestTimeoutError     408: the body took longer than ``body_timeout``
        │   ├── HeadersTooLargeError    431: the header fields are over ``max_header_size``
        │   └── PayloadTooLargeError    413: the body is over ``max_body_size``
        ├── DeadlineExceededError       504: the call's deadline passed (either side)
        ├── CallCancelledError          499: the caller went away (the server side sees this)
        ├── ServerError                 500: the server failed outside the function
        └── ProtocolError               the peer broke the protocol (bad response, cut stream)

:class:`RemoteError` is what a client raises for an exception the function raised
(unless the application registered a class for its ``name``).  Stack traces stay
on the server unless it opts in, so ``stack`` is ``None`` by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final

from ...protocol.errors import SerovalError

__all__ = [
    "REFUSALS",
    "ArgumentsError",
    "BadRequestError",
    "CallCancelledError",
    "CallRefusedError",
    "CrossSiteError",
    "DeadlineExceededError",
    "HeadersTooLargeError",
    "MethodNotAllowedError",
    "PayloadTooLargeError",
    "ProtocolError",
    "RemoteError",
    "RequestTimeoutError",
    "SerovalRPCError",
    "ServerError",
    "UnknownFunctionError",
]


class SerovalRPCError(SerovalError):
    """A call failed.  ``status`` is the HTTP status it maps to; ``code`` a stable word."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "rpc_error"

    def __init__(self, message: str, *, function_id: str | None = None) -> None:
        super().__init__(message)
        self.function_id = function_id

    def wire_properties(self) -> dict[str, Any]:
        """The own properties the server sends with this error (beside name and message)."""
        return {"code": self.code, "status": self.status}


class RemoteError(SerovalRPCError):
    """The server function raised; this carries what it sent.

    ``name`` is the error's name (``ValueError``, ``InsufficientFunds``, ...),
    ``message`` its message, ``cause`` the cause (a :class:`RemoteError` when the
    cause was an error, else the value), ``properties`` its other own properties
    (such as ``code``), ``stack`` the server's trace only if the server opted in.
    """

    status: ClassVar[int] = 200
    code: ClassVar[str] = "remote"

    def __init__(
        self,
        name: str,
        message: str,
        *,
        cause: Any = None,
        properties: Mapping[str, Any] | None = None,
        stack: str | None = None,
        function_id: str | None = None,
    ) -> None:
        super().__init__(f"{name}: {message}" if message else name, function_id=function_id)
        self.name = name
        self.message = message
        self.cause = cause
        self.properties: dict[str, Any] = dict(properties or {})
        self.stack = stack
        if isinstance(cause, BaseException):
            self.__cause__ = cause

    def __repr__(self) -> str:
        return f"RemoteError({self.name!r}, {self.message!r}, properties={self.properties!r})"


class CallRefusedError(SerovalRPCError):
    """The server refused the call before running the function."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "refused"


class BadRequestError(CallRefusedError):
    """400: the request cannot be read (body, frames, headers, an unsettled argument)."""

    code: ClassVar[str] = "bad_request"


class ArgumentsError(BadRequestError):
    """400: the arguments do not bind to the function's signature; it did not run."""

    code: ClassVar[str] = "bad_arguments"


class CrossSiteError(CallRefusedError):
    """403: the request came from another site (Sec-Fetch-Site, or a foreign Origin)."""

    status: ClassVar[int] = 403
    code: ClassVar[str] = "cross_site"


class UnknownFunctionError(CallRefusedError):
    """404: no function is registered under this id."""

    status: ClassVar[int] = 404
    code: ClassVar[str] = "unknown_function"


class MethodNotAllowedError(CallRefusedError):
    """405: the function is not callable with this method; ``allow`` lists the ones it is."""

    status: ClassVar[int] = 405
    code: ClassVar[str] = "method_not_allowed"

    def __init__(
        self, message: str, *, allow: tuple[str, ...] = ("POST",), function_id: str | None = None
    ) -> None:
        super().__init__(message, function_id=function_id)
        self.allow = allow

    def wire_properties(self) -> dict[str, Any]:
        return {**super().wire_properties(), "allow": ", ".join(self.allow)}


class RequestTimeoutError(CallRefusedError):
    """408: the request body did not arrive within the server's ``body_timeout``.

    A client that trickles its body holds a connection and a call open; the carrier
    gives the whole body a deadline (Next.js CVE-2024-56332 is this hole).
    """

    status: ClassVar[int] = 408
    code: ClassVar[str] = "request_timeout"


class HeadersTooLargeError(CallRefusedError):
    """431: the request's header fields are over the server's ``max_header_size``.

    ASGI servers bound the header block only while it is incomplete (h11: 16 KiB),
    so a block that arrives in one read passes whatever its size; the call refuses
    it before looking at any field.
    """

    status: ClassVar[int] = 431
    code: ClassVar[str] = "headers_too_large"


class PayloadTooLargeError(CallRefusedError):
    """413: the request body is over the server's ``max_body_size``."""

    status: ClassVar[int] = 413
    code: ClassVar[str] = "payload_too_large"


class DeadlineExceededError(SerovalRPCError):
    """504: the call's deadline passed; the server cancelled it, the client stopped waiting."""

    status: ClassVar[int] = 504
    code: ClassVar[str] = "deadline_exceeded"


class CallCancelledError(SerovalRPCError):
    """499: the caller cancelled or disconnected; the server cancelled the function."""

    status: ClassVar[int] = 499
    code: ClassVar[str] = "cancelled"


class ServerError(SerovalRPCError):
    """500: the server failed outside the function (e.g. a result it cannot serialize)."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "server_error"


class ProtocolError(SerovalRPCError):
    """The peer broke the protocol: a response that is not framed seroval, a cut stream."""

    status: ClassVar[int] = 502
    code: ClassVar[str] = "protocol_error"


REFUSALS: Final[Mapping[str, type[SerovalRPCError]]] = {
    cls.code: cls
    for cls in (
        BadRequestError,
        ArgumentsError,
        CrossSiteError,
        UnknownFunctionError,
        MethodNotAllowedError,
        RequestTimeoutError,
        HeadersTooLargeError,
        PayloadTooLargeError,
        DeadlineExceededError,
        CallCancelledError,
        ServerError,
    )
}
"""The errors the server decides, by their wire ``code``: the client's explicit table."""
