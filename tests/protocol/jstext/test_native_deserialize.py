"""The native ``deserialize`` reads what the pure reader reads, and gives up on the rest.

The Rust reader (``native/src/jsread.rs``) takes only the spelling ``serialize``
gives plain values; anything else goes to the pure reader.  So on any text, valid
or mutated, both backends must give the same outcome: the same value (same types,
same sharing and cycles, compared through a shape walk and through writing the
value again) or the same error class and message.  The fuzz tests drive both
backends with generated values' texts and with mutations of them.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import seroval as S
from seroval.protocol.jstext.native_text import NOT_HANDLED, native_deserialize
from seroval.protocol.model.options import ReadOptions
from seroval.protocol.tree.backend import forced, native_available
from tests.fuzzing import fuzz
from tests.protocol.jstext.test_native_serialize import _graphs

pytestmark = pytest.mark.skipif(
    not native_available(),
    reason="the native core is not built (no Rust, or pure forced)",
)

_CONTAINERS = (dict, list, S.JSSet, S.JSMap)


def _shape(value: Any) -> list[tuple[Any, ...]]:
    """Types, keys, lengths and sharing of ``value``, in walk order."""
    seen: dict[int, int] = {}
    out: list[tuple[Any, ...]] = []
    todo = [value]
    while todo:
        item = todo.pop()
        kind = type(item).__name__
        if isinstance(item, _CONTAINERS):
            if id(item) in seen:
                out.append(("ref", seen[id(item)]))
                continue
            seen[id(item)] = len(seen)
        if isinstance(item, dict):
            out.append((kind, tuple(item)))
            todo.extend(item.values())
        elif isinstance(item, list):
            out.append((kind, len(item)))
            todo.extend(item)
        elif isinstance(item, S.JSSet):
            out.append((kind,))
            todo.extend(list(item))
        elif isinstance(item, S.JSMap):
            out.append((kind,))
            for pair in item.items():
                todo.extend(pair)
        elif isinstance(item, float):
            out.append((kind, "nan" if math.isnan(item) else item.hex()))
        elif isinstance(item, (int, str, bytes, datetime)) or item is None:
            out.append((kind, repr(item)))
        else:  # other values: their type here, their content in the text written again
            out.append((kind,))
    return out


def _outcome(text: str) -> tuple[Any, ...]:
    try:
        value = S.deserialize(text)
    except S.SerovalError as error:
        return type(error).__name__, str(error)
    with forced("python"):
        again = S.serialize(value)
    return "ok", _shape(value), again


def _both(text: str) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    with forced("python"):
        pure = _outcome(text)
    with forced("native"):
        native = _outcome(text)
    return pure, native


def _native_reads(text: str) -> bool:
    with forced("native"):
        return native_deserialize(ReadOptions(), text) is not NOT_HANDLED


@fuzz(300)
@given(_graphs())
def test_generated_values_read_back_as_the_pure_reader_reads_them(value: Any) -> None:
    with forced("python"):
        text = S.serialize(value)
    pure, native = _both(text)
    assert native == pure


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    with forced("python"):
        text = S.serialize(draw(_graphs()))
    pieces = list(text)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(pieces)))
        action = draw(st.sampled_from(("insert", "delete", "replace")))
        char = draw(st.sampled_from(list('()[]{},:="\\=>.0123456789hjk -!aenwSMD$_x')))
        if action == "insert" or not pieces:
            pieces.insert(where, char)
        elif action == "delete":
            del pieces[min(where, len(pieces) - 1)]
        else:
            pieces[min(where, len(pieces) - 1)] = char
    return "".join(pieces)


@fuzz(600)
@given(_mutated())
def test_mutated_texts_give_the_same_outcome_on_both_backends(text: str) -> None:
    pure, native = _both(text)
    assert native == pure


_READ = [
    "[1,,]",
    "[,]",
    "-0",
    "1e3",
    "100000000000000000000",
    '"\\x41\\u0041\\u2028\\n"',
    '({a:1,"a-b":2,["__proto__"]:3})',
    "(h=>[h={},h])()",
    "(h=>(h={a:1},h.b=h.c=h,h))()",
    "(h=>(h=[1,,],h[1]=h,h))()",
    "(h=>(h=new Set([1]),h.add(h),h))()",
    'new Map([[1,{}],["a",new Set]])',
    'new Date("2024-01-01T00:00:00.000Z")',
]

_REFUSED_OR_PURE = [
    "{a:1}",
    "({a:1,a:2})",
    "({__proto__:1})",
    '({"__proto__":1})',
    '({"1":1})',
    "(h=>[h,h={}])()",
    "((h,h)=>[h={},h])()",
    "((null)=>1)()",
    "(j=>[j={},j])()",
    "(h=>(h=[1],h[5]=h,h))()",
    '"\\ud800"',
    "[ 1]",
    "1n",
    "01",
    "1e400",
    "999999999999999999999",
    "new Set([1,])",
]


@pytest.mark.parametrize("text", _READ)
def test_the_native_reader_takes_seroval_spellings(text: str) -> None:
    assert _native_reads(text)
    pure, native = _both(text)
    assert native == pure


@pytest.mark.parametrize("text", _REFUSED_OR_PURE)
def test_other_texts_go_to_the_pure_reader(text: str) -> None:
    assert not _native_reads(text)
    pure, native = _both(text)
    assert native == pure


def _nest(levels: int) -> Any:
    value: Any = {}
    for level in range(levels - 1):
        value = {"level": level, "next": value}
    return value


@pytest.mark.parametrize("levels", [10, 500, 1_000])
def test_nesting_and_the_depth_limit(levels: int) -> None:
    with forced("python"):
        text = S.serialize(_nest(levels))
    pure, native = _both(text)
    assert native == pure
    for limit in (levels - 1, levels, levels + 1, levels + 3):
        outcomes: list[tuple[str, object]] = []
        for backend in ("python", "native"):
            with forced("python" if backend == "python" else "native"):
                try:
                    outcomes.append(("ok", len(S.deserialize(text, depth_limit=limit))))
                except S.SerovalError as error:
                    outcomes.append((type(error).__name__, str(error)))
        assert outcomes[0] == outcomes[1]


def test_plain_and_plugins_options() -> None:
    from seroval.conformance.point import PointPlugin

    text = '(h=>[h=new Set([1]),h,new Map([["k",h]])])()'
    for options in ({"plain": True}, {"plugins": [PointPlugin()]}):
        with forced("python"):
            pure = repr(S.deserialize(text, **options))
        with forced("native"):
            assert repr(S.deserialize(text, **options)) == pure


def test_far_down_the_name_alphabet() -> None:
    """1,600 shared values: the 1,495th vanilla name is ``$R``, a plain parameter there."""
    shared = [{"n": index} for index in range(1_600)]
    with forced("python"):
        text = S.serialize([*shared, *shared])
    assert ",$R," in text
    assert _native_reads(text)
    pure, native = _both(text)
    assert native == pure
