"""Nothing leaves as something the other side did not expect (issue 14, item 3).

An object that is only iterable was sent as a JS iterator object; now only iterators
are, and the rest is refused with a message that says what to do.  ``dumps_json``
refuses a non-``str`` key instead of writing ``1`` as ``"1"``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any

import pydantic
import pytest

import seroval
from seroval.protocol.tree import json_text

#: Run on both backends: the native readers and writers, and the pure ones.
pytestmark = pytest.mark.usefixtures("each_backend")


class Perm(enum.Flag):
    R = 1
    W = 2


class Model(pydantic.BaseModel):
    a: int = 1


class OnlyIterable:
    def __iter__(self) -> Iterator[int]:
        yield 1


class Counter(Iterator[int]):
    def __init__(self) -> None:
        self.left = 2

    def __next__(self) -> int:
        if not self.left:
            raise StopIteration
        self.left -= 1
        return self.left


@pytest.mark.parametrize(
    ("value", "plugin"),
    [
        (Perm.R | Perm.W, "FlagPlugin"),
        (Model(), "PydanticPlugin"),
        ({"a": 1}.values(), None),
        (OnlyIterable(), None),
    ],
)
@pytest.mark.parametrize("form", ["to_json", "serialize", "to_cross_json"])
def test_a_merely_iterable_object_is_refused(value: Any, plugin: str | None, form: str) -> None:
    with pytest.raises(seroval.SerovalUnsupportedTypeError) as caught:
        getattr(seroval, form)(value)
    message = str(caught.value)
    assert "it is iterable but not an iterator: pass list(value) to send an array" in message
    if plugin is not None:
        assert f"the {plugin} of seroval.plugins.python carries it" in message


def test_async_serializers_refuse_it_too() -> None:
    import anyio

    async def main() -> None:
        with pytest.raises(seroval.SerovalUnsupportedTypeError, match="not an iterator"):
            await seroval.to_json_async({"m": Model()})

    anyio.run(main)


@pytest.mark.parametrize(
    "make",
    [
        lambda: iter([1, 0]),
        lambda: map(int, "10"),
        lambda: (x for x in (1, 0)),
        Counter,
        lambda: iter(OnlyIterable()),
    ],
)
def test_iterators_are_still_js_iterators(make: Any) -> None:
    node = seroval.to_json(make())["t"]
    assert node["t"] == 11  # a null-prototype object ...
    assert node["p"]["k"][0] == {"t": 17, "i": 1, "s": 3}  # ... with [Symbol.iterator]


@pytest.mark.parametrize("value", [{1: "a"}, {"a": [{None: 1}]}, [{True: 1}], {1.5: 0}])
@pytest.mark.parametrize("orjson", [True, False])
def test_dumps_json_refuses_non_string_keys(
    value: Any, orjson: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not orjson:
        monkeypatch.setattr(json_text, "_orjson", None)
    elif json_text._orjson is None:
        pytest.skip("orjson is not installed")
    with pytest.raises(seroval.SerovalSerializationError, match="a key must be a str"):
        seroval.dumps_json(value)
    with pytest.raises(seroval.SerovalSerializationError, match="a key must be a str"):
        json_text.dumps_json_bytes(value)


def test_dumps_json_still_writes_shared_and_deep_data() -> None:
    shared = {"k": [1]}
    assert seroval.dumps_json([shared, shared]) == '[{"k":[1]},{"k":[1]}]'
    deep: Any = "x"
    for _ in range(3000):
        deep = {"a": deep}
    assert seroval.dumps_json(deep).count("{") == 3000
