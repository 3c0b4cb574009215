"""Server functions: the registry, each function's id and method, and argument binding.

``functions = ServerFunctions()`` collects functions with ``@functions.function``.
Each has an id: given (``id="1a2b3c4d-0"``, to answer a SolidStart build's ids) or
derived as ``module:qualified.name``, the same in every process and worker that
imports the module.  The registry is an explicit dict built by the decorators: an
id from the wire is looked up there and nowhere else (no import, no attribute
lookup driven by payload text).

Plain functions run in a worker thread (they never block the event loop); async
functions are awaited; async-generator functions and functions returning streams
are streamed.  A parameter annotated :class:`~seroval.rpc.context.Context` is filled
by the server and is not part of the call's wire signature.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, overload

from ..codecs.registry import CodecRegistry
from ..protocol.model.options import WriteOptions
from ..protocol.serializers import Deserializer, Serializer
from .context import Context
from .core.errors import ArgumentsError
from .core.limits import DEFAULT_LIMITS, CallLimits
from .core.server_call import FunctionInfo, SiteRules
from .core.wire import DEFAULT_PATH

__all__ = ["Middleware", "ServerFunction", "ServerFunctions"]

F = TypeVar("F", bound=Callable[..., Any])

CallNext = Callable[[], Awaitable[Any]]
Middleware = Callable[[Context, CallNext], Awaitable[Any]]
"""``async def mw(context, call_next) -> result``: wraps every call, in registration order."""

Kind = Literal["sync", "async", "async-generator"]


@dataclass(frozen=True, slots=True)
class ServerFunction:
    """One registered function: its id, method, kind and wire signature."""

    id: str
    fn: Callable[..., Any]
    kind: Kind
    allow_get: bool
    signature: inspect.Signature
    context_parameter: str | None

    @property
    def info(self) -> FunctionInfo:
        return FunctionInfo(self.id, self.allow_get)

    def bind(self, args: list[Any], context: Context) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """The positional and keyword arguments to call with; :class:`ArgumentsError` if
        ``args`` do not fit the signature (the function then does not run)."""
        try:
            bound = self.signature.bind(*args)
        except TypeError as error:
            raise ArgumentsError(
                f"the arguments do not fit {self.id}{self.signature}: {error}", function_id=self.id
            ) from None
        keywords = dict(bound.kwargs)
        if self.context_parameter is not None:
            keywords[self.context_parameter] = context
        return bound.args, keywords


def _context_parameter(fn: Callable[..., Any]) -> tuple[inspect.Signature, str | None]:
    """The signature without the Context parameter, and that parameter's name."""
    try:
        signature = inspect.signature(fn, eval_str=True)
    except (NameError, TypeError):
        signature = inspect.signature(fn)
    name = None
    kept = []
    for parameter in signature.parameters.values():
        annotation = parameter.annotation
        if annotation is Context or annotation == "Context":
            if parameter.kind is inspect.Parameter.POSITIONAL_ONLY:
                raise TypeError("a Context parameter cannot be positional-only")
            name = parameter.name
            continue
        kept.append(parameter)
    return signature.replace(parameters=kept), name


def default_id(fn: Callable[..., Any]) -> str:
    """``module:qualified.name``: stable across processes that import the same module."""
    return f"{fn.__module__}:{fn.__qualname__}"


class ServerFunctions:
    """A collection of server functions and how they are served.

    ``serializer`` writes results (default: a :class:`~seroval.Serializer` with
    ``include_tracebacks``); ``deserializer`` options come from ``limits``
    (``depth_limit``); ``plugins`` go to both.  ``allowed_origins`` and
    ``allow_same_site`` relax the cross-site check (off by default: cross-site calls
    are refused); ``check_site=False`` turns it off (for non-browser deployments).
    ``on_error(exception, context)`` may return a replacement exception to send
    (redaction, monitoring).  ``codecs`` restricts the codec names accepted.
    """

    def __init__(
        self,
        *,
        limits: CallLimits = DEFAULT_LIMITS,
        plugins: Iterable[Any] = (),
        include_tracebacks: bool = False,
        allowed_origins: Iterable[str] = (),
        allow_same_site: bool = False,
        check_site: bool = True,
        on_error: Callable[[BaseException, Context], BaseException | None] | None = None,
        codecs: Iterable[str] | None = None,
        codec_registry: CodecRegistry | None = None,
        path: str = DEFAULT_PATH,
        middleware: Iterable[Middleware] = (),
    ) -> None:
        plugins = tuple(plugins)
        self.limits = limits
        self.include_tracebacks = include_tracebacks
        self.serializer = Serializer(plugins=plugins, include_tracebacks=include_tracebacks)
        self.deserializer = Deserializer(plugins=plugins, depth_limit=limits.depth_limit)
        self.error_options = WriteOptions(plugins=plugins, include_tracebacks=include_tracebacks)
        self.site = SiteRules(tuple(allowed_origins), allow_same_site, check_site)
        self.on_error = on_error
        self.codecs = None if codecs is None else tuple(codecs)
        self.codec_registry = codec_registry
        self.path = path
        self.middleware: list[Middleware] = list(middleware)
        self._functions: dict[str, ServerFunction] = {}
        self._handler: Any = None

    # -- registration ---------------------------------------------------------------

    @overload
    def function(self, fn: F, /) -> F: ...

    @overload
    def function(
        self, fn: None = None, /, *, id: str | None = None, method: Literal["POST", "GET"] = "POST"
    ) -> Callable[[F], F]: ...

    def function(
        self,
        fn: Any = None,
        /,
        *,
        id: str | None = None,
        method: Literal["POST", "GET"] = "POST",
    ) -> Any:
        """Register ``fn`` (as ``@functions.function`` or ``@functions.function(id=...)``).

        ``method="GET"`` lets it be called by GET too (for reads: a GET must not change
        anything).  Returns ``fn`` itself, so the server can call it directly and a
        client can :meth:`~seroval.rpc.Client.stub` it.
        """

        def register(target: Any) -> Any:
            self.add(target, id=id, method=method)
            return target

        return register if fn is None else register(fn)

    def add(
        self, fn: Callable[..., Any], *, id: str | None = None, method: str = "POST"
    ) -> ServerFunction:
        """Register ``fn`` without decorating; returns its :class:`ServerFunction`."""
        if method not in ("POST", "GET"):
            raise ValueError(f"method must be 'POST' or 'GET', not {method!r}")
        function_id = default_id(fn) if id is None else id
        if not isinstance(function_id, str) or not function_id or not function_id.isprintable():
            raise ValueError(f"a function id must be printable text, not {function_id!r}")
        if "#" in function_id or not function_id.isascii():
            raise ValueError(f"a function id must be ASCII without '#': {function_id!r}")
        if function_id in self._functions:
            raise ValueError(f"the id {function_id!r} is already registered")
        if inspect.isasyncgenfunction(fn):
            kind: Kind = "async-generator"
        elif inspect.iscoroutinefunction(fn):
            kind = "async"
        else:
            kind = "sync"
        signature, context_parameter = _context_parameter(fn)
        entry = ServerFunction(function_id, fn, kind, method == "GET", signature, context_parameter)
        self._functions[function_id] = entry
        with contextlib.suppress(AttributeError, TypeError):
            fn.__seroval_id__ = function_id  # type: ignore[attr-defined]
        return entry

    def use(self, middleware: Middleware) -> Middleware:
        """Add a middleware (outermost first); usable as a decorator."""
        self.middleware.append(middleware)
        return middleware

    # -- lookup ---------------------------------------------------------------------

    def get(self, function_id: str) -> ServerFunction | None:
        return self._functions.get(function_id)

    def info(self, function_id: str) -> FunctionInfo | None:
        entry = self._functions.get(function_id)
        return None if entry is None else entry.info

    def __contains__(self, function_id: object) -> bool:
        return function_id in self._functions

    def __iter__(self) -> Any:
        return iter(self._functions.values())

    def __len__(self) -> int:
        return len(self._functions)

    # -- serving ----------------------------------------------------------------------

    @property
    def handler(self) -> Any:
        """The :class:`~seroval.rpc.server.FunctionHandler` carriers run (made once)."""
        if self._handler is None:
            from .server import FunctionHandler

            self._handler = FunctionHandler(self)
        return self._handler

    def asgi_app(self, *, profile: str | None = None) -> Any:
        """An ASGI app serving these functions at ``path`` below wherever it is mounted.

        It needs no lifespan events (mounted apps never get them), so it works under
        Starlette's or FastAPI's ``Mount`` and on its own under uvicorn or hypercorn.
        ``profile`` serves a framework's client instead (``"solid2"``, ``"tanstack"``:
        see :mod:`seroval.rpc.profiles`).
        """
        from ..transports.asgi import ASGIApp

        if profile is not None:
            from .profiles import handler_for

            return ASGIApp(handler_for(profile, self), body_timeout=self.limits.body_timeout)
        return ASGIApp(self.handler, body_timeout=self.limits.body_timeout)
