"""The async client: ``async with Client(url) as client: await client.call(id, *args)``.

It sends each call as SolidStart 2.0 does (see :mod:`seroval.rpc.core.client_call`)
over a transport: HTTP through httpx by default (your own ``httpx.AsyncClient`` if
given: auth, proxies, TLS and timeouts stay yours), or any
:class:`~seroval.rpc.core.carrier.ClientTransport` such as the in-memory one.

* A result is returned at its first frame; its promises and streams settle as
  later frames arrive (:mod:`seroval.rpc.results`).  Cancelling the caller before
  then, or ``aclose()`` on a streamed part, closes the response, which cancels the
  server's work.
* A deadline (``timeout=`` seconds, per client or per call) travels as
  ``X-Seroval-Timeout-Ms`` and ends the call here too, with
  :class:`~seroval.rpc.core.errors.DeadlineExceededError`.  There is no default deadline.
* Errors: what the server refused raises its class; what the function raised
  raises :class:`~seroval.rpc.core.errors.RemoteError`, or the class registered for
  its name in ``exceptions``; a raised redirect raises
  :class:`~seroval.rpc.redirect.Redirect` (a returned one is returned).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Sequence
from typing import Any, ParamSpec, TypeVar, overload

import anyio
import anyio.abc

from ..codecs.framing import encode_frame
from ..codecs.registry import CodecRegistry, default_registry
from ..protocol.errors import SerovalError, SerovalUnsupportedTypeError
from ..protocol.jstext.reader import CrossDeserializer
from ..protocol.model.options import DEFAULT_DEPTH_LIMIT
from ..protocol.serializers import Serializer
from .core.carrier import CallResponse, ClientTransport
from .core.client_call import ClientCall
from .core.errors import DeadlineExceededError, ProtocolError
from .core.wire import DEFAULT_PATH
from .failures import ExceptionTable, from_js_error
from .lifetime import TransportLifetime
from .redirect import Redirect
from .registry import _context_parameter, default_id
from .results import Pump, RemoteStream, adapt, check_pending

__all__ = ["Client", "prepare_arguments", "wire_arguments"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def wire_arguments(
    fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any]
) -> list[Any]:
    """The positional argument list a stub sends for ``fn(*args, **kwargs)``.

    Keyword arguments are put in their positions (the wire is positional, as JS
    calls are); a keyword-only parameter cannot be sent.
    """
    signature, _ = _context_parameter(fn)
    bound = signature.bind(*args, **kwargs)
    if bound.kwargs:
        raise TypeError(f"keyword-only arguments cannot be sent: {sorted(bound.kwargs)}")
    return list(bound.args)


def prepare_arguments(serializer: Serializer, args: Sequence[Any]) -> list[Any] | None:
    """The argument records when no argument has async parts, else ``None``."""
    if not args:
        return []
    try:
        return [serializer.to_cross_json(list(args))]
    except SerovalUnsupportedTypeError:
        return None


class Client(TransportLifetime):
    """Calls server functions (see the module docs); use inside ``async with``.

    ``window`` is how many stream items may wait unread before the client stops
    reading the response; ``close_transport`` closes a given transport on exit (one
    made from ``url`` always is).  Limits on what a server may send: ``max_pending``
    promises and streams open at once (1,024), ``max_frame_size`` bytes per frame
    (16 MiB), ``depth_limit`` nesting (seroval's 1,000).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        http_client: Any = None,
        transport: ClientTransport | None = None,
        codec: str = "json",
        timeout: float | None = None,
        exceptions: ExceptionTable | None = None,
        window: int = 64,
        path: str = DEFAULT_PATH,
        headers: Iterable[tuple[str, str]] = (),
        plugins: Iterable[Any] = (),
        depth_limit: int = DEFAULT_DEPTH_LIMIT,
        codec_registry: CodecRegistry | None = None,
        close_transport: bool = False,
        max_pending: int = 1024,
        max_frame_size: int = 16 * 1024 * 1024,
    ) -> None:
        if (url is None) == (transport is None):
            raise TypeError("give a url or a transport (one of them)")
        self._url = url
        self._http_client = http_client
        self._transport = transport
        self._owns_transport = close_transport
        self._registry = codec_registry or default_registry
        self.codec = self._registry.get(codec)
        self.timeout = timeout
        self.exceptions = exceptions
        if window < 1:
            raise ValueError("window must be positive")
        self.window = window
        self.max_pending = max_pending
        self.max_frame_size = max_frame_size
        self.path = path
        self.headers = tuple(headers)
        self._plugins = tuple(plugins)
        self._depth_limit = depth_limit
        self.serializer = Serializer(plugins=self._plugins)
        self._instances = itertools.count()
        self._group: anyio.abc.TaskGroup | None = None
        self._enter_transport = False

    # -- constructors for the multiplexed transports ------------------------------------

    @classmethod
    def stdio(
        cls,
        argv: Sequence[str],
        *,
        limits: Any = None,
        env: dict[str, str] | None = None,
        stderr: int | None = None,
        **options: Any,
    ) -> Client:
        """Calls to a child process (``seroval serve --stdio MODULE:NAME``) over its pipes.

        The child starts on entering ``async with`` and is ended on leaving it (its
        stdin is closed, then it is terminated if it lingers).  Many calls share
        the pipes; arguments may stream (see :mod:`seroval.transports.stdio`).
        """
        from ..transports.stdio import StdioTransport

        transport = StdioTransport(
            argv, env=env, stderr=stderr, **({"limits": limits} if limits else {})
        )
        return cls._entering(transport, options)

    @classmethod
    def websocket(
        cls,
        url: str,
        *,
        http_client: Any = None,
        limits: Any = None,
        headers: Iterable[tuple[str, str]] = (),
        **options: Any,
    ) -> Client:
        """Calls over one WebSocket to the functions' ASGI app at ``url`` (``ws://``,
        ``http://`` or their TLS forms), through httpx-ws over ``http_client`` if given.

        ``headers`` go with the handshake (cookies, ``Authorization``): the server
        checks the site rules there, once for every call on the socket.
        """
        from ..transports.websocket import WebSocketTransport

        transport = WebSocketTransport(
            url,
            http_client=http_client,
            headers=headers,
            path=options.get("path", DEFAULT_PATH),
            **({"limits": limits} if limits else {}),
        )
        return cls._entering(transport, options)

    @classmethod
    def multiplexed(cls, functions: Any, *, limits: Any = None, **options: Any) -> Client:
        """Calls to ``functions`` in this process over an in-memory multiplexed connection
        (the same messages as a WebSocket carries, the server in the client's task group)."""
        from ..transports.memory_mux import MemoryMultiplexTransport

        transport = MemoryMultiplexTransport(functions, **({"limits": limits} if limits else {}))
        return cls._entering(transport, options)

    @classmethod
    def _entering(cls, transport: Any, options: dict[str, Any]) -> Client:
        client = cls(transport=transport, close_transport=True, **options)
        client._enter_transport = True
        return client

    async def call(self, function_id: str, *args: Any) -> Any:
        """Call ``function_id`` with ``args``; the result (see the module docs)."""
        return await self.invoke(function_id, args)

    async def invoke(
        self,
        function_id: str,
        args: Sequence[Any] = (),
        *,
        timeout: float | None = None,
        method: str = "POST",
        headers: Iterable[tuple[str, str]] = (),
    ) -> Any:
        """:meth:`call` with per-call options: ``timeout`` (seconds), GET, extra headers."""
        value, _ = await self.invoke_parts(
            function_id, args, timeout=timeout, method=method, headers=headers
        )
        return value

    async def invoke_parts(
        self,
        function_id: str,
        args: Sequence[Any] = (),
        *,
        timeout: float | None = None,
        method: str = "POST",
        headers: Iterable[tuple[str, str]] = (),
    ) -> tuple[Any, bool]:
        """:meth:`invoke`, and whether the result holds parts still settling."""
        if self._group is None or self._transport is None:
            raise RuntimeError("use the Client inside `async with`")
        timeout = self.timeout if timeout is None else timeout
        records = prepare_arguments(self.serializer, args)
        if records is None and getattr(self._transport, "streams_arguments", False):
            return await self._invoke_streaming(function_id, args, timeout, method, headers)
        if records is None:
            records = []
            async with self.serializer.to_cross_json_stream(list(args)) as chunks:
                async for node in chunks:  # drained first, as SolidStart does
                    records.append(node)
        call = ClientCall(
            function_id,
            codec=self.codec,
            instance=next(self._instances),
            method=method,
            path=self.path,
            codecs=self._registry,
            max_frame_size=self.max_frame_size,
        )
        head, body = call.request(records, timeout=timeout, headers=[*self.headers, *headers])
        deadline = None if timeout is None else anyio.current_time() + timeout
        scope = anyio.CancelScope(deadline=float("inf") if deadline is None else deadline)
        result: tuple[Any, bool] = (None, False)
        with scope:
            response = await self._transport.open(head, body)
            try:
                result = await self._first(call, response, deadline)
            except BaseException:
                with anyio.CancelScope(shield=True):
                    await response.aclose()
                raise
        if scope.cancelled_caught:
            raise DeadlineExceededError("the call's deadline passed", function_id=function_id)
        return result

    async def _invoke_streaming(
        self,
        function_id: str,
        args: Sequence[Any],
        timeout: float | None,
        method: str,
        headers: Iterable[tuple[str, str]],
    ) -> tuple[Any, bool]:
        """A call whose argument parts settle after it started (a multiplexed transport).

        A task in the client's group serializes the arguments: the root goes in the
        ``CALL``, each later record through a zero-slot stream to the transport,
        which sends it as the server's window allows.  The task ends when the
        arguments end or the call does (the stream is closed).
        """
        assert self._group is not None
        assert self._transport is not None
        call = ClientCall(
            function_id,
            codec=self.codec,
            instance=next(self._instances),
            method=method,
            path=self.path,
            codecs=self._registry,
            max_frame_size=self.max_frame_size,
        )
        frames_in, frames_out = anyio.create_memory_object_stream[bytes](0)
        root_in, root_out = anyio.create_memory_object_stream[Any](1)
        codec = self.codec
        serializer = self.serializer

        async def produce() -> None:
            with frames_in, root_in:
                try:
                    async with serializer.to_cross_json_stream(list(args)) as chunks:
                        root_in.send_nowait(chunks.initial)
                        first = True
                        async for node in chunks:
                            if first:  # ``async for`` yields the root again
                                first = False
                                continue
                            await frames_in.send(encode_frame(codec.encode(node)))
                except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                    pass  # the call ended before its arguments did

        self._group.start_soon(produce)
        with root_out:
            try:
                root = await root_out.receive()
            except anyio.EndOfStream:
                frames_out.close()
                raise ProtocolError("the arguments could not be serialized") from None
        head, body = call.request([root], timeout=timeout, headers=[*self.headers, *headers])
        deadline = None if timeout is None else anyio.current_time() + timeout
        scope = anyio.CancelScope(deadline=float("inf") if deadline is None else deadline)
        result: tuple[Any, bool] = (None, False)
        with scope:
            open_streaming = self._transport.open_streaming  # type: ignore[attr-defined]
            response = await open_streaming(head, body, frames_out)
            try:
                result = await self._first(call, response, deadline)
            except BaseException:
                with anyio.CancelScope(shield=True):
                    await response.aclose()
                raise
        if scope.cancelled_caught:
            raise DeadlineExceededError("the call's deadline passed", function_id=function_id)
        return result

    async def _first(
        self, call: ClientCall, response: CallResponse, deadline: float | None
    ) -> tuple[Any, bool]:
        call.receive_head(response.head)
        records: list[Any] = []
        while not records:
            data = await response.receive()
            if data is None:
                call.end_of_response()
                raise ProtocolError(
                    f"HTTP {call.status}: the response ended before its first frame",
                    function_id=call.function_id,
                )
            try:
                records = call.receive_data(data)
            except ProtocolError:
                if call.failed:
                    raise ProtocolError(
                        f"HTTP {call.status} without a seroval body", function_id=call.function_id
                    ) from None
                raise
        reader = CrossDeserializer(
            plugins=self._plugins, depth_limit=self._depth_limit, single_consumer_streams=True
        )
        try:
            value = reader.deserialize(records[0])
        except SerovalError as error:
            raise ProtocolError(f"the first frame cannot be read: {error}") from error
        check_pending(reader, self.max_pending)
        location = call.headers.get("location")
        if call.failed:
            if len(records) == 1:
                await self._drain(call, response)  # one frame: the connection can be reused
            if location is not None:
                raise _redirect(location, call)
            raise from_js_error(value, self.exceptions, function_id=call.function_id)
        if location is not None:
            value = _redirect(location, call)
        if not reader.pending:
            if len(records) == 1:
                await self._drain(call, response)
            else:
                await response.aclose()
            return value, False
        pump = Pump(
            call,
            response,
            reader,
            window=self.window,
            deadline=deadline,
            exceptions=self.exceptions,
            max_pending=self.max_pending,
        )
        value = adapt(value, pump)
        pump.feed_first(records[1:])
        assert self._group is not None
        self._group.start_soon(pump.run)
        return value, True

    async def _drain(self, call: ClientCall, response: CallResponse) -> None:
        """Read a finished response to its end (so an HTTP connection can be reused)."""
        while (data := await response.receive()) is not None:
            if call.receive_data(data):
                raise ProtocolError("frames after a result that had nothing left to settle")
        call.end_of_response()
        await response.aclose()

    # -- stubs ------------------------------------------------------------------------

    @overload
    def stub(
        self, fn: Callable[P, Coroutine[Any, Any, R]]
    ) -> Callable[P, Coroutine[Any, Any, R]]: ...

    @overload
    def stub(
        self, fn: Callable[P, AsyncIterator[T]]
    ) -> Callable[P, Coroutine[Any, Any, RemoteStream[T]]]: ...

    @overload
    def stub(self, fn: Callable[P, R]) -> Callable[P, Coroutine[Any, Any, R]]: ...

    def stub(self, fn: Callable[..., Any]) -> Callable[..., Coroutine[Any, Any, Any]]:
        """A callable with ``fn``'s signature that calls it on the server.

        Import the same decorated function on both sides and the call site is
        type-checked against it.  (A ``Context`` parameter is the server's: leave it
        out of the call, or read :func:`~seroval.rpc.current_context` instead.)
        """
        function_id = getattr(fn, "__seroval_id__", None) or default_id(fn)

        @functools.wraps(fn)
        async def remote(*args: Any, **kwargs: Any) -> Any:
            return await self.invoke(function_id, wire_arguments(fn, args, kwargs))

        return remote


def _redirect(location: str, call: ClientCall) -> Redirect:
    revalidate = call.headers.get("x-revalidate")
    keys = None if revalidate is None else [key for key in revalidate.split(",") if key]
    return Redirect(location, 302, keys)
