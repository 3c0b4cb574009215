"""The call protocol, sans-I/O: heads, frames, states and errors as data.

Nothing in this package does I/O or imports an event loop (``tests/test_layering.py``
checks it): the server API, the client API and the transports drive these objects.
"""

from .client_call import ClientCall, ClientCallState
from .errors import (
    REFUSALS,
    ArgumentsError,
    BadRequestError,
    CallCancelledError,
    CallRefusedError,
    CrossSiteError,
    DeadlineExceededError,
    HeadersTooLargeError,
    MethodNotAllowedError,
    PayloadTooLargeError,
    ProtocolError,
    RemoteError,
    RequestTimeoutError,
    SerovalRPCError,
    ServerError,
    UnknownFunctionError,
)
from .limits import DEFAULT_LIMITS, CallLimits
from .server_call import CallStart, FunctionInfo, ServerCall, ServerCallState, SiteRules
from .wire import DEFAULT_PATH, Headers, RequestHead, ResponseHead

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_PATH",
    "REFUSALS",
    "ArgumentsError",
    "BadRequestError",
    "CallCancelledError",
    "CallLimits",
    "CallRefusedError",
    "CallStart",
    "ClientCall",
    "ClientCallState",
    "CrossSiteError",
    "DeadlineExceededError",
    "FunctionInfo",
    "Headers",
    "HeadersTooLargeError",
    "MethodNotAllowedError",
    "PayloadTooLargeError",
    "ProtocolError",
    "RemoteError",
    "RequestHead",
    "RequestTimeoutError",
    "ResponseHead",
    "SerovalRPCError",
    "ServerCall",
    "ServerCallState",
    "ServerError",
    "SiteRules",
    "UnknownFunctionError",
]
