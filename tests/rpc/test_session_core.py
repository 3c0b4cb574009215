"""The sans-I/O session: messages, framing, windows and limits, with no event loop."""

from __future__ import annotations

import pytest

from seroval.rpc.core.errors import ProtocolError
from seroval.rpc.core.messages import (
    Kind,
    MessageReader,
    decode_message,
    decode_request_head,
    encode_message,
    encode_request_head,
    frame_message,
)
from seroval.rpc.core.session import (
    CallClosed,
    CallData,
    CallFailed,
    CallHead,
    CallOpened,
    ConnectionClosingError,
    PeerClosing,
    PeerHello,
    Reply,
    Session,
    SessionLimits,
    StopSending,
    TooManyCallsError,
    WindowOpened,
)
from seroval.rpc.core.wire import Headers, RequestHead, ResponseHead

HEAD = RequestHead("POST", "/_server", Headers([("x-server-id", "app:add")]))


def pair(
    client_limits: SessionLimits | None = None, server_limits: SessionLimits | None = None
) -> tuple[Session, Session]:
    client = Session("client", client_limits or SessionLimits())
    server = Session("server", server_limits or SessionLimits())
    assert isinstance(server.receive_message(client.hello())[0], PeerHello)
    assert isinstance(client.receive_message(server.hello())[0], PeerHello)
    return client, server


def test_a_message_round_trips_and_framing_splits_anywhere() -> None:
    message = encode_message(Kind.DATA, 7, b"abc", end=True)
    decoded = decode_message(message)
    assert (decoded.kind, decoded.call, decoded.payload, decoded.end) == (
        Kind.DATA,
        7,
        b"abc",
        True,
    )
    stream = frame_message(message) * 3
    reader = MessageReader(max_size=100)
    out = [m for i in range(len(stream)) for m in reader.feed(stream[i : i + 1])]
    assert out == [message] * 3
    reader.close()


def test_a_head_round_trips() -> None:
    head, body = decode_request_head(encode_request_head(HEAD, b";0x00000001;x"))
    assert (head.method, head.path, list(head.headers), body) == (
        "POST",
        "/_server",
        [("x-server-id", "app:add")],
        b";0x00000001;x",
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x02\x00", "at least"),
        (b"\x63\x00\x00\x00\x00\x01", "unknown message kind"),
        (b"\x04\x80\x00\x00\x00\x01", "unknown message flags"),
    ],
)
def test_malformed_messages_are_protocol_errors(data: bytes, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason):
        decode_message(data)


def test_an_oversized_message_is_refused_at_its_length_prefix() -> None:
    reader = MessageReader(max_size=1000)
    with pytest.raises(ProtocolError, match="over 1000"):
        reader.feed(b"\x7f\xff\xff\xff")  # 2 GiB announced: refused before any is buffered
    session = Session("server", SessionLimits(max_message_size=100))
    with pytest.raises(ProtocolError, match="over 100"):
        session.receive_message(b"\x01\x00\x00\x00\x00\x00" + b"x" * 200)


def test_a_stream_cut_inside_a_message_is_an_error() -> None:
    reader = MessageReader(max_size=100)
    reader.feed(frame_message(encode_message(Kind.PING, 0, b"x"))[:-1])
    with pytest.raises(ProtocolError, match="inside a message"):
        reader.close()


def test_the_first_message_must_be_hello() -> None:
    server = Session("server")
    with pytest.raises(ProtocolError, match="HELLO"):
        server.receive_message(encode_message(Kind.PING, 0))


def test_a_call_its_response_and_the_window() -> None:
    client, server = pair(
        server_limits=SessionLimits(window=2), client_limits=SessionLimits(window=4)
    )
    call, message = client.start_call(HEAD, b"args", end=False)
    (opened,) = server.receive_message(message)
    assert isinstance(opened, CallOpened)
    assert opened.body == b"args"
    assert not opened.end
    # The server granted 2 DATA messages per call: a third is past its window.
    assert client.can_send(call)
    first = client.data(call, b"1")
    second = client.data(call, b"2")
    assert not client.can_send(call)
    with pytest.raises(RuntimeError, match="window"):
        client.data(call, b"3")
    assert [type(e) for e in server.receive_message(first)] == [CallData]
    server.receive_message(second)
    grant = server.consumed(call)  # half the window taken: one WINDOW goes back
    assert grant is not None
    assert [type(e) for e in client.receive_message(grant)] == [WindowOpened]
    assert client.can_send(call)
    # The response: HEAD with its first frame, then DATA ending it.
    head = server.respond(call, ResponseHead(200), b"root", end=False)
    (got,) = client.receive_message(head)
    assert isinstance(got, CallHead)
    assert got.body == b"root"
    end = server.data(call, b"", end=True)
    (last,) = client.receive_message(end)
    assert isinstance(last, CallData)
    assert last.end
    assert not client.is_open(call)
    assert not server.is_open(call)


def test_a_peer_that_sends_past_its_window_breaks_the_protocol() -> None:
    client, server = pair(server_limits=SessionLimits(window=1))
    call, message = client.start_call(HEAD, b"", end=False)
    server.receive_message(message)
    server.receive_message(encode_message(Kind.DATA, call, b"1"))
    with pytest.raises(ProtocolError, match="past its window"):
        server.receive_message(encode_message(Kind.DATA, call, b"2"))


def test_ids_increase_and_unknown_ids_are_errors() -> None:
    client, server = pair()
    _, first = client.start_call(HEAD, b"", end=True)
    server.receive_message(first)
    with pytest.raises(ProtocolError, match="used already"):
        server.receive_message(first)
    with pytest.raises(ProtocolError, match="never opened"):
        server.receive_message(encode_message(Kind.DATA, 99, b"x"))


def test_messages_for_a_call_that_ended_here_are_dropped() -> None:
    client, server = pair()
    call, message = client.start_call(HEAD, b"", end=True)
    server.receive_message(message)
    cancel = client.cancel(call)
    assert cancel is not None
    assert not client.is_open(call)
    assert [type(e) for e in server.receive_message(cancel)] == [CallClosed]
    # The server had answered before it heard: the client drops the late answer.
    assert client.receive_message(encode_message(Kind.HEAD, call, b"\x00\x00\x00\x02{}")) == []


def test_the_server_stops_a_clients_arguments() -> None:
    client, server = pair()
    call, message = client.start_call(HEAD, b"", end=False)
    server.receive_message(message)
    stop = server.cancel(call)
    assert stop is not None
    assert [type(e) for e in client.receive_message(stop)] == [StopSending]
    assert not client.can_send(call)
    assert server.receive_message(encode_message(Kind.DATA, call, b"late")) == []


def test_calls_over_the_limit_are_refused_and_the_connection_goes_on() -> None:
    client, server = pair(server_limits=SessionLimits(max_calls=1))
    _, first = client.start_call(HEAD, b"", end=True)
    server.receive_message(first)
    second = encode_message(Kind.CALL, 2, encode_request_head(HEAD, b""), end=True)
    (reply,) = server.receive_message(second)  # a client that ignored HELLO's max_calls
    assert isinstance(reply, Reply)
    refusal = decode_message(reply.data)
    assert (refusal.kind, refusal.call) == (Kind.ERROR, 2)
    assert b"too_many_calls" in refusal.payload
    # A client that reads HELLO waits instead (the transport queues the call).
    with pytest.raises(TooManyCallsError):
        client.start_call(HEAD, b"", end=True)
    failed = client.receive_message(server.fail(1, "server_error", "boom"))
    assert failed == [CallFailed(1, "server_error", "boom")]
    assert not client.is_open(1)
    assert not server.is_open(1)


def test_close_stops_new_calls_on_both_sides() -> None:
    client, server = pair()
    (closing,) = client.receive_message(server.close())
    assert isinstance(closing, PeerClosing)
    with pytest.raises(ConnectionClosingError):
        client.start_call(HEAD, b"", end=True)
    late = encode_message(Kind.CALL, 1, encode_request_head(HEAD, b""), end=True)
    (reply,) = server.receive_message(late)
    assert isinstance(reply, Reply)
    assert b"closing" in reply.data


def test_ping_is_answered_with_its_payload() -> None:
    client, server = pair()
    (reply,) = server.receive_message(client.ping(b"abc"))
    assert isinstance(reply, Reply)
    pong = decode_message(reply.data)
    assert (pong.kind, pong.payload) == (Kind.PONG, b"abc")


def test_a_framed_session_reads_a_byte_stream() -> None:
    client = Session("client", framed=True)
    server = Session("server", framed=True)
    data = client.hello() + client.ping(b"1")
    events = [e for i in range(len(data)) for e in server.receive_bytes(data[i : i + 1])]
    assert [type(e) for e in events] == [PeerHello, Reply]
