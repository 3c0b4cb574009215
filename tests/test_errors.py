"""The error tree tells the two sides apart by class alone.

A transport answers "the peer sent bad input" (400) for a
``SerovalDeserializationError`` and "our own value cannot be sent" (500) for a
``SerovalSerializationError``; every failure below must land on exactly one of
them, and under its step's base (codec, framing) where it has one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import seroval as S
from seroval import codecs as C

REMOTE = S.SerovalDeserializationError
LOCAL = S.SerovalSerializationError


def _deep(levels: int) -> Any:
    value: Any = []
    for _ in range(levels):
        value = [value]
    return value


def _framed(data: bytes) -> None:
    reader = C.FrameReader()
    reader.feed(data)
    reader.close()


class _Opaque:
    pass


REMOTE_FAILURES: dict[str, tuple[Callable[[], object], tuple[type[Exception], ...]]] = {
    "unknown node type": (lambda: S.from_json({"t": {"t": 99}, "f": 127, "m": []}), ()),
    "node too deep": (
        lambda: S.from_json(S.to_json(_deep(50)), depth_limit=10),
        (S.SerovalDepthLimitError,),
    ),
    "missing plugin on read": (
        lambda: S.from_cross_json({"t": 25, "i": 0, "s": {}, "c": "nope"}),
        (S.SerovalMissingPluginError,),
    ),
    "feature turned off on read": (
        lambda: S.from_cross_json(
            {"t": 6, "i": 0, "c": "a", "m": ""}, disabled_features=S.Feature.REGEXP
        ),
        (S.SerovalUnsupportedNodeError,),
    ),
    "JSON text": (lambda: S.loads_json("{"), (S.SerovalSyntaxError,)),
    "JS text": (lambda: S.deserialize("alert(1)"), ()),
    "JS text too deep": (
        lambda: S.deserialize("[" * 50 + "]" * 50, depth_limit=10),
        (S.SerovalDepthLimitError,),
    ),
    "JSON codec": (
        lambda: C.get_codec("json").decode(b"{"),
        (C.SerovalCodecError, S.SerovalSyntaxError),
    ),
    "msgpack codec": (lambda: C.get_codec("msgpack").decode(b"\xc1"), (C.SerovalCodecError,)),
    "cbor codec": (lambda: C.get_codec("cbor").decode(b"\xff"), (C.SerovalCodecError,)),
    "codec limit": (
        lambda: C.JsonCodec(max_size=1).decode(b"[1]"),
        (C.SerovalCodecError, C.SerovalCodecLimitError),
    ),
    "frame header": (lambda: _framed(b";0xZZ"), (C.SerovalFramingError, C.SerovalCodecError)),
    "frame cut short": (lambda: _framed(b";0x00000004;ab"), (C.SerovalFramingError,)),
    "frame over the limit": (
        lambda: C.FrameReader(max_frame_size=2).feed(b";0x00000004;"),
        (C.SerovalFramingError, C.SerovalCodecLimitError),
    ),
}

LOCAL_FAILURES: dict[str, tuple[Callable[[], object], tuple[type[Exception], ...]]] = {
    "unsupported type": (lambda: S.to_json(_Opaque()), (S.SerovalParserError,)),
    "value too deep": (
        lambda: S.to_json(_deep(50), depth_limit=10),
        (S.SerovalDepthLimitError, S.SerovalParserError),
    ),
    "JS text of an unsupported type": (lambda: S.serialize(_Opaque()), ()),
    "missing plugin on write": (
        lambda: S.compile_json({"t": {"t": 25, "i": 0, "s": {}, "c": "nope"}, "f": 127, "m": []}),
        (S.SerovalMissingPluginError,),
    ),
    "not JSON data": (lambda: S.dumps_json({"a": _Opaque()}), ()),
    "codec encode": (
        lambda: C.get_codec("msgpack").encode({"a": _Opaque()}),
        (C.SerovalCodecError,),
    ),
    "JSON codec encode": (lambda: C.get_codec("json").encode([_Opaque()]), (C.SerovalCodecError,)),
    "frame too large": (
        lambda: C.frame_header(2**32),
        (C.SerovalFramingError, C.SerovalCodecError),
    ),
}


@pytest.mark.parametrize("name", sorted(REMOTE_FAILURES))
def test_bad_input_is_a_deserialization_error(name: str) -> None:
    failing, also = REMOTE_FAILURES[name]
    with pytest.raises(REMOTE) as caught:
        failing()
    assert not isinstance(caught.value, LOCAL), type(caught.value).__mro__
    for kind in also:
        assert isinstance(caught.value, kind), (kind, type(caught.value).__mro__)


@pytest.mark.parametrize("name", sorted(LOCAL_FAILURES))
def test_an_unwritable_value_is_a_serialization_error(name: str) -> None:
    failing, also = LOCAL_FAILURES[name]
    with pytest.raises(LOCAL) as caught:
        failing()
    assert not isinstance(caught.value, REMOTE), type(caught.value).__mro__
    for kind in also:
        assert isinstance(caught.value, kind), (kind, type(caught.value).__mro__)


#: Exported error classes that belong to neither side, with the reason.
NEITHER = {
    "SerovalError": "the root",
    "SerovalDepthLimitError": "a kind both sides raise; instances are a side's subclass",
    "SerovalUnsupportedNodeError": "a kind both sides raise",
    "SerovalMissingPluginError": "a kind both sides raise",
    "SerovalCodecError": "the codec step's base, both directions",
    "SerovalFramingError": "the framing step's base, both directions",
    "SerovalUnknownCodecError": "a configuration error (also a LookupError)",
    "SerovalLiveStreamError": "misuse of a LiveStream by the application",
}


def test_every_exported_error_class_is_on_one_side_or_says_why_not() -> None:
    for name in S.__all__:
        if not (name.startswith("Seroval") and name.endswith("Error")):
            continue
        cls = getattr(S, name)
        sides = issubclass(cls, REMOTE) + issubclass(cls, LOCAL)
        if name in NEITHER:
            assert sides == 0 or name in (
                "SerovalSerializationError",
                "SerovalDeserializationError",
            )
        else:
            assert sides == 1, name


def test_the_either_side_kinds_build_the_side_subclass() -> None:
    error = S.SerovalDepthLimitError(3, step="deserialize")
    assert isinstance(error, S.SerovalDeserializationDepthLimitError)
    assert isinstance(error, REMOTE)
    assert error.limit == 3
    error = S.SerovalDepthLimitError(3, step="parse")
    assert isinstance(error, S.SerovalParserError)
    assert isinstance(error, LOCAL)
    assert type(S.SerovalDepthLimitError(3)) is S.SerovalDepthLimitError
