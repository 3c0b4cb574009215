"""Codecs: every oracle vector survives msgpack and CBOR exactly, and JSON is seroval's bytes.

The msgpack and CBOR trees must be *identical* to the JSON tree: same key order,
same Python types (a float stays a float), same odd values.  Then the JSON
codec writes them as seroval's exact bytes, for ``json`` and ``crossJson``.
"""

from __future__ import annotations

import math
from typing import Any

import cbor2
import msgpack
import pytest

import seroval as S
import seroval.codecs as C
from seroval.codecs.binary import BinaryCodec
from seroval.codecs.model import replace_dicts
from seroval.codecs.nested import write_nested
from seroval.conformance.vectors import load_vectors

VECTORS = load_vectors()
TEXTS = [text for v in VECTORS for text in (v.json, v.cross_json) if text is not None]
BINARY_NAMES = ["msgpack", "cbor", "msgpack-binary", "cbor-binary"]
JSON = C.JsonCodec()


def binary_codecs() -> list[Any]:
    return [pytest.param(C.get_codec(name), id=name) for name in BINARY_NAMES]


def difference(left: Any, right: Any) -> str | None:
    """Where two JSON trees differ, type-exactly (``1`` is not ``1.0``, ``-0.0`` is not ``0.0``,
    ``NaN`` equals ``NaN``, dict order counts); ``None`` when identical.  No recursion."""
    stack: list[tuple[str, Any, Any]] = [("$", left, right)]
    while stack:
        path, a, b = stack.pop()
        if type(a) is not type(b):
            return f"{path}: {type(a).__name__} != {type(b).__name__}"
        if isinstance(a, dict):
            if list(a) != list(b):
                return f"{path}: keys {list(a)} != {list(b)}"
            stack.extend((f"{path}.{k}", a[k], b[k]) for k in a)
        elif isinstance(a, list):
            if len(a) != len(b):
                return f"{path}: length {len(a)} != {len(b)}"
            stack.extend((f"{path}[{i}]", x, y) for i, (x, y) in enumerate(zip(a, b, strict=True)))
        elif isinstance(a, float):
            same = (math.isnan(a) and math.isnan(b)) or (
                a == b and math.copysign(1, a) == math.copysign(1, b)
            )
            if not same:
                return f"{path}: {a!r} != {b!r}"
        elif a != b:
            return f"{path}: {a!r} != {b!r}"
    return None


def nested(levels: int, kind: str) -> Any:
    value: Any = [] if kind == "list" else {} if kind == "dict" else S.JSMap()
    for _ in range(levels - 1):
        if kind == "list":
            value = [value]
        elif kind == "dict":
            value = {"a": value}
        else:
            value = S.JSMap([("k", value)])
    return value


# -- the oracle vectors ------------------------------------------------------------------


def test_the_vectors_are_all_there() -> None:
    assert len(VECTORS) >= 4000
    assert len(TEXTS) > len(VECTORS)


def test_json_codec_writes_seroval_bytes_for_every_vector() -> None:
    failures = []
    for text in TEXTS:
        data = text.encode("utf-8")
        tree = JSON.decode(data)
        if JSON.encode(tree) != data:
            failures.append(text[:120])
    assert failures == []


@pytest.mark.parametrize("codec", binary_codecs())
def test_every_vector_survives_exactly(codec: BinaryCodec) -> None:
    failures = []
    for text in TEXTS:
        tree = S.loads_json(text)
        back = codec.decode(codec.encode(tree))
        problem = difference(tree, back)
        if problem is None and JSON.encode(back) != text.encode("utf-8"):
            problem = "different JSON bytes"
        if problem is not None:
            failures.append(f"{problem} in {text[:120]}")
    assert failures == []


def test_binary_profile_is_smaller_for_buffers_and_equal_otherwise() -> None:
    with_buffers = [S.loads_json(t) for t in TEXTS if '"t":19' in t]
    assert with_buffers
    for name in ("msgpack", "cbor"):
        canonical, binary = C.get_codec(name), C.get_codec(f"{name}-binary")
        sizes = [(len(binary.encode(t)), len(canonical.encode(t))) for t in with_buffers]
        # An empty buffer costs one byte more as bytes than as "" (a bin head has a length).
        assert all(small <= big + 1 for small, big in sizes)
        assert sum(small for small, _ in sizes) < sum(big for _, big in sizes)
        buffer = S.to_json(bytearray(range(256)) * 12)
        assert len(binary.encode(buffer)) < 0.76 * len(canonical.encode(buffer))
        plain = S.loads_json('{"t":{"t":1,"s":"x"},"f":127,"m":[]}')
        assert binary.encode(plain) == canonical.encode(plain)


# -- how the tree maps onto each format (pinned bytes) -------------------------------------

NODE = {"t": 0, "s": 1.5}


def test_msgpack_mapping_is_plain_msgpack() -> None:
    codec = C.get_codec("msgpack")
    assert (
        codec.encode(NODE) == msgpack.packb(NODE) == bytes.fromhex("82a17400a173cb3ff8000000000000")
    )
    assert codec.encode({"t": 1.0}) == bytes.fromhex(
        "81a174cb3ff0000000000000"
    )  # float stays float
    assert codec.encode("\ud800") == bytes.fromhex("c70301eda080")  # ext 1: surrogate code points
    assert codec.encode(-(2**64)) == b"\xc7\x15\x02" + b"-18446744073709551616"  # ext 2: digits
    assert codec.encode(2**64 - 1) == msgpack.packb(2**64 - 1)  # native while it fits


def test_cbor_mapping_is_plain_cbor() -> None:
    codec = C.get_codec("cbor")
    assert (
        codec.encode(NODE) == cbor2.dumps(NODE) == bytes.fromhex("a26174006173fb3ff8000000000000")
    )
    assert codec.encode("\ud800") == bytes.fromhex("da5345525643eda080")  # tag 0x53455256
    assert codec.encode(2**64) == bytes.fromhex("c249010000000000000000")  # bignum, tag 2
    assert codec.decode(bytes.fromhex("d9d9f7a0")) == {}  # self-described CBOR is fine


def test_binary_profile_sends_canonical_base64_as_bytes() -> None:
    node = {"t": 19, "i": 0, "s": "AQID", "f": {"t": 26, "i": 1, "s": 5}}
    packed = C.get_codec("msgpack-binary").encode(node)
    assert b"\xc4\x03\x01\x02\x03" in packed  # bin 8 of three bytes
    assert b"\x43\x01\x02\x03" in C.get_codec("cbor-binary").encode(node)  # byte string
    # Base64 that would not come back the same stays a string (trailing bits, no padding).
    for text in ("AR==", "AQI", "not base64!", "", "\ud800"):
        odd = {**node, "s": text}
        for name in ("msgpack-binary", "cbor-binary"):
            codec = C.get_codec(name)
            assert difference(codec.decode(codec.encode(odd)), odd) is None


def test_binary_profile_copies_only_what_it_changes() -> None:
    inner = {"t": 19, "i": 2, "s": "AQID"}
    outer = {"t": 19, "i": 0, "s": "BA==", "f": inner}
    untouched = {"t": 10, "p": {"k": ["a"], "v": [{"t": 0, "s": 1}]}}
    tree = {"t": (untouched, [outer]), "f": 127, "m": []}
    snapshot = S.dumps_json(tree)
    rewritten = replace_dicts(
        tree, lambda d: {**d, "s": d["s"].lower()} if d.get("t") == 19 else None
    )
    assert S.dumps_json(tree) == snapshot  # the input is never changed
    assert rewritten["t"][0] is untouched  # untouched sub-trees are shared
    assert rewritten["t"][1][0]["s"] == "ba=="
    assert rewritten["t"][1][0]["f"]["s"] == "aqid"
    assert replace_dicts(tree, lambda d: None) is tree
    assert replace_dicts(outer, lambda d: {"new": True} if d is outer else None) == {"new": True}
    for name in ("msgpack-binary", "cbor-binary"):
        codec = C.get_codec(name)
        assert codec.decode(codec.encode(tree)) == S.loads_json(snapshot)
        assert S.dumps_json(tree) == snapshot


def test_binary_profile_takes_bytes_only_as_a_buffer_payload() -> None:
    for name in ("msgpack-binary", "cbor-binary"):
        codec = C.get_codec(name)
        lib = msgpack.packb if name.startswith("msgpack") else cbor2.dumps
        assert codec.decode(lib({"t": 19, "s": b"\x01"})) == {"t": 19, "s": "AQ=="}
        for bad in ({"t": 1, "s": b"\x01"}, {"t": 19, "c": b"\x01"}, {"t": 19.0, "s": b"\x01"}):
            with pytest.raises(C.SerovalCodecError, match="bytes is not JSON data"):
                codec.decode(lib(bad))
        with pytest.raises(C.SerovalCodecError):
            C.get_codec(name.split("-")[0]).decode(lib({"t": 19, "s": b"\x01"}))


# -- values JSON data may hold that need care -----------------------------------------------

ODD = {
    "t": 1,
    "s": "\ud800x\udfff\ud83d\ude00😀",
    "\udc00key": [
        2**70,
        -(2**70),
        2**64 - 1,
        -(2**63),
        -0.0,
        math.nan,
        math.inf,
        -math.inf,
        1.0,
        1,
        True,
        False,
        None,
        9007199254740993.0,
        5e-324,
        "",
        [],
        {},
    ],
}


@pytest.mark.parametrize("codec", binary_codecs())
def test_odd_values_survive_exactly(codec: BinaryCodec) -> None:
    back = codec.decode(codec.encode(ODD))
    assert difference(ODD, back) is None
    assert JSON.encode(back) == JSON.encode(ODD)


@pytest.mark.parametrize("codec", binary_codecs())
@pytest.mark.parametrize("kind", ["list", "dict", "map"])
def test_a_thousand_levels_survive(codec: BinaryCodec, kind: str) -> None:
    envelope = S.to_json(nested(1000, kind))
    data = codec.encode(envelope)
    back = codec.decode(data)
    assert JSON.encode(back) == JSON.encode(envelope)
    assert S.dumps_json(S.to_json(S.from_json(back))) == S.dumps_json(envelope)


def test_deep_cbor_is_what_cbor2_itself_writes() -> None:
    envelope = S.to_json(nested(1000, "dict"))  # 3,000 levels: cbor2 still copes on this stack
    assert C.get_codec("cbor").encode(envelope) == cbor2.dumps(envelope)


@pytest.mark.parametrize("name", ["msgpack", "cbor"])
@pytest.mark.parametrize("native_depth", [1, 2, 3, 7])
def test_nested_writer_gives_the_library_bytes(name: str, native_depth: int) -> None:
    codec: Any = C.get_codec(name)
    tree = S.to_json([{"a": [1, 2.5, "x", None, True, {"b": []}]}, [[[[]]]], "z" * 40] * 20)
    pieces = write_nested(
        tree,
        pack=codec._dumps,
        array_header=codec._array_header,
        map_header=codec._map_header,
        native_depth=native_depth,
    )
    assert pieces == codec._dumps(tree)


@pytest.mark.parametrize("count", [0, 1, 15, 16, 23, 24, 255, 256, 65535, 65536])
def test_container_headers_match_the_libraries(count: int) -> None:
    packer: Any = C.get_codec("msgpack")
    cbor: Any = C.get_codec("cbor")
    items = {str(i): 0 for i in range(count)}
    flat = b"".join(msgpack.packb(k) + msgpack.packb(v) for k, v in items.items())
    assert packer._array_header(count) + b"\x00" * count == msgpack.packb([0] * count)
    assert packer._map_header(count) + flat == msgpack.packb(items)
    flat = b"".join(cbor2.dumps(k) + cbor2.dumps(v) for k, v in items.items())
    assert cbor._array_header(count) + b"\x00" * count == cbor2.dumps([0] * count)
    assert cbor._map_header(count) + flat == cbor2.dumps(items)


# -- encoding refuses what is not JSON data ---------------------------------------------------


NOT_JSON = {
    "bytes": b"x",
    "int-key": {1: "a"},
    "set": {"a": {1, 2}},
    "object": object(),
    "undefined": [S.undefined],
    "nested-bytearray": {"a": [1, bytearray(b"x")]},
}
# JSON.stringify turns an int key into a string, as JS does; the others refuse it.
REFUSALS = [
    pytest.param(codec, value, id=f"{codec_name}-{label}")
    for codec_name, codec in [(n, C.get_codec(n)) for n in ["json", *BINARY_NAMES]]
    for label, value in NOT_JSON.items()
    if not (codec_name == "json" and label == "int-key")
]


@pytest.mark.parametrize(("codec", "value"), REFUSALS)
def test_encoding_non_json_data_raises_a_serialize_error(codec: Any, value: Any) -> None:
    with pytest.raises(S.SerovalError) as caught:
        codec.encode(value)
    assert caught.value.step == "serialize"


def test_encoding_error_says_where() -> None:
    with pytest.raises(S.SerovalError) as caught:
        C.get_codec("cbor").encode({"t": {"p": {"v": [1, 2, b"x"]}}})
    assert caught.value.where == "$.t.p.v[2]"


@pytest.mark.parametrize("name", BINARY_NAMES)
def test_subclasses_encode_as_their_plain_values(name: str) -> None:
    codec = C.get_codec(name)
    tree = {"t": S.NodeType.OBJECT, "k": (1, "a"), "s": type("Text", (str,), {})("x")}
    assert codec.decode(codec.encode(tree)) == {"t": 10, "k": [1, "a"], "s": "x"}


@pytest.mark.parametrize("name", BINARY_NAMES)
def test_integers_beyond_1024_bits_are_refused(name: str) -> None:
    codec = C.get_codec(name)
    if name.startswith("msgpack"):
        with pytest.raises(S.SerovalError, match="1024 bits"):
            codec.encode(2**1024)
        huge = msgpack.packb(msgpack.ExtType(2, b"9" * 310))
    else:
        huge = cbor2.dumps(-(2**1024) - 1)
    with pytest.raises(C.SerovalCodecError, match="1024 bits"):
        codec.decode(huge)
    assert codec.decode(codec.encode(2**1024 - 1)) == 2**1024 - 1
    assert codec.decode(codec.encode(-(2**1024) + 1)) == -(2**1024) + 1


# -- decoding refuses what is not JSON data -----------------------------------------------------


def _cbor(hex_text: str) -> bytes:
    return bytes.fromhex(hex_text.replace(" ", ""))


MSGPACK_REFUSED = [
    ("bin", msgpack.packb(b"x"), "bytes"),
    ("bin key", b"\x81\xc4\x01x\x01", "map key"),
    ("int key", b"\x81\x01\x02", "map key"),
    ("timestamp", msgpack.packb(msgpack.Timestamp(1, 0)), "Timestamp"),
    ("unknown ext", msgpack.packb(msgpack.ExtType(9, b"")), "ext type 9"),
    ("ext 2 not digits", msgpack.packb(msgpack.ExtType(2, b"12a")), "decimal"),
    ("ext 2 leading zero", msgpack.packb(msgpack.ExtType(2, b"012")), "decimal"),
    ("ext 1 bad utf-8", msgpack.packb(msgpack.ExtType(1, b"\xff")), "lone surrogates"),
    ("bad utf-8", b"\xa1\xff", "invalid msgpack"),
    ("reserved byte", b"\xc1", "invalid msgpack"),
    ("truncated", b"\x92\x01", "truncated"),
    ("trailing", b"\x01\x01", "trailing"),
]

CBOR_REFUSED = [
    ("bytes", _cbor("41 78"), "bytes"),
    ("undefined", _cbor("f7"), "Undefined"),
    ("simple value", _cbor("f0"), "CBORSimpleValue"),
    ("int key", _cbor("a1 01 02"), "map key"),
    ("bytes key", _cbor("a1 41 78 01"), "map key"),
    ("duplicate key", _cbor("a2 61 61 01 61 61 02"), "(?i)duplicate"),
    ("date", _cbor("c1 01"), "not JSON data"),
    ("set", _cbor("d9 0102 80"), "not JSON data"),
    ("value sharing", _cbor("d81c 81 d81d 00"), "not JSON data"),
    ("string reference", _cbor("d9 0100 82 63 616263 d819 00"), "not JSON data"),
    ("unknown tag", _cbor("d9 9999 01"), "unsupported tag"),
    ("surrogate tag over text", _cbor("da 53455256 61 78"), "unsupported tag"),
    ("bignum over text", _cbor("c2 61 78"), "byte string"),
    ("bad utf-8", _cbor("61 ff"), "invalid CBOR"),
    ("truncated", _cbor("82 01"), "truncated"),
    ("trailing", _cbor("01 01"), "trailing"),
    ("break", _cbor("ff"), "invalid CBOR"),
]


@pytest.mark.parametrize(
    ("label", "data", "words"), MSGPACK_REFUSED, ids=[c[0] for c in MSGPACK_REFUSED]
)
def test_msgpack_refuses(label: str, data: bytes, words: str) -> None:
    with pytest.raises(C.SerovalCodecError, match=words):
        C.get_codec("msgpack").decode(data)


@pytest.mark.parametrize(("label", "data", "words"), CBOR_REFUSED, ids=[c[0] for c in CBOR_REFUSED])
def test_cbor_refuses(label: str, data: bytes, words: str) -> None:
    with pytest.raises(C.SerovalCodecError, match=words):
        C.get_codec("cbor").decode(data)


def test_decoding_error_says_where() -> None:
    with pytest.raises(C.SerovalCodecError) as caught:
        C.get_codec("msgpack").decode(msgpack.packb({"t": {"a": [0, b"x"]}}))
    assert caught.value.where == "$.t.a[1]"
    assert isinstance(caught.value, S.SerovalDeserializationError)


def test_json_codec_errors_are_syntax_errors() -> None:
    with pytest.raises(S.SerovalSyntaxError):
        JSON.decode(b'{"t":')
    with pytest.raises(S.SerovalSyntaxError):
        JSON.decode(b"\xff")


# -- limits --------------------------------------------------------------------------------


def _depth(levels: int) -> Any:
    value: Any = []
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.mark.parametrize("name", BINARY_NAMES)
@pytest.mark.parametrize("limit", [1, 5, 600, 1100, 3000])
def test_depth_limit_is_exact(name: str, limit: int) -> None:
    default: Any = C.get_codec(name)
    codec = type(default)(profile=default.profile, max_depth=limit)
    deep = default.encode(_depth(limit + 1))
    assert difference(codec.decode(codec.encode(_depth(limit))), _depth(limit)) is None
    with pytest.raises(S.SerovalDepthLimitError) as caught:
        codec.encode(_depth(limit + 1))
    assert caught.value.step == "serialize"
    with pytest.raises(S.SerovalDepthLimitError) as caught:
        codec.decode(deep)
    assert caught.value.step == "deserialize"


@pytest.mark.parametrize("name", BINARY_NAMES)
@pytest.mark.parametrize(
    "leaf", ["x", "\ud800", 2**70, -(2**70)], ids=["str", "lone", "big", "neg"]
)
def test_depth_limit_counts_containers_only(name: str, leaf: Any) -> None:
    default: Any = C.get_codec(name)
    codec = type(default)(profile=default.profile, max_depth=3)
    assert codec.decode(codec.encode([[[leaf]]])) == [[[leaf]]]
    if name.startswith("cbor"):  # a self-describe tag adds no nesting
        assert codec.decode(b"\xd9\xd9\xf7" + codec.encode([[[leaf]]])) == [[[leaf]]]
    with pytest.raises(S.SerovalDepthLimitError):
        codec.decode(default.encode([[[[leaf]]]]))


@pytest.mark.parametrize("name", ["msgpack", "cbor"])
def test_hostile_nesting_is_refused_quickly(name: str) -> None:
    lead = b"\x91" if name == "msgpack" else b"\x81"
    with pytest.raises(S.SerovalDepthLimitError):
        C.get_codec(name).decode(lead * 5_000_000 + b"\x00")


@pytest.mark.parametrize("name", BINARY_NAMES)
def test_cyclic_input_is_refused_not_looped(name: str) -> None:
    looped: dict[str, Any] = {"t": 0}
    looped["a"] = [looped, looped]
    with pytest.raises(S.SerovalDepthLimitError):
        C.get_codec(name).encode(looped)


@pytest.mark.parametrize("name", ["json", *BINARY_NAMES])
def test_size_limit(name: str) -> None:
    codec: Any = C.get_codec(name)
    data = codec.encode(["x" * 100])
    small = (
        type(codec)(max_size=len(data) - 1)
        if name == "json"
        else type(codec)(profile=codec.profile, max_size=len(data) - 1)
    )
    with pytest.raises(C.SerovalCodecLimitError) as caught:
        small.decode(data)
    assert (caught.value.size, caught.value.limit) == (len(data), len(data) - 1)


def test_huge_length_claims_fail_fast() -> None:
    for data in (b"\xdd\xff\xff\xff\xff", b"\xdb\xff\xff\xff\xff", b"\xdf\xff\xff\xff\xff"):
        with pytest.raises(C.SerovalCodecError):
            C.get_codec("msgpack").decode(data)
    for data in (
        _cbor("9b ffffffffffffffff"),
        _cbor("7b ffffffffffffffff"),
        _cbor("bb 7fffffffffffffff"),
    ):
        with pytest.raises(C.SerovalCodecError):
            C.get_codec("cbor").decode(data)


def test_input_may_be_any_bytes_like() -> None:
    for name in ["json", *BINARY_NAMES]:
        codec = C.get_codec(name)
        data = codec.encode(NODE)
        for form in (data, bytearray(data), memoryview(data)):
            assert codec.decode(form) == NODE


# -- the registry --------------------------------------------------------------------------


def test_builtin_codecs_by_name_and_content_type() -> None:
    assert C.default_registry.names() == sorted(["json", *BINARY_NAMES])
    for name in ["json", *BINARY_NAMES]:
        codec = C.get_codec(name)
        assert isinstance(codec, C.Codec)
        assert codec.name == name
        assert C.codec_for_content_type(codec.content_type) is codec
    lookups = {
        "application/json; charset=utf-8": "json",
        "Application/JSON": "json",
        "application/vnd.msgpack": "msgpack",
        "application/msgpack": "msgpack",
        "application/x-msgpack; profile=binary": "msgpack-binary",
        'application/vnd.msgpack; Profile="binary"': "msgpack-binary",
        "application/cbor; framing=seroval": "cbor",
        "application/cbor;profile=binary;framing=seroval": "cbor-binary",
    }
    for content_type, name in lookups.items():
        assert C.codec_for_content_type(content_type).name == name, content_type
    assert "application/cbor; profile=binary" in C.default_registry.content_types()


def test_media_type_parameters() -> None:
    media = C.MediaType.parse('application/CBOR ; Profile=binary; framing="seroval"; q=0.5')
    assert media.essence == "application/cbor"
    assert (media.profile, media.framed) == ("binary", True)
    assert not C.MediaType.parse("application/json").framed
    assert C.MediaType.parse('text/plain; x="a\\"b"').parameters["x"] == 'a"b'
    for bad in ("", "json", "application/json; charset", "a/b; =x"):
        with pytest.raises(C.SerovalUnknownCodecError):
            C.MediaType.parse(bad)


def test_unknown_codecs_are_lookup_errors() -> None:
    with pytest.raises(LookupError):
        C.get_codec("yaml")
    with pytest.raises(C.SerovalUnknownCodecError):
        C.codec_for_content_type("application/yaml")
    with pytest.raises(C.SerovalUnknownCodecError):
        C.codec_for_content_type("application/json; profile=binary")


class UpperJson:
    """A user codec: JSON with a different name and media type."""

    name = "shouty"
    content_type = "application/x-shouty+json"

    def encode(self, tree: Any) -> bytes:
        return JSON.encode(tree)

    def decode(self, data: bytes | bytearray | memoryview) -> Any:
        return JSON.decode(data)


def test_users_register_their_own_codecs() -> None:
    registry = C.CodecRegistry()
    registry.register(UpperJson(), aliases=["application/shouty"])
    assert registry.get("shouty").decode(b"[1]") == [1]
    assert registry.for_content_type("application/shouty").name == "shouty"
    with pytest.raises(ValueError, match="already registered"):
        registry.register(UpperJson())
    registry.register(UpperJson(), replace=True)
    calls: list[int] = []

    def factory() -> C.Codec:
        calls.append(1)
        return UpperJson()

    registry.register(factory, name="lazy", content_type="application/x-lazy")
    assert calls == []
    assert registry.get("lazy") is registry.get("lazy")
    assert calls == [1]
    with pytest.raises(ValueError, match="name and a content type"):
        registry.register(factory)


def test_codecs_can_be_configured_and_are_not_shared_state() -> None:
    codec = C.MsgpackCodec(profile="binary", max_depth=50, max_size=1000)
    assert (codec.name, codec.content_type) == (
        "msgpack-binary",
        "application/vnd.msgpack; profile=binary",
    )
    assert "max_depth=50" in repr(codec)
    with pytest.raises(ValueError, match="profile"):
        C.CborCodec(profile="compact")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_depth"):
        C.CborCodec(max_depth=0)


def test_public_names() -> None:
    assert sorted(C.__all__) == sorted(set(C.__all__))
    for name in C.__all__:
        assert hasattr(C, name), name
    assert issubclass(C.SerovalCodecDecodeError, S.SerovalDeserializationError)
    assert issubclass(C.SerovalCodecEncodeError, S.SerovalSerializationError)
    assert issubclass(C.SerovalFramingError, C.SerovalCodecError)
    assert issubclass(C.SerovalCodecLimitError, C.SerovalCodecDecodeError)
