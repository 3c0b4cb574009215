"""Reader strictness by class (SPEC.md §3, issue 16): node trees seroval's writer can
never produce are refused with a typed error and a path, and the nearest shapes the
writer does produce are still read.

Each case names the mode it is read in: ``json`` (``from_json`` on an envelope),
``cross`` (``from_cross_json`` on a bare node) or ``records`` (streamed records fed
one by one to a :class:`~seroval.CrossDeserializer`; the error comes from the last).
"""

from __future__ import annotations

from typing import Any

import pytest

import seroval as S

#: Run on both backends: the native readers and writers, and the pure ones.
pytestmark = pytest.mark.usefixtures("each_backend")

NUM = {"t": 0, "s": 1}
EMPTY: dict[str, list[Any]] = {"k": [], "v": []}


def env(root: Any, marked: list[int] | None = None) -> dict[str, Any]:
    return {"t": root, "f": 127, "m": marked or []}


def obj(node_id: int, keys: list[Any], values: list[Any]) -> dict[str, Any]:
    return {"t": 10, "i": node_id, "p": {"k": keys, "v": values}, "o": 0}


def arr(node_id: int, *items: Any) -> dict[str, Any]:
    return {"t": 9, "i": node_id, "a": list(items), "o": 0}


def ref(node_id: int) -> dict[str, Any]:
    return {"t": 4, "i": node_id}


def special(node_id: int, kind: int) -> dict[str, Any]:
    return {"t": 26, "i": node_id, "s": kind}


def map_node(node_id: int, sentinel: Any) -> dict[str, Any]:
    return {"t": 8, "i": node_id, "e": EMPTY, "f": sentinel}


def buffer(node_id: int, helper: Any, text: str = "AQID") -> dict[str, Any]:
    return {"t": 19, "i": node_id, "s": text, "f": helper}


def stream(node_id: int, helper_id: int, *events: Any) -> dict[str, Any]:
    return {"t": 31, "i": node_id, "a": list(events), "f": special(helper_id, 4)}


def promise_ctor(node_id: int, resolver: int, helper: Any) -> dict[str, Any]:
    return {"t": 22, "i": node_id, "s": resolver, "f": helper}


def settle(resolver: int, helper: Any, value: Any, kind: int = 23) -> dict[str, Any]:
    return {"t": kind, "i": resolver, "a": [helper, value]}


def iterable(node_id: int, symbol: int, factory: Any, sequence: Any) -> dict[str, Any]:
    key = {"t": 17, "i": symbol, "s": 3}
    return obj(node_id, [key], [{"t": 28, "a": [factory, sequence]}])


def sequence(node_id: int, *items: Any) -> dict[str, Any]:
    """A finished sequence: its items, then the done value (undefined)."""
    values = [*items, {"t": 2, "s": 1}]
    return {"t": 35, "i": node_id, "s": -1, "a": values, "l": len(values) - 1}


def read(mode: str, payload: Any) -> Any:
    if mode == "json":
        return S.from_json(payload)
    if mode == "cross":
        return S.from_cross_json(payload)
    reader = S.CrossDeserializer()
    value = None
    for record in payload:
        value = reader.deserialize(record)
    return value


# (class, description, mode, payload, error, where)
Case = tuple[str, str, str, Any, type[S.SerovalError], str]
REFUSED: list[Case] = [
    # -- references -----------------------------------------------------------------
    (
        "references",
        "forward reference to a marked id defined later",
        "json",
        env(arr(0, ref(1), obj(1, [], [])), [1]),
        S.SerovalMissingReferenceError,
        "$.t.a[1]",
    ),
    (
        "references",
        "forward reference in cross mode",
        "cross",
        arr(0, ref(1), obj(1, [], [])),
        S.SerovalMissingReferenceError,
        "$.a[0]",
    ),
    (
        "references",
        "marked id far beyond the payload",
        "json",
        env(arr(0, ref(10**9), ref(10**9)), [10**9]),
        S.SerovalMissingReferenceError,
        "$.t",
    ),
    (
        "references",
        "streamed reference far beyond the session's ids",
        "records",
        [arr(0, ref(10**9))],
        S.SerovalMissingReferenceError,
        "$.a[0]",
    ),
    (
        "references",
        "Map sentinel used as a value",
        "cross",
        arr(0, map_node(1, special(2, 0)), ref(2)),
        S.SerovalMalformedNodeError,
        "$.a[1]",
    ),
    (
        "references",
        "ArrayBuffer helper used as a value",
        "json",
        env(arr(0, buffer(1, special(2, 5)), ref(2)), [2]),
        S.SerovalMalformedNodeError,
        "$.t.a[1]",
    ),
    (
        "references",
        "iterator factory used as a value",
        "cross",
        arr(0, iterable(1, 2, {"t": 27, "i": 3, "f": ref(2)}, sequence(4)), ref(3)),
        S.SerovalMalformedNodeError,
        "$.a[1]",
    ),
    (
        "references",
        "an iterator's own sequence used as a value",
        "cross",
        arr(0, iterable(1, 2, {"t": 27, "i": 3, "f": ref(2)}, sequence(4)), ref(4)),
        S.SerovalMalformedNodeError,
        "$.a[1]",
    ),
    (
        "references",
        "promise resolver used as a value",
        "records",
        [arr(0, promise_ctor(1, 2, special(3, 1)), ref(2))],
        S.SerovalMalformedNodeError,
        "$.a[1]",
    ),
    (
        "references",
        "Map slot refers to a non-special value",
        "cross",
        arr(0, obj(1, [], []), map_node(2, ref(1))),
        S.SerovalMalformedNodeError,
        "$.a[1].f",
    ),
    (
        "references",
        "Map slot refers to a special of another kind",
        "cross",
        arr(0, buffer(1, special(2, 5)), map_node(3, ref(2))),
        S.SerovalMalformedNodeError,
        "$.a[1].f",
    ),
    (
        "references",
        "iterator instance refers to a non-factory",
        "cross",
        arr(0, obj(1, [], []), iterable(2, 3, ref(1), sequence(4))),
        S.SerovalMalformedNodeError,
        "$.a[1].p.v[0].a[0]",
    ),
    # -- ids ------------------------------------------------------------------------
    (
        "ids",
        "two unmarked nodes with one id",
        "json",
        env(arr(0, obj(1, [], []), obj(1, [], []))),
        S.SerovalConflictedNodeIdError,
        "$.t.a[1]",
    ),
    (
        "ids",
        "a node reusing the root's unmarked id",
        "json",
        env(arr(0, arr(0))),
        S.SerovalConflictedNodeIdError,
        "$.t.a[0]",
    ),
    (
        "ids",
        "a special reference reusing an id",
        "json",
        env(arr(0, map_node(1, special(0, 0)))),
        S.SerovalConflictedNodeIdError,
        "$.t.a[0].f",
    ),
    (
        "ids",
        "a promise resolver reusing the promise's id",
        "records",
        [promise_ctor(1, 1, special(3, 1))],
        S.SerovalConflictedNodeIdError,
        "",
    ),
    (
        "ids",
        "number with an id",
        "json",
        env({"t": 0, "i": 0, "s": 1}),
        S.SerovalMalformedNodeError,
        "$.t",
    ),
    (
        "ids",
        "string with an id",
        "json",
        env({"t": 1, "i": 0, "s": "x"}),
        S.SerovalMalformedNodeError,
        "$.t",
    ),
    (
        "ids",
        "constant with an id",
        "json",
        env({"t": 2, "i": 0, "s": 2}),
        S.SerovalMalformedNodeError,
        "$.t",
    ),
    (
        "ids",
        "BigInt with an id",
        "json",
        env({"t": 3, "i": 0, "s": "1"}),
        S.SerovalMalformedNodeError,
        "$.t",
    ),
    # -- boxed values -----------------------------------------------------------------
    *(
        (
            "boxed",
            f"boxed {name}",
            "json",
            env({"t": 21, "i": 0, "f": inner}),
            S.SerovalMalformedNodeError,
            "$.t",
        )
        for name, inner in [
            ("object", obj(1, [], [])),
            ("array", arr(1)),
            ("undefined", {"t": 2, "s": 1}),
            ("null", {"t": 2, "s": 0}),
            ("symbol", {"t": 17, "i": 1, "s": 3}),
            ("boxed value", {"t": 21, "i": 1, "f": NUM}),
            ("Date", {"t": 5, "i": 1, "s": "2020-01-01T00:00:00.000Z"}),
            ("reference", ref(0)),
        ]
    ),
    # -- special nodes ------------------------------------------------------------------
    (
        "special",
        "promise constructor in from_json",
        "json",
        env(promise_ctor(0, 1, special(2, 1))),
        S.SerovalMalformedNodeError,
        "$.t",
    ),
    (
        "special",
        "promise constructor's helper of the wrong kind",
        "records",
        [promise_ctor(0, 1, special(2, 0))],
        S.SerovalMalformedNodeError,
        "$.f",
    ),
    (
        "special",
        "promise settlement nested in a value",
        "records",
        [promise_ctor(0, 1, special(2, 1)), arr(3, settle(1, special(4, 2), NUM))],
        S.SerovalMalformedNodeError,
        "$.a[0]",
    ),
    (
        "special",
        "promise settlement with the failure helper",
        "records",
        [promise_ctor(0, 1, special(2, 1)), settle(1, special(3, 3), NUM)],
        S.SerovalMalformedNodeError,
        "$.a[0]",
    ),
    (
        "special",
        "promise settled twice",
        "records",
        [
            promise_ctor(0, 1, special(2, 1)),
            settle(1, special(3, 2), NUM),
            settle(1, ref(3), NUM),
        ],
        S.SerovalMalformedNodeError,
        "",
    ),
    (
        "special",
        "promise settlement with three nodes",
        "records",
        [promise_ctor(0, 1, special(2, 1)), {"t": 23, "i": 1, "a": [special(3, 2), NUM, NUM]}],
        S.SerovalMalformedNodeError,
        "",
    ),
    (
        "special",
        "stream event nested in a value",
        "records",
        [stream(0, 1), arr(2, {"t": 32, "i": 0, "f": NUM})],
        S.SerovalMalformedNodeError,
        "$.a[0]",
    ),
    (
        "special",
        "stream replays another stream's event",
        "cross",
        arr(0, stream(1, 2), stream(3, 4, {"t": 32, "i": 1, "f": NUM})),
        S.SerovalMalformedNodeError,
        "$.a[1].a[0]",
    ),
    (
        "special",
        "stream event record in from_json",
        "json",
        env({"t": 32, "i": 0, "f": NUM}),
        S.SerovalMissingInstanceError,
        "$.t",
    ),
    (
        "special",
        "stream event for a stream that does not exist",
        "records",
        [arr(0), {"t": 34, "i": 5, "f": NUM}],
        S.SerovalMissingInstanceError,
        "",
    ),
    (
        "special",
        "stream helper of the wrong kind",
        "cross",
        {"t": 31, "i": 0, "a": [], "f": special(1, 1)},
        S.SerovalMalformedNodeError,
        "$.f",
    ),
    (
        "special",
        "Map without its sentinel",
        "cross",
        {"t": 8, "i": 0, "e": EMPTY},
        S.SerovalMalformedNodeError,
        "$.f",
    ),
    (
        "special",
        "iterator factory as a value",
        "cross",
        arr(0, {"t": 27, "i": 1, "f": {"t": 17, "i": 2, "s": 3}}),
        S.SerovalUnsupportedNodeError,
        "$.a[0]",
    ),
    (
        "special",
        "iterator instance whose sequence is a reference",
        "cross",
        arr(0, sequence(1), iterable(2, 3, {"t": 27, "i": 4, "f": ref(3)}, ref(1))),
        S.SerovalMalformedNodeError,
        "$.a[1].p.v[0]",
    ),
    # -- BigInt text ------------------------------------------------------------------------
    *(
        (
            "bigint",
            f"BigInt spelled {text!r}" if len(repr(text)) < 20 else f"BigInt of {len(text)} chars",  # type: ignore[arg-type]
            "json",
            env({"t": 3, "s": text}),
            error,
            "$.t",
        )
        for text, error in [
            ("0x10", S.SerovalMalformedNodeError),
            ("+1", S.SerovalMalformedNodeError),
            (" 1", S.SerovalMalformedNodeError),
            ("1 ", S.SerovalMalformedNodeError),
            ("", S.SerovalMalformedNodeError),
            ("1_000", S.SerovalMalformedNodeError),
            ("1n", S.SerovalMalformedNodeError),
            ("\u0661", S.SerovalMalformedNodeError),  # an Arabic-Indic digit
            (5, S.SerovalMalformedNodeError),
            (5.0, S.SerovalMalformedNodeError),
            (None, S.SerovalMalformedNodeError),
            ("1" * 10_001, S.SerovalSizeLimitError),
            ("-" + "1" * 10_000, S.SerovalSizeLimitError),
        ]
    ),
    # -- numbers -----------------------------------------------------------------------------
    *(
        (
            "numbers",
            f"number {value!r}",
            "json",
            env({"t": 0, "s": value}),
            S.SerovalMalformedNodeError,
            "$.t",
        )
        for value in [float("inf"), float("-inf"), float("nan"), -0.0, 10**21, -(10**21), 10**400]
    ),
    # -- typed arrays -------------------------------------------------------------------------
    (
        "typed arrays",
        "BigInt64Array in a number typed-array node",
        "json",
        env(
            {
                "t": 15,
                "i": 0,
                "c": "BigInt64Array",
                "f": buffer(1, special(2, 5), "AAAAAAAAAAA="),
                "b": 0,
                "l": 1,
            }
        ),
        S.SerovalMalformedNodeError,
        "$.t",
    ),
    (
        "typed arrays",
        "Uint8Array in a BigInt typed-array node",
        "json",
        env({"t": 16, "i": 0, "c": "Uint8Array", "f": buffer(1, special(2, 5)), "b": 0, "l": 3}),
        S.SerovalMalformedNodeError,
        "$.t",
    ),
]


@pytest.mark.parametrize(
    ("kind", "description", "mode", "payload", "error", "where"),
    REFUSED,
    ids=[f"{case[0]}: {case[1]}" for case in REFUSED],
)
def test_refused(
    kind: str, description: str, mode: str, payload: Any, error: type[S.SerovalError], where: str
) -> None:
    with pytest.raises(error) as caught:
        read(mode, payload)
    assert isinstance(caught.value, S.SerovalDeserializationError)
    assert caught.value.where == where, str(caught.value)


# Shapes seroval 1.8.1's writer does produce (each observed from the oracle) next to
# the refused ones above: they must still read.
ACCEPTED: list[tuple[str, str, Any]] = [
    # toJSON({a: seq, b: seq}) for one shared Sequence
    (
        "shared standalone sequence",
        "json",
        env(obj(0, ["a", "b"], [sequence(1, NUM), ref(1)]), [1]),
    ),
    # two Maps share the sentinel; two buffers share the helper
    ("two maps", "json", env(arr(0, map_node(1, special(2, 0)), map_node(3, ref(2))), [2])),
    ("two buffers", "cross", arr(0, buffer(1, special(2, 5)), buffer(3, ref(2)))),
    # two iterables share the factory; its key symbol is shared too
    (
        "two iterables",
        "json",
        env(
            arr(
                0,
                iterable(1, 2, {"t": 27, "i": 3, "f": ref(2)}, sequence(4, NUM)),
                obj(5, [ref(2)], [{"t": 28, "a": [ref(3), sequence(6)]}]),
            ),
            [2, 3],
        ),
    ),
    # an OpaqueReference met twice: a marked id nothing defines, read as undefined
    ("opaque reference", "json", env(arr(0, ref(1), ref(1)), [1])),
    ("boxed -0", "json", env({"t": 21, "i": 0, "f": {"t": 2, "s": 4}})),
    ("boxed BigInt", "json", env({"t": 21, "i": 0, "f": {"t": 3, "s": "-12"}})),
    ("BigInt of 10,000 digits", "json", env({"t": 3, "s": "9" * 10_000})),
    ("negative BigInt of 9,999 digits", "json", env({"t": 3, "s": "-" + "9" * 9_999})),
    ("number just under 1e21", "json", env({"t": 0, "s": 10**21 - 1})),
    ("number 1e21 as a float", "json", env({"t": 0, "s": 1e21})),
    # a streamed promise settled by a later record
    (
        "settled once",
        "records",
        [promise_ctor(0, 1, special(2, 1)), settle(1, special(3, 2), NUM)],
    ),
    # a stream replaying its own events, then more events as records
    (
        "stream events",
        "records",
        [stream(0, 1, {"t": 32, "i": 0, "f": NUM}), {"t": 34, "i": 0, "f": NUM}],
    ),
]


@pytest.mark.parametrize(("description", "mode", "payload"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_writer_shapes_still_read(description: str, mode: str, payload: Any) -> None:
    read(mode, payload)


def test_bigint_of_ten_thousand_digits_is_exact() -> None:
    text = "7" + "0123456789" * 999 + "123456789"
    assert len(text) == 10_000
    value = S.from_json(env({"t": 3, "s": text}))
    assert type(value) is S.JSBigInt
    assert S.to_json(value)["t"] == {"t": 3, "s": text}
    negative = S.from_json(env({"t": 3, "s": "-" + text[:-1]}))
    assert S.to_json(negative)["t"] == {"t": 3, "s": "-" + text[:-1]}
