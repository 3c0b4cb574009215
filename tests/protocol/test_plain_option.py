"""``plain=True``: Python's own types wherever the content allows (issue 14, item 4)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest

import seroval
from seroval import JSMap, JSSet, JSSymbol, JSTypedArray


def _via_json(value: object, **options: Any) -> Any:
    return seroval.from_json(seroval.to_json(value), plain=True, **options)


def _via_text(value: object, **options: Any) -> Any:
    return seroval.deserialize(seroval.serialize(value), plain=True, **options)


def _via_cross(value: object, **options: Any) -> Any:
    return seroval.from_cross_json(seroval.to_cross_json(value), plain=True, **options)


def _via_deserializer(value: object, **options: Any) -> Any:
    return seroval.Deserializer(plain=True, **options).from_json(seroval.to_json(value))


def _via_deserializer_text(value: object, **options: Any) -> Any:
    return seroval.Deserializer(plain=True, **options).deserialize(seroval.serialize(value))


def _via_json_text(value: object, **options: Any) -> Any:
    return seroval.from_json_text(seroval.to_json_text(value), plain=True, **options)


def _via_cross_json_text(value: object, **options: Any) -> Any:
    text = seroval.to_cross_json_text(value)
    return seroval.Deserializer(plain=True, **options).from_cross_json_text(text)


READERS: dict[str, Callable[..., Any]] = {
    "json": _via_json,
    "text": _via_text,
    "cross": _via_cross,
    "deserializer": _via_deserializer,
    "deserializer_text": _via_deserializer_text,
    "json_text": _via_json_text,
    "cross_json_text": _via_cross_json_text,
}


def _numbers() -> Iterator[int]:
    yield from (1, 2)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_plain_types_where_the_content_allows(reader: str, each_backend: str) -> None:
    value = {
        "set": {1, "a"},
        "map": JSMap([(1, "one"), ("k", [None])]),
        "bytes": b"\x00\xff",
        "gen": _numbers(),
        "nested": [{"s": frozenset({2})}],
    }
    back = READERS[reader](value)
    assert back == {
        "set": {1, "a"},
        "map": {1: "one", "k": [None]},
        "bytes": b"\x00\xff",
        "gen": [1, 2],
        "nested": [{"s": {2}}],
    }
    assert type(back["set"]) is set
    assert type(back["map"]) is dict
    assert type(back["bytes"]) is bytes
    assert type(back["gen"]) is list


@pytest.mark.parametrize("reader", sorted(READERS))
def test_js_types_stay_where_python_cannot_hold_the_content(reader: str, each_backend: str) -> None:
    value = {
        "merging": JSSet([1, True]),  # a set would keep one of them
        "unhashable": JSSet([[1]]),
        "object_keys": JSMap([([1], "list key")]),
        "merging_keys": JSMap([(1, "a"), (True, "b")]),
        "floats": JSTypedArray.of("Float64Array", [1.5]),  # bytes would lose the kind
    }
    back = READERS[reader](value)
    assert type(back["merging"]) is JSSet
    assert type(back["unhashable"]) is JSSet
    assert type(back["object_keys"]) is JSMap
    assert type(back["merging_keys"]) is JSMap
    assert type(back["floats"]) is JSTypedArray


def test_sharing_and_cycles_survive() -> None:
    shared = {1, 2}
    inner: dict[str, Any] = {}
    cyclic = JSMap([("self", inner)])
    inner["map"] = cyclic
    back = _via_json({"a": shared, "b": [shared], "c": cyclic})
    assert back["a"] is back["b"][0]
    assert type(back["c"]) is dict
    assert back["c"]["self"]["map"] is back["c"]


def test_an_iterator_that_throws_or_returns_a_value_stays_a_js_iterable() -> None:
    def returns() -> Generator[int, None, int]:
        yield 1
        return 5

    back = _via_json({"r": returns()})
    assert JSSymbol.ITERATOR in back["r"]


def test_cross_json_with_shared_refs_is_not_converted(each_backend: str) -> None:
    """Values shared with later payloads keep the type later payloads will see."""
    refs = seroval.ReadRefs()
    back = seroval.from_cross_json(seroval.to_cross_json({1}), refs=refs, plain=True)
    assert type(back) is JSSet
    text = seroval.to_cross_json_text({2})
    back = seroval.from_cross_json_text(text, refs=seroval.ReadRefs(), plain=True)
    assert type(back) is JSSet


def test_without_the_option_nothing_changes() -> None:
    assert type(seroval.from_json(seroval.to_json({1}))) is JSSet


def test_what_has_arrived_is_converted_what_is_still_open_is_not() -> None:
    """A settled promise and an ended stream hold values that have arrived: converted.
    A cross reader's values may still be referred to by later pieces: left as read."""
    import anyio

    async def rows() -> Any:
        yield {1}
        yield b"\x01"

    async def later() -> object:
        return JSMap([("k", {2})])

    async def main() -> None:
        envelope = await seroval.to_json_async({"rows": rows(), "later": later()})
        back = seroval.from_json(envelope, plain=True)
        assert [row async for row in back["rows"]] == [{1}, b"\x01"]
        assert [type(row) async for row in back["rows"]] == [set, bytes]
        assert type(back["later"].result()) is dict
        assert type(back["later"].result()["k"]) is set

    anyio.run(main)
    reader = seroval.Deserializer(plain=True).cross_deserializer()
    assert type(reader.deserialize(seroval.to_cross_json({1}))) is JSSet
