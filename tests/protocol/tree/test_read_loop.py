"""The node reader's loop for containers past the stack budget (tree/read_loop.py)
reads what the recursive readers read, and fails with the same error and path.

Each case is read twice by the pure reader: as usual (shallow values never reach the
loop) and with the budget spent from the root, so that every array, object, Set and
Map goes through the loop.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

import seroval as S
from seroval.protocol.tree import backend
from tests.protocol.budget import budget_spent, count_hand_overs


def _outcome(read: Callable[[], Any]) -> tuple[str, Any]:
    try:
        value = read()
    except S.SerovalError as error:
        return "error", (type(error), str(error), list(error.path))
    # to_json is the value's canonical form (cycles and shared values included).
    with backend.forced("python"):
        return "value", S.to_json(value)


def _both(tree: Any, **options: Any) -> None:
    with backend.forced("python"):
        usual = _outcome(lambda: S.from_json(copy.deepcopy(tree), **options))
        with budget_spent():
            looped = _outcome(lambda: S.from_json(copy.deepcopy(tree), **options))
    assert looped == usual


def _values() -> list[Any]:
    shared: dict[str, Any] = {"shared": True}
    cyclic: dict[str, Any] = {"name": "cycle"}
    cyclic["self"] = cyclic
    friends: S.JSSet[Any] = S.JSSet()
    person: dict[str, Any] = {"id": 1, "friends": friends}
    friends.add(person)
    frozen = S.JSObject({"a": [1, 2]}, integrity=S.Integrity.FROZEN)
    return [
        [],
        {},
        [1, "two", 3.5, None, True, False, S.undefined, -0.0, math.inf, math.nan, 2**60],
        {"a": {"b": {"c": [1, [2, [3, {"d": 'e\\n"q</'}]]]}}},
        {"0": "index", "b": 1, "1": 2},
        [S.hole, 1, S.hole],
        [shared, shared, {"again": shared}],
        cyclic,
        person,
        S.JSMap([("k", 1), (2, "v"), (shared, [shared]), (None, S.JSSet([1, "1", shared]))]),
        S.JSSet([S.JSSet([1]), S.JSMap([(1, 2)]), [3]]),
        S.JSObject({"x": 1}, null_prototype=True),
        frozen,
        {S.JSSymbol.TO_STRING_TAG: "Tagged", "plain": {"inner": [1]}},
        {"when": datetime(2024, 1, 2, tzinfo=UTC), "list": [datetime(2020, 1, 1, tzinfo=UTC)]},
        [ValueError("boom"), {"nested": [TypeError("inner")]}],
        [[[[[[[[[[{"deep": [1, 2, {"deeper": S.JSSet(["x"])}]}]]]]]]]]]],
    ]


@pytest.mark.parametrize("index", range(len(_values())))
def test_values_read_alike(index: int) -> None:
    with backend.forced("python"):
        tree = S.to_json(_values()[index])
    _both(tree)


def _nested_tree() -> Any:
    with backend.forced("python"):
        return S.to_json(
            {
                "list": [1, {"inner": [2, 3, {"x": "y"}]}],
                "set": S.JSSet([{"a": 1}, [4]]),
                "map": S.JSMap([("k", {"v": [5]}), ({"key": 1}, 6)]),
            }
        )


def _at(tree: Any, *path: Any) -> Any:
    node = tree["t"]
    for step in path:
        node = node[step]
    return node


#: Places in _nested_tree() (as key paths from the root node) to break.
_PLACES: list[tuple[Any, ...]] = [
    ("p", "v", 0),  # the list
    ("p", "v", 0, "a", 1),  # the object in the list
    ("p", "v", 0, "a", 1, "p", "v", 0),  # the inner list
    ("p", "v", 0, "a", 1, "p", "v", 0, "a", 2),  # the object in it
    ("p", "v", 1),  # the Set
    ("p", "v", 1, "a", 0),  # the object in the Set
    ("p", "v", 2),  # the Map
    ("p", "v", 2, "e", "v", 0),  # a Map value
    ("p", "v", 2, "e", "k", 1),  # a Map key
]

_BREAKAGES: list[Callable[[dict[str, Any]], None]] = [
    lambda node: node.update(t="x"),
    lambda node: node.update(t=99),
    lambda node: node.update(i=-1),
    lambda node: node.update(i=0),  # the root's id, used twice
    lambda node: node.update(o=7),
    lambda node: node.update(p={"k": ["a"], "v": []}),
    lambda node: node.update(p={"k": [{"t": 2, "s": 0}], "v": [{"t": 0, "s": 1}]}),
    lambda node: node.update(a="not a list", e=None),
    lambda node: node.update(a=[{"t": 0, "s": 1.5e400}, 7], e={"k": [1], "v": []}),
    lambda node: node.update(a=[{"t": 4, "i": 9999}], e={"k": [{"t": 4, "i": 9999}], "v": [0]}),
    lambda node: node.update(f={"t": 0, "s": 1}),
    lambda node: node.clear(),
]


@pytest.mark.parametrize("place", range(len(_PLACES)))
@pytest.mark.parametrize("breakage", range(len(_BREAKAGES)))
def test_broken_trees_fail_alike(place: int, breakage: int) -> None:
    tree = _nested_tree()
    _BREAKAGES[breakage](_at(tree, *_PLACES[place]))
    _both(tree)


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5, 6])
def test_the_depth_limit_holds_alike(limit: int) -> None:
    _both(_nested_tree(), depth_limit=limit)


def test_a_deep_value_reads_past_the_budget_without_handing_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    value: Any = {"end": S.JSSet([1])}
    for level in range(999):
        value = [{"level": level, "next": value}] if level % 2 else {"next": value}
    with backend.forced("python"):
        tree = S.to_json(value, depth_limit=5000)
        handed = count_hand_overs(monkeypatch)
        again = S.from_json(tree, depth_limit=5000)
    assert handed == []
    for level in reversed(range(999)):
        if level % 2:
            assert again[0]["level"] == level
            again = again[0]["next"]
        else:
            again = again["next"]
    assert again == {"end": S.JSSet([1])}
