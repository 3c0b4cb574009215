"""Codecs: one node tree carried as JSON, msgpack or CBOR bytes, framed for streams.

Every codec turns a node tree (a node or the ``{"t", "f", "m"}`` envelope, as
plain JSON data) into bytes and back, and ``decode(encode(tree))`` is always the
same tree.  ``json`` writes exactly seroval's bytes; ``msgpack`` and ``cbor``
carry the same tree with the same one-letter keys (see SPEC.md §9.3
for the mapping); the ``-binary`` profiles send ArrayBuffer payloads as raw
bytes.  Streams use SolidStart's ``;0x%08x;`` framing with any codec::

    from seroval import to_json
    from seroval.codecs import FrameDecoder, encode_frame, get_codec

    codec = get_codec("msgpack")             # or codec_for_content_type(...)
    data = codec.encode(to_json({"a": 1}))
    assert codec.decode(data) == to_json({"a": 1})

    decoder = FrameDecoder(codec)
    stream = encode_frame(data) + encode_frame(data)
    trees = decoder.feed(stream[:5]) + decoder.feed(stream[5:])
    decoder.close()
"""

from .base import DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, PROFILES, Codec, Profile
from .cbor import TAG_STRING, CborCodec
from .errors import (
    SerovalCodecDecodeError,
    SerovalCodecEncodeError,
    SerovalCodecError,
    SerovalCodecLimitError,
    SerovalCodecSyntaxError,
    SerovalFramingDecodeError,
    SerovalFramingEncodeError,
    SerovalFramingError,
    SerovalFramingLimitError,
    SerovalUnknownCodecError,
)
from .framing import (
    HEADER_SIZE,
    MAX_FRAME_LENGTH,
    FrameDecoder,
    FrameReader,
    aiter_frames,
    aiter_trees,
    encode_frame,
    frame_header,
)
from .json import JsonCodec
from .msgpack import EXT_INTEGER, EXT_STRING, MsgpackCodec
from .registry import (
    CodecRegistry,
    MediaType,
    codec_for_content_type,
    default_registry,
    get_codec,
    register_codec,
)

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_SIZE",
    "EXT_INTEGER",
    "EXT_STRING",
    "HEADER_SIZE",
    "MAX_FRAME_LENGTH",
    "PROFILES",
    "TAG_STRING",
    "CborCodec",
    "Codec",
    "CodecRegistry",
    "FrameDecoder",
    "FrameReader",
    "JsonCodec",
    "MediaType",
    "MsgpackCodec",
    "Profile",
    "SerovalCodecDecodeError",
    "SerovalCodecEncodeError",
    "SerovalCodecError",
    "SerovalCodecLimitError",
    "SerovalCodecSyntaxError",
    "SerovalFramingDecodeError",
    "SerovalFramingEncodeError",
    "SerovalFramingError",
    "SerovalFramingLimitError",
    "SerovalUnknownCodecError",
    "aiter_frames",
    "aiter_trees",
    "codec_for_content_type",
    "default_registry",
    "encode_frame",
    "frame_header",
    "get_codec",
    "register_codec",
]
