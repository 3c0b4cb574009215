"""``Serializer`` and ``Deserializer``: every method is its free function, options built once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import anyio
import pytest

import seroval as S
from seroval.plugins import web

from ..conftest import PLUGINS


def _value() -> Any:
    shared = {"n": 1}
    value: dict[str, Any] = {
        "when": datetime(2024, 1, 2, tzinfo=UTC),
        "naive": datetime(2024, 1, 2, 3, 4),
        "tags": {"a"},
        "big": 2**70,
        "url": web.URL("https://example.com/"),
        "a": shared,
        "b": shared,
        "error": ValueError("boom"),
    }
    value["self"] = value
    return value


KEYWORDS: dict[str, Any] = {
    "plugins": (*web.ALL, *PLUGINS),
    "naive_timezone": timezone(timedelta(hours=2)),
    "disabled_features": S.Feature.REGEXP,
    "include_tracebacks": False,
}


def test_sync_writers_give_the_free_functions_output() -> None:
    serializer = S.Serializer(**KEYWORDS)
    value = _value()
    assert serializer.to_json(value) == S.to_json(value, **KEYWORDS)
    assert serializer.serialize(value) == S.serialize(value, **KEYWORDS)
    ours, theirs = S.WriteRefs(), S.WriteRefs()
    assert serializer.to_cross_json(value, refs=ours) == S.to_cross_json(
        value, refs=theirs, **KEYWORDS
    )
    assert serializer.cross_serialize(value, scope_id="x") == S.cross_serialize(
        value, scope_id="x", **KEYWORDS
    )


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_and_stream_writers_give_the_free_functions_output(backend: str) -> None:
    serializer = S.Serializer(**KEYWORDS)

    async def later() -> int:
        await anyio.sleep(0)
        return 7

    async def main() -> None:
        assert await serializer.to_json_async([later()]) == await S.to_json_async(
            [later()], **KEYWORDS
        )
        assert await serializer.serialize_async([later()]) == await S.serialize_async(
            [later()], **KEYWORDS
        )
        ours: list[Any] = []
        async with serializer.to_cross_json_stream({"x": later()}) as records:
            ours.extend([record async for record in records])
        theirs: list[Any] = []
        async with S.to_cross_json_stream({"x": later()}, **KEYWORDS) as records:
            theirs.extend([record async for record in records])
        assert ours == theirs
        assert len(ours) == 2

    anyio.run(main, backend=backend)


def test_readers_give_the_free_functions_output() -> None:
    keywords: dict[str, Any] = {"plugins": (*web.ALL, *PLUGINS), "depth_limit": 50}
    deserializer = S.Deserializer(**keywords)
    value = _value()
    envelope = S.to_json(value, **KEYWORDS)
    text = S.serialize(value, **KEYWORDS)
    ours = deserializer.from_json(envelope)
    assert S.serialize(ours, **KEYWORDS) == S.serialize(
        S.from_json(envelope, **keywords), **KEYWORDS
    )
    assert S.serialize(deserializer.deserialize(text), **KEYWORDS) == text
    node = S.to_cross_json(value, **KEYWORDS)
    assert deserializer.from_cross_json(node)["self"]["a"]["n"] == 1
    reader = deserializer.cross_deserializer()
    reader.feed(S.cross_serialize([1, 2], **KEYWORDS))
    assert reader.value(0) == [1, 2]


def test_options_are_checked_once_at_construction() -> None:
    with pytest.raises(ValueError, match="depth_limit"):
        S.Serializer(depth_limit=-1)
    with pytest.raises(ValueError, match="max_base64_length"):
        S.Deserializer(max_base64_length=-5)
    with pytest.raises(TypeError, match="Plugin"):
        S.Serializer(plugins=[object()])  # type: ignore[list-item]
    deep: list[Any] = []
    for _ in range(20):
        deep = [deep]
    with pytest.raises(S.SerovalParserDepthLimitError):
        S.Serializer(depth_limit=10).to_json(deep)
    with pytest.raises(S.SerovalDeserializationDepthLimitError):
        S.Deserializer(depth_limit=10).from_json(S.to_json(deep))


def test_one_instance_serves_many_threads() -> None:
    serializer = S.Serializer(**KEYWORDS)
    deserializer = S.Deserializer(plugins=KEYWORDS["plugins"])
    expected = S.serialize(_value(), **KEYWORDS)
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(30):
                text = serializer.serialize(_value())
                assert text == expected
                assert serializer.serialize(deserializer.deserialize(text)) == expected
        except BaseException as error:  # reported to the main thread
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures


@pytest.mark.usefixtures("each_backend")
def test_text_methods_give_the_free_functions_output() -> None:
    serializer = S.Serializer(**KEYWORDS)
    deserializer = S.Deserializer(plugins=(*web.ALL, *PLUGINS), depth_limit=50)
    value = _value()
    text = serializer.to_json_text(value)
    assert text == S.to_json_text(value, **KEYWORDS) == S.dumps_json(S.to_json(value, **KEYWORDS))
    assert serializer.to_json_text(deserializer.from_json_text(text)) == text
    ours, theirs = S.WriteRefs(), S.WriteRefs()
    cross = serializer.to_cross_json_text(value, refs=ours)
    assert cross == S.to_cross_json_text(value, refs=theirs, **KEYWORDS)
    assert deserializer.from_cross_json_text(cross, refs=S.ReadRefs())["self"]["a"]["n"] == 1
