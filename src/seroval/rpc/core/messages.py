"""The message-based form of the call protocol: what crosses a WebSocket or a pipe.

HTTP carries one call per request.  A connection that stays open (a WebSocket, a
child process's stdin and stdout, an in-memory pair) carries many calls at once,
each under a *call id*, as small messages (SPEC.md §17.9)::

    message = kind:u8  flags:u8  call:u32be  payload

On a byte stream every message is preceded by its length (``u32be``, not counting
the four length bytes); a WebSocket sends each as one binary message, unprefixed.
The payloads inside ``CALL``, ``HEAD`` and ``DATA`` are the HTTP form's bytes: the
same ``;0x%08x;`` codec frames, the same header names.  Nothing here does I/O.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Final

from .errors import ProtocolError
from .wire import Headers, RequestHead, ResponseHead

__all__ = [
    "FLAG_END",
    "HEADER_SIZE",
    "PROTOCOL_VERSION",
    "Kind",
    "Message",
    "MessageReader",
    "decode_message",
    "decode_request_head",
    "decode_response_head",
    "encode_message",
    "encode_request_head",
    "encode_response_head",
    "frame_message",
]

PROTOCOL_VERSION: Final = 1
FLAG_END: Final = 0x01
"""On ``CALL``, ``HEAD`` and ``DATA``: the sender's side of the call ends with this message."""

_HEADER: Final = struct.Struct(">BBI")
HEADER_SIZE: Final = _HEADER.size
_LENGTH: Final = struct.Struct(">I")
_MAX_CALL_ID: Final = 2**32 - 1


class Kind(IntEnum):
    """What a message is (its first byte)."""

    HELLO = 1
    """Call 0; a JSON object of the sender's settings.  Each side's first message."""
    CALL = 2
    """Client to server, a new call id: ``u32 head length``, the head (JSON), body bytes."""
    HEAD = 3
    """Server to client: ``u32 head length``, the response head (JSON), body bytes."""
    DATA = 4
    """Body bytes of a call, either way; uses one unit of the receiver's window if not empty."""
    WINDOW = 5
    """``u32``: the receiver of this call's DATA grants that many more messages."""
    CANCEL = 6
    """Client to server: the call is abandoned.  Server to client: stop sending arguments."""
    ERROR = 7
    """A JSON ``{code, message}``; call 0: the connection fails; else that call failed."""
    CLOSE = 8
    """Call 0: the sender takes no new calls (``u32``: the last call id it accepted)."""
    PING = 9
    """Call 0: answer with a PONG holding the same payload."""
    PONG = 10


@dataclass(frozen=True, slots=True)
class Message:
    """One decoded message; ``payload`` is a view of the bytes after the header."""

    kind: Kind
    call: int
    payload: bytes
    flags: int = 0

    @property
    def end(self) -> bool:
        return bool(self.flags & FLAG_END)


def encode_message(kind: Kind, call: int, payload: bytes = b"", *, end: bool = False) -> bytes:
    """One message's bytes (unprefixed: a WebSocket message)."""
    if not 0 <= call <= _MAX_CALL_ID:
        raise ValueError(f"a call id is a u32, not {call}")
    return _HEADER.pack(kind, FLAG_END if end else 0, call) + payload


def frame_message(message: bytes) -> bytes:
    """``message`` with its length prefix, for a byte stream."""
    return _LENGTH.pack(len(message)) + message


def decode_message(data: bytes) -> Message:
    """The message in ``data`` (one whole message); :class:`ProtocolError` if malformed."""
    if len(data) < HEADER_SIZE:
        raise ProtocolError(f"a message is at least {HEADER_SIZE} bytes, not {len(data)}")
    kind, flags, call = _HEADER.unpack_from(data)
    try:
        known = Kind(kind)
    except ValueError:
        raise ProtocolError(f"unknown message kind {kind}") from None
    if flags & ~FLAG_END:
        raise ProtocolError(f"unknown message flags {flags:#04x}")
    return Message(known, call, bytes(data[HEADER_SIZE:]), flags)


class MessageReader:
    """Splits a byte stream into messages (length-prefixed), refusing oversized ones.

    ``max_size`` bounds one message, checked at its length prefix before its bytes
    are buffered: a peer cannot make this side hold more than one message's worth.
    """

    __slots__ = ("_buffer", "max_size")

    def __init__(self, *, max_size: int) -> None:
        self.max_size = max_size
        self._buffer = bytearray()

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def feed(self, data: bytes) -> list[bytes]:
        """The messages complete after ``data`` (each without its prefix)."""
        buffer = self._buffer
        buffer += data
        out: list[bytes] = []
        start = 0
        while len(buffer) - start >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(buffer, start)
            if length > self.max_size:
                raise ProtocolError(f"a message of {length} bytes is over {self.max_size}")
            end = start + _LENGTH.size + length
            if len(buffer) < end:
                break
            out.append(bytes(buffer[start + _LENGTH.size : end]))
            start = end
        if start:
            del buffer[:start]
        return out

    def close(self) -> None:
        """The stream ended: :class:`ProtocolError` if it ended inside a message."""
        if self._buffer:
            raise ProtocolError(f"the stream ended inside a message ({len(self._buffer)} bytes)")


# -- heads ------------------------------------------------------------------------------


def _pack_head(fields: dict[str, Any], body: bytes) -> bytes:
    head = json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode()
    return _LENGTH.pack(len(head)) + head + body


def _unpack_head(payload: bytes) -> tuple[dict[str, Any], bytes]:
    if len(payload) < _LENGTH.size:
        raise ProtocolError("a head is missing its length")
    (length,) = _LENGTH.unpack_from(payload)
    end = _LENGTH.size + length
    if len(payload) < end:
        raise ProtocolError("a head is longer than its message")
    try:
        fields = json.loads(payload[_LENGTH.size : end])
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("a head is not JSON") from None
    if not isinstance(fields, dict):
        raise ProtocolError("a head is not a JSON object")
    return fields, payload[end:]


def _headers(value: Any) -> Headers:
    if not isinstance(value, list) or not all(
        isinstance(pair, list)
        and len(pair) == 2
        and isinstance(pair[0], str)
        and isinstance(pair[1], str)
        for pair in value
    ):
        raise ProtocolError("a head's headers are a list of [name, value] strings")
    return Headers((name, item) for name, item in value)


def encode_request_head(head: RequestHead, body: bytes) -> bytes:
    """A ``CALL`` payload: method, path, query and headers, then the first body bytes."""
    fields = {
        "m": head.method,
        "p": head.path,
        "q": head.query,
        "h": [list(h) for h in head.headers],
    }
    return _pack_head(fields, body)


def decode_request_head(payload: bytes) -> tuple[RequestHead, bytes]:
    """A ``CALL`` payload's head and body bytes (``scheme``/``client`` are the carrier's)."""
    fields, body = _unpack_head(payload)
    method, path, query = fields.get("m"), fields.get("p"), fields.get("q", "")
    if not isinstance(method, str) or not isinstance(path, str) or not isinstance(query, str):
        raise ProtocolError("a call head needs a method and a path (strings)")
    return RequestHead(method, path, _headers(fields.get("h", [])), query), body


def encode_response_head(head: ResponseHead, body: bytes) -> bytes:
    """A ``HEAD`` payload: status and headers, then the first body bytes."""
    return _pack_head({"s": head.status, "h": [list(h) for h in head.headers]}, body)


def decode_response_head(payload: bytes) -> tuple[ResponseHead, bytes]:
    fields, body = _unpack_head(payload)
    status = fields.get("s")
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 999:
        raise ProtocolError("a response head needs a status (100-999)")
    return ResponseHead(status, _headers(fields.get("h", []))), body


def encode_json(value: dict[str, Any]) -> bytes:
    """A HELLO or ERROR payload."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def decode_json(payload: bytes) -> dict[str, Any]:
    try:
        value = json.loads(payload)
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError("a HELLO or ERROR payload is not JSON") from None
    if not isinstance(value, dict):
        raise ProtocolError("a HELLO or ERROR payload is not a JSON object")
    return value


def encode_u32(value: int) -> bytes:
    return _LENGTH.pack(value)


def decode_u32(payload: bytes) -> int:
    if len(payload) != _LENGTH.size:
        raise ProtocolError(f"expected a u32 payload, got {len(payload)} bytes")
    (value,) = _LENGTH.unpack(payload)
    return int(value)
