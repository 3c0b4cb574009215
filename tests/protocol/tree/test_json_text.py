"""The JSON text writer and reader against Node's own JSON.stringify / JSON.parse."""

from __future__ import annotations

import json
import math
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import seroval as S
from seroval.protocol.model.strings import js_property_order
from seroval.protocol.tree import json_text

# Node builds each value from a description that survives any transport exactly:
# floats as their IEEE bit pattern, strings as UTF-16 code units.
NODE_SCRIPT = r"""
const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin });
const build = (d) => {
  switch (d[0]) {
    case 'n': { const b = Buffer.from(d[1], 'hex'); return b.readDoubleBE(0); }
    case 's': return String.fromCharCode(...d[1]);
    case 'b': return d[1];
    case 'z': return null;
    case 'l': return d[1].map(build);
    case 'o': {
      const o = {};
      for (const [k, v] of d[1]) {
        const value = build(v);
        const key = String.fromCharCode(...k);
        const descriptor = { value, enumerable: true, writable: true, configurable: true };
        Object.defineProperty(o, key, descriptor);
      }
      return o;
    }
  }
};
rl.on('line', (line) => {
  const text = JSON.stringify(build(JSON.parse(line)));
  const hex = Buffer.from(text, 'utf16le').toString('hex');
  process.stdout.write(JSON.stringify(hex) + '\n');
});
"""


def describe(value: Any) -> Any:
    if value is None:
        return ["z"]
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, (int, float)):
        return ["n", struct.pack(">d", float(value)).hex()]
    if isinstance(value, str):
        return ["s", code_units(value)]
    if isinstance(value, list):
        return ["l", [describe(item) for item in value]]
    return ["o", [[code_units(key), describe(item)] for key, item in value.items()]]


def code_units(text: str) -> list[int]:
    data = text.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


@pytest.fixture(scope="module")
def node_json(oracle_dir: Path) -> Iterator[Any]:
    process = subprocess.Popen(
        ["node", "-e", NODE_SCRIPT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=oracle_dir,
    )

    def stringify(value: Any) -> str:
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(json.dumps(describe(value)) + "\n")
        process.stdin.flush()
        hex_text = json.loads(process.stdout.readline())
        return bytes.fromhex(hex_text).decode("utf-16-le", "surrogatepass")

    yield stringify
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.close()
    process.wait(timeout=10)
    process.stdout.close()


def js_key_order(value: dict[str, Any]) -> dict[str, Any]:
    """The dict in JS own-property order (array-index keys first), as a JS object holds it."""
    return {key: value[key] for key in js_property_order(value)}


floats = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [1e21, 1e-7, 1e20, 5e-324, 2.0**53, 0.1 + 0.2, 1.7976931348623157e308, 1e-6, 1e-5, 1.5e-7, -0.0]
)
texts = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=12) | st.lists(
    st.integers(0xD700, 0xE100), max_size=4
).map(lambda units: "".join(chr(u) for u in units))
json_data = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | floats | texts,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(texts, children, max_size=4).map(js_key_order)
    ),
    max_leaves=16,
)


@settings(max_examples=1500, deadline=None)
@given(json_data)
def test_writer_matches_json_stringify(node_json: Any, value: Any) -> None:
    expected = node_json(value)
    assert S.dumps_json(value) == expected
    # and reading JS's text back gives the same text again
    assert S.dumps_json(S.loads_json(expected)) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-(2**80), 2**80), min_size=1, max_size=8))
def test_large_integers_in_number_nodes_read_as_js_numbers(
    node_json: Any, numbers: list[int]
) -> None:
    # JS reads every JSON number as a double: a Number node of 2**60 + 1 holds 2**60.
    text = (
        '{"t":{"t":9,"i":0,"a":['
        + ",".join(f'{{"t":0,"s":{n}}}' for n in numbers)
        + ']},"f":127,"m":[]}'
    )
    values = S.from_json(S.loads_json(text))
    assert S.dumps_json(values) == node_json([float(n) for n in numbers])


def test_nan_and_infinity_are_written_as_null(node_json: Any) -> None:
    assert S.dumps_json([math.nan, math.inf, -math.inf]) == node_json([None, None, None])


def test_json_tokens_js_refuses_are_refused() -> None:
    for text in ("NaN", "[Infinity]", "-Infinity", "{'a':1}", "[1,]", "\ufeff[]", "01", "[1 2]"):
        with pytest.raises(S.SerovalSyntaxError) as caught:
            S.loads_json(text)
        assert caught.value.line is not None
        assert caught.value.line >= 1
        assert caught.value.column is not None
        assert caught.value.column >= 1


@pytest.fixture(params=["orjson", "json"])
def json_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with orjson as the accelerator and again with the json module alone."""

    if request.param == "json":
        monkeypatch.setattr(json_text, "_orjson", None)
    elif getattr(json_text, "_orjson", None) is None:
        pytest.skip("orjson is not installed")
    return str(request.param)


def test_both_paths_write_every_vector_exactly(json_path: str) -> None:
    from seroval.conformance.vectors import load_vectors

    for vector in load_vectors():
        for text in (vector.json, vector.cross_json):
            if text is not None:
                tree = S.loads_json(text)
                assert S.dumps_json(tree) == text, (json_path, vector.name)
                assert json_text.dumps_json_bytes(tree) == text.encode(), vector.name


@settings(max_examples=500, deadline=None)
@given(json_data)
def test_both_paths_agree(value: Any) -> None:

    fast = json_text.dumps_json(value)
    saved = getattr(json_text, "_orjson", None)
    setattr(json_text, "_orjson", None)  # noqa: B010 - a private switch, for this test only
    try:
        plain = json_text.dumps_json(value)
        plain_back = json_text.loads_json(plain)
    finally:
        setattr(json_text, "_orjson", saved)  # noqa: B010
    assert fast == plain
    assert json_text.dumps_json(json_text.loads_json(fast)) == json_text.dumps_json(plain_back)
