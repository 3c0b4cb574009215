"""Hypothesis: random and node-shaped JSON makes the readers raise nothing but SerovalError."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import seroval as S

from .conftest import PLUGINS

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


@st.composite
def node_like(draw: st.DrawFn, depth: int = 0) -> Any:
    """Dicts shaped like seroval nodes, with plausible and implausible field values."""
    if depth > 4 or draw(st.integers(0, 5)) == 0:
        return draw(scalars)
    node: dict[str, Any] = {"t": draw(st.integers(-1, 40) | scalars)}
    for field in draw(st.lists(st.sampled_from(FIELDS), max_size=6, unique=True)):
        choice = draw(st.integers(0, 4))
        if choice == 0:
            node[field] = draw(st.integers(-2, 12))
        elif choice == 1:
            node[field] = draw(st.lists(node_like(depth + 1), max_size=3))
        elif choice == 2:
            node[field] = {
                "k": draw(st.lists(st.text(max_size=3) | node_like(depth + 1), max_size=3)),
                "v": draw(st.lists(node_like(depth + 1), max_size=3)),
            }
        elif choice == 3:
            node[field] = draw(node_like(depth + 1))
        else:
            node[field] = draw(json_values)
    return node


def read_all_ways(payload: Any) -> None:
    with suppress(S.SerovalError):
        S.from_json(payload, plugins=PLUGINS)
    with suppress(S.SerovalError):
        S.from_json({"t": payload, "f": 127, "m": list(range(6))}, plugins=PLUGINS)
    with suppress(S.SerovalError):
        S.from_cross_json(payload, refs=S.ReadRefs(), plugins=PLUGINS)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_json_only_raises_seroval_errors(payload: Any) -> None:
    read_all_ways(payload)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(node_like())
def test_node_shaped_json_only_raises_seroval_errors(payload: Any) -> None:
    read_all_ways(payload)


@settings(max_examples=800, deadline=None)
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


@settings(max_examples=600, deadline=None)
@given(python_values)
def test_python_values_round_trip(value: Any) -> None:
    envelope = S.to_json(value)
    text = S.dumps_json(envelope)
    assert S.loads_json(text) == envelope
    again = S.to_json(S.from_json(S.loads_json(text)))
    assert S.dumps_json(again) == text
