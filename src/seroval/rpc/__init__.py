"""Server functions: call Python functions from a browser or another process, over seroval.

Server::

    from seroval.rpc import ServerFunctions

    functions = ServerFunctions()

    @functions.function
    async def get_thing(n: int, when: datetime) -> dict[str, object]:
        return {"id": n, "when": when}

    app = functions.asgi_app()          # uvicorn module:app, or Mount("/api", app)

Client::

    async with Client("http://127.0.0.1:8000") as client:
        thing = await client.stub(get_thing)(42, datetime.now(UTC))

The wire is SolidStart 2.0's JSON mode (``POST /_server``, ``X-Server-Id``,
``;0x%08x;`` frames of cross-JSON records), so a SolidStart browser client can call
these functions unchanged.  ``rpc.core`` holds the protocol as sans-I/O objects;
the transports live in :mod:`seroval.transports`.
"""

from .client import Client
from .context import Context, current_context
from .core.errors import (
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
from .core.limits import CallLimits
from .core.session import (
    ConnectionClosingError,
    ConnectionLostError,
    SessionLimits,
    TooManyCallsError,
)
from .redirect import Redirect, redirect
from .registry import Middleware, ServerFunction, ServerFunctions
from .results import RemotePromise, RemoteStream
from .sync_client import SyncClient, SyncPromise, SyncStream

__all__ = [
    "ArgumentsError",
    "BadRequestError",
    "CallCancelledError",
    "CallLimits",
    "CallRefusedError",
    "Client",
    "ConnectionClosingError",
    "ConnectionLostError",
    "Context",
    "CrossSiteError",
    "DeadlineExceededError",
    "HeadersTooLargeError",
    "MethodNotAllowedError",
    "Middleware",
    "PayloadTooLargeError",
    "ProtocolError",
    "Redirect",
    "RemoteError",
    "RemotePromise",
    "RemoteStream",
    "RequestTimeoutError",
    "SerovalRPCError",
    "ServerError",
    "ServerFunction",
    "ServerFunctions",
    "SessionLimits",
    "SyncClient",
    "SyncPromise",
    "SyncStream",
    "TooManyCallsError",
    "UnknownFunctionError",
    "current_context",
    "redirect",
]
