"""Node trees handed over in memory read back as their JSON text does.

The RPC layer's in-memory transport, and any caller that passes a tree to a codec
or a reader without JSON text in between, depends on the writer building plain
data: an ``IntEnum`` member where the text has an ``int`` once made every thrown
error and rejected promise unreadable unless it went through text first.
"""

from __future__ import annotations

import anyio
import pytest

import seroval
from seroval.conformance.suite import plain_tree_problem


def _error_value() -> ValueError:
    error = ValueError("bad input")
    error.__cause__ = TypeError("inner")
    return error


def test_an_error_survives_to_json_and_from_json_in_memory() -> None:
    envelope = seroval.to_json({"error": _error_value()})
    assert plain_tree_problem(envelope) is None
    value = seroval.from_json(envelope)
    assert isinstance(value["error"], seroval.JSError)
    assert value["error"].message == "bad input"
    assert value["error"].name == "ValueError"


def test_an_error_survives_the_cross_forms_in_memory() -> None:
    node = seroval.to_cross_json([_error_value(), TypeError("second")])
    assert plain_tree_problem(node) is None
    first, second = seroval.from_cross_json(node)
    assert first.message == "bad input"
    assert second.type is seroval.JSErrorType.TYPE_ERROR


def test_map_sentinel_and_specials_are_plain_ints() -> None:
    node = seroval.to_cross_json({"m": seroval.JSMap([(1, 2)])})
    assert plain_tree_problem(node) is None


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_stream_records_fed_straight_to_a_cross_deserializer(backend: str) -> None:
    async def fails() -> None:
        await anyio.sleep(0)
        raise _error_value()

    async def main() -> None:
        reader = seroval.CrossDeserializer()
        root = None
        async with seroval.to_cross_json_stream({"later": fails()}) as records:
            async for record in records:
                assert plain_tree_problem(record) is None
                value = reader.deserialize(record)
                root = value if root is None else root
        assert root is not None
        with pytest.raises(seroval.JSError) as caught:
            await root["later"]
        assert caught.value.message == "bad input"

    anyio.run(main, backend=backend)
