"""Python clients for SolidStart and TanStack Start servers (their server functions).

``async with SolidStartClient(url) as client: await client.call(id, *args)`` calls a
SolidStart app's ``"use server"`` functions as its browser client does;
``TanStackClient`` calls ``createServerFn`` functions (one ``data`` argument).

Answers are read safely in every mode: cross-JSON records with our reader, JS-mode
answers (SolidStart 1.x's default) with our JS text reader, which understands
seroval's output and evaluates nothing (no ``eval``; a name it does not know is
refused).  A result comes back at its first record; promises and streams in it
settle as later records arrive (:class:`~seroval.rpc.results.RemotePromise`,
:class:`~seroval.rpc.results.RemoteStream`), and a TanStack ``RawStream`` is a
:class:`~seroval.rpc.frameworks.responses.RawStreamReader` of bytes.

``headers`` go on every request (cookies, auth, an ``Origin`` for a server's
cross-site check).  There is no deadline option: wrap a call in
``anyio.fail_after``, which closes the response and so stops the server's work.

Errors: a function's thrown error raises :class:`~seroval.rpc.core.errors.RemoteError`
(or the class registered for its name in ``exceptions``); a redirect raises
:class:`~seroval.rpc.redirect.Redirect` when thrown and is returned when returned
(SolidStart), and is always raised for TanStack (that is how its client treats
one).  A response that is not the framework's raises
:class:`~seroval.rpc.core.errors.ProtocolError`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from typing import Any, Literal

import anyio
import anyio.abc

from ...plugins import web
from ...protocol.errors import SerovalError
from ...protocol.model.primitives import undefined
from ...protocol.serializers import Serializer
from ..core.carrier import CallResponse, ClientTransport
from ..core.errors import ProtocolError
from ..core.wire import RequestHead
from ..failures import ExceptionTable, from_js_error
from ..lifetime import TransportLifetime
from ..profiles.raw import RAW_TYPES, raw_value
from ..redirect import Redirect
from ..results import Pump, adapt, check_pending
from .requests import solid1_request, solid2_request, tanstack_request
from .responses import FrameworkCall, JSReader, TanStackRawStreamPlugin

__all__ = ["SOLID_PLUGINS", "SolidStartClient", "TanStackClient"]

SOLID_PLUGINS: tuple[Any, ...] = (
    web.AbortSignalPlugin(),
    web.CustomEventPlugin(),
    web.DOMExceptionPlugin(),
    web.EventPlugin(),
    web.FormDataPlugin(),
    web.HeadersPlugin(),
    web.ReadableStreamPlugin(),
    web.RequestPlugin(),
    web.ResponsePlugin(),
    web.URLSearchParamsPlugin(),
    web.URLPlugin(),
    web.BlobPlugin(),
    web.FilePlugin(),
)
"""SolidStart's default plugins (plus Blob and File, which 1.x arguments use)."""


class _FrameworkClient(TransportLifetime):
    """What both clients share: the transport, the task group, reading a response."""

    framing = "solid"

    def __init__(
        self,
        url: str | None,
        *,
        http_client: Any,
        transport: ClientTransport | None,
        headers: Iterable[tuple[str, str]],
        exceptions: ExceptionTable | None,
        window: int,
        max_pending: int,
        depth_limit: int,
    ) -> None:
        if (url is None) == (transport is None):
            raise TypeError("give a url or a transport (one of them)")
        self._url = url
        self._http_client = http_client
        self._transport = transport
        self._owns_transport = False
        self.headers = tuple(headers)
        self.exceptions = exceptions
        self.window = window
        self.max_pending = max_pending
        self.depth_limit = depth_limit
        self._group: anyio.abc.TaskGroup | None = None
        self._instances = itertools.count()

    def _plugins(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def _add_headers(self, head: RequestHead) -> None:
        """The client's own ``headers`` (auth, cookies, ``Origin``) on a request."""
        for name, value in self.headers:
            head.headers.add(name, value)

    async def _whole(self, response: CallResponse, limit: int = 64 * 1024 * 1024) -> bytes:
        parts = []
        size = 0
        while (chunk := await response.receive()) is not None:
            size += len(chunk)
            if size > limit:
                raise ProtocolError(f"the response is over {limit} bytes")
            parts.append(chunk)
        await response.aclose()
        return b"".join(parts)

    async def _read(
        self,
        call: FrameworkCall,
        response: CallResponse,
        raw: TanStackRawStreamPlugin | None,
        scope: str | None = None,
    ) -> tuple[Any, bool]:
        plugins = (*self._plugins(), *(() if raw is None else (raw,)))
        reader = JSReader(
            scope=scope,
            plugins=plugins,
            depth_limit=self.depth_limit,
            single_consumer_streams=True,
        )
        records: list[Any] = []
        while not records:
            data = await response.receive()
            if data is None:
                call.end_of_response()
                await response.aclose()
                return undefined, call.failed
            records = call.receive_data(data)
        try:
            value = reader.deserialize(records[0])
        except SerovalError as error:
            raise ProtocolError(f"the first record cannot be read: {error}") from error
        check_pending(reader, self.max_pending)
        if not reader.pending and not call.open_raw_streams() and len(records) == 1:
            while (data := await response.receive()) is not None:
                if call.receive_data(data):
                    raise ProtocolError("records after a result with nothing left to settle")
            call.end_of_response()
            await response.aclose()
            return value, call.failed
        pump = Pump(
            call,
            response,
            reader,
            window=self.window,
            deadline=None,
            exceptions=self.exceptions,
            max_pending=self.max_pending,
        )
        value = adapt(value, pump)
        pump.feed_first(records[1:])
        assert self._group is not None
        self._group.start_soon(pump.run)
        return value, call.failed


class SolidStartClient(_FrameworkClient):
    """Calls a SolidStart server's functions (see the module docs).

    ``version`` is the server's line: ``"2"`` (2.0: raw natural arguments, framed
    seroval otherwise) or ``"1"`` (1.x: ``toJSON`` bodies, ids ``"<id>#<name>"``).
    The answer's mode (JSON or JS) is read from its content type, so one client
    reads either build.  ``base`` is the app's base URL (2.0: Vite's ``BASE_URL``).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        version: Literal["1", "2"] = "2",
        base: str | None = None,
        http_client: Any = None,
        transport: ClientTransport | None = None,
        headers: Iterable[tuple[str, str]] = (),
        plugins: Iterable[Any] = (),
        exceptions: ExceptionTable | None = None,
        window: int = 64,
        max_pending: int = 1024,
        depth_limit: int = 64,
    ) -> None:
        super().__init__(
            url,
            http_client=http_client,
            transport=transport,
            headers=headers,
            exceptions=exceptions,
            window=window,
            max_pending=max_pending,
            depth_limit=depth_limit,
        )
        if version not in ("1", "2"):
            raise ValueError(f"version is '1' or '2', not {version!r}")
        self.version = version
        self.base = ("/" if version == "2" else "") if base is None else base
        self.plugins = (*SOLID_PLUGINS, *plugins)
        self.serializer = Serializer(plugins=self.plugins)

    async def __aenter__(self) -> SolidStartClient:
        await super().__aenter__()
        return self

    def _plugins(self) -> tuple[Any, ...]:
        return self.plugins

    async def call(self, function_id: str, *args: Any, method: str = "POST") -> Any:
        """Call ``function_id`` (1.x: ``"<id>#<name>"``) with ``args``; its result."""
        instance = f"server-fn:{next(self._instances)}"
        build = solid2_request if self.version == "2" else solid1_request
        head, body = build(
            self.serializer,
            function_id,
            list(args),
            instance=instance,
            method=method,
            base=self.base,
        )
        if self._group is None or self._transport is None:
            raise RuntimeError("use the client inside `async with`")
        self._add_headers(head)
        response = await self._transport.open(head, body)
        start_type = (response.head.headers.get("x-start-type") or "").strip()
        if start_type in RAW_TYPES:
            data = await self._whole(response)
            content_type = response.head.headers.get("content-type") or ""
            value: Any = raw_value(start_type, content_type, data)
            failed = "x-error" in response.head.headers or response.head.status >= 500
            return self._outcome(function_id, value, failed, response.head.headers)
        call = FrameworkCall(function_id, framing="solid")
        try:
            call.receive_head(response.head)
            serialized = bool(start_type) or "x-serialized" in response.head.headers
            if not serialized and not call.js:
                data = await self._whole(response)
                if call.failed or response.head.status >= 400:
                    text = data.decode("utf-8", "replace")
                    raise ProtocolError(f"HTTP {response.head.status}: {text[:200]}")
                if "location" in response.head.headers:
                    return self._outcome(function_id, None, False, response.head.headers)
                raise ProtocolError("the response is not a SolidStart answer")
            value, failed = await self._read(call, response, None, instance)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await response.aclose()
            raise
        return self._outcome(function_id, value, failed, response.head.headers)

    def _outcome(self, function_id: str, value: Any, failed: bool, headers: Any) -> Any:
        location = headers.get("location")
        if location is not None:
            revalidate = headers.get("x-revalidate")
            keys = None if revalidate is None else [k for k in revalidate.split(",") if k]
            redirect = Redirect(location, 302, keys)
            if failed:
                raise redirect
            return redirect
        if failed:
            if value is undefined or value is None:
                raise ProtocolError("the server function call failed", function_id=function_id)
            raise from_js_error(value, self.exceptions, function_id=function_id)
        return value


class TanStackClient(_FrameworkClient):
    """Calls a TanStack Start server's ``createServerFn`` functions (see the module docs).

    ``call(id, data, method=...)`` uses the method the function declares (TanStack's
    default is GET; the server answers another one with 405).
    """

    framing = "tanstack"

    def __init__(
        self,
        url: str | None = None,
        *,
        base: str = "/_serverFn/",
        http_client: Any = None,
        transport: ClientTransport | None = None,
        headers: Iterable[tuple[str, str]] = (),
        plugins: Iterable[Any] = (),
        exceptions: ExceptionTable | None = None,
        window: int = 64,
        max_pending: int = 1024,
        depth_limit: int = 1000,
    ) -> None:
        super().__init__(
            url,
            http_client=http_client,
            transport=transport,
            headers=headers,
            exceptions=exceptions,
            window=window,
            max_pending=max_pending,
            depth_limit=depth_limit,
        )
        from ..profiles.tanstack import TSRErrorPlugin

        self.base = base
        self.plugins = (
            TSRErrorPlugin(),
            web.ReadableStreamPlugin(),
            web.FormDataPlugin(),
            web.BlobPlugin(),
            web.FilePlugin(),
            *plugins,
        )
        self.serializer = Serializer(plugins=self.plugins)

    async def __aenter__(self) -> TanStackClient:
        await super().__aenter__()
        return self

    def _plugins(self) -> tuple[Any, ...]:
        return self.plugins

    async def call(self, function_id: str, data: Any = undefined, *, method: str = "GET") -> Any:
        """Call ``function_id`` with ``data``; the envelope's ``result``."""
        head, body = tanstack_request(
            self.serializer, function_id, data, method=method, base=self.base
        )
        if self._group is None or self._transport is None:
            raise RuntimeError("use the client inside `async with`")
        self._add_headers(head)
        response = await self._transport.open(head, body)
        headers = response.head.headers
        content_type = (headers.get("content-type") or "").lower()
        if "x-tss-serialized" not in headers:
            data_bytes = await self._whole(response)
            if content_type.startswith("application/json"):
                try:
                    parsed = json.loads(data_bytes)
                except ValueError:
                    parsed = None
                if isinstance(parsed, dict) and parsed.get("isSerializedRedirect"):
                    href = parsed.get("href") or parsed.get("to") or "/"
                    status = parsed.get("statusCode", 307)
                    raise Redirect(
                        str(href), int(status) if status in (301, 302, 303, 307, 308) else 307
                    )
                if response.head.status < 400:
                    return parsed
            text = data_bytes.decode("utf-8", "replace")
            raise ProtocolError(
                f"HTTP {response.head.status}: {text[:200]}", function_id=function_id
            )
        if content_type.startswith("application/json"):
            data_bytes = await self._whole(response)
            reader = JSReader(plugins=self.plugins, depth_limit=self.depth_limit)
            try:
                envelope = reader.deserialize(json.loads(data_bytes))
            except (ValueError, SerovalError) as error:
                raise ProtocolError(f"the answer cannot be read: {error}") from error
        elif content_type.startswith("application/x-tss-framed"):
            version = content_type.partition("v=")[2].strip()
            if version and version != "1":
                raise ProtocolError(f"x-tss-framed version {version} is not known")
            _, envelope, _ = await self._send_framed(function_id, response)
        else:
            raise ProtocolError(f"a serialized answer of type {content_type!r}")
        if not isinstance(envelope, dict):
            raise ProtocolError("the answer is not TanStack's {result} / {error} envelope")
        if "error" in envelope:
            raise from_js_error(envelope["error"], self.exceptions, function_id=function_id)
        return envelope.get("result", undefined)

    async def _send_framed(
        self, function_id: str, response: CallResponse
    ) -> tuple[FrameworkCall, Any, bool]:
        raw = TanStackRawStreamPlugin()
        call = FrameworkCall(function_id, framing="tanstack", raw=raw)
        try:
            call.receive_head(response.head)
            value, failed = await self._read(call, response, raw)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await response.aclose()
            raise
        return call, value, failed
