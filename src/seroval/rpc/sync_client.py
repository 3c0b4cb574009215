"""The sync client: ``with SyncClient(url) as client: client.call(id, *args)``.

It is the async :class:`~seroval.rpc.client.Client`, run in an event loop of its own
(an anyio blocking portal, one thread), so every rule of the async client holds:
the same requests, errors, deadlines and windows.  HTTP goes through a sync
``httpx.Client`` (yours if given) whose blocking calls run in worker threads.

A streamed part comes back as a :class:`SyncStream` (iterate it; ``close()`` hangs
up the call), a promise as a :class:`SyncPromise` (``result()`` waits for it).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, ParamSpec, TypeVar, overload

from anyio.from_thread import BlockingPortal, start_blocking_portal

from .client import Client, wire_arguments
from .core.carrier import ClientTransport
from .registry import default_id
from .results import RemotePromise, RemoteStream, replace_parts

__all__ = ["SyncClient", "SyncPromise", "SyncStream"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class SyncStream(Iterator[Any]):
    """A streamed part of a result, read synchronously."""

    def __init__(self, stream: RemoteStream[Any], portal: BlockingPortal) -> None:
        self._stream = stream
        self._portal = portal

    def __iter__(self) -> SyncStream:
        return self

    def __next__(self) -> Any:
        try:
            return self._portal.call(self._stream.__anext__)
        except StopAsyncIteration:
            raise StopIteration from None

    @property
    def result(self) -> Any:
        """The generator's return value once iteration ended."""
        return self._stream.result

    def close(self) -> None:
        """Stop reading: hang up the call (the server cancels its work)."""
        self._portal.call(self._stream.aclose)


class SyncPromise:
    """A promise of a result, waited for synchronously."""

    def __init__(self, promise: RemotePromise, portal: BlockingPortal) -> None:
        self._promise = promise
        self._portal = portal

    @property
    def settled(self) -> bool:
        return self._promise.settled

    def result(self) -> Any:
        """The value (or the error, raised) once the promise settled."""

        async def wait() -> Any:
            return await self._promise

        return self._portal.call(wait)


class _NoTransport:
    """Stands in for the transport of a client its constructor makes (stdio, WebSocket)."""

    async def open(self, head: Any, body: bytes) -> Any:  # pragma: no cover - never used
        raise RuntimeError("no transport")

    async def aclose(self) -> None:  # pragma: no cover - never used
        pass


_NO_TRANSPORT: Any = _NoTransport()


class SyncClient:
    """Calls server functions from sync code (see the module docs).

    ``SyncClient.stdio(argv)`` and ``SyncClient.websocket(url)`` make the
    multiplexed clients' sync forms.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        http_client: Any = None,
        transport: ClientTransport | None = None,
        **options: Any,
    ) -> None:
        if (url is None) == (transport is None):
            raise TypeError("give a url or a transport (one of them)")
        self._url = url
        self._http_client = http_client
        self._transport = transport
        self._options = options
        self._portal_context: AbstractContextManager[BlockingPortal] | None = None
        self._portal: BlockingPortal | None = None
        self._client: Client | None = None
        self._entered: AbstractContextManager[Client] | None = None
        self._make: Callable[[], Client] | None = None

    @classmethod
    def stdio(cls, argv: Sequence[str], **options: Any) -> SyncClient:
        """:meth:`Client.stdio <seroval.rpc.Client.stdio>` from sync code: a child over pipes."""
        return cls._making(lambda: Client.stdio(argv, **options))

    @classmethod
    def websocket(cls, url: str, **options: Any) -> SyncClient:
        """:meth:`Client.websocket <seroval.rpc.Client.websocket>` from sync code (its
        ``http_client`` is an ``httpx.AsyncClient``, used in the client's own loop)."""
        return cls._making(lambda: Client.websocket(url, **options))

    @classmethod
    def _making(cls, make: Callable[[], Client]) -> SyncClient:
        client = cls(transport=_NO_TRANSPORT)
        client._make = make
        return client

    def __enter__(self) -> SyncClient:
        if self._make is not None:
            self._portal_context = start_blocking_portal()
            self._portal = self._portal_context.__enter__()
            self._client = self._make()
            self._entered = self._portal.wrap_async_context_manager(self._client)
            self._entered.__enter__()
            return self
        transport = self._transport
        owned = transport is None
        if transport is None:
            from ..transports.http import SyncHttpTransport

            assert self._url is not None
            transport = SyncHttpTransport(self._url, self._http_client)
        self._portal_context = start_blocking_portal()
        self._portal = self._portal_context.__enter__()
        self._client = Client(transport=transport, close_transport=owned, **self._options)
        # Entered and left in one task of the portal (the client owns a task group).
        self._entered = self._portal.wrap_async_context_manager(self._client)
        self._entered.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._portal_context is not None
        assert self._entered is not None
        try:
            self._entered.__exit__(None, None, None)
        finally:
            self._portal_context.__exit__(kind, error, traceback)
            self._portal = self._client = None

    def call(self, function_id: str, *args: Any) -> Any:
        """Call ``function_id`` with ``args``; the result."""
        return self.invoke(function_id, args)

    def invoke(
        self,
        function_id: str,
        args: Sequence[Any] = (),
        *,
        timeout: float | None = None,
        method: str = "POST",
        headers: Iterable[tuple[str, str]] = (),
    ) -> Any:
        """:meth:`call` with per-call options (see :meth:`Client.invoke`)."""
        if self._portal is None or self._client is None:
            raise RuntimeError("use the SyncClient inside `with`")
        portal = self._portal
        value, has_parts = portal.call(
            functools.partial(
                self._client.invoke_parts,
                function_id,
                args,
                timeout=timeout,
                method=method,
                headers=headers,
            )
        )
        if not has_parts:
            return value

        def part(item: Any) -> Any:
            if isinstance(item, RemoteStream):
                return SyncStream(item, portal)
            if isinstance(item, RemotePromise):
                return SyncPromise(item, portal)
            return None

        return replace_parts(value, part)

    @overload
    def stub(self, fn: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, R]: ...

    @overload
    def stub(self, fn: Callable[P, AsyncIterator[T]]) -> Callable[P, SyncStream]: ...

    @overload
    def stub(self, fn: Callable[P, R]) -> Callable[P, R]: ...

    def stub(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """A sync callable with ``fn``'s parameters that calls it on the server."""
        function_id = getattr(fn, "__seroval_id__", None) or default_id(fn)

        @functools.wraps(fn)
        def remote(*args: Any, **kwargs: Any) -> Any:
            return self.invoke(function_id, wire_arguments(fn, args, kwargs))

        return remote
