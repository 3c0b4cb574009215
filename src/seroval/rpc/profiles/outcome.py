"""A profile's view of what a function did, before the core serializes it.

Some framework answers are not a serialized value: SolidStart 2.0 sends a string
or a Blob result raw, and a no-JS form post gets a ``302`` with a flash cookie
whatever the function returned or raised.  The core must still run the call
(binding, middleware, deadline, access log), so a profile gives it copies of the
functions that report their outcome to the profile's per-call
:class:`Intercept` and hand the core ``None`` instead when the profile will
answer itself.  A call without an :class:`Intercept` (none set) runs unchanged.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

import anyio.to_thread

from ..core.carrier import ResponseSink
from ..core.wire import Headers, ResponseHead
from ..redirect import Redirect
from ..registry import ServerFunction, ServerFunctions

__all__ = ["AnsweringSink", "Intercept", "current_intercept", "intercepted"]

_MISSING: Any = object()


@dataclass
class Intercept:
    """One call's outcome as the profile wants it.

    ``capture`` true: every outcome (value, exception, redirect) is kept here and
    the core gets ``None``; else only a result for which ``keep(result)`` is true
    is kept (the core gets ``None``), the rest goes to the core as usual.
    """

    capture: bool = False
    keep: Callable[[Any], bool] | None = None
    after: Callable[[Any, BaseException | None], Awaitable[Any]] | None = None
    """Given the result (or a raised :class:`~seroval.rpc.redirect.Redirect`), the
    value the core sends instead (single-flight); it may add :attr:`headers`."""
    headers: list[tuple[str, str]] = field(default_factory=list)
    """Headers added to the core's response."""
    result: Any = _MISSING
    thrown: BaseException | None = None

    @property
    def kept(self) -> bool:
        """Whether the profile answers this call itself."""
        return self.result is not _MISSING or self.thrown is not None


_CURRENT: contextvars.ContextVar[Intercept | None] = contextvars.ContextVar(
    "seroval_profile_intercept", default=None
)


def current_intercept() -> contextvars.ContextVar[Intercept | None]:
    """The context variable a profile sets to its call's :class:`Intercept`."""
    return _CURRENT


def _kept(intercept: Intercept, result: Any) -> bool:
    keep = intercept.keep
    return keep is not None and not isinstance(result, Redirect) and keep(result)


def _reporting(entry: ServerFunction) -> Callable[..., Any]:
    async def call(*args: Any, **kwargs: Any) -> Any:
        intercept = _CURRENT.get()
        try:
            if entry.kind == "sync":
                bound = functools.partial(entry.fn, *args, **kwargs)
                result = await anyio.to_thread.run_sync(bound)
            elif entry.kind == "async":
                result = await entry.fn(*args, **kwargs)
            else:
                result = entry.fn(*args, **kwargs)
        except Exception as error:
            if intercept is None:
                raise
            if intercept.capture:
                intercept.thrown = error
                return None
            if intercept.after is not None and isinstance(error, Redirect):
                return await intercept.after(None, error)
            raise
        if intercept is not None and intercept.after is not None and not intercept.capture:
            result = await intercept.after(result, None)
        if intercept is not None and (intercept.capture or _kept(intercept, result)):
            intercept.result = result
            return None
        return result

    return call


def intercepted(functions: ServerFunctions) -> None:
    """Make every function of ``functions`` (a profile's own copy) report to the
    current :class:`Intercept`; signatures and context parameters stay as they were."""
    functions._functions = {
        entry.id: replace(entry, fn=_reporting(entry), kind="async") for entry in functions
    }


class AnsweringSink:
    """The core's response, or, when the call's :class:`Intercept` kept the outcome,
    the profile's own answer (``answer(intercept)`` gives its head and body) in its
    place: the core's frames for the ``None`` it was given are dropped."""

    def __init__(
        self,
        sink: ResponseSink,
        intercept: Intercept,
        answer: Callable[[Intercept], tuple[ResponseHead, bytes]],
    ) -> None:
        self.sink = sink
        self.intercept = intercept
        self.answer = answer
        self.replaced = False
        self.done = False

    async def start(self, head: ResponseHead) -> None:
        if not self.intercept.kept:
            if self.intercept.headers:
                headers = Headers(head.headers)
                for name, value in self.intercept.headers:
                    headers.set(name, value)
                head = ResponseHead(head.status, headers)
            await self.sink.start(head)
            return
        self.replaced = True
        own, self._body = self.answer(self.intercept)
        await self.sink.start(own)

    async def send(self, data: bytes, *, end: bool = False) -> None:
        if not self.replaced:
            await self.sink.send(data, end=end)
        elif not self.done:
            self.done = True
            await self.sink.send(self._body, end=True)
