"""The fused text forms on both backends: the pure composition's bytes, errors and limits.

``to_json_text(v)`` must be ``dumps_json(to_json(v))`` and ``from_json_text(t)`` must
read as ``from_json(loads_json(t))`` does, whichever backend serves the call; the
native core hands values outside its fast path back to the pure walker, so those
are here too, mixed into values it does take.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import seroval as S
from seroval.conformance.strategies import js_values
from seroval.protocol.tree import backend

from ...conftest import PLUGINS
from ...protocol.tree.test_fuzz import json_values

pytestmark = pytest.mark.usefixtures("each_backend")


class Text(str):
    pass


class Number(int):
    pass


class Mapping(dict[str, Any]):
    pass


def _sample_values() -> list[Any]:
    shared: list[Any] = [1, "two"]
    cyclic: dict[str, Any] = {"name": "loop"}
    cyclic["self"] = cyclic
    paris = timezone(timedelta(hours=1))
    return [
        None,
        True,
        False,
        0,
        -0.0,
        1.5,
        1e21,
        1e-7,
        0.000001,
        -1916602775070536.2,
        2.0**60,
        math.nan,
        math.inf,
        -math.inf,
        2**53 - 1,
        2**53,
        -(2**80),
        "",
        'quote " backslash \\ newline \n tab \t < \u2028 \u2029 \x01 \x7f é ☕ 𝄞',
        "\ud800 lone",
        [S.hole, 1, S.hole],
        (1, 2, (3,)),
        {"b": 1, "a": 2, "10": 3, "2": 4, "01": 5, "4294967295": 6},
        {1: "int key", "x": 2},
        {S.JSSymbol.ITERATOR: [1, 2]},
        [shared, shared, {"again": shared}],
        cyclic,
        {1, 2, 3},
        frozenset({"a"}),
        S.JSSet([1, "x", shared, shared]),
        S.JSMap([("k", 1), (shared, shared), (1.5, None)]),
        S.JSMap(),
        datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        datetime(2024, 1, 2, tzinfo=paris),
        datetime(1, 1, 1, tzinfo=paris),
        S.Instant(2024, 1, 2, tzinfo=UTC),
        [Text("sub"), Number(5), Mapping(a=1)],
        S.JSObject({"a": 1}, null_prototype=True),
        S.JSArray([1], integrity=S.Integrity.FROZEN),
        S.undefined,
        S.JSBigInt(5),
        [S.JSRegExp("a+", "g"), S.JSError("boom"), b"\x00\x01", S.JSBoxed(1)],
        {"nested": [{"deep": [S.JSTypedArray("Uint8Array", bytearray(b"abc"))]}]},
    ]


SAMPLES = _sample_values()


@pytest.mark.parametrize("value", SAMPLES, ids=[f"sample{i}" for i in range(len(SAMPLES))])
def test_to_json_text_is_dumps_of_to_json(value: Any) -> None:
    expected = S.dumps_json(S.to_json(value))
    assert S.to_json_text(value) == expected
    assert S.to_cross_json_text(value) == S.dumps_json(S.to_cross_json(value))
    assert S.to_json_text(value, plugins=PLUGINS) == S.dumps_json(S.to_json(value, plugins=PLUGINS))


def test_backend_reports_the_active_one(each_backend: str) -> None:
    assert S.backend() == each_backend == backend.backend()


def test_plugin_values_inside_native_containers() -> None:
    from seroval.conformance.point import Point

    point = Point(1, 2)
    value = [point, {"p": point}, [point, S.JSSet([point])]]
    assert S.to_json_text(value, plugins=PLUGINS) == S.dumps_json(S.to_json(value, plugins=PLUGINS))


def test_naive_datetime_follows_the_options() -> None:
    value = [datetime(2024, 5, 6, 7, 8)]
    with pytest.raises(S.SerovalUnsupportedTypeError):
        S.to_json_text(value)
    zone = timezone(timedelta(hours=-5))
    assert S.to_json_text(value, naive_timezone=zone) == S.dumps_json(
        S.to_json(value, naive_timezone=zone)
    )


def test_create_reference_values_inside_containers() -> None:
    marker = S.create_reference("test_text_api/marker", ["registered"])
    value = {"a": marker, "b": [marker]}
    assert S.to_json_text(value) == S.dumps_json(S.to_json(value))


def test_cross_refs_carry_over_between_calls() -> None:
    shared = {"x": [1]}
    ours, theirs = S.WriteRefs(), S.WriteRefs()
    first = S.to_cross_json_text([shared], refs=ours)
    second = S.to_cross_json_text({"again": shared}, refs=ours)
    assert first == S.dumps_json(S.to_cross_json([shared], refs=theirs))
    assert second == S.dumps_json(S.to_cross_json({"again": shared}, refs=theirs))
    assert len(ours) == len(theirs)


def _deep(levels: int) -> Any:
    value: Any = {}
    for level in range(levels - 1):
        value = {"level": level, "next": [value]} if level % 2 else {"next": value}
    return value


def test_nesting_1000_deep() -> None:
    value = _deep(600)  # 600 dicts and 300 lists: about 900 levels
    assert S.to_json_text(value) == S.dumps_json(S.to_json(value))
    chain: Any = []
    for _ in range(998):
        chain = [chain]
    assert S.to_json_text(chain) == S.dumps_json(S.to_json(chain))


def _error_of(call: Any) -> tuple[type[BaseException], str, list[str | int]]:
    with pytest.raises(S.SerovalError) as caught:
        call()
    error = caught.value
    return type(error), str(error), list(error.path)


@pytest.mark.parametrize("limit", [1, 2, 5, 1000])
def test_depth_limit_is_the_parsers(limit: int) -> None:
    at_limit: Any = 1
    for _ in range(limit - 1):
        at_limit = [at_limit]
    assert S.to_json_text(at_limit, depth_limit=limit) == S.dumps_json(
        S.to_json(at_limit, depth_limit=limit)
    )
    for over in ([at_limit], {"k": at_limit}, S.JSSet([at_limit]), S.JSMap([(1, at_limit)])):
        native = _error_of(lambda over=over: S.to_json_text(over, depth_limit=limit))
        with backend.forced("python"):
            pure = _error_of(lambda over=over: S.to_json_text(over, depth_limit=limit))
        assert native == pure
        assert issubclass(native[0], S.SerovalParserDepthLimitError)


@pytest.mark.parametrize(
    "value",
    [
        [1, {"a": [2, object()]}],
        {"x": S.JSMap([(1, {"y": object()})])},
        [S.hole, S.JSSet([1, lambda: 1])],
        [datetime(2024, 1, 1)],
        {"s": {S.JSSymbol.TO_STRING_TAG: object()}},
    ],
    ids=["object", "in-map", "function", "naive", "symbol-key"],
)
def test_refusals_match_the_pure_walker(value: Any) -> None:
    native = _error_of(lambda: S.to_json_text(value))
    with backend.forced("python"):
        pure = _error_of(lambda: S.to_json_text(value))
    assert native == pure
    assert issubclass(native[0], S.SerovalSerializationError)


def test_a_failed_call_rolls_the_refs_back() -> None:
    refs = S.WriteRefs()
    S.to_cross_json_text([[1]], refs=refs)
    size = len(refs)
    with pytest.raises(S.SerovalUnsupportedTypeError):
        S.to_cross_json_text([[2], {"a": [3]}, object()], refs=refs)
    assert len(refs) == size
    assert S.to_cross_json_text([[4]], refs=refs) == S.dumps_json(
        S.to_cross_json([[4]], refs=_refs_of_size(size))
    )


def _refs_of_size(size: int) -> S.WriteRefs:
    refs = S.WriteRefs()
    for _ in range(size):
        refs.add(object())
    return refs


def test_user_code_errors_are_wrapped() -> None:
    class BadZone(tzinfo):
        def utcoffset(self, dt: datetime | None) -> timedelta:
            raise KeyError("no offset")

        def dst(self, dt: datetime | None) -> timedelta:
            return timedelta(0)

        def tzname(self, dt: datetime | None) -> str:
            return "bad"

    value = [datetime(2024, 1, 1, tzinfo=BadZone())]
    native = _error_of(lambda: S.to_json_text(value))
    with backend.forced("python"):
        pure = _error_of(lambda: S.to_json_text(value))
    assert native == pure
    assert native[0] is S.SerovalParserError


@given(js_values())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_values_give_the_pure_bytes(value: Any) -> None:
    with backend.forced("python"):
        try:
            expected: str | type[BaseException] = S.to_json_text(value)
        except S.SerovalError as error:
            expected = type(error)
    try:
        actual: str | type[BaseException] = S.to_json_text(value)
    except S.SerovalError as error:
        actual = type(error)
    assert actual == expected


@given(json_values, st.floats(allow_nan=True, allow_infinity=True))
@settings(max_examples=300, deadline=None)
def test_random_json_data_and_floats_give_the_pure_bytes(value: Any, number: float) -> None:
    item = [value, number, {"n": number}]
    with backend.forced("python"):
        expected = S.to_json_text(item)
    assert S.to_json_text(item) == expected


def test_a_panic_becomes_a_seroval_error() -> None:
    if S.backend() != "native":
        pytest.skip("only the native core can panic")
    native = backend.native_module()
    assert native is not None
    error = native._panic_for_tests(S.SerovalSerializationError)
    assert isinstance(error, S.SerovalSerializationError)
    assert re.search("internal error in the native core: deliberate test panic", str(error))
