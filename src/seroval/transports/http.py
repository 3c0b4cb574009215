"""The HTTP client transport, on httpx: one request per call, its response streamed.

Pass your own ``httpx.AsyncClient`` and its auth, proxies, TLS and timeouts apply
(httpx's default 5 s read timeout would cut a slow stream: the client this module
makes itself has no timeout, and the call's deadline is the RPC layer's).  The
response body is read as it arrives (``aiter_bytes``), never collected first, and
``aclose()`` closes the connection's response, which the server sees as a
disconnect.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator, Iterator

import anyio
import anyio.to_thread
import httpx

from ..rpc.core.wire import Headers, RequestHead, ResponseHead

__all__ = ["HttpResponse", "HttpTransport", "SyncHttpResponse", "SyncHttpTransport"]


class HttpResponse:
    """One streamed httpx response, as a :class:`~seroval.rpc.core.carrier.CallResponse`."""

    __slots__ = ("_chunks", "_closed", "_response", "head")

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.head = ResponseHead(response.status_code, Headers(response.headers.multi_items()))
        self._chunks: AsyncGenerator[bytes, None] = response.aiter_bytes()  # type: ignore[assignment]
        self._closed = False

    async def receive(self) -> bytes | None:
        if self._closed:
            return None
        try:
            return await anext(self._chunks)
        except StopAsyncIteration:
            return None

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            try:
                await self._chunks.aclose()
            finally:
                await self._response.aclose()


class HttpTransport:
    """Calls over HTTP to the server at ``url`` (where the functions' app is mounted)."""

    def __init__(self, url: str, client: httpx.AsyncClient | None = None) -> None:
        self.url = url.rstrip("/")
        self._owns_client = client is None
        self.client = client if client is not None else httpx.AsyncClient(timeout=None)

    async def open(self, head: RequestHead, body: bytes) -> HttpResponse:
        target = self.url + head.path + (f"?{head.query}" if head.query else "")
        request = self.client.build_request(
            head.method, target, headers=list(head.headers), content=body or None
        )
        response = await self.client.send(request, stream=True)
        return HttpResponse(response)

    async def aclose(self) -> None:
        if self._owns_client:
            await self.client.aclose()


class SyncHttpResponse:
    """A streamed response of a sync ``httpx.Client``, read from a worker thread."""

    __slots__ = ("_chunks", "_closed", "_response", "head")

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.head = ResponseHead(response.status_code, Headers(response.headers.multi_items()))
        self._chunks: Iterator[bytes] = response.iter_bytes()
        self._closed = False

    async def receive(self) -> bytes | None:
        if self._closed:
            return None
        return await anyio.to_thread.run_sync(next, self._chunks, None, abandon_on_cancel=True)

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            await anyio.to_thread.run_sync(self._response.close)


class SyncHttpTransport:
    """Calls over a sync ``httpx.Client`` (yours, if given), its blocking I/O in threads.

    :class:`~seroval.rpc.SyncClient` uses it, so a sync application keeps its own
    client (auth, proxies, TLS, timeouts) while the call logic is the async one.
    """

    def __init__(self, url: str, client: httpx.Client | None = None) -> None:
        self.url = url.rstrip("/")
        self._owns_client = client is None
        self.client = client if client is not None else httpx.Client(timeout=None)

    async def open(self, head: RequestHead, body: bytes) -> SyncHttpResponse:
        target = self.url + head.path + (f"?{head.query}" if head.query else "")
        request = self.client.build_request(
            head.method, target, headers=list(head.headers), content=body or None
        )
        response = await anyio.to_thread.run_sync(
            functools.partial(self.client.send, request, stream=True)
        )
        return SyncHttpResponse(response)

    async def aclose(self) -> None:
        if self._owns_client:
            await anyio.to_thread.run_sync(self.client.close)
