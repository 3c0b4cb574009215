"""``from_json_text``: the native reader against the pure one, value for value, error for error.

Each input is read by both backends; a value read is compared by the pure writer's
text (ids, sharing and cycles included), an error by class, message and path.  The
hostile trees of ``test_hostile`` and hypothesis-drawn node-shaped JSON (mostly
invalid) make the differential fuzzing of the native reader.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import seroval as S
from seroval.conformance.strategies import js_values
from seroval.protocol.tree import backend

from ...conftest import PLUGINS
from .test_fuzz import json_values, node_like
from .test_hostile import CASES

Outcome = tuple[str, Any]


def _outcome(read: Any) -> Outcome:
    try:
        value = read()
    except S.SerovalError as error:
        return "error", (type(error), str(error), list(error.path))
    with backend.forced("python"):
        try:
            return "value", S.to_json_text(value, plugins=PLUGINS)
        except S.SerovalError as error:
            return "unwritable", type(error)


def _both(read: Any) -> tuple[Outcome, Outcome]:
    if not backend.native_available():
        pytest.skip("the native core is not built")
    with backend.forced("native"):
        native = _outcome(read)
    with backend.forced("python"):
        pure = _outcome(read)
    return native, pure


def _same_both_ways(text: str | bytes, **options: Any) -> Outcome:
    native, pure = _both(lambda: S.from_json_text(text, plugins=PLUGINS, **options))
    assert native == pure
    cross_native, cross_pure = _both(
        lambda: S.from_cross_json_text(text, refs=S.ReadRefs(), plugins=PLUGINS, **options)
    )
    assert cross_native == cross_pure
    return native


@pytest.mark.parametrize(
    ("description", "payload"), [c[:2] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_trees_are_refused_alike(description: str, payload: Any) -> None:
    outcome = _same_both_ways(S.dumps_json(payload))
    assert outcome[0] == "error"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"t":{"t":0,"s":1},"f":127,"m":[]} x',
        '{"t":{"t":0,"s":NaN}}',
        '{"t":{"t":1,"s":"\\ud800"},"f":127,"m":[]}',
        '{"t":{"t":0,"s":123456789012345678901234567890}}',
        '{"t":{"t":0,"s":1.0}, "f": 1.0}',
        '{"t":{"t":0,"s":1}, "m": [0.0]}',
        '{"t":{"t":0,"s":1}, "f": null}',
        '{"t":{"t":9,"i":0,"a":[0,{"t":4,"i":0},{"t":0,"s":-0.0}],"o":0},"m":[0]}',
        '{"t":{"t":10,"i":0,"p":{"k":["a","a"],"v":[{"t":0,"s":1},{"t":0,"s":2}]},"o":0}}',
        '{"t":{"t":10,"i":0,"p":{"k":["a"],"v":[]},"o":0}}',
        '{"t":{"t":9,"i":0,"a":[{"t":9,"i":0,"a":[],"o":0}],"o":0}}',
        '{"t":{"t":5,"i":0,"s":"2024-02-30T00:00:00.000Z"}}',
        '{"t":{"t":5,"i":0,"s":"0000-01-01T00:00:00.000Z"}}',
        '{"t":{"t":5,"i":0,"s":"2024-01-01T24:00:00.000Z"}}',
        '{"t":{"t":5,"i":0,"s":"+275760-09-13T00:00:00.000Z"}}',
        '{"t":{"t":8,"i":0,"e":{"k":[{"t":2,"s":7},{"t":2,"s":7}],"v":[{"t":0,"s":1},'
        '{"t":0,"s":2}]},"f":{"t":26,"i":1,"s":0}}}',
        '{"t":{"t":7,"i":0,"a":[{"t":0,"s":-0.0},{"t":0,"s":0},{"t":2,"s":4}]}}',
        '{"t":{"t":1,"s":"\\\\x3C \\\\u2028 \\\\q \\\\\\\\n \\\\"}}',
        b'{"t":{"t":1,"s":"caf\xc3\xa9"}}',
        b'{"t":{"t":1,"s":"\xff"}}',
        '\ufeff{"t":{"t":0,"s":1}}',
        ' \n{"t" : {"t":0 ,"s": 5e-324 } } \t',
    ],
)
def test_edge_texts_read_alike(text: str | bytes) -> None:
    _same_both_ways(text)


def test_a_nan_constant_is_the_same_object() -> None:
    if not backend.native_available():
        pytest.skip("the native core is not built")
    with backend.forced("native"):
        value = S.from_json_text('{"t":{"t":2,"s":7},"f":127,"m":[]}')
    assert value is math.nan


def _nested(levels: int) -> str:
    node = '{"t":0,"s":1}'
    for index in range(levels):
        node = f'{{"t":9,"i":{index},"a":[{node}],"o":0}}'
    return f'{{"t":{node},"f":127,"m":[]}}'


@pytest.mark.parametrize("levels", [999, 1000, 1001, 5000])
def test_depth_at_and_over_the_limit(levels: int) -> None:
    outcome = _same_both_ways(_nested(levels))
    # The reader takes a node at depth == depth_limit (the writer refuses one there).
    assert (outcome[0] == "error") == (levels > 1000)
    _same_both_ways(_nested(min(levels, 50)), depth_limit=levels % 7 + 40)


def test_two_hundred_thousand_brackets_do_not_touch_the_c_stack() -> None:
    text = '{"t":' + "[" * 200_000 + "]" * 200_000 + "}"
    assert _same_both_ways(text)[0] == "error"


def test_cross_refs_shared_between_calls() -> None:
    if not backend.native_available():
        pytest.skip("the native core is not built")
    shared = {"x": [1]}
    refs = S.WriteRefs()
    texts = [S.to_cross_json_text([shared], refs=refs), S.to_cross_json_text([shared], refs=refs)]
    results = {}
    for name in ("native", "python"):
        with backend.forced(name):
            read = S.ReadRefs()
            values = [S.from_cross_json_text(text, refs=read) for text in texts]
            assert values[0][0] is values[1][0]
            results[name] = sorted(read.values)
    assert results["native"] == results["python"]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(node_like)
def test_node_shaped_json_reads_alike(payload: Any) -> None:
    _same_both_ways(S.dumps_json({"t": payload, "f": 127, "m": list(range(6))}))
    _same_both_ways(S.dumps_json(payload))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_json_reads_alike(payload: Any) -> None:
    _same_both_ways(S.dumps_json(payload))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(js_values())
def test_random_values_round_trip_alike(value: Any) -> None:
    try:
        with backend.forced("python"):
            text = S.to_json_text(value, plugins=PLUGINS)
    except S.SerovalError:
        return
    outcome = _same_both_ways(text)
    assert outcome == ("value", text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_random_text_reads_alike(text: str) -> None:
    _same_both_ways(text)


def _direct() -> Any:
    if not backend.native_available():
        pytest.skip("the native core is not built")
    from seroval.protocol.tree import native_glue

    with backend.forced("native"):
        native = backend.native_module()
    assert native is not None
    return native_glue._reader(native), native_glue.NOT_HANDLED


def test_the_single_pass_reader_takes_seroval_s_own_layout() -> None:
    reader, not_handled = _direct()
    shared: list[Any] = [1]
    value = {
        "records": [{"id": n, "tags": ["a", "b"], "score": n / 3} for n in range(5)],
        "set": S.JSSet([1, "x", shared]),
        "map": S.JSMap([("k", shared), (2, None)]),
        "when": [S.from_json_text(S.to_json_text(S.JSDate(0.0)))],
        "shared": shared,
        "holes": [S.hole, 1],
    }
    value["self"] = value
    text = S.to_json_text(value)
    read = reader.read_direct(text, 1000)
    assert read is not not_handled
    with backend.forced("python"):
        assert S.to_json_text(read) == text


@pytest.mark.parametrize(
    "text",
    [
        # t is not first, a field out of order, an extra field, another node type
        '{"t":{"s":1,"t":0},"f":127,"m":[]}',
        '{"t":{"t":9,"a":[],"i":0,"o":0},"f":127,"m":[]}',
        '{"t":{"t":0,"s":1,"x":2},"f":127,"m":[]}',
        '{"t":{"t":3,"s":"1"},"f":127,"m":[]}',
        # a reference to an unmarked id; a marked id defined twice; a forward reference
        '{"t":{"t":9,"i":0,"a":[{"t":4,"i":0}],"o":0},"f":127,"m":[]}',
        '{"t":{"t":9,"i":0,"a":[{"t":9,"i":0,"a":[],"o":0}],"o":0},"f":127,"m":[0]}',
        '{"t":{"t":9,"i":0,"a":[{"t":4,"i":1},{"t":9,"i":1,"a":[],"o":0}],"o":0},"f":127,"m":[1]}',
        # a flag, a Map key that defines an id, a float where a hole could be
        '{"t":{"t":9,"i":0,"a":[],"o":1},"f":127,"m":[]}',
        '{"t":{"t":8,"i":0,"e":{"k":[{"t":9,"i":1,"a":[],"o":0}],"v":[{"t":0,"s":1}]},'
        '"f":{"t":26,"i":2,"s":0}},"f":127,"m":[]}',
        '{"t":{"t":9,"i":0,"a":[0.0],"o":0},"f":127,"m":[]}',
        # too deep for depth_limit=2
        '{"t":{"t":9,"i":0,"a":[{"t":9,"i":1,"a":[{"t":9,"i":2,"a":[{"t":0,"s":1}],"o":0}],'
        '"o":0}],"o":0},"f":127,"m":[]}',
    ],
)
def test_the_single_pass_reader_gives_up_where_the_pure_reader_differs(text: str) -> None:
    reader, not_handled = _direct()
    assert reader.read_direct(text, 2) is not_handled
    _same_both_ways(text, depth_limit=2)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(js_values())
def test_what_the_single_pass_reader_takes_it_reads_as_the_pure_reader(value: Any) -> None:
    reader, not_handled = _direct()
    try:
        with backend.forced("python"):
            text = S.to_json_text(value)
    except S.SerovalError:
        return
    read = reader.read_direct(text, 1000)
    if read is not not_handled:
        with backend.forced("python"):
            assert S.to_json_text(read) == text
