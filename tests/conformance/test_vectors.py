"""The committed vectors from the real seroval 1.8.1, checked both ways.

For every vector: reading seroval's JSON and writing it again gives seroval's
bytes (node tree and JSON text), in vanilla and cross form; and the Python value
built from the same recipe (or catalogue entry) gives seroval's exact nodes, or
fails the way seroval failed.  The checks live in ``seroval.conformance.suite``,
which ``seroval conformance`` runs too.
"""

from __future__ import annotations

import dataclasses

import pytest

from seroval.conformance import catalogue, suite
from seroval.conformance.vectors import Vector, load_vectors

#: Every check runs on both backends (the fused text forms differ; the node forms do not).
pytestmark = pytest.mark.usefixtures("each_backend")

VECTORS = load_vectors()
suite.prepare(VECTORS)
OK = [v for v in VECTORS if v.error is None]
BUILDABLE = [v for v in VECTORS if suite.has_python_value(v)]


def ids(vectors: list[Vector]) -> list[str]:
    return [f"{v.name}#df={v.disabled_features}" for v in vectors]


def test_there_are_enough_vectors() -> None:
    assert len(VECTORS) >= 3000
    assert any(v.error is not None for v in VECTORS)
    masks = {v.disabled_features for v in VECTORS}
    assert masks >= set(range(128)), "every feature-flag combination is covered"


def test_every_native_entry_has_a_python_counterpart_or_a_reason() -> None:
    names = {v.python or v.name for v in VECTORS if v.native}
    assert not names - set(catalogue.BUILDERS) - set(catalogue.NO_COUNTERPART)
    assert set(catalogue.BUILDERS).isdisjoint(catalogue.NO_COUNTERPART)


@pytest.mark.parametrize("vector", OK, ids=ids(OK))
def test_json_round_trip(vector: Vector) -> None:
    suite.check_json_round_trip(vector)


@pytest.mark.parametrize("vector", OK, ids=ids(OK))
def test_cross_json_round_trip(vector: Vector) -> None:
    suite.check_cross_json_round_trip(vector)


@pytest.mark.parametrize("vector", BUILDABLE, ids=ids(BUILDABLE))
def test_python_value_gives_seroval_nodes(vector: Vector) -> None:
    suite.check_python_value(vector)


def test_a_wrong_answer_is_caught() -> None:
    """The checks can fail: a vector with altered expected output is reported."""
    vector = next(v for v in OK if v.json and '"s":1}' in v.json and not v.native)
    assert vector.json is not None
    altered = dataclasses.replace(vector, json=vector.json.replace('"s":1}', '"s":2}', 1))
    with pytest.raises(suite.ConformanceFailure):
        suite.check_python_value(altered)
