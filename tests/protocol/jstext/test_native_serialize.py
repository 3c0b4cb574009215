"""The native ``serialize`` / ``cross_serialize`` give the pure writer's text, byte for byte.

The Rust walker (``native/src/jswrite.rs``) writes JS text in one pass and decides
late what the pure two-pass writer decides from the finished node tree (which
nodes are stored ``h=``, the order of vanilla names, the deferred assignments of
cycles).  These tests compare both backends on generated values with shared and
cyclic parts, check that the native path really took them, that values outside
its fast path and every error fall back to the pure path, and that the refs
space after a cross call is the same.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import seroval as S
from seroval.protocol.jstext.native_text import native_serialize
from seroval.protocol.model.options import WriteOptions
from seroval.protocol.tree.backend import forced, native_available
from tests.fuzzing import fuzz

pytestmark = pytest.mark.skipif(
    not native_available(),
    reason="the native core is not built (no Rust toolchain, or SEROVAL_PURE)",
)

_KEYS = st.sampled_from(
    [
        *("a", "b", "$x", "_", "__proto__", "0", "1", "01", "1.5", "1e3", "4294967295"),
        *("Infinity", "a-b", "", "é", "<", 'q"', "\u2028"),
    ]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.just(S.undefined),
    st.datetimes(timezones=st.just(UTC)),
)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.lists(st.one_of(children, st.just(S.hole)), max_size=4),
        st.tuples(children, children),
        st.dictionaries(_KEYS, children, max_size=4),
        st.lists(st.integers(0, 9), max_size=3).map(S.JSSet),
        st.lists(st.tuples(st.integers(0, 5), children), max_size=3).map(S.JSMap),
    )


_TREES = st.recursive(_SCALARS, _containers, max_leaves=20)


def _containers_in(value: Any) -> list[Any]:
    found: list[Any] = []
    todo = [value]
    seen: set[int] = set()
    while todo:
        item = todo.pop()
        if id(item) in seen:
            continue
        if isinstance(item, (dict, list, S.JSSet)):
            seen.add(id(item))
            found.append(item)
            todo.extend(item.values() if isinstance(item, dict) else list(item))
        elif isinstance(item, S.JSMap):
            seen.add(id(item))
            found.append(item)
            for key, entry in item.items():
                todo.extend((key, entry))
    return found


@st.composite
def _graphs(draw: st.DrawFn) -> Any:
    """A tree, then links: containers made to point at others (shared or cyclic)."""
    root = draw(_TREES)
    containers = _containers_in(root)
    if not containers:
        return root
    for _ in range(draw(st.integers(0, 4))):
        source = draw(st.sampled_from(containers))
        target = draw(st.sampled_from(containers))
        if isinstance(source, dict):
            source[draw(_KEYS)] = target
        elif isinstance(source, list):
            source.append(target)
        elif isinstance(source, S.JSSet):
            source.add(target)
        else:
            source[draw(st.integers(0, 5))] = target
    return root


def _outcome(call: Any) -> tuple[str, str]:
    try:
        return "ok", call()
    except S.SerovalError as error:
        return type(error).__name__, str(error)


def _texts(value: Any) -> list[tuple[str, str]]:
    return [
        _outcome(lambda: S.serialize(value)),
        _outcome(lambda: S.cross_serialize(value)),
        _outcome(lambda: S.cross_serialize(value, assign_shared_refs_only=True)),
        _outcome(lambda: S.cross_serialize(value, scope_id='s"<')),
    ]


def _both(value: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    with forced("python"):
        pure = _texts(value)
    with forced("native"):
        native = _texts(value)
    return pure, native


@fuzz(300)
@given(_graphs())
def test_generated_values_give_the_pure_text(value: Any) -> None:
    pure, native = _both(value)
    assert native == pure


def _cyclic() -> dict[str, Any]:
    root: dict[str, Any] = {"n": 1, "list": [1], "set": S.JSSet([1])}
    root["self"] = root
    root["list"].append(root["list"])
    root["set"].add(root)
    root["inner"] = {"up": root, "__proto__": root, "a-b": root, "7": root}
    return root


_SHARED = {"k": 1}
_DATE = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=2)))

_TAKEN = [
    {"a": [1, 2]},
    [S.hole, 1, S.hole],
    [_SHARED, _SHARED, [_SHARED]],
    [_DATE, _DATE],
    [S.JSMap([(1, {})]), S.JSMap()],
    _cyclic(),
    2**70,
    {"1": 1, "0": 2, "b": 3, "__proto__": 4},
]


@pytest.mark.parametrize("value", _TAKEN, ids=range(len(_TAKEN)))
def test_the_native_path_takes_plain_shared_and_cyclic_values(value: Any) -> None:
    options = WriteOptions()
    with forced("native"):
        assert native_serialize(options, value) is not None
        assert native_serialize(options, value, cross=True) is not None
    pure, native = _both(value)
    assert native == pure


class _Other:
    pass


_MAP_CYCLE: S.JSMap[str, Any] = S.JSMap()
_MAP_CYCLE["me"] = _MAP_CYCLE


@pytest.mark.parametrize(
    "value",
    [
        [_Other()],
        {"k": S.JSRegExp("a", "g")},
        [_MAP_CYCLE],
        {1: 2},
        ["\ud800"],
        [datetime(2024, 1, 1)],
    ],
    ids=["other type", "regexp", "map cycle", "int key", "lone surrogate", "naive datetime"],
)
def test_values_outside_the_fast_path_fall_back(value: Any) -> None:
    with forced("native"):
        assert native_serialize(WriteOptions(), value) is None
    pure, native = _both(value)
    assert native == pure


def test_with_plugins_only_what_no_plugin_could_take() -> None:
    from seroval.conformance.point import Point, PointPlugin

    class Skipping(PointPlugin):
        skip_plain_objects = True

    for plugin, taken in ((PointPlugin(), [[1, [2]]]), (Skipping(), [{"a": [1]}, [{"b": 2}]])):
        options = WriteOptions(plugins=[plugin])
        with forced("native"):
            for value in taken:
                assert native_serialize(options, value) is not None
            assert native_serialize(options, [Point(1, 2)]) is None
            assert native_serialize(options, [S.JSSet([1])]) is None
        for value in [*taken, [Point(1, 2), {"a": 1}]]:
            with forced("python"):
                pure = S.serialize(value, plugins=[plugin])
            with forced("native"):
                assert S.serialize(value, plugins=[plugin]) == pure


def _nest(levels: int) -> Any:
    value: Any = {}
    for level in range(levels - 1):
        value = {"level": level, "next": [value]}
    return value


@pytest.mark.parametrize("levels", [1_000, 3_000])
def test_deep_values_and_the_depth_limit(levels: int) -> None:
    value = _nest(levels // 2)
    pure, native = _both(value)
    assert native == pure
    assert (native[0][0] == "ok") == (levels < 2_000)


def test_depth_limit_at_its_edge() -> None:
    value = [[[1]]]
    for limit in (3, 4, 5):
        outcomes = []
        for backend in ("python", "native"):
            with forced("python" if backend == "python" else "native"):
                outcomes.append(_outcome(lambda: S.serialize(value, depth_limit=limit)))  # noqa: B023
        assert outcomes[0] == outcomes[1]
        assert (outcomes[0][0] == "ok") == (limit > 3)


def test_cross_refs_space_is_the_pure_ones() -> None:
    def session() -> tuple[list[str], int]:
        refs = S.WriteRefs()
        shared = {"a": 1}
        texts = [
            S.cross_serialize([shared], refs=refs),
            S.cross_serialize([shared, shared], refs=refs),
            S.cross_serialize(shared, refs=refs),
            S.cross_serialize(S.JSMap([(1, shared)]), refs=refs),
            S.cross_serialize(S.JSMap(), refs=refs),
            S.cross_serialize([shared], refs=refs, assign_shared_refs_only=True),
        ]
        return texts, len(refs)

    with forced("python"):
        pure = session()
    with forced("native"):
        native = session()
    assert native == pure


def test_a_failed_native_attempt_leaves_the_refs_as_they_were() -> None:
    refs = S.WriteRefs()
    with forced("native"):
        assert native_serialize(WriteOptions(), [{"a": 1}, _Other()], cross=True, refs=refs) is None
    assert len(refs) == 0
