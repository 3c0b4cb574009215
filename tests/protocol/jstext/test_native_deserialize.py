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
    'new Set([0,-0,0/0,0/0,1,!0,!1,"1",null,1,[],{}])',
    'new Map([[-0,1],[0,2],[0/0,3],[0/0,4],[!0,5],[1,6],["1",7],[null,8],[{},9]])',
]

#: Sets and Maps whose items the SameValueZero keys tell apart or merge.
_KEYED = _READ[-2:]

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


def _entry(key: object, item: Any, in_map: bool) -> tuple[str, str, str]:
    """A table entry, an identity key shown as whether it names its own item."""
    if isinstance(key, tuple) and key[0] == "id":
        owner = item[0] if in_map else item
        key = ("id", key[1] == id(owner))
    return type(key).__name__, repr(key), repr(item)


@pytest.mark.parametrize("text", _KEYED)
def test_sets_and_maps_are_keyed_as_js_key_keys_them(text: str) -> None:
    """The native reader fills a Set's or Map's table itself: the same keys, in the
    same order, with the same kept items as ``JSSet.add`` / ``JSMap.__setitem__``."""
    tables = []
    for backend in ("python", "native"):
        with forced(backend):
            value = S.deserialize(text)
            again = S.from_json_text(S.to_json_text(value))
        for read in (value, again):
            table = read._items if isinstance(read, S.JSSet) else read._entries
            in_map = isinstance(read, S.JSMap)
            tables.append([_entry(key, item, in_map) for key, item in table.items()])
    assert _native_reads(text)
    assert tables[0] == tables[1] == tables[2] == tables[3]


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
