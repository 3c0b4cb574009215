"""The framework-free rules: codec negotiation, framed bodies, status codes."""

from __future__ import annotations

import pytest

import seroval
from seroval.codecs import SerovalCodecLimitError, SerovalUnknownCodecError, get_codec
from seroval.integrations.content import (
    BodyReader,
    decode_body,
    encode_value,
    framed_content_type,
    negotiate,
    status_for,
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("application/*", "json"),
        ("application/cbor", "cbor"),
        ("application/msgpack", "msgpack"),  # an alias of application/vnd.msgpack
        ("application/json;q=0.5, application/vnd.msgpack", "msgpack"),
        ("text/html, application/cbor;q=0.2, */*;q=0.1", "cbor"),
        ("application/cbor;q=0, application/json;q=0.1", "json"),  # q=0 means "not this"
        ("nonsense, application/cbor", "cbor"),  # a malformed entry is ignored
        ("application/vnd.msgpack; profile=binary, application/json;q=0.9", "json"),
    ],
)
def test_negotiate(accept: str | None, expected: str) -> None:
    assert negotiate(accept).name == expected


def test_negotiate_offers_what_it_is_told() -> None:
    accept = "application/vnd.msgpack; profile=binary"
    assert negotiate(accept, offered=("json", "msgpack-binary")).name == "msgpack-binary"
    assert negotiate(None, offered=("cbor", "json")).name == "cbor"


def test_negotiate_refuses_when_nothing_offered_is_accepted() -> None:
    with pytest.raises(SerovalUnknownCodecError, match="none of the accepted types 'text/html'"):
        negotiate("text/html")


def test_encode_value_says_when_to_stream() -> None:
    async def later() -> int:
        return 1

    coroutine = later()
    assert encode_value({"a": coroutine}, get_codec("json"), seroval.Serializer()) is None
    coroutine.close()
    assert encode_value([1], get_codec("json"), seroval.Serializer()) == (
        b'{"t":{"t":9,"i":0,"a":[{"t":0,"s":1}],"o":0},"f":127,"m":[]}'
    )
    with pytest.raises(seroval.SerovalUnsupportedTypeError):
        encode_value(object(), get_codec("json"), seroval.Serializer())


def test_framed_content_type() -> None:
    assert framed_content_type(get_codec("cbor")) == "application/cbor; framing=seroval"


def test_an_empty_framed_body_is_refused() -> None:
    with pytest.raises(seroval.SerovalDeserializationError, match="held no frame"):
        decode_body(b"", "application/json; framing=seroval", seroval.Deserializer())


def test_body_reader_stops_at_its_limit() -> None:
    reader = BodyReader(4, "json")
    reader.add(b"ab")
    reader.add(b"cd")
    with pytest.raises(SerovalCodecLimitError, match="5 bytes is over the limit of 4"):
        reader.add(b"e")
    assert reader.data() == b"abcd"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (SerovalCodecLimitError("a body", 2, 1, codec="json"), 413),
        (SerovalUnknownCodecError("no codec"), 415),
        (seroval.SerovalMalformedNodeError("bad"), 400),
        (seroval.SerovalUnsupportedTypeError("ours"), 500),
    ],
)
def test_status_for(error: seroval.SerovalError, status: int) -> None:
    assert status_for(error) == status
