"""Values read back behave like Python values (issue 14, item 4).

Sets and Maps compare equal to ``set`` / ``dict`` where those can hold them, a
read-back async iterable works with ``async for``, binary data with ``bytes()``,
and everything a read-back promise or stream raises is a ``JSException``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

import seroval
from seroval import JSAsyncIterable, JSException, JSMap, JSSet, JSSymbol


def _back(value: object) -> Any:
    return seroval.from_json(seroval.to_json(value))


def test_sets_compare_with_python_sets() -> None:
    back = _back({1, "a"})
    assert isinstance(back, JSSet)
    assert back == {1, "a"}
    assert {1, "a"} == back
    assert back == frozenset({1, "a"})
    assert back != {1}
    # Where a Python set would merge what a JS Set keeps apart, they are not equal.
    assert JSSet([1, True]) != {1}  # the Python set {1, True} is {1}
    assert JSSet([[1]]) != {1}  # an unhashable item: no set can hold it
    assert JSSet([1, True]).to_set() is None


def test_maps_compare_with_dicts() -> None:
    back = _back(JSMap([(1, "one"), ("k", [None])]))
    assert back == {1: "one", "k": [None]}
    assert {1: "one", "k": [None]} == back  # noqa: SIM300 - dict's side, reflected
    assert back != {1: "one"}
    assert JSMap([([1], 2)]) != {}  # an unhashable key
    assert JSMap([(1, "a"), (True, "b")]).to_dict() is None


@pytest.mark.parametrize(
    "value",
    [b"\x00\xff", bytearray(b"ab"), memoryview(b"xyz"), memoryview(b"\x01\x00\x02\x00").cast("H")],
)
def test_binary_data_goes_into_bytes(value: Any) -> None:
    back = _back(value)
    assert bytes(back) == bytes(value)


def test_a_data_view_goes_into_bytes() -> None:
    view = seroval.JSDataView(bytearray(b"abcdef"), 1, 3)
    assert bytes(_back(view)) == b"bcd"


async def _numbers() -> AsyncIterator[int]:
    yield 1
    yield 2


def _async_forms() -> dict[str, Callable[[Any], Any]]:
    async def json(value: Any) -> Any:
        return seroval.from_json(await seroval.to_json_async(value))

    async def text(value: Any) -> Any:
        return seroval.deserialize(await seroval.serialize_async(value))

    async def records(value: Any) -> Any:
        reader = seroval.CrossDeserializer()
        async with seroval.to_cross_json_stream(value) as stream:
            values = [reader.deserialize(node) async for node in stream]
        return values[0]  # the root; the later records settle what it holds

    async def chunks(value: Any) -> Any:
        reader = seroval.CrossDeserializer()
        async with seroval.cross_serialize_stream(value) as stream:
            outputs = [chunk async for chunk in stream]
        values = [reader.feed(chunk) for chunk in outputs]
        return values[0]

    return {"json": json, "text": text, "records": records, "chunks": chunks}


@pytest.mark.parametrize("form", sorted(_async_forms()))
@pytest.mark.parametrize(
    "make",
    [
        lambda: {"g": _numbers()},  # an async generator: a null-prototype object
        lambda: {"g": {JSSymbol.ASYNC_ITERATOR: _numbers()}},  # a plain object with the key
    ],
    ids=["generator", "object"],
)
def test_a_read_back_async_iterable_works_with_async_for(
    form: str, make: Callable[[], Any]
) -> None:
    async def main() -> None:
        back = await _async_forms()[form](make())
        iterable = back["g"]
        assert isinstance(iterable, JSAsyncIterable)
        assert [item async for item in iterable] == [1, 2]
        # It is still the object it was, and writes back as the same nodes.
        again = await seroval.to_json_async(back)
        assert again == await seroval.to_json_async(make())

    anyio.run(main)


def test_everything_a_promise_or_stream_raises_is_a_js_exception() -> None:
    async def fails_with_error() -> None:
        raise ValueError("bad")

    async def fails_with_value() -> None:
        raise seroval.ThrownValue(42)

    async def stream_fails() -> AsyncIterator[int]:
        yield 1
        raise seroval.ThrownValue("over")

    async def main() -> None:
        value = {"e": fails_with_error(), "v": fails_with_value(), "s": stream_fails()}
        back = seroval.from_json(await seroval.to_json_async(value))
        for key in ("e", "v"):
            with pytest.raises(JSException):
                await back[key]
        with pytest.raises(JSException) as caught:
            [item async for item in back["s"]]
        assert isinstance(caught.value, seroval.ThrownValue)
        assert caught.value.value == "over"

    anyio.run(main)
    assert issubclass(seroval.JSError, JSException)
    assert issubclass(seroval.JSAggregateError, JSException)
    assert issubclass(seroval.ThrownValue, JSException)
