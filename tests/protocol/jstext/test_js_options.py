"""The JS text functions' ``*_with`` twins and ``CrossDeserializer(options=...)``.

A server builds its options once; the twins must give exactly what the keyword
forms give, honour every option (limits, features, plugins), and refuse being
given options twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

import seroval as S
from seroval.protocol.jstext.api import cross_serialize_with, serialize_with
from seroval.protocol.jstext.cross import CrossDeserializer
from seroval.protocol.jstext.reader import deserialize_with
from seroval.protocol.model.features import Feature
from seroval.protocol.model.options import ReadOptions, WriteOptions
from seroval.protocol.model.references import WriteRefs


def _value() -> Any:
    shared = {"n": 1}
    value: dict[str, Any] = {"a": [shared, shared], "d": datetime(2024, 1, 2, tzinfo=UTC)}
    value["self"] = value
    return value


@pytest.mark.parametrize(
    "keywords",
    [{}, {"disabled_features": int(Feature.OBJECT_ASSIGN)}, {"depth_limit": 50}],
    ids=["defaults", "no Object.assign", "depth limit"],
)
def test_serialize_with_gives_the_keyword_forms_text(keywords: dict[str, Any]) -> None:
    options = WriteOptions(**keywords)
    assert serialize_with(options, _value()) == S.serialize(_value(), **keywords)
    ours = cross_serialize_with(options, _value(), scope_id="s")
    assert ours == S.cross_serialize(_value(), scope_id="s", **keywords)


def test_cross_serialize_with_continues_ids_across_refs() -> None:
    options = WriteOptions()
    mine, theirs = WriteRefs(), WriteRefs()
    first = [1, 2]
    texts = [
        cross_serialize_with(options, first, refs=mine),
        cross_serialize_with(options, {"again": first}, refs=mine),
    ]
    assert texts == [
        S.cross_serialize(first, refs=theirs),
        S.cross_serialize({"again": first}, refs=theirs),
    ]
    assert texts[1] == "($R[1]={again:$R[0]})"


def test_cross_serialize_with_checks_the_scope_id() -> None:
    with pytest.raises(TypeError):
        cross_serialize_with(WriteOptions(), 1, scope_id=7)  # type: ignore[arg-type]


def test_the_writers_raise_serialization_errors() -> None:
    with pytest.raises(S.SerovalParserDepthLimitError):
        serialize_with(WriteOptions(depth_limit=2), [[[1]]])
    with pytest.raises(S.SerovalSerializationError):
        S.serialize(object())


def test_deserialize_with_honours_its_options() -> None:
    text = S.serialize([[[1]]])
    assert deserialize_with(ReadOptions(), text) == S.deserialize(text) == [[[1]]]
    with pytest.raises(S.SerovalDeserializationDepthLimitError) as caught:
        deserialize_with(ReadOptions(depth_limit=2), text)
    assert caught.value.line == 1
    regexp = S.serialize(S.JSRegExp("a+", "g"))
    with pytest.raises(S.SerovalDeserializationError):
        deserialize_with(ReadOptions(disabled_features=int(Feature.REGEXP)), regexp)
    with pytest.raises(S.SerovalSyntaxError):
        deserialize_with(ReadOptions(), "alert(1)")


def test_cross_deserializer_takes_options_or_keywords_not_both() -> None:
    text = S.cross_serialize([[[1]]])
    assert CrossDeserializer(options=ReadOptions()).feed(text) == [[[1]]]
    with pytest.raises(S.SerovalDepthLimitError):
        CrossDeserializer(options=ReadOptions(depth_limit=2)).feed(text)
    with pytest.raises(S.SerovalDepthLimitError):
        CrossDeserializer(depth_limit=2).feed(text)
    with pytest.raises(TypeError):
        CrossDeserializer(options=ReadOptions(), depth_limit=2)


def test_the_deserializer_object_hands_its_options_to_cross_readers() -> None:
    deserializer = S.Deserializer(depth_limit=2)
    reader = deserializer.cross_deserializer()
    with pytest.raises(S.SerovalDepthLimitError):
        reader.feed(S.cross_serialize([[[1]]]))
    with pytest.raises(S.SerovalDepthLimitError):
        deserializer.deserialize(S.serialize([[[1]]]))
    assert S.Deserializer().cross_deserializer().feed(S.cross_serialize([[[1]]])) == [[[1]]]
