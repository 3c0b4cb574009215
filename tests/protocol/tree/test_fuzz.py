"""Hypothesis: random and node-shaped JSON makes the readers raise nothing but SerovalError."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import seroval as S
from seroval.conformance.vectors import load_vectors

from ...conftest import PLUGINS
from ...fuzzing import fuzz

#: Run on both backends: the native readers and writers, and the pure ones.
pytestmark = pytest.mark.usefixtures("each_backend")

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=8)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=20,
)

FIELDS = ("t", "i", "s", "c", "m", "p", "e", "a", "f", "b", "o", "l", "k", "v")


def _node(kind: Any, fields: dict[str, Any]) -> dict[str, Any]:
    return {"t": kind, **fields}


def _node_like(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    field_values = (
        st.integers(-2, 12)
        | children
        | st.lists(children, max_size=3)
        | st.fixed_dictionaries(
            {
                "k": st.lists(st.text(max_size=3) | children, max_size=3),
                "v": st.lists(children, max_size=3),
            }
        )
    )
    return st.builds(
        _node,
        st.integers(-1, 40) | scalars,
        st.dictionaries(st.sampled_from(FIELDS), field_values, max_size=6),
    )


# Dicts shaped like seroval nodes, with plausible and implausible field values.
node_like = st.recursive(scalars, _node_like, max_leaves=30)


def read_all_ways(payload: Any) -> None:
    with suppress(S.SerovalError):
        S.from_json(payload, plugins=PLUGINS)
    with suppress(S.SerovalError):
        S.from_json({"t": payload, "f": 127, "m": list(range(6))}, plugins=PLUGINS)
    with suppress(S.SerovalError):
        S.from_cross_json(payload, refs=S.ReadRefs(), plugins=PLUGINS)


@fuzz(400)
@given(json_values)
def test_random_json_only_raises_seroval_errors(payload: Any) -> None:
    read_all_ways(payload)


@fuzz(600)
@given(node_like)
def test_node_shaped_json_only_raises_seroval_errors(payload: Any) -> None:
    read_all_ways(payload)


@fuzz(400)
@given(st.text(max_size=40) | st.binary(max_size=40))
def test_random_text_only_raises_syntax_errors(text: str | bytes) -> None:
    with suppress(S.SerovalSyntaxError):
        S.loads_json(text)


python_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.just(S.undefined)
    | st.builds(S.JSBigInt, st.integers()),
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=4), children, max_size=4)
        | st.builds(lambda items: S.JSSet(items), st.lists(children, max_size=3))
        | st.builds(
            lambda pairs: S.JSMap(pairs), st.lists(st.tuples(children, children), max_size=3)
        )
    ),
    max_leaves=25,
)


@fuzz(300)
@given(python_values)
def test_python_values_round_trip(value: Any) -> None:
    envelope = S.to_json(value)
    text = S.dumps_json(envelope)
    assert S.dumps_json(S.loads_json(text)) == text
    again = S.to_json(S.from_json(S.loads_json(text)))
    assert S.dumps_json(again) == text


def _paths(node: Any, limit: int = 400) -> list[list[Any]]:
    """Paths to the containers and leaves of a JSON tree (breadth first, capped)."""
    found: list[list[Any]] = []
    todo: list[tuple[list[Any], Any]] = [([], node)]
    while todo and len(found) < limit:
        path, item = todo.pop(0)
        found.append(path)
        if isinstance(item, dict):
            todo.extend(([*path, key], child) for key, child in item.items())
        elif isinstance(item, list):
            todo.extend(([*path, index], child) for index, child in enumerate(item))
    return found


_SAMPLE = [v for v in load_vectors() if v.json is not None and len(v.json) < 4000][::7]


@fuzz(1200)
@given(st.sampled_from(_SAMPLE), st.data())
def test_mutated_seroval_payloads_only_raise_seroval_errors(
    vector: Any, data: st.DataObject
) -> None:
    """Near-valid input explores the reader far more than random JSON does."""
    envelope = S.loads_json(vector.json)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(envelope)))
        replacement = data.draw(json_values | st.integers(-3, 40) | st.sampled_from([0, -1, 2**53]))
        if not path:
            envelope = replacement
            continue
        parent = envelope
        for step in path[:-1]:
            parent = parent[step]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = replacement
    read_all_ways(envelope)
