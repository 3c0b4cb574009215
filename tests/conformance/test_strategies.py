"""The hypothesis strategies shipped for users draw values seroval round-trips exactly."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import HealthCheck, given, settings

import seroval as S
from seroval.conformance.strategies import envelopes, js_values, node_like


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(js_values())
def test_values_round_trip_through_nodes_and_text(value: Any) -> None:
    envelope = S.to_json(value)
    text = S.dumps_json(envelope)
    assert S.dumps_json(S.to_json(S.from_json(S.loads_json(text)))) == text
    js = S.serialize(value)
    assert isinstance(S.deserialize(js), object)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(envelopes())
def test_envelopes_are_valid_trees(envelope: dict[str, Any]) -> None:
    assert S.to_json(S.from_json(envelope)) == envelope


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(node_like())
def test_node_like_input_only_raises_seroval_errors(payload: Any) -> None:
    with contextlib.suppress(S.SerovalError):
        S.from_json({"t": payload, "f": 127, "m": [0, 1, 2]})
