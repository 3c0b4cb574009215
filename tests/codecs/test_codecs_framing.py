"""Framing: SolidStart's ``;0x%08x;`` frames, written byte for byte and read from any split."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import seroval as S
import seroval.codecs as C

# An async generator yielding 1 then 2, as a SolidStart 2.0 server sends it in JSON mode
# (seroval 1.8.1; from the protocol notes): four frames back to back.
SOLID_FRAMES = [
    b'{"t":11,"i":0,"p":{"k":[{"t":17,"i":1,"s":0},{"t":17,"i":6,"s":11}],"v":[{"t":30,"a":'
    b'[{"t":29,"i":2,"a":[{"t":26,"i":3,"s":1},{"t":4,"i":1}]},{"t":31,"i":4,"a":[],"f":'
    b'{"t":26,"i":5,"s":4}}]},{"t":1,"s":"AsyncGenerator"}]},"o":0}',
    b'{"t":32,"i":4,"f":{"t":0,"s":1}}',
    b'{"t":32,"i":4,"f":{"t":0,"s":2}}',
    b'{"t":34,"i":4,"f":{"t":2,"s":1}}',
]
SOLID_BODY = (
    b";0x000000e4;"
    + SOLID_FRAMES[0]
    + b";0x00000020;"
    + SOLID_FRAMES[1]
    + b";0x00000020;"
    + SOLID_FRAMES[2]
    + b";0x00000020;"
    + SOLID_FRAMES[3]
)


def test_header_is_solidstarts() -> None:
    assert C.frame_header(234) == b";0x000000ea;"
    assert C.frame_header(0) == b";0x00000000;"
    assert C.frame_header(C.MAX_FRAME_LENGTH) == b";0xffffffff;"
    assert len(C.frame_header(1)) == C.HEADER_SIZE == 12
    with pytest.raises(S.SerovalError):
        C.frame_header(C.MAX_FRAME_LENGTH + 1)


def test_the_solidstart_stream_byte_for_byte() -> None:
    assert b"".join(C.encode_frame(frame) for frame in SOLID_FRAMES) == SOLID_BODY
    decoder = C.FrameDecoder(C.get_codec("json"))
    trees = decoder.feed(SOLID_BODY)
    decoder.close()
    assert [C.get_codec("json").encode(tree) for tree in trees] == SOLID_FRAMES


def test_length_counts_utf8_bytes() -> None:
    codec = C.get_codec("json")
    payload = codec.encode(S.to_cross_json("é😀\ud800"))
    frame = C.encode_frame(payload)
    assert frame.startswith(b";0x%08x;" % len(payload))
    assert len(payload) > len(payload.decode("utf-8"))
    assert C.encode_frame(memoryview(payload)) == C.encode_frame(bytearray(payload)) == frame


def read_in_pieces(stream: bytes, cuts: tuple[int, ...], **options: Any) -> list[bytes]:
    reader = C.FrameReader(**options)
    frames: list[bytes] = []
    for start, end in itertools.pairwise((0, *cuts, len(stream))):
        frames += reader.feed(stream[start:end])
    reader.close()
    return frames


SMALL = [b"", b"a", b'{"t":0,"s":1}', "é".encode(), b";0x00000001;"]
SMALL_STREAM = b"".join(C.encode_frame(p) for p in SMALL)


def test_every_single_split_point() -> None:
    for cut in range(len(SMALL_STREAM) + 1):
        assert read_in_pieces(SMALL_STREAM, (cut,)) == SMALL, cut


def test_every_pair_of_split_points() -> None:
    positions = range(len(SMALL_STREAM) + 1)
    for cuts in itertools.combinations_with_replacement(positions, 2):
        assert read_in_pieces(SMALL_STREAM, cuts) == SMALL, cuts


def test_byte_by_byte_and_whole() -> None:
    cuts = tuple(range(1, len(SOLID_BODY)))
    assert read_in_pieces(SOLID_BODY, cuts) == SOLID_FRAMES
    assert read_in_pieces(SOLID_BODY, ()) == SOLID_FRAMES


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.binary(max_size=40), max_size=8),
    st.lists(st.integers(min_value=0, max_value=400), max_size=12),
)
def test_any_split_gives_the_same_frames(payloads: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(C.encode_frame(p) for p in payloads)
    points = tuple(sorted(min(c, len(stream)) for c in cuts))
    assert read_in_pieces(stream, points) == payloads


TREES = [
    S.to_json({"a": [1, 2.5, "x\ud800"], "b": None}),
    S.to_cross_json(bytearray(b"\x00\x01\x02" * 10)),
    S.to_json(S.JSMap([(1, "one")])),
    {"t": 0, "s": 2**70},
]


@pytest.mark.parametrize("name", ["json", "msgpack", "cbor", "msgpack-binary", "cbor-binary"])
@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=10))
def test_codec_streams_decode_from_any_split(name: str, cuts: list[int]) -> None:
    codec = C.get_codec(name)
    trees = TREES[:3] if name == "json" else TREES
    stream = b"".join(C.encode_frame(codec.encode(tree)) for tree in trees)
    decoder = C.FrameDecoder(codec)
    decoded: list[Any] = []
    points = (0, *sorted(min(c, len(stream)) for c in cuts), len(stream))
    for start, end in itertools.pairwise(points):
        decoded += decoder.feed(stream[start:end])
    decoder.close()
    assert [codec.encode(tree) for tree in decoded] == [codec.encode(tree) for tree in trees]


# -- bad streams ---------------------------------------------------------------------------

BAD_HEADERS = [
    (b"{", 0, "';'"),
    (b";1", 1, "'0'"),
    (b";0X", 2, "'x'"),
    (b";0x0000000g", 10, "hex digit"),
    (b";0x-0000001;", 3, "hex digit"),
    (b";0x 0000001;", 3, "hex digit"),
    (b";0x00000001:", 11, "';'"),
    (b";0x000000011;", 11, "';'"),
]


@pytest.mark.parametrize(("data", "offset", "words"), BAD_HEADERS)
def test_a_bad_header_byte_is_refused_as_soon_as_it_arrives(
    data: bytes, offset: int, words: str
) -> None:
    reader = C.FrameReader()
    for byte in data[:offset]:
        assert reader.feed(bytes([byte])) == []
    with pytest.raises(C.SerovalFramingError, match=words) as caught:
        reader.feed(data[offset : offset + 1])
    assert caught.value.offset == offset
    assert isinstance(caught.value, S.SerovalDeserializationError)


def test_bad_header_offset_counts_the_whole_stream() -> None:
    stream = C.encode_frame(b"abc") + C.encode_frame(b"de") + b";0y"
    with pytest.raises(C.SerovalFramingError) as caught:
        read_in_pieces(stream, (4, 9, 20))
    assert caught.value.offset == 12 + 3 + 12 + 2 + 2


def test_uppercase_hex_digits_are_read_as_solidstart_does() -> None:
    assert read_in_pieces(b";0x0000000A;" + b"x" * 10, ()) == [b"x" * 10]


def test_a_frame_over_the_limit_fails_at_its_header() -> None:
    reader = C.FrameReader(max_frame_size=10)
    assert reader.feed(C.encode_frame(b"x" * 10)) == [b"x" * 10]
    with pytest.raises(C.SerovalCodecLimitError) as caught:
        reader.feed(b";0x0000000b;")
    assert (caught.value.size, caught.value.limit) == (11, 10)
    with pytest.raises(C.SerovalCodecLimitError):
        C.FrameReader().feed(b";0xffffffff;")


def test_buffering_is_bounded_by_one_frame() -> None:
    reader = C.FrameReader(max_frame_size=1000)
    stream = C.encode_frame(b"x" * 1000) * 3
    for start in range(0, len(stream), 7):
        reader.feed(stream[start : start + 7])
        assert reader.buffered <= C.HEADER_SIZE + 1000
    reader.close()
    assert reader.offset == len(stream)


@pytest.mark.parametrize(
    ("stream", "part"),
    [(b";0x0000", "header"), (b";0x00000003;ab", "payload"), (b";0x00000003;", "payload")],
)
def test_a_stream_cut_mid_frame_fails_at_close(stream: bytes, part: str) -> None:
    reader = C.FrameReader()
    assert reader.feed(stream) == []
    with pytest.raises(C.SerovalFramingError, match=part):
        reader.close()
    with pytest.raises(C.SerovalFramingError):
        reader.feed(b"")


def test_frames_before_an_error_come_first() -> None:
    reader = C.FrameReader()
    assert reader.feed(C.encode_frame(b"ok") + b"garbage") == [b"ok"]
    with pytest.raises(C.SerovalFramingError) as first:
        reader.feed(b"more")
    with pytest.raises(C.SerovalFramingError) as again:
        reader.close()
    assert first.value is again.value
    assert first.value.offset == 12 + 2


def test_a_closed_reader_takes_no_more() -> None:
    reader = C.FrameReader()
    reader.close()
    with pytest.raises(C.SerovalFramingError, match="closed"):
        reader.feed(b"x")


def test_a_frame_that_does_not_decode_stops_the_stream() -> None:
    decoder = C.FrameDecoder(C.get_codec("cbor"))
    good = C.encode_frame(C.get_codec("cbor").encode([1]))
    assert decoder.feed(good + C.encode_frame(b"\xf7") + good) == [[1]]
    with pytest.raises(C.SerovalCodecError, match="not JSON data"):
        decoder.feed(b"")
    with pytest.raises(C.SerovalCodecError):
        decoder.close()
    with pytest.raises(S.SerovalSyntaxError):
        C.FrameDecoder(C.get_codec("json")).feed(C.encode_frame(b"{"))


def test_frame_size_option_is_checked() -> None:
    with pytest.raises(ValueError, match="max_frame_size"):
        C.FrameReader(max_frame_size=-1)


# -- async helpers -------------------------------------------------------------------------


async def chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        await anyio.sleep(0)
        yield data[start : start + size]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_helpers(backend: str) -> None:
    async def main() -> None:
        frames = [frame async for frame in C.aiter_frames(chunks(SOLID_BODY, 5))]
        assert frames == SOLID_FRAMES
        codec = C.get_codec("json")
        trees = [tree async for tree in C.aiter_trees(chunks(SOLID_BODY, 11), codec)]
        assert [codec.encode(t) for t in trees] == SOLID_FRAMES
        with pytest.raises(C.SerovalFramingError):
            async for _ in C.aiter_frames(chunks(SOLID_BODY[:-1], 64)):
                pass
        with pytest.raises(C.SerovalCodecLimitError):
            async for _ in C.aiter_trees(chunks(SOLID_BODY, 64), codec, max_frame_size=100):
                pass

    anyio.run(main, backend=backend)
