"""The Python-type plugins against the real seroval 1.8.1 with ``js/seroval-python-types``.

Both ways, in every form: Python writes (``to_json``, ``serialize``), JS reads the
same value with the package's plugins and writes it back byte for byte; JS builds
the value from the package's classes, and Python reads what JS writes.  Skipped
with the reason when Node.js or npm is missing.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest

import seroval
from seroval.conformance.oracle import (
    OracleServer,
    OracleUnavailable,
    ensure_node_packages,
    node_executable,
)

from .python_cases import CASES, PLUGINS

PACKAGE = Path(__file__).resolve().parents[2] / "js" / "seroval-python-types"

pytestmark = pytest.mark.node


@pytest.fixture(scope="module")
def harness() -> OracleServer:
    if node_executable() is None:
        pytest.skip("Node.js is not installed: the JS plugins cannot be checked against seroval")
    try:
        folder = ensure_node_packages(PACKAGE, {"seroval": "1.8.1"})
    except OracleUnavailable as error:
        pytest.skip(f"seroval 1.8.1 could not be installed for the JS plugins: {error}")
    return OracleServer.shared(folder, "test/harness.mjs")


def _ask(harness: OracleServer, op: str, text: str) -> dict[str, Any]:
    reply = harness.request({"op": op, "text": text})
    assert reply["ok"], reply
    return reply


#: What JS must see for each case (the harness's description of the JS value).
def _expected_js(name: str) -> Any:
    return json.loads((Path(__file__).parent / "python_types_js.json").read_text())[name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_python_writes_json_js_reads_it(harness: OracleServer, name: str) -> None:
    value = CASES[name]
    text = seroval.dumps_json(seroval.to_json(value, plugins=PLUGINS))
    reply = _ask(harness, "from_json", text)
    assert reply["describe"] == _expected_js(name)
    assert reply["json"] == text  # JS writes back exactly what Python wrote
    assert reply["serialize"] == seroval.serialize(value, plugins=PLUGINS)
    assert reply["crossJson"] == seroval.dumps_json(seroval.to_cross_json(value, plugins=PLUGINS))


@pytest.mark.parametrize("name", sorted(CASES))
def test_python_writes_js_text_js_evaluates_it(harness: OracleServer, name: str) -> None:
    value = CASES[name]
    reply = _ask(harness, "deserialize", seroval.serialize(value, plugins=PLUGINS))
    assert reply["describe"] == _expected_js(name)
    assert reply["json"] == seroval.dumps_json(seroval.to_json(value, plugins=PLUGINS))


@pytest.mark.parametrize("name", sorted(CASES))
def test_js_writes_python_reads(harness: OracleServer, name: str) -> None:
    """JS builds the value from the package's classes; Python reads every form it writes."""
    value = CASES[name]
    # The JS expression that builds the value: the JS text Python writes for it, which
    # calls the package's constructors (`new SerovalPython.Decimal("1.5")`).
    reply = _ask(harness, "eval", seroval.serialize(value, plugins=PLUGINS))
    for back in (
        seroval.from_json(seroval.loads_json(reply["json"]), plugins=PLUGINS),
        seroval.deserialize(reply["serialize"], plugins=PLUGINS),
        seroval.from_cross_json(seroval.loads_json(reply["crossJson"]), plugins=PLUGINS),
    ):
        assert repr(back) == repr(value)
        assert back == value or name == "decimal_nan"


def _stream_value(value: Any) -> dict[str, Any]:
    """``value`` at once, as a promise settled by a later record, and as a stream item."""

    async def later() -> Any:
        return value

    async def items() -> AsyncIterator[Any]:
        yield value

    return {"now": value, "later": later(), "items": items()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_python_streams_js_reads(harness: OracleServer, name: str) -> None:
    """Python's streamed records (as a server function's result goes out), read by
    seroval's fromCrossJSON with the package's plugins, record by record."""

    async def records() -> list[str]:
        async with seroval.to_cross_json_stream(
            _stream_value(CASES[name]), plugins=PLUGINS
        ) as stream:
            return [seroval.dumps_json(node) async for node in stream]

    texts = anyio.run(records)
    assert len(texts) > 1  # the root, then the settlements
    reply = _ask(harness, "stream_in", json.dumps(texts))
    expected = _expected_js(name)
    assert (reply["now"], reply["later"], reply["items"]) == (expected, expected, [expected])


@pytest.mark.parametrize("name", sorted(CASES))
def test_js_streams_python_reads(harness: OracleServer, name: str) -> None:
    """seroval's streaming and async writers with the package's plugins (the parse
    hooks' stream and async modes), read by Python: records, JS chunks, toJSONAsync."""
    value = CASES[name]
    reply = _ask(harness, "stream_out", seroval.serialize(value, plugins=PLUGINS))

    async def read_all() -> list[tuple[Any, Any, list[Any]]]:
        records = seroval.CrossDeserializer(plugins=PLUGINS)
        from_records = [records.deserialize(seroval.loads_json(text)) for text in reply["nodes"]]
        chunks = seroval.CrossDeserializer(plugins=PLUGINS)
        from_chunks = [chunks.feed(chunk) for chunk in reply["chunks"]]
        whole = seroval.from_json(seroval.loads_json(reply["json"]), plugins=PLUGINS)
        backs = []
        for root in (from_records[0], from_chunks[0], whole):
            backs.append((root["now"], await root["later"], [item async for item in root["items"]]))
        return backs

    for now, later, items in anyio.run(read_all):
        for back in (now, later, *items):
            assert repr(back) == repr(value)
            assert back == value or name == "decimal_nan"
        assert len(items) == 1


def test_js_built_by_hand(harness: OracleServer) -> None:
    """Values a JS app writes with the classes directly, not from Python's text."""
    import decimal
    import uuid

    from .python_cases import Color, Perm, Point

    reply = _ask(
        harness,
        "eval",
        "[new SerovalPython.Decimal('0.1'), new SerovalPython.UUID("
        "'12345678-1234-5678-1234-56781234567A'), new SerovalPython.Enum('Color', 'GREEN', 'g'),"
        " new SerovalPython.Enum('Color', undefined, 1), new SerovalPython.Flag('Perm', 6),"
        " new SerovalPython.Dataclass('Point', {x: 1, y: 2})]",
    )
    back = seroval.from_json(seroval.loads_json(reply["json"]), plugins=PLUGINS)
    assert back == [
        decimal.Decimal("0.1"),
        uuid.UUID("12345678-1234-5678-1234-56781234567a"),
        Color.GREEN,
        Color.RED,  # found by value when JS gives no name
        Perm.W | Perm.X,
        Point(1, 2),
    ]


def test_the_packages_own_js_tests_pass(harness: OracleServer) -> None:
    """``npm test`` of js/seroval-python-types (JS to JS round trips with seroval 1.8.1)."""
    import subprocess

    result = subprocess.run(
        ["node", "--test", "test/plugins.test.mjs"],
        cwd=PACKAGE,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
