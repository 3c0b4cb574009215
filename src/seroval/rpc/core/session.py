"""One multiplexed connection's protocol state, sans-I/O: call ids, windows, limits.

A :class:`Session` is one side (``"client"`` or ``"server"``) of a connection that
carries many calls (:mod:`.messages`).  The carrier feeds it what arrives
(:meth:`Session.receive_message`, or :meth:`Session.receive_bytes` on a byte
stream) and gets back *events*; it asks it for the bytes of what to send.  The
session enforces the rules, so a carrier cannot break them by accident and a
peer cannot break them unnoticed:

* call ids are chosen by the client, ``1, 2, 3...``, never reused; a message for a
  call that already ended on this side is dropped (the peer had not heard yet),
  one for an id never opened is a protocol error;
* each side grants, per call, a *window* of ``DATA`` messages it will take
  (``HELLO``'s ``window``), and more with ``WINDOW`` as its consumer takes them;
  a ``DATA`` past the window is a protocol error, so a receiver holds at most
  ``window`` messages of one call, each at most ``max_message_size`` bytes;
* the server takes at most ``max_calls`` calls at once; another is answered with
  ``ERROR too_many_calls`` (the connection goes on);
* after ``CLOSE`` a server takes no new call (``ERROR closing``) and the client
  starts none; running calls finish.

A :class:`~seroval.rpc.core.errors.ProtocolError` from ``receive_*`` is fatal for the
connection: send :meth:`Session.fail` and close it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Final, Literal

from .errors import CallRefusedError, PayloadTooLargeError, ProtocolError
from .messages import (
    PROTOCOL_VERSION,
    Kind,
    Message,
    MessageReader,
    decode_json,
    decode_message,
    decode_request_head,
    decode_response_head,
    decode_u32,
    encode_json,
    encode_message,
    encode_request_head,
    encode_response_head,
    encode_u32,
    frame_message,
)
from .wire import RequestHead, ResponseHead

__all__ = [
    "DEFAULT_SESSION_LIMITS",
    "CallClosed",
    "CallData",
    "CallFailed",
    "CallHead",
    "CallOpened",
    "ConnectionClosingError",
    "ConnectionFailed",
    "ConnectionLostError",
    "Event",
    "PeerClosing",
    "PeerHello",
    "PongArrived",
    "Reply",
    "Session",
    "SessionLimits",
    "StopSending",
    "TooManyCallsError",
    "WindowOpened",
]

Role = Literal["client", "server"]
_MAX_WINDOW: Final = 2**31 - 1


class ConnectionLostError(ProtocolError):
    """The connection ended (or broke) while this call was still open."""

    code: ClassVar[str] = "connection_lost"


class ConnectionClosingError(ConnectionLostError):
    """The server is shutting down and takes no new calls (running ones finish)."""

    code: ClassVar[str] = "closing"


class TooManyCallsError(CallRefusedError):
    """429: the connection already carries as many calls as the server takes at once."""

    status: ClassVar[int] = 429
    code: ClassVar[str] = "too_many_calls"


@dataclass(frozen=True, slots=True)
class SessionLimits:
    """Per-connection limits (sizes in bytes, durations in seconds).

    * ``max_calls``: calls open at once on one connection (the server refuses more).
    * ``max_message_size``: one message, refused at its length prefix (a byte
      stream) or its size (a WebSocket); a frame of a call must fit in one.
    * ``window``: ``DATA`` messages per call this side takes before granting more.
    * ``idle_timeout``: a server closes a connection that had no call open for
      this long (``None``: never).
    * ``ping_interval``: send a ``PING`` after this long without hearing from the
      peer; no ``PONG`` (or anything) within ``ping_timeout`` ends the connection.
    """

    max_calls: int = 128
    max_message_size: int = 16 * 1024 * 1024 + 1024
    window: int = 16
    idle_timeout: float | None = 300.0
    ping_interval: float | None = 20.0
    ping_timeout: float = 20.0

    def __post_init__(self) -> None:
        for name in ("max_calls", "max_message_size", "window"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive int, not {value!r}")
        if self.max_message_size < 64:
            raise ValueError("max_message_size must be at least 64 bytes")
        for name in ("idle_timeout", "ping_interval"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be positive or None, not {value!r}")
        if not self.ping_timeout > 0:
            raise ValueError("ping_timeout must be positive")


DEFAULT_SESSION_LIMITS: Final = SessionLimits()


# -- events -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeerHello:
    """The peer's settings: its window per call, largest message, most calls at once."""

    window: int
    max_message_size: int
    max_calls: int


@dataclass(frozen=True, slots=True)
class CallOpened:
    """Server side: a new call, its head and first body bytes (``end``: no more)."""

    call: int
    head: RequestHead
    body: bytes
    end: bool


@dataclass(frozen=True, slots=True)
class CallHead:
    """Client side: the call's response head and first body bytes."""

    call: int
    head: ResponseHead
    body: bytes
    end: bool


@dataclass(frozen=True, slots=True)
class CallData:
    """More body bytes of a call (``end``: the last); the consumer reports taking them."""

    call: int
    data: bytes
    end: bool


@dataclass(frozen=True, slots=True)
class WindowOpened:
    """This side may send more ``DATA`` on ``call``."""

    call: int


@dataclass(frozen=True, slots=True)
class CallClosed:
    """Server side: the client abandoned ``call`` (cancel it; send nothing more)."""

    call: int


@dataclass(frozen=True, slots=True)
class StopSending:
    """Client side: the server reads no more of ``call``'s arguments."""

    call: int


@dataclass(frozen=True, slots=True)
class CallFailed:
    """The peer ended ``call`` with an error (``code`` as :class:`ERROR` says)."""

    call: int
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ConnectionFailed:
    """The peer reports a connection error and is closing."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class PeerClosing:
    """The peer takes (server) or starts (client) no new calls; ``last`` is its last id."""

    last: int


@dataclass(frozen=True, slots=True)
class Reply:
    """Bytes to send back at once (a ``PONG``, a refusal)."""

    data: bytes


@dataclass(frozen=True, slots=True)
class PongArrived:
    payload: bytes


Event = (
    PeerHello
    | CallOpened
    | CallHead
    | CallData
    | WindowOpened
    | CallClosed
    | StopSending
    | CallFailed
    | ConnectionFailed
    | PeerClosing
    | Reply
    | PongArrived
)


@dataclass(slots=True)
class _Call:
    send_credit: int
    receive_left: int
    ungranted: int = 0
    sent_end: bool = False
    received_end: bool = False
    headed: bool = False


@dataclass(slots=True)
class _Peer:
    window: int = 0
    max_message_size: int = 64
    max_calls: int = 1


@dataclass
class Session:
    """One side of a multiplexed connection (see the module docs).

    ``framed``: messages go on a byte stream with length prefixes (stdio); else
    each is one transport message (a WebSocket, a memory channel).
    """

    role: Role
    limits: SessionLimits = DEFAULT_SESSION_LIMITS
    framed: bool = False
    peer: PeerHello | None = None
    closing: bool = False
    """This side sent (or, client side, received) ``CLOSE``: no new calls."""
    _calls: dict[int, _Call] = field(default_factory=dict)
    _last_id: int = 0
    _reader: MessageReader | None = None

    def __post_init__(self) -> None:
        if self.framed:
            self._reader = MessageReader(max_size=self.limits.max_message_size)

    # -- what is open ------------------------------------------------------------------

    @property
    def open_calls(self) -> int:
        return len(self._calls)

    def is_open(self, call: int) -> bool:
        return call in self._calls

    def can_send(self, call: int) -> bool:
        """Whether a non-empty ``DATA`` may go on ``call`` now (the peer's window)."""
        state = self._calls.get(call)
        return state is not None and not state.sent_end and state.send_credit > 0

    # -- sending -----------------------------------------------------------------------

    def _out(self, data: bytes) -> bytes:
        return frame_message(data) if self.framed else data

    def hello(self) -> bytes:
        """This side's first message: its settings."""
        limits = self.limits
        settings = {
            "v": PROTOCOL_VERSION,
            "window": limits.window,
            "max_message_size": limits.max_message_size,
            "max_calls": limits.max_calls,
        }
        return self._out(encode_message(Kind.HELLO, 0, encode_json(settings)))

    def start_call(self, head: RequestHead, body: bytes, *, end: bool) -> tuple[int, bytes]:
        """Client side: a new call id and its ``CALL`` message."""
        self._need("client")
        peer = self._need_peer()
        if self.closing:
            raise ConnectionClosingError("the server takes no new calls")
        if len(self._calls) >= peer.max_calls:
            raise TooManyCallsError(f"the server takes {peer.max_calls} calls at once")
        payload = encode_request_head(head, body)
        self._check_size(payload)
        self._last_id += 1
        call = self._last_id
        self._calls[call] = _Call(send_credit=peer.window, receive_left=self.limits.window)
        self._calls[call].sent_end = end
        return call, self._out(encode_message(Kind.CALL, call, payload, end=end))

    def respond(self, call: int, head: ResponseHead, body: bytes, *, end: bool) -> bytes:
        """Server side: the response head (with its first body bytes)."""
        self._need("server")
        state = self._open(call)
        if state.headed:
            raise RuntimeError("a call has one response head")
        state.headed = True
        payload = encode_response_head(head, body)
        self._check_size(payload)
        if end:
            del self._calls[call]
        return self._out(encode_message(Kind.HEAD, call, payload, end=end))

    def data(self, call: int, data: bytes, *, end: bool = False) -> bytes:
        """A ``DATA`` message; a non-empty one needs the peer's window (:meth:`can_send`)."""
        state = self._open(call)
        if state.sent_end:
            raise RuntimeError("this side of the call already ended")
        if self.role == "server" and not state.headed:
            raise RuntimeError("the response head goes first")
        if data:
            if state.send_credit <= 0:
                raise RuntimeError("the peer's window for this call is used up")
            self._check_size(data)
            state.send_credit -= 1
        state.sent_end = end
        if end and self.role == "server":
            del self._calls[call]
        return self._out(encode_message(Kind.DATA, call, data, end=end))

    def consumed(self, call: int, count: int = 1) -> bytes | None:
        """The consumer took ``count`` ``DATA`` messages of ``call``; maybe a ``WINDOW``.

        Grants go out in batches of half the window, so a steady stream costs one
        ``WINDOW`` per ``window / 2`` messages.
        """
        state = self._calls.get(call)
        if state is None or state.received_end:
            return None
        state.ungranted += count
        if state.ungranted < max(1, self.limits.window // 2):
            return None
        grant, state.ungranted = state.ungranted, 0
        state.receive_left += grant
        return self._out(encode_message(Kind.WINDOW, call, encode_u32(grant)))

    def cancel(self, call: int) -> bytes | None:
        """Client: abandon ``call`` (forgotten here).  Server: stop its arguments."""
        state = self._calls.get(call)
        if state is None:
            return None
        if self.role == "client":
            del self._calls[call]
        else:
            if state.received_end:
                return None
            state.received_end = True
        return self._out(encode_message(Kind.CANCEL, call))

    def fail(self, call: int, code: str, message: str) -> bytes:
        """An ``ERROR``: on call 0, the connection's (then close it); else that call's."""
        if call:
            self._calls.pop(call, None)
        payload = encode_json({"code": code, "message": message[:1000]})
        return self._out(encode_message(Kind.ERROR, call, payload))

    def close(self) -> bytes:
        """``CLOSE``: this side takes (or starts) no new calls; running ones finish."""
        self.closing = True
        return self._out(encode_message(Kind.CLOSE, 0, encode_u32(self._last_id)))

    def ping(self, payload: bytes = b"") -> bytes:
        return self._out(encode_message(Kind.PING, 0, payload[:64]))

    def forget(self, call: int) -> None:
        """The call ended here without a message saying so (a local failure)."""
        self._calls.pop(call, None)

    # -- receiving ---------------------------------------------------------------------

    def receive_bytes(self, data: bytes) -> list[Event]:
        """Framed: the events of the messages complete after ``data``."""
        assert self._reader is not None, "receive_bytes is for a framed session"
        events: list[Event] = []
        for message in self._reader.feed(data):
            events.extend(self._receive(decode_message(message)))
        return events

    def end_of_stream(self) -> None:
        """Framed: the stream ended (:class:`ProtocolError` if inside a message)."""
        if self._reader is not None:
            self._reader.close()

    def receive_message(self, data: bytes) -> list[Event]:
        """Unframed: the events of one message."""
        if len(data) > self.limits.max_message_size:
            raise ProtocolError(
                f"a message of {len(data)} bytes is over {self.limits.max_message_size}"
            )
        return self._receive(decode_message(data))

    def _receive(self, message: Message) -> list[Event]:
        kind = message.kind
        if self.peer is None and kind is not Kind.HELLO:
            raise ProtocolError(f"the first message must be HELLO, not {kind.name}")
        if kind is Kind.DATA:
            return self._on_data(message)
        if kind is Kind.CALL:
            return self._on_call(message)
        if kind is Kind.HEAD:
            return self._on_head(message)
        if kind is Kind.WINDOW:
            state = self._known(message.call)
            if state is None:
                return []
            state.send_credit = min(_MAX_WINDOW, state.send_credit + decode_u32(message.payload))
            return [WindowOpened(message.call)]
        if kind is Kind.CANCEL:
            return self._on_cancel(message)
        if kind is Kind.ERROR:
            fields = decode_json(message.payload)
            code, text = str(fields.get("code", "error")), str(fields.get("message", ""))
            if message.call == 0:
                return [ConnectionFailed(code, text)]
            if self._known(message.call) is None:
                return []
            del self._calls[message.call]
            return [CallFailed(message.call, code, text)]
        if kind is Kind.HELLO:
            return self._on_hello(message)
        if kind is Kind.CLOSE:
            last = decode_u32(message.payload)
            if self.role == "client":
                self.closing = True
            return [PeerClosing(last)]
        if kind is Kind.PING:
            return [Reply(self._out(encode_message(Kind.PONG, 0, message.payload[:64])))]
        return [PongArrived(message.payload)]  # Kind.PONG

    def _on_hello(self, message: Message) -> list[Event]:
        if self.peer is not None:
            raise ProtocolError("a second HELLO")
        fields = decode_json(message.payload)
        if fields.get("v") != PROTOCOL_VERSION:
            raise ProtocolError(f"protocol version {fields.get('v')!r}, not {PROTOCOL_VERSION}")
        values = []
        for name in ("window", "max_message_size", "max_calls"):
            value = fields.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value < 2**32:
                raise ProtocolError(f"HELLO needs a positive {name}")
            values.append(value)
        self.peer = PeerHello(*values)
        return [self.peer]

    def _on_call(self, message: Message) -> list[Event]:
        if self.role != "server":
            raise ProtocolError("a server does not send CALL")
        call = message.call
        if call <= self._last_id:
            raise ProtocolError(f"call id {call} was used already (ids increase)")
        self._last_id = call
        if self.closing:
            return [Reply(self.fail(call, "closing", "the server takes no new calls"))]
        if len(self._calls) >= self.limits.max_calls:
            text = f"this connection carries {self.limits.max_calls} calls at once"
            return [Reply(self.fail(call, TooManyCallsError.code, text))]
        head, body = decode_request_head(message.payload)
        peer = self._need_peer()
        self._calls[call] = _Call(
            send_credit=peer.window, receive_left=self.limits.window, received_end=message.end
        )
        return [CallOpened(call, head, body, message.end)]

    def _on_head(self, message: Message) -> list[Event]:
        if self.role != "client":
            raise ProtocolError("a client does not send HEAD")
        state = self._known(message.call)
        if state is None:
            return []
        if state.headed:
            raise ProtocolError(f"a second HEAD on call {message.call}")
        state.headed = True
        head, body = decode_response_head(message.payload)
        if message.end:
            del self._calls[message.call]
        return [CallHead(message.call, head, body, message.end)]

    def _on_data(self, message: Message) -> list[Event]:
        call = message.call
        state = self._known(call)
        if state is None:
            return []
        if self.role == "client" and not state.headed:
            raise ProtocolError(f"DATA before HEAD on call {call}")
        if state.received_end:
            if self.role == "server":
                return []  # arguments we asked the client to stop sending
            raise ProtocolError(f"DATA after the end of call {call}")
        if message.payload:
            if state.receive_left <= 0:
                raise ProtocolError(f"call {call} sent past its window of {self.limits.window}")
            state.receive_left -= 1
        if message.end:
            state.received_end = True
            if self.role == "client":
                del self._calls[call]
        return [CallData(call, message.payload, message.end)]

    def _on_cancel(self, message: Message) -> list[Event]:
        state = self._known(message.call)
        if state is None:
            return []
        if self.role == "server":
            del self._calls[message.call]
            return [CallClosed(message.call)]
        state.sent_end = True
        return [StopSending(message.call)]

    # -- helpers -----------------------------------------------------------------------

    def _known(self, call: int) -> _Call | None:
        """The open call, ``None`` for one that ended here; an unused id is an error."""
        state = self._calls.get(call)
        if state is None and (call == 0 or call > self._last_id):
            raise ProtocolError(f"a message for call {call}, which was never opened")
        return state

    def _open(self, call: int) -> _Call:
        state = self._calls.get(call)
        if state is None:
            raise RuntimeError(f"call {call} is not open")
        return state

    def _need(self, role: Role) -> None:
        if self.role != role:
            raise RuntimeError(f"only a {role} does this")

    def _need_peer(self) -> PeerHello:
        if self.peer is None:
            raise RuntimeError("the peer's HELLO has not arrived")
        return self.peer

    def _check_size(self, payload: bytes) -> None:
        peer = self._need_peer()
        if len(payload) + 16 > peer.max_message_size:
            raise PayloadTooLargeError(
                f"a message of {len(payload)} bytes is over the peer's {peer.max_message_size}"
            )
