"""The client's side of one call, sans-I/O: argument records out, response records in.

States::

    NEW --request()--> WAITING --receive_head()--> RECEIVING --receive_data()*-->
        end_of_response() --> DONE

:meth:`ClientCall.request` builds SolidStart 2.0's request (POST, ``X-Server-Id``,
``X-Server-Instance``, ``X-Start-Type: 0``, the framed argument records, or no
body for no arguments) or its GET form (``?id=…&args=…``).  The response's records
come out of :meth:`receive_data` as the bytes arrive; the first is the result (or
the error when :attr:`failed`), later ones settle what it holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any
from urllib.parse import quote, quote_from_bytes

from ...codecs.base import DEFAULT_MAX_SIZE, Codec
from ...codecs.framing import FrameDecoder, encode_frame
from ...codecs.registry import CodecRegistry
from ...protocol.errors import SerovalError
from .errors import ProtocolError
from .wire import (
    DEFAULT_PATH,
    HEADER_ERROR,
    HEADER_FUNCTION_ID,
    HEADER_INSTANCE,
    HEADER_START_TYPE,
    HEADER_TIMEOUT,
    Headers,
    RequestHead,
    ResponseHead,
    codec_for_request,
    format_timeout,
)

__all__ = ["ClientCall", "ClientCallState"]


class ClientCallState(Enum):
    NEW = "new"
    WAITING = "waiting"
    RECEIVING = "receiving"
    DONE = "done"


class ClientCall:
    """One call from the client (see the module docs)."""

    def __init__(
        self,
        function_id: str,
        *,
        codec: Codec,
        instance: int = 0,
        method: str = "POST",
        path: str = DEFAULT_PATH,
        codecs: CodecRegistry | None = None,
        max_frame_size: int = DEFAULT_MAX_SIZE,
    ) -> None:
        if method not in ("GET", "POST"):
            raise ValueError(f"a call's method is GET or POST, not {method!r}")
        self.function_id = function_id
        self.codec = codec
        self.instance = instance
        self.method = method
        self.path = path
        self.state = ClientCallState.NEW
        self._codecs = codecs
        self._max_frame_size = max_frame_size
        self._decoder: FrameDecoder | None = None
        self.status = 0
        self.headers = Headers()
        self.failed = False
        self.records_received = 0

    def request(
        self,
        records: list[Any],
        *,
        timeout: float | None = None,
        headers: Iterable[tuple[str, str]] = (),
    ) -> tuple[RequestHead, bytes]:
        """The request head and body for the argument records (none: no arguments)."""
        self._expect(ClientCallState.NEW)
        self.state = ClientCallState.WAITING
        out = Headers(
            [
                (HEADER_FUNCTION_ID, self.function_id),
                (HEADER_INSTANCE, f"server-fn:{self.instance}"),
            ]
        )
        body = b"".join(encode_frame(self.codec.encode(record)) for record in records)
        if body:
            out.add(HEADER_START_TYPE, "0")
        if body or self.codec.name != "json":
            # The response comes in the request's codec, so a binary codec always says
            # which; JSON with no arguments sends no body and no type, as SolidStart.
            out.add("content-type", _request_content_type(self.codec))
        if timeout is not None:
            out.add(HEADER_TIMEOUT, format_timeout(timeout))
        for name, value in headers:
            out.add(name, value)
        query = ""
        if self.method == "GET":
            query = "id=" + quote(self.function_id, safe="")
            if body:
                query += "&args=" + quote_from_bytes(body, safe="")
            body = b""
        return RequestHead(self.method, self.path, out, query), body

    def receive_head(self, head: ResponseHead) -> None:
        """The response's status and headers; picks the codec of its records."""
        self._expect(ClientCallState.WAITING)
        self.state = ClientCallState.RECEIVING
        self.status = head.status
        self.headers = head.headers
        self.failed = HEADER_ERROR in head.headers or head.status >= 400
        try:
            codec = codec_for_request(head.headers, self._codecs)
        except SerovalError as error:
            raise ProtocolError(f"the response is not seroval: {error}") from None
        if codec.name != self.codec.name and head.status < 400:
            raise ProtocolError(f"asked for {self.codec.name}, the response is {codec.name}")
        self._decoder = FrameDecoder(codec, max_frame_size=self._max_frame_size)

    def receive_data(self, data: bytes) -> list[Any]:
        """The records complete in the next response bytes."""
        self._expect(ClientCallState.RECEIVING)
        assert self._decoder is not None
        try:
            records = self._decoder.feed(data)
        except SerovalError as error:
            raise ProtocolError(f"bad response frames: {error}") from error
        self.records_received += len(records)
        return records

    def end_of_response(self) -> None:
        """The response ended; raises :class:`ProtocolError` if it ended inside a frame."""
        self._expect(ClientCallState.RECEIVING)
        assert self._decoder is not None
        self.state = ClientCallState.DONE
        try:
            self._decoder.close()
        except SerovalError as error:
            raise ProtocolError(f"the response ended badly: {error}") from error

    def close(self) -> None:
        """Stop (the caller gave up early); any state."""
        self.state = ClientCallState.DONE

    def _expect(self, state: ClientCallState) -> None:
        if self.state is not state:
            raise RuntimeError(f"expected state {state.value}, the call is {self.state.value}")


def _request_content_type(codec: Codec) -> str:
    return "text/plain" if codec.name == "json" else codec.content_type
