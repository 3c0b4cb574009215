"""``from_json`` / ``from_cross_json`` on trees in memory: the native walker against the pure one.

With the core active, a node tree of plain JSON data is converted and walked
natively; anything else (tuples, ``IntEnum`` members, dict subclasses, cycles,
huge ints) is read by the pure reader from the original.  Either way the value
or the error (class, message, path) must be the pure reader's.
"""

from __future__ import annotations

import enum
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import seroval as S
from seroval.conformance.strategies import js_values
from seroval.protocol.tree import backend

from ...conftest import PLUGINS
from .test_fuzz import node_like
from .test_hostile import CASES


def _outcome(read: Any) -> tuple[str, Any]:
    try:
        value = read()
    except S.SerovalError as error:
        return "error", (type(error), str(error), list(error.path))
    with backend.forced("python"):
        try:
            return "value", S.to_json_text(value, plugins=PLUGINS)
        except S.SerovalError as error:
            return "unwritable", type(error)


def _same_both_ways(tree: Any) -> tuple[str, Any]:
    if not backend.native_available():
        pytest.skip("the native core is not built")
    outcomes = []
    for name in ("native", "python"):
        with backend.forced(name):
            outcomes.append(
                (
                    _outcome(lambda: S.from_json(tree, plugins=PLUGINS)),
                    _outcome(lambda: S.from_cross_json(tree, refs=S.ReadRefs(), plugins=PLUGINS)),
                )
            )
    assert outcomes[0] == outcomes[1]
    return outcomes[0][0]


class Kind(enum.IntEnum):
    NUMBER = 0


class Node(dict[str, Any]):
    pass


@pytest.mark.parametrize(
    ("description", "payload"), [c[:2] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_trees_are_refused_alike(description: str, payload: Any) -> None:
    assert _same_both_ways(payload)[0] == "error"


def _envelope(root: Any) -> dict[str, Any]:
    return {"t": root, "f": 127, "m": [0]}


cyclic: dict[str, Any] = {"t": 9, "i": 0, "o": 0}
cyclic["a"] = [cyclic]


@pytest.mark.parametrize(
    "tree",
    [
        _envelope({"t": 9, "i": 0, "a": ({"t": 0, "s": 1},), "o": 0}),
        _envelope({"t": Kind.NUMBER, "s": 1}),
        _envelope(Node(t=0, s=1)),
        _envelope({"t": 0, "s": 2**70}),
        _envelope({"t": 1, "s": "\ud800"}),
        _envelope({"t": 10, "i": 0, "p": {"k": ["a"], "v": [{"t": 0, "s": True}]}, "o": 0}),
        _envelope({"t": 9, "i": 0, "a": [{"t": 4, "i": 0}, 0, 0.0], "o": 0}),
        _envelope(cyclic),
        {"t": {"t": 0, "s": 1}, "f": 127, 5: "x"},
    ],
    ids=[
        "tuple",
        "int-enum",
        "dict-subclass",
        "huge-int",
        "surrogate",
        "bool",
        "holes",
        "cycle",
        "int-key",
    ],
)
def test_trees_that_are_not_plain_data_read_alike(tree: Any) -> None:
    _same_both_ways(tree)


def test_handed_over_nodes_are_the_callers_own() -> None:
    """A node the native walker leaves to Python is the original dict, not a copy."""
    from seroval.conformance.point import Point

    tree = S.to_json([Point(1, 2), {"x": Point(3, 4)}], plugins=PLUGINS)
    assert _same_both_ways(tree)[0] == "value"


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(node_like)
def test_node_shaped_trees_read_alike(payload: Any) -> None:
    _same_both_ways({"t": payload, "f": 127, "m": list(range(6))})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(js_values())
def test_random_values_read_alike(value: Any) -> None:
    try:
        with backend.forced("python"):
            tree = S.to_json(value, plugins=PLUGINS)
    except S.SerovalError:
        return
    assert _same_both_ways(tree)[0] == "value"
