"""Hypothesis strategies for seroval values, for your own property tests.

``js_values()`` draws Python values of every type seroval supports, shared
references and cycles included; ``envelopes()`` draws their ``to_json`` envelopes;
``node_like()`` draws JSON that looks like node trees but is mostly invalid (for
testing that a reader refuses bad input cleanly).  Requires the ``hypothesis``
extra: ``pip install 'seroval[hypothesis]'``.

    from hypothesis import given
    from seroval.conformance.strategies import js_values
    import seroval

    @given(js_values())
    def test_round_trip(value):
        envelope = seroval.to_json(value)
        assert seroval.to_json(seroval.from_json(envelope)) == envelope
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from ..protocol.model.nodes import TYPED_ARRAY_KINDS, Integrity
from ..protocol.model.values import (
    MAX_SAFE_INTEGER,
    JSAggregateError,
    JSArray,
    JSBigInt,
    JSBoxed,
    JSDataView,
    JSDate,
    JSError,
    JSErrorType,
    JSMap,
    JSObject,
    JSRegExp,
    JSSequence,
    JSSet,
    JSSymbol,
    JSTypedArray,
    hole,
    undefined,
)
from ..protocol.tree.api import to_json

__all__ = ["envelopes", "js_keys", "js_numbers", "js_strings", "js_values", "node_like"]

_TRICKY_KEYS = [
    "__proto__",
    "constructor",
    "prototype",
    "0",
    "1",
    "01",
    "1e3",
    "1.5",
    "Infinity",
    "",
    "a-b",
    "class",
]
_TRICKY_TEXT = [
    '"',
    "\\",
    "\n",
    "\r",
    "\t",
    "\b",
    "\f",
    "<",
    "</script>",
    "\u2028",
    "\u2029",
    "\x00",
    "\x7f",
    "😀",
]


def js_strings() -> st.SearchStrategy[str]:
    """Strings JS can hold: any text, escapes seroval treats specially, lone surrogates."""
    surrogates = st.integers(0xD800, 0xDFFF).map(chr)
    pieces = st.text(max_size=8) | st.sampled_from(_TRICKY_TEXT) | surrogates
    return st.lists(pieces, max_size=4).map("".join)


def js_keys() -> st.SearchStrategy[str]:
    """Property keys, weighted toward the ones with special rules."""
    return st.sampled_from(_TRICKY_KEYS) | st.text(max_size=6)


def js_numbers() -> st.SearchStrategy[int | float]:
    """JS numbers as Python holds them: safe ints, floats, -0, NaN, infinities, edge exponents."""
    return (
        st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
        | st.floats()
        | st.sampled_from([-0.0, 1e21, 1e-7, 5e-324, 2.0**53, 1.7976931348623157e308, 0.1 + 0.2])
    )


def _primitives() -> st.SearchStrategy[Any]:
    return (
        st.none()
        | st.booleans()
        | js_numbers()
        | js_strings()
        | st.just(undefined)
        | st.integers().map(JSBigInt)
        | st.integers(min_value=2**53, max_value=2**80)
        | st.sampled_from(list(JSSymbol))
    )


def _dates() -> st.SearchStrategy[Any]:
    aware = st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ).map(lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000))
    out_of_range = st.integers(-8_640_000_000_000_000, -62_135_596_800_001).map(
        float
    ) | st.integers(253_402_300_800_000, 8_640_000_000_000_000).map(float)
    return aware | out_of_range.map(JSDate) | st.just(JSDate(float("nan")))


def _binary() -> st.SearchStrategy[Any]:
    def view(kind: str, data: bytes) -> JSTypedArray:
        size = TYPED_ARRAY_KINDS[kind][0]
        usable = len(data) - len(data) % size
        return JSTypedArray(kind, bytearray(data[:usable]), 0, usable // size)

    return (
        st.binary(max_size=16)
        | st.binary(max_size=16).map(bytearray)
        | st.builds(view, st.sampled_from(sorted(TYPED_ARRAY_KINDS)), st.binary(max_size=24))
        | st.binary(max_size=16).map(lambda data: JSDataView(bytearray(data)))
        | st.lists(st.floats(width=64), max_size=4).map(
            lambda items: JSTypedArray(
                "Float64Array", bytearray(struct.pack(f"<{len(items)}d", *items))
            )
        )
    )


def _errors(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    def error(kind: JSErrorType, message: str, props: dict[str, Any]) -> JSError:
        return JSError(message, type=kind, properties=props)

    props = st.dictionaries(
        st.sampled_from(["name", "cause", "code", "stack", "detail"]), children, max_size=3
    )
    return st.builds(error, st.sampled_from(list(JSErrorType)), js_strings(), props) | st.builds(
        lambda errors, message: JSAggregateError(errors, message),
        st.lists(children, max_size=2),
        js_strings(),
    )


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    integrity = st.sampled_from(list(Integrity))
    return (
        st.lists(children | st.just(hole), max_size=5)
        | st.tuples(children, children)
        | st.dictionaries(js_keys(), children, max_size=5)
        | st.builds(
            lambda items, flag, null: JSObject(items, null_prototype=null, integrity=flag),
            st.dictionaries(js_keys(), children, max_size=4),
            integrity,
            st.booleans(),
        )
        | st.builds(
            lambda items, flag: JSArray(items, integrity=flag),
            st.lists(children, max_size=4),
            integrity,
        )
        | st.lists(st.tuples(children, children), max_size=4).map(JSMap)
        | st.lists(children, max_size=4).map(JSSet)
        | st.builds(
            lambda values, throws: JSSequence(
                [*values, undefined], len(values) if throws else -1, len(values)
            ),
            st.lists(children, max_size=3),
            st.booleans(),
        ).map(lambda sequence: {JSSymbol.ITERATOR: sequence})
        | _errors(children)
        | st.builds(
            JSBoxed, st.booleans() | js_numbers() | js_strings() | st.integers().map(JSBigInt)
        )
    )


@st.composite
def _with_sharing(draw: st.DrawFn, base: st.SearchStrategy[Any]) -> Any:
    """A value, then a few of its containers made to point at others (sharing, cycles)."""
    value = draw(base)
    containers: list[Any] = []
    todo = [value]
    while todo and len(containers) < 50:
        item = todo.pop()
        if isinstance(item, (dict, list)) and not isinstance(item, tuple):
            containers.append(item)
            todo.extend(item.values() if isinstance(item, dict) else item)
    for _ in range(draw(st.integers(0, 3)) if containers else 0):
        holder = draw(st.sampled_from(containers))
        target = draw(st.sampled_from(containers))
        if isinstance(holder, dict):
            holder[draw(js_keys())] = target
        else:
            holder.append(target)
    return value


def js_values(max_leaves: int = 20) -> st.SearchStrategy[Any]:
    """Python values of every type seroval supports, with shared references and cycles."""
    leaves = (
        _primitives()
        | _dates()
        | _binary()
        | st.builds(
            JSRegExp,
            st.sampled_from(["a", "[a-z]+", "a\\/b", "x<y", "\\n"]),
            st.sampled_from(["", "g", "gi", "msu"]),
        )
    )
    return _with_sharing(st.recursive(leaves, _containers, max_leaves=max_leaves))


def envelopes(max_leaves: int = 20) -> st.SearchStrategy[dict[str, Any]]:
    """``to_json`` envelopes of :func:`js_values` (valid node trees)."""
    return js_values(max_leaves).map(to_json)


def _node(kind: Any, fields: dict[str, Any]) -> dict[str, Any]:
    return {"t": kind, **fields}


def node_like(max_leaves: int = 30) -> st.SearchStrategy[Any]:
    """JSON shaped like node trees, with plausible and implausible field values."""
    scalars = (
        st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8)
    )
    fields = ("t", "i", "s", "c", "m", "p", "e", "a", "f", "b", "o", "l", "k", "v")

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        values = (
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
            st.dictionaries(st.sampled_from(fields), values, max_size=6),
        )

    return st.recursive(scalars, extend, max_leaves=max_leaves)
