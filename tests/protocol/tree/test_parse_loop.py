"""The value parser's loop for containers past the stack budget (tree/parse_loop.py)
gives the nodes the recursive parser gives, and fails with the same error and path.

Each case is parsed twice by the pure parser: as usual (shallow values never reach
the loop) and with the budget spent from the root, so that every dict, list, JSSet
and JSMap goes through the loop.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

import seroval as S
from seroval.protocol.tree import backend
from tests.protocol.budget import budget_spent, count_hand_overs


def _outcome(write: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "value", write()
    except S.SerovalError as error:
        return "error", (type(error), str(error), list(error.path))


def _both(make: Callable[[], Any], **options: Any) -> None:
    with backend.forced("python"):
        for write in (S.to_json, S.serialize):
            usual = _outcome(lambda: write(make(), **options))  # noqa: B023
            with budget_spent():
                looped = _outcome(lambda: write(make(), **options))  # noqa: B023
            assert looped == usual


class _Opaque:
    """A value no mapping accepts."""


def _function() -> None:
    """A function: only a plugin or a registered reference could send it."""


def _values() -> list[Callable[[], Any]]:
    def shared() -> Any:
        inner = {"shared": True}
        return [inner, {"again": inner}, S.JSSet([inner]), S.JSMap([(inner, inner)])]

    def cyclic() -> Any:
        value: dict[str, Any] = {"name": "cycle", "list": []}
        value["self"] = value
        value["list"].append(value)
        return value

    def friends() -> Any:
        people: list[dict[str, Any]] = [{"id": n, "friends": S.JSSet()} for n in range(5)]
        for person in people:
            for other in people:
                person["friends"].add(other)
        return {"people": people, "index": S.JSMap((p["id"], p) for p in people)}

    def registered() -> Any:
        marker = S.create_reference("parse-loop-test", object())
        return [{"marker": marker}, [marker]]

    def self_holding() -> Any:
        items: list[Any] = [1]
        items.append(items)
        group: S.JSSet[Any] = S.JSSet([S.JSSet(), "x"])
        group.add(group)
        record: dict[str, Any] = {"__proto__": {"a": 1}, "list": items, "set": group}
        record["me"] = [record, {"again": record}]
        return [record, S.JSSet([record, items])]

    def flagged() -> Any:
        frozen = S.JSObject({"a": [1, {"b": 2}]}, integrity=S.Integrity.FROZEN)
        sealed = S.JSArray([1, [2, [3]]], integrity=S.Integrity.SEALED)
        return {
            "frozen": frozen,
            "sealed": sealed,
            "empty": S.JSObject({}, integrity=S.Integrity.FROZEN),
        }

    return [
        self_holding,
        flagged,
        list,
        dict,
        lambda: [1, "two", 3.5, None, True, False, S.undefined, -0.0, math.inf, math.nan, 2**60],
        lambda: {"a": {"b": {"c": [1, [2, [3, {"d": 'e\n"q</'}]]]}}},
        lambda: {"b": 1, "1": 2, "0": "index", "10": [], "a": {"2": 0, "x": 1}},
        lambda: [S.hole, 1, [S.hole, {"x": S.hole}]],
        shared,
        cyclic,
        friends,
        registered,
        lambda: S.JSMap([("k", 1), (2, "v"), (None, S.JSSet([1, "1"])), ((), [])]),
        lambda: S.JSSet([S.JSSet([1]), S.JSMap([(1, 2)]), [3], "s", 4]),
        lambda: {1: "int key", "s": [1]},
        lambda: {S.JSSymbol.TO_STRING_TAG: "Tagged", "plain": {"inner": [1]}},
        lambda: S.JSObject({"x": [1]}, null_prototype=True),
        lambda: {"when": datetime(2024, 1, 2, tzinfo=UTC), "list": [b"bytes", (1, 2)]},
        lambda: [ValueError("boom"), {"nested": [TypeError("inner")]}],
        lambda: [[[[[[[[[[{"deep": [1, 2, {"deeper": S.JSSet(["x"])}]}]]]]]]]]]],
    ]


@pytest.mark.parametrize("index", range(len(_values())))
def test_values_parse_alike(index: int) -> None:
    _both(_values()[index])


def _failing() -> list[Callable[[], Any]]:
    return [
        lambda: {"a": [1, {"b": _Opaque()}]},
        lambda: [1, [2, S.JSSet([3, _Opaque()])]],
        lambda: {"m": S.JSMap([("ok", 1), ("bad", [_Opaque()])])},
        lambda: {"m": S.JSMap([(_Opaque(), 1)])},
        lambda: {"when": [datetime(2024, 1, 2)]},  # naive
        lambda: {"x": {"y": {"z": [_function]}}},
        lambda: [{"0": {"1": [S.hole, _Opaque()]}}],
    ]


@pytest.mark.parametrize("index", range(len(_failing())))
def test_failures_fail_alike(index: int) -> None:
    _both(_failing()[index])


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5, 6])
def test_the_depth_limit_holds_alike(limit: int) -> None:
    def make() -> Any:
        return {
            "list": [1, {"inner": [2, 3, {"x": "y"}]}],
            "set": S.JSSet([{"a": 1}, [4]]),
            "map": S.JSMap([("k", {"v": [5]}), ({"key": 1}, 6)]),
            "empty": [[], {}, S.JSSet(), S.JSMap()],
        }

    _both(make, depth_limit=limit)


def test_a_deep_value_parses_past_the_budget_without_handing_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    value: Any = {"end": S.JSSet([1])}
    for level in range(999):
        value = [{"level": level, "next": value}] if level % 2 else {"next": value}
    handed = count_hand_overs(monkeypatch)
    with backend.forced("python"):
        tree = S.to_json(value, depth_limit=5000)
    assert handed == []
    with backend.forced("python"):  # compared as text: == on the trees would recurse
        again = S.from_json(tree, depth_limit=5000)
        assert S.serialize(again, depth_limit=5000) == S.serialize(value, depth_limit=5000)
