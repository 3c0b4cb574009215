"""The committed vectors from the real seroval 1.8.1, checked both ways.

For every vector: reading seroval's JSON and writing it again gives seroval's
bytes (node tree and JSON text), in vanilla and cross form; and the Python value
built from the same recipe (or catalogue entry) gives seroval's exact nodes.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import seroval as S
from seroval.conformance import catalogue
from seroval.conformance.recipes import build, reference_value
from seroval.conformance.vectors import Vector, load_vectors
from seroval.protocol.features import enabled_features
from seroval.protocol.strings import unescape_string

from .conftest import PLUGINS

VECTORS = load_vectors()
OK = [v for v in VECTORS if v.error is None]
ERRORS = [v for v in VECTORS if v.error is not None]
BUILDABLE = [
    v
    for v in VECTORS
    if not v.native or (v.python is not None and v.python not in catalogue.NO_COUNTERPART)
]


_REFERENCE_NODE = re.compile(r'"t":18,"i":\d+,"s":("(?:[^"\\]|\\.)*")')


def register_references(vectors: list[Vector]) -> None:
    """Register (as the application would) every createReference id the vectors use."""
    for vector in vectors:
        for text in (vector.json, vector.cross_json):
            for match in _REFERENCE_NODE.finditer(text or ""):
                reference_value(unescape_string(json.loads(match.group(1))))


register_references(VECTORS)


def ids(vectors: list[Vector]) -> list[str]:
    return [v.name for v in vectors]


def test_there_are_enough_vectors() -> None:
    assert len(VECTORS) >= 3000
    assert len(ERRORS) > 0
    masks = {v.disabled_features for v in VECTORS}
    assert masks >= set(range(128)), "every feature-flag combination is covered"


def make(vector: Vector) -> Any:
    if not vector.native:
        return build(vector.recipe)
    assert vector.python is not None
    return catalogue.build(vector.python)


def test_every_native_entry_has_a_python_counterpart_or_a_reason() -> None:
    names = {v.python or v.name for v in VECTORS if v.native}
    missing = names - set(catalogue.BUILDERS) - set(catalogue.NO_COUNTERPART)
    assert not missing
    assert set(catalogue.BUILDERS).isdisjoint(catalogue.NO_COUNTERPART)


def write(vector: Vector, value: Any) -> str:
    return S.dumps_json(
        S.to_json(
            value,
            disabled_features=vector.disabled_features,
            plugins=PLUGINS,
            depth_limit=vector.depth_limit,
        )
    )


def write_cross(vector: Vector, value: Any) -> str:
    return S.dumps_json(
        S.to_cross_json(
            value,
            disabled_features=vector.disabled_features,
            plugins=PLUGINS,
            depth_limit=vector.depth_limit,
        )
    )


@pytest.mark.parametrize("vector", OK, ids=ids(OK))
def test_json_round_trip(vector: Vector) -> None:
    assert vector.json is not None
    envelope = S.loads_json(vector.json)
    assert S.dumps_json(envelope) == vector.json, "the JSON text writer reproduces seroval's bytes"
    value = S.from_json(envelope, plugins=PLUGINS, depth_limit=vector.depth_limit)
    # jsonRoundTrip is recorded where seroval's own round trip changes the value
    # (an OpaqueReference's wasted id, a plugin value that refers to itself).
    assert write(vector, value) == (vector.json_round_trip or vector.json)


def wasted_ids(node: Any) -> set[int]:
    """Ids that references point at but no node defines (an OpaqueReference's wasted id)."""
    defined: set[int] = set()
    referenced: set[int] = set()
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, dict):
            kind = item.get("t")
            if kind == 4:
                referenced.add(item["i"])
            elif kind not in (23, 24, 32, 33, 34) and isinstance(item.get("i"), int):
                defined.add(item["i"])
            todo.extend(item.values())
    return referenced - defined


@pytest.mark.parametrize("vector", OK, ids=ids(OK))
def test_cross_json_round_trip(vector: Vector) -> None:
    assert vector.cross_json is not None
    node = S.loads_json(vector.cross_json)
    assert S.dumps_json(node) == vector.cross_json
    features = enabled_features(vector.disabled_features)

    def read() -> Any:
        return S.from_cross_json(
            node,
            refs=S.ReadRefs(),
            plugins=PLUGINS,
            features=features,
            depth_limit=vector.depth_limit,
        )

    if wasted_ids(node):
        # seroval reads a reference to a wasted id as undefined.  Cross mode has no
        # `m` to tell a wasted id from a forged one, so we refuse it instead.
        with pytest.raises(S.SerovalMissingReferenceError):
            read()
        return
    expected = vector.raw.get("crossJsonRoundTrip") or vector.cross_json
    assert write_cross(vector, read()) == expected


@pytest.mark.parametrize(
    "vector",
    [v for v in BUILDABLE if v.error is None],
    ids=ids([v for v in BUILDABLE if v.error is None]),
)
def test_python_value_gives_seroval_nodes(vector: Vector) -> None:
    assert write(vector, make(vector)) == vector.json
    assert write_cross(vector, make(vector)) == vector.cross_json


ERROR_CLASSES = {
    "SerovalUnsupportedTypeError": S.SerovalUnsupportedTypeError,
    "SerovalDepthLimitError": S.SerovalDepthLimitError,
    "SerovalMissingPluginError": S.SerovalMissingPluginError,
    # seroval lets a plain TypeError through when a Symbol.toStringTag value cannot
    # become a string; we raise SerovalUnsupportedTypeError, a SerovalParserError.
    "TypeError": S.SerovalParserError,
}


@pytest.mark.parametrize(
    "vector", [v for v in BUILDABLE if v.error], ids=ids([v for v in BUILDABLE if v.error])
)
def test_python_value_fails_like_seroval(vector: Vector) -> None:
    assert vector.error in ERROR_CLASSES, f"unmapped seroval error {vector.error}"
    with pytest.raises(ERROR_CLASSES[vector.error]):
        write(vector, make(vector))
    with pytest.raises(ERROR_CLASSES[vector.error]):
        write_cross(vector, make(vector))
