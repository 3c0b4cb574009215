"""Nodes seroval's writer would not produce, read as seroval 1.8.1 reads them.

An AggregateError node with another error constructor tag in ``s``, one read with
``Feature.AggregateError`` disabled (in the envelope's ``f`` or by the reader's
``disabled_features``), and a RegExp whose source holds ``\\/``: each is read by the
real seroval (``fromJSON``, in the oracle) and by ours, and both values are written
again as JS text and as nodes, with and without the feature. The texts must be equal:
no property gained or lost, no backslash dropped.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import seroval as S
from seroval.conformance.oracle import OracleServer

_AGGREGATE = {
    "t": 14,
    "i": 0,
    "s": 0,
    "m": "x",
    "p": {
        "k": ["name", "stack", "errors"],
        "v": [
            {"t": 1, "s": "AggregateError"},
            {"t": 1, "s": "st"},
            {"t": 9, "i": 1, "a": [{"t": 0, "s": 1}], "o": 0},
        ],
    },
}


def _envelope(node: dict[str, Any], flags: int) -> dict[str, Any]:
    return {"t": node, "f": flags, "m": []}


CASES = [
    pytest.param(
        _envelope({**_AGGREGATE, "s": tag}, flags), disabled, id=f"s{tag}-f{flags}-d{disabled}"
    )
    for tag in (0, 3, 6)
    for flags in (127, 126)
    for disabled in (0, 1)
] + [
    pytest.param(_envelope({"t": 6, "i": 0, "c": source, "m": "g"}, 127), 0, id=f"regexp-{source}")
    for source in ("a\\\\/b", "\\\\/", "[/]\\\\/")
]


def _seroval(oracle: OracleServer, tree: Any, disabled: int) -> list[str]:
    value = f"seroval.fromJSON({json.dumps(tree)},{{disabledFeatures:{disabled}}})"
    texts = []
    for written in (0, 1):
        reply = oracle.ok(
            {"op": "roundtrip", "text": value, "options": {"disabledFeatures": written}}
        )
        texts += [reply["serialize"], reply["json"]]
    return texts


def _ours(tree: Any, disabled: int) -> list[str]:
    value = S.from_json(tree, disabled_features=disabled)
    texts = []
    for written in (0, 1):
        nodes = S.to_json(value, disabled_features=written)
        texts += [
            S.serialize(value, disabled_features=written),
            json.dumps(nodes, separators=(",", ":"), ensure_ascii=False),
        ]
    return texts


@pytest.mark.parametrize(("tree", "disabled"), CASES)
def test_read_and_written_again_as_seroval_does(
    tree: Any, disabled: int, oracle: OracleServer, each_backend: str
) -> None:
    assert _ours(tree, disabled) == _seroval(oracle, tree, disabled)
