"""Reading a SolidStart or TanStack Start server's answer, sans-I/O: bytes in, records out.

:class:`FrameworkCall` is a :class:`~seroval.rpc.core.client_call.ClientCall` whose
response side reads the framework's framing instead of the core's, so the client's
:class:`~seroval.rpc.results.Pump` settles promises and streams from it unchanged:

* SolidStart (both lines, both modes): ``;0x%08x;`` frames; in JSON mode each
  payload is a cross-JSON node, in JS mode (``Content-Type: text/javascript``) it is
  JS text, returned as ``str`` for :class:`JSReader` to read with our JS text
  reader (never evaluated);
* TanStack Start: ``application/x-tss-framed; v=1`` frames (9-byte big-endian
  headers): JSON nodes on stream 0, each ``RawStream``'s bytes on its own stream
  (fed to the :class:`RawStreamReader` its ``tss/RawStream`` node made).

Bodies that are not streamed (SolidStart's raw ``X-Start-Type`` 1-7 bodies,
TanStack's ``application/json``) are read whole by the client before it gets here.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import AsyncIterator
from typing import Any, Final

import anyio

from ...codecs.framing import FrameReader
from ...protocol.errors import SerovalError
from ...protocol.jstext.api import get_cross_reference_header
from ...protocol.jstext.reader import CrossDeserializer
from ...protocol.model.plugins import Plugin, PluginDeserializeContext, PluginSerializeContext
from ..core.client_call import ClientCall, ClientCallState
from ..core.errors import ProtocolError
from ..core.wire import ResponseHead

__all__ = ["FrameworkCall", "JSReader", "RawStreamReader", "TanStackRawStreamPlugin"]

_MAX_FRAME: Final = 16 * 1024 * 1024
_JSON, _CHUNK, _END, _ERROR = 0, 1, 2, 3


class JSReader(CrossDeserializer):
    """A cross deserializer that takes JS-mode records (``str``) as JS text chunks.

    SolidStart's first JS chunk is ``(<cross-reference header>,<expression>)``; the
    header (for the call's ``scope``) is read as its own statement first, then the
    expression, which is the value.
    """

    def __init__(self, *, scope: str | None = None, **options: Any) -> None:
        super().__init__(**options)
        self._header = None if scope is None else get_cross_reference_header(scope)

    def deserialize(self, node: object, *, scope_id: str | None = None) -> Any:
        if not isinstance(node, str):
            return super().deserialize(node, scope_id=scope_id)
        header = self._header
        if header is not None and node.startswith(f"({header},") and node.endswith(")"):
            self.feed(header)
            return self.feed(node[len(header) + 2 : -1])
        return self.feed(node)


class RawStreamReader(AsyncIterator[bytes]):
    """A TanStack ``RawStream`` on the client: its bytes, chunk by chunk, as they arrive."""

    def __init__(self, stream_id: int) -> None:
        self.stream_id = stream_id
        self._chunks: deque[bytes] = deque()
        self._ended = False
        self._error: BaseException | None = None
        self._arrived = anyio.Event()

    def _wake(self) -> None:
        self._arrived.set()
        self._arrived = anyio.Event()

    def push(self, chunk: bytes) -> None:
        self._chunks.append(chunk)
        self._wake()

    def end(self, error: BaseException | None = None) -> None:
        if not self._ended:
            self._ended = True
            self._error = error
            self._wake()

    @property
    def ended(self) -> bool:
        return self._ended

    def __aiter__(self) -> RawStreamReader:
        return self

    async def __anext__(self) -> bytes:
        while not self._chunks:
            if self._ended:
                if self._error is not None:
                    raise self._error
                raise StopAsyncIteration
            await self._arrived.wait()
        return self._chunks.popleft()

    async def read(self) -> bytes:
        """Everything, to the end."""
        return b"".join([chunk async for chunk in self])


class TanStackRawStreamPlugin(Plugin):
    """``tss/RawStream`` on the client: ``{streamId}`` becomes a :class:`RawStreamReader`
    that the call's frames on that stream feed."""

    tag = "tss/RawStream"

    def __init__(self) -> None:
        self.streams: dict[int, RawStreamReader] = {}

    def test(self, value: object) -> bool:
        return False

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        raise SerovalError("a RawStream is only read here")

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Any:
        stream_id = ctx.deserialize(info["streamId"])
        if not isinstance(stream_id, int) or isinstance(stream_id, bool) or stream_id < 1:
            raise SerovalError(f"a RawStream id must be a positive integer, not {stream_id!r}")
        if stream_id in self.streams or len(self.streams) >= 1024:
            raise SerovalError(f"RawStream {stream_id} is declared twice (or too many streams)")
        reader = self.streams[stream_id] = RawStreamReader(stream_id)
        return reader


class FrameworkCall(ClientCall):
    """One call's response in a framework's framing (see the module docs).

    ``framing`` is ``"solid"`` (``;0x…;`` frames, JS text when the response is
    ``text/javascript``) or ``"tanstack"``; ``raw`` is the RawStream plugin of the
    call's reader (TanStack).
    """

    def __init__(
        self,
        function_id: str,
        *,
        framing: str,
        raw: TanStackRawStreamPlugin | None = None,
        max_frame_size: int = _MAX_FRAME,
        **options: Any,
    ) -> None:
        from ...codecs.registry import default_registry

        super().__init__(function_id, codec=default_registry.get("json"), **options)
        self.framing = framing
        self.raw = raw
        self.js = False
        self._limit = max_frame_size
        self._frames = FrameReader(max_frame_size=max_frame_size)
        self._buffer = bytearray()
        self.state = ClientCallState.WAITING

    def receive_head(self, head: ResponseHead) -> None:
        self._expect(ClientCallState.WAITING)
        self.state = ClientCallState.RECEIVING
        self.status = head.status
        self.headers = head.headers
        content_type = (head.headers.get("content-type") or "").lower()
        self.js = self.framing == "solid" and content_type.startswith("text/javascript")
        self.failed = "x-error" in head.headers or head.status >= 500

    def receive_data(self, data: bytes) -> list[Any]:
        self._expect(ClientCallState.RECEIVING)
        try:
            if self.framing == "solid":
                records = self._solid(data)
            else:
                records = self._tanstack(data)
        except SerovalError as error:
            raise ProtocolError(f"bad response frames: {error}") from error
        self.records_received += len(records)
        return records

    def _solid(self, data: bytes) -> list[Any]:
        import json

        out: list[Any] = []
        for payload in self._frames.feed(data):
            text = bytes(payload).decode("utf-8")
            out.append(text if self.js else json.loads(text))
        return out

    def _tanstack(self, data: bytes) -> list[Any]:
        import json

        self._buffer += data
        out: list[Any] = []
        while len(self._buffer) >= 9:
            kind, stream, length = struct.unpack_from(">BII", self._buffer)
            if length > self._limit:
                raise ProtocolError(f"a frame of {length} bytes is over the limit")
            if len(self._buffer) < 9 + length:
                break
            payload = bytes(self._buffer[9 : 9 + length])
            del self._buffer[: 9 + length]
            if kind == _JSON:
                if stream != 0:
                    raise ProtocolError("a JSON frame on a raw stream")
                out.append(json.loads(payload))
                continue
            reader = self.raw.streams.get(stream) if self.raw is not None else None
            if reader is None or reader.ended or kind not in (_CHUNK, _END, _ERROR):
                raise ProtocolError(f"a frame of type {kind} for unknown stream {stream}")
            if kind == _CHUNK:
                reader.push(payload)
            elif kind == _END:
                if payload:
                    raise ProtocolError("an END frame with a payload")
                reader.end()
            else:
                reader.end(ProtocolError(payload.decode("utf-8", "replace")))
        return out

    def open_raw_streams(self) -> bool:
        """Whether a RawStream still waits for frames."""
        return self.raw is not None and any(not r.ended for r in self.raw.streams.values())

    def end_of_response(self) -> None:
        self._expect(ClientCallState.RECEIVING)
        self.state = ClientCallState.DONE
        if self.raw is not None:
            for reader in self.raw.streams.values():
                reader.end(ProtocolError("the response ended before the RawStream did"))
        try:
            if self.framing == "solid":
                self._frames.close()
            elif self._buffer:
                raise ProtocolError("the response ended inside a frame")
        except SerovalError as error:
            raise ProtocolError(f"the response ended badly: {error}") from error
