"""Depth: 1,000 levels work end to end without RecursionError; 1,001 is the typed depth error."""

from __future__ import annotations

from typing import Any

import pytest

import seroval as S

#: Run on both backends: the native readers and writers, and the pure ones.
pytestmark = pytest.mark.usefixtures("each_backend")


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


@pytest.mark.parametrize("kind", ["list", "dict", "map"])
def test_a_thousand_levels_round_trip(kind: str) -> None:
    envelope = S.to_json(nested(1000, kind))
    text = S.dumps_json(envelope)
    value = S.from_json(S.loads_json(text))
    assert S.dumps_json(S.to_json(value)) == text


@pytest.mark.parametrize("kind", ["list", "dict", "map"])
def test_one_more_level_is_refused(kind: str) -> None:
    with pytest.raises(S.SerovalDepthLimitError) as caught:
        S.to_json(nested(1001, kind))
    assert caught.value.limit == 1000
    assert caught.value.step == "parse"


def test_depth_limit_option_follows_seroval_rules() -> None:
    # seroval: the root is at depth 0 and primitives count, so [[[1]]] needs a
    # limit of 4 while [[[]]] passes at 3 (the oracle vectors check the same).
    with pytest.raises(S.SerovalDepthLimitError):
        S.to_json([[[1]]], depth_limit=3)
    assert S.to_json([[[]]], depth_limit=3)["t"]["t"] == 9


def test_reader_depth_limit_is_one_looser_than_the_parser() -> None:
    envelope = S.to_json(nested(5, "list"), depth_limit=5)
    S.from_json(envelope, depth_limit=4)
    with pytest.raises(S.SerovalDepthLimitError) as caught:
        S.from_json(envelope, depth_limit=3)
    assert caught.value.step == "deserialize"


def test_deep_json_text_that_is_not_seroval_fails_cleanly() -> None:
    text = "[" * 100_000 + "]" * 100_000
    assert S.loads_json(text) is not None
    with pytest.raises(S.SerovalError):
        S.from_json({"t": S.loads_json(text), "f": 127, "m": []})
