"""The per-call :class:`Context`: the request, the deadline, and what the response may carry.

A function receives it by declaring a parameter annotated ``Context`` (not sent by
the caller, so not part of the wire signature), or from anywhere inside the call
with :func:`current_context`.  Headers, cookies and the status a function sets are
sent with the first frame; a streamed result's later frames cannot change them.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Any, Literal

from .core.wire import Headers, RequestHead

__all__ = ["Context", "current_context"]

_CURRENT: ContextVar[Context] = ContextVar("seroval_rpc_context")


@dataclass(eq=False)
class Context:
    """One call as the server sees it.

    ``deadline`` is a :func:`time.monotonic` instant (``None``: no deadline; the
    server enforces it by cancelling the call).  ``state`` is free for middleware.
    """

    function_id: str
    request: RequestHead
    deadline: float | None = None
    status: int | None = None
    response_headers: Headers = field(default_factory=Headers)
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> Headers:
        """The request headers."""
        return self.request.headers

    @property
    def url(self) -> str:
        return self.request.url

    @property
    def client(self) -> tuple[str, int] | None:
        """The peer's address, when the carrier knows it."""
        return self.request.client

    @property
    def cookies(self) -> dict[str, str]:
        """The request's cookies (a malformed ``Cookie`` header gives none)."""
        jar: SimpleCookie = SimpleCookie()
        for header in self.request.headers.get_all("cookie"):
            try:
                jar.load(header)
            except CookieError:
                return {}
        return {name: morsel.value for name, morsel in jar.items()}

    def time_remaining(self) -> float | None:
        """Seconds left before the deadline (``None`` without one, 0 once passed)."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())

    def set_cookie(
        self,
        name: str,
        value: str,
        *,
        max_age: int | None = None,
        path: str = "/",
        domain: str | None = None,
        secure: bool = True,
        http_only: bool = True,
        same_site: Literal["lax", "strict", "none"] | None = "lax",
    ) -> None:
        """Add a ``Set-Cookie`` header to the response."""
        jar: SimpleCookie = SimpleCookie()
        jar[name] = value
        morsel = jar[name]
        morsel["path"] = path
        if max_age is not None:
            morsel["max-age"] = str(max_age)
        if domain is not None:
            morsel["domain"] = domain
        if secure:
            morsel["secure"] = True
        if http_only:
            morsel["httponly"] = True
        if same_site is not None:
            morsel["samesite"] = same_site.capitalize()
        self.response_headers.add("set-cookie", morsel.OutputString())


def current_context() -> Context:
    """The :class:`Context` of the call running now; :class:`LookupError` outside a call."""
    try:
        return _CURRENT.get()
    except LookupError:
        raise LookupError(
            "current_context() is only available inside a server function call"
        ) from None


def enter_context(context: Context) -> Any:
    """Make ``context`` current (returns the token :func:`leave_context` takes)."""
    return _CURRENT.set(context)


def leave_context(token: Any) -> None:
    _CURRENT.reset(token)
