"""Hypothesis: bad bytes raise only SerovalError, and any JSON data survives every codec exactly."""

from __future__ import annotations

import base64
import datetime
import math
from typing import Any

import cbor2
import msgpack
import pytest
from hypothesis import given
from hypothesis import strategies as st

import seroval as S
import seroval.codecs as C
from seroval.conformance.vectors import load_vectors

from ..fuzzing import fuzz
from .test_codecs import BINARY_NAMES, difference

#: Run on both backends: the native readers and writers, and the pure ones.
pytestmark = pytest.mark.usefixtures("each_backend")

ALL_NAMES = ["json", *BINARY_NAMES]
SAMPLES = [
    S.loads_json(v.json) for v in load_vectors() if v.json is not None and len(v.json) < 1500
][::9]


def decode_or_refuse(codec: Any, data: bytes) -> None:
    """Decoding gives JSON data that survives the codec again, or raises a SerovalError.

    JSON text carries JS numbers: ``1.0`` and ``1e0`` are the number ``1`` and are
    written back as ``1``, and ``-0.0`` as ``0``, as ``JSON.stringify`` does.  So for
    the JSON codec the numbers must survive as JS numbers (doubles), and the tree
    read back is then a fixed point (found by the long fuzz run: ``{"s":1e0}``).
    """
    try:
        tree = codec.decode(data)
    except S.SerovalError:
        return
    again = codec.decode(codec.encode(tree))
    if codec.name == "json":
        assert difference(_js_numbers(tree), _js_numbers(again)) is None
        tree = again
        again = codec.decode(codec.encode(tree))
    assert difference(tree, again) is None


def _js_numbers(tree: Any) -> Any:
    """``tree`` with every number as JS reads and writes it: a double, ``-0`` as ``0``,
    and a literal past the double range (``-1.8e308``) as the ``null`` it is written as."""
    if isinstance(tree, dict):
        return {key: _js_numbers(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [_js_numbers(item) for item in tree]
    if isinstance(tree, (int, float)) and not isinstance(tree, bool):
        try:
            number = float(tree) + 0.0
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    return tree


@pytest.mark.parametrize("name", ALL_NAMES)
@fuzz(350)
@given(data=st.binary(max_size=64))
def test_random_bytes_only_raise_seroval_errors(name: str, data: bytes) -> None:
    decode_or_refuse(C.get_codec(name), data)


@pytest.mark.parametrize("name", ALL_NAMES)
@fuzz(200)
@given(sample=st.sampled_from(SAMPLES), edits=st.data())
def test_mutated_payloads_only_raise_seroval_errors(
    name: str, sample: Any, edits: st.DataObject
) -> None:
    codec = C.get_codec(name)
    data = bytearray(codec.encode(sample))
    for _ in range(edits.draw(st.integers(1, 4))):
        where = edits.draw(st.integers(0, len(data)))
        action = edits.draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
        if action == "flip" and where < len(data):
            data[where] ^= 1 << edits.draw(st.integers(0, 7))
        elif action == "insert":
            data[where:where] = edits.draw(st.binary(min_size=1, max_size=4))
        elif action == "delete":
            del data[where : where + edits.draw(st.integers(1, 4))]
        else:
            del data[where:]
    decode_or_refuse(codec, bytes(data))


# Well-formed msgpack and CBOR full of what the JSON model lacks.
exotic_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats()
    | st.text(max_size=6)
    | st.binary(max_size=6)
)
msgpack_values = st.recursive(
    exotic_scalars
    | st.builds(msgpack.ExtType, st.integers(0, 127), st.binary(max_size=6))
    | st.builds(msgpack.Timestamp, st.integers(0, 2**33), st.integers(0, 999_999_999)),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=3) | st.binary(max_size=2), children, max_size=4)
    ),
    max_leaves=15,
)
cbor_values = st.recursive(
    exotic_scalars
    | st.integers(min_value=-(2**1100), max_value=2**1100)
    | st.just(cbor2.undefined)
    | st.builds(cbor2.CBORSimpleValue, st.sampled_from([0, 16, 19, 32, 255]))
    | st.datetimes(timezones=st.just(datetime.UTC))
    | st.builds(cbor2.CBORTag, st.integers(0, 2**32), st.integers() | st.binary(max_size=4)),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=3) | st.integers(0, 9), children, max_size=4)
        | st.frozensets(st.integers(0, 9), max_size=3)
    ),
    max_leaves=15,
)


@pytest.mark.parametrize("name", ["msgpack", "msgpack-binary"])
@fuzz(250)
@given(value=msgpack_values)
def test_exotic_msgpack_only_raises_seroval_errors(name: str, value: Any) -> None:
    decode_or_refuse(C.get_codec(name), msgpack.packb(value, strict_types=False))


@pytest.mark.parametrize("name", ["cbor", "cbor-binary"])
@fuzz(250)
@given(value=cbor_values)
def test_exotic_cbor_only_raises_seroval_errors(name: str, value: Any) -> None:
    try:
        data = cbor2.dumps(value)
    except (cbor2.CBOREncodeError, ValueError, TypeError):
        return
    decode_or_refuse(C.get_codec(name), data)


# Any JSON data, with the values that need care: lone surrogates, huge ints, -0.0, NaN.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**200), max_value=2**200)
    | st.floats()
    | st.text(alphabet=st.characters(codec=None), max_size=8)
)
json_trees = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(st.characters(codec=None), max_size=3), children, max_size=4)
        | st.builds(
            lambda s, i: {"t": 19, "i": i, "s": s, "f": {"t": 26, "i": i + 1, "s": 5}},
            st.binary(max_size=9).map(lambda b: base64.b64encode(b).decode()) | st.text(max_size=5),
            st.integers(0, 9),
        )
    ),
    max_leaves=25,
)


@pytest.mark.parametrize("name", BINARY_NAMES)
@fuzz(200)
@given(tree=json_trees)
def test_any_json_data_survives_exactly(name: str, tree: Any) -> None:
    codec = C.get_codec(name)
    back = codec.decode(codec.encode(tree))
    assert difference(tree, back) is None


@fuzz(150)
@given(tree=json_trees)
def test_json_codec_agrees_with_binary_codecs(tree: Any) -> None:
    """The JSON text of a tree is the same whichever codec carried it."""
    text = C.get_codec("json").encode(tree)
    for name in BINARY_NAMES:
        codec = C.get_codec(name)
        assert C.get_codec("json").encode(codec.decode(codec.encode(tree))) == text


@fuzz(250)
@given(data=st.binary(max_size=80), cut=st.integers(0, 80))
def test_random_streams_only_raise_framing_errors(data: bytes, cut: int) -> None:
    reader = C.FrameReader(max_frame_size=64)
    try:
        reader.feed(data[:cut])
        reader.feed(data[cut:])
        reader.close()
    except (C.SerovalFramingError, C.SerovalCodecLimitError):
        pass


def test_nan_and_negative_zero_compare_as_themselves() -> None:
    """The comparison the property tests rely on does see these differences."""
    assert difference([math.nan], [math.nan]) is None
    assert difference([-0.0], [0.0]) is not None
    assert difference([1], [1.0]) is not None
    assert difference({"a": 1, "b": 2}, {"b": 2, "a": 1}) is not None
