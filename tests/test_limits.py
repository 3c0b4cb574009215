"""Every limit of SPEC.md §3.1 at its edge: at the limit accepted, one past refused
with a typed error (issue 16 item 5).
"""

from __future__ import annotations

from typing import Any

import pytest

import seroval as S
import seroval.codecs as C
from seroval.protocol.jstext.lexer import MAX_NUMBER_LENGTH
from seroval.protocol.model.options import DEFAULT_MAX_BASE64_LENGTH
from seroval.protocol.tree.read_rules import FORWARD_REFERENCE_WINDOW, MAX_BIGINT_LENGTH
from seroval.rpc.core.errors import BadRequestError
from seroval.rpc.core.limits import CallLimits, check_node_count


def env(root: Any) -> dict[str, Any]:
    return {"t": root, "f": 127, "m": []}


def nested(levels: int) -> dict[str, Any]:
    """``levels`` arrays around a number: the number is at depth ``levels``."""
    node: dict[str, Any] = {"t": 0, "s": 1}
    for index in range(levels):
        node = {"t": 9, "i": levels - 1 - index, "a": [node], "o": 0}
    return node


def buffer_node(text: str) -> dict[str, Any]:
    return {"t": 19, "i": 0, "s": text, "f": {"t": 26, "i": 1, "s": 5}}


# -- the readers ------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [3, 1000])
def test_depth_limit(limit: int) -> None:
    S.from_json(env(nested(limit)), depth_limit=limit)
    with pytest.raises(S.SerovalDepthLimitError):
        S.from_json(env(nested(limit + 1)), depth_limit=limit)
    # the same in JS text: the number inside `limit` arrays is at depth `limit`
    S.deserialize("[" * limit + "1" + "]" * limit, depth_limit=limit)
    with pytest.raises(S.SerovalDepthLimitError):
        S.deserialize("[" * (limit + 1) + "1" + "]" * (limit + 1), depth_limit=limit)


@pytest.mark.parametrize("limit", [8, DEFAULT_MAX_BASE64_LENGTH])
def test_base64_length(limit: int) -> None:
    S.from_json(env(buffer_node("A" * limit)), max_base64_length=limit)
    with pytest.raises(S.SerovalSizeLimitError):
        S.from_json(env(buffer_node("A" * (limit + 4))), max_base64_length=limit)


def test_bigint_length_in_nodes() -> None:
    S.from_json(env({"t": 3, "s": "9" * MAX_BIGINT_LENGTH}))
    S.from_json(env({"t": 3, "s": "-" + "9" * (MAX_BIGINT_LENGTH - 1)}))
    with pytest.raises(S.SerovalSizeLimitError):
        S.from_json(env({"t": 3, "s": "9" * (MAX_BIGINT_LENGTH + 1)}))
    with pytest.raises(S.SerovalSizeLimitError):
        S.from_json(env({"t": 3, "s": "-" + "9" * MAX_BIGINT_LENGTH}))


def test_bigint_digits_in_js_text() -> None:
    for sign in ("", "-"):
        S.deserialize(sign + "9" * MAX_BIGINT_LENGTH + "n")
        with pytest.raises(S.SerovalSizeLimitError):
            S.deserialize(sign + "9" * (MAX_BIGINT_LENGTH + 1) + "n")


def test_number_literal_length_in_js_text() -> None:
    S.deserialize("1." + "1" * (MAX_NUMBER_LENGTH - 2))
    with pytest.raises(S.SerovalSizeLimitError):
        S.deserialize("1." + "1" * (MAX_NUMBER_LENGTH - 1))


def test_regexp_source_length() -> None:
    S.from_json(env({"t": 6, "i": 0, "c": "a" * 20_000, "m": ""}))
    with pytest.raises(S.SerovalSizeLimitError):
        S.from_json(env({"t": 6, "i": 0, "c": "a" * 20_001, "m": ""}))


def test_regexp_property_escapes_per_payload() -> None:
    S.from_json(env({"t": 6, "i": 0, "c": "\\p{L}" * 32, "m": "u"}))
    with pytest.raises(S.SerovalSizeLimitError):
        S.from_json(env({"t": 6, "i": 0, "c": "\\p{L}" * 33, "m": "u"}))


def test_forward_reference_window_in_streamed_records() -> None:
    reader = S.CrossDeserializer()
    reader.deserialize({"t": 9, "i": 0, "a": [{"t": 4, "i": FORWARD_REFERENCE_WINDOW}], "o": 0})
    reader = S.CrossDeserializer()
    with pytest.raises(S.SerovalMissingReferenceError):
        reader.deserialize(
            {"t": 9, "i": 0, "a": [{"t": 4, "i": FORWARD_REFERENCE_WINDOW + 1}], "o": 0}
        )


def test_js_text_work_budget() -> None:
    """Holes and copies the text causes without writing them: 2 per character + 1024."""
    text = "(h=>(h=[],h[{}]=1,h))()"
    holes = 2 * len(text) + 1024
    S.deserialize(text.replace("{}", str(holes - 100)))
    with pytest.raises(S.SerovalSizeLimitError):
        S.deserialize(text.replace("{}", str(holes + 100)))


# -- codecs and framing -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["json", "msgpack", "cbor"])
def test_codec_max_size(name: str) -> None:
    data = C.get_codec(name).encode({"t": {"t": 1, "s": "x" * 100}, "f": 127, "m": []})
    codec_type: Any = type(C.get_codec(name))
    codec_type(max_size=len(data)).decode(data)
    with pytest.raises(C.SerovalCodecLimitError):
        codec_type(max_size=len(data) - 1).decode(data)


@pytest.mark.parametrize("name", ["msgpack", "cbor"])
def test_codec_max_depth(name: str) -> None:
    codec_type: Any = type(C.get_codec(name))
    data = C.get_codec(name).encode([[[1]]])  # three containers
    codec_type(max_depth=3).decode(data)
    with pytest.raises(S.SerovalDepthLimitError):
        codec_type(max_depth=2).decode(data)


def test_frame_size() -> None:
    frame = C.encode_frame(b"x" * 100)
    assert C.FrameReader(max_frame_size=100).feed(frame) == [b"x" * 100]
    with pytest.raises(C.SerovalFramingLimitError):
        C.FrameReader(max_frame_size=99).feed(frame)


# -- the RPC call limits --------------------------------------------------------------------


def test_node_count() -> None:
    trees = [{"t": 9, "a": [{"t": 0, "s": 1}] * 9}]  # ten nodes
    check_node_count(trees, 10)
    with pytest.raises(BadRequestError):
        check_node_count(trees, 9)


def test_call_limits_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="max_body_size"):
        CallLimits(max_body_size=0)
    with pytest.raises(ValueError, match="max_duration"):
        CallLimits(max_duration=0)
    assert CallLimits().max_body_size == 1024 * 1024
