"""The JS text writer against seroval 1.8.1.

Every vector's ``serialize``/``crossSerialize``/``crossScoped``/``crossSharedOnly``
text is reproduced byte for byte, from the vector's nodes and from the Python
value.  What the vectors cannot hold (the ``$R`` header, ids shared across calls,
promise and stream nodes, error parity on odd node trees, variable names far down
the alphabet) is checked against the live oracle, ``oracle/server.mjs``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import seroval as S
from seroval.conformance import suite
from seroval.conformance.oracle import OracleServer
from seroval.conformance.point import Point, PointPlugin
from seroval.conformance.vectors import Vector
from seroval.protocol.jstext.api import (
    compile_json,
    cross_serialize,
    get_cross_reference_header,
    serialize,
    serialize_cross_node,
)
from seroval.protocol.jstext.writer import identifier, resolve_assignments
from seroval.protocol.model.nodes import Node

from ...conformance.test_vectors import BUILDABLE, OK, VECTORS, ids
from ...conftest import PLUGINS

# -- every vector -----------------------------------------------------------------------


BUILT = [v for v in BUILDABLE if v.error is None]
BUILT_ERRORS = [v for v in BUILDABLE if v.error is not None]


def _readable_cross(vector: Vector) -> bool:
    """Cross JSON that reads back to an equivalent value (see test_vectors)."""
    assert vector.cross_json is not None
    return not vector.raw.get("crossJsonRoundTrip") and not suite.wasted_ids(
        S.loads_json(vector.cross_json)
    )


CROSS_READABLE = [v for v in OK if _readable_cross(v)]


def options(vector: Vector) -> dict[str, Any]:
    return {
        "disabled_features": vector.disabled_features,
        "plugins": PLUGINS,
        "depth_limit": vector.depth_limit,
    }


def test_the_vectors_carry_the_shared_only_text() -> None:
    assert all("crossSharedOnly" in v.raw for v in VECTORS)
    assert sum(v.raw["crossSharedOnly"] != v.cross_serialize for v in OK) > 1000


@pytest.mark.parametrize("vector", OK, ids=ids(OK))
def test_js_text_of_seroval_nodes(vector: Vector) -> None:
    suite.check_js_text_of_json(vector)


@pytest.mark.parametrize("vector", BUILDABLE, ids=ids(BUILDABLE))
def test_js_text_of_the_python_value(vector: Vector) -> None:
    suite.check_js_text_of_python_value(vector)


# -- the writer's own rules ----------------------------------------------------------------


def test_identifiers_follow_seroval_alphabet() -> None:
    start = "hjkmoquxzABCDEFGHIJKLNPQRTUVWXYZ$_"
    assert [identifier(n) for n in range(34)] == list(start)
    assert identifier(34) == start[0] + "b"  # n // 34 == 1 -> digit "b"
    assert len({identifier(n) for n in range(5000)}) == 5000


def test_assignment_chains_are_cut_after_100() -> None:
    queued = [(0, f"h.k{n}", "", "h") for n in range(102)]
    text = resolve_assignments(queued)
    assert text.count(",") == 2
    assert text.endswith("h.k101=h.k100=h,")


def test_compile_json_uses_the_envelope_features() -> None:
    regexp: Node = {"t": 6, "i": 0, "c": "a", "m": "g"}
    assert compile_json({"t": regexp, "f": 127, "m": []}) == "/a/g"
    with pytest.raises(S.SerovalUnsupportedNodeError) as info:
        compile_json({"t": regexp, "f": 127 ^ S.Feature.REGEXP, "m": []})
    assert info.value.step == "serialize"


def test_malformed_trees_raise_serialization_errors() -> None:
    envelopes: list[Any] = [{"t": {"t": 9, "i": 0}, "f": 127, "m": []}, [], {"f": 127}]
    for envelope in envelopes:
        with pytest.raises(S.SerovalSerializationError):
            compile_json(envelope)


class _Broken(PointPlugin):
    def serialize(self, info: dict[str, Node], ctx: Any) -> str:
        raise ValueError("boom")


class _Refusing(PointPlugin):
    def serialize(self, info: dict[str, Node], ctx: Any) -> str:
        raise S.SerovalUnsupportedNodeError("no", step="serialize")


class _NotText(PointPlugin):
    def serialize(self, info: dict[str, Node], ctx: Any) -> str:
        return None  # type: ignore[return-value]


def test_plugin_failures() -> None:
    with pytest.raises(S.SerovalSerializationError) as info:
        serialize(Point(1, 2), plugins=[_Broken()])
    assert isinstance(info.value.__cause__, ValueError)
    with pytest.raises(S.SerovalSerializationError):
        serialize(Point(1, 2), plugins=[_NotText()])
    with pytest.raises(S.SerovalUnsupportedNodeError):  # our own errors pass through
        serialize(Point(1, 2), plugins=[_Refusing()])
    envelope = S.to_json(Point(1, 2), plugins=PLUGINS)
    with pytest.raises(S.SerovalMissingPluginError) as missing:
        compile_json(envelope)
    assert missing.value.step == "serialize"
    assert missing.value.tag == "my/Point"


class _Empty(PointPlugin):
    """A plugin whose text is empty: seroval drops such an item like a deferred one."""

    def serialize(self, info: dict[str, Node], ctx: Any) -> str:
        return ""


def test_an_empty_plugin_text_is_dropped_from_lists() -> None:
    empty = [_Empty()]
    assert serialize(S.JSSet([1, Point(0, 0), 2]), plugins=empty) == "new Set([1,2])"
    assert serialize([Point(0, 0)], plugins=empty) == "[,]"
    assert serialize(S.JSMap([(1, 2)]), plugins=empty) == "new Map([[1,2]])"
    shared = Point(0, 0)
    assert serialize([shared, shared], plugins=empty) == "(h=>[h=,h])()"


def test_argument_checks() -> None:
    with pytest.raises(TypeError):
        cross_serialize(1, scope_id=5)  # type: ignore[arg-type]
    for envelope in ({"t": {"t": 0, "s": 1}, "f": "127"}, {"t": {"t": 0, "s": 1}, "m": [[]]}):
        with pytest.raises(S.SerovalSerializationError):
            compile_json(envelope)
    assert compile_json({"t": {"t": 0, "s": 1}}) == "1"


def _nested(depth: int) -> Node:
    node: Node = {"t": 0, "s": 1}
    for level in range(depth):
        node = {"t": 9, "i": depth - level - 1, "a": [node], "o": 0}
    return node


def test_deep_trees() -> None:
    value: Any = 1
    for _ in range(999):
        value = [value]
    assert serialize(value) == "[" * 999 + "1" + "]" * 999
    assert cross_serialize(value).startswith("$R[0]=[$R[1]=[")
    # seroval on V8 gives up near 1,900 levels; we go further, then fail the same way.
    assert compile_json({"t": _nested(3000), "f": 127, "m": []}).count("[") == 3000
    with pytest.raises(S.SerovalSerializationError):
        compile_json({"t": _nested(60_000), "f": 127, "m": []})


# -- against the live oracle -----------------------------------------------------------------

SCOPE_IDS = [None, "app", 'a"<b', "", "$R", "\u2028\\x3C\n", "\ud800", "é😀"]


def test_cross_reference_header(oracle: OracleServer) -> None:
    replies = oracle.batch([{"op": "header", "scopeId": scope} for scope in SCOPE_IDS])
    for scope, reply in zip(SCOPE_IDS, replies, strict=True):
        assert reply["ok"], reply
        assert get_cross_reference_header(scope) == reply["header"]


def _round_trip(oracle: OracleServer, value: Any, **opts: Any) -> str:
    text = serialize(value, plugins=PLUGINS, **opts)
    options = {"disabledFeatures": opts.get("disabled_features", 0)}
    reply = oracle.ok({"op": "roundtrip", "text": text, "options": options})
    assert reply["serialize"] == text
    assert reply["json"] == S.dumps_json(S.to_json(value, plugins=PLUGINS, **opts))
    return text


def test_variable_names_far_down_the_alphabet(oracle: OracleServer) -> None:
    shared = [{"v": n} for n in range(2300)]
    text = _round_trip(oracle, [item for item in shared for _ in range(2)])
    assert ",hab," in text
    assert ",__," in text


def test_long_assignment_chains(oracle: OracleServer) -> None:
    root: dict[str, Any] = {}
    for n in range(250):
        root[f"k{n}"] = root
    _round_trip(oracle, root)
    node = S.JSObject(null_prototype=True)
    for n in range(150):
        node[f"k{n}"] = node
    _round_trip(oracle, node)
    _round_trip(oracle, node, disabled_features=S.Feature.OBJECT_ASSIGN)
    # 99 deferred `.set`s, then the sentinel pair: the chain is cut between the
    # 100th `.set` and its `.delete`, which then stands alone.
    key = {"n": 1}
    chained: S.JSMap[Any, Any] = S.JSMap()
    for n in range(99):
        chained[f"k{n}"] = chained
    chained[key] = chained
    text = _round_trip(oracle, {"m": chained, "k": key})
    assert '.set("k98",h).set(k,h),h.delete(j),' in text


def _cross_calls(values: list[Any], calls: list[dict[str, Any]]) -> list[str | None]:
    """Our outputs for successive cross_serialize calls sharing one refs (None = raised)."""
    refs = S.WriteRefs()
    outputs: list[str | None] = []
    for call in calls:
        try:
            outputs.append(
                cross_serialize(
                    values[call["index"]],
                    refs=refs,
                    scope_id=call.get("scopeId"),
                    assign_shared_refs_only=call.get("assignSharedRefsOnly", False),
                    plugins=PLUGINS,
                )
            )
        except S.SerovalError:
            outputs.append(None)
    return outputs


def _refs_cases() -> list[tuple[str, list[Any], list[dict[str, Any]]]]:
    a: dict[str, Any] = {}
    b: dict[str, Any] = {"prev": a}
    a["next"] = b
    obj = {"v": 1}
    buffer = bytearray(b"\x01\x02\x03\x04")
    view = S.JSTypedArray("Uint8Array", buffer, 0, 4)
    iterable = {S.JSSymbol.ITERATOR: S.JSSequence([1, 2, S.undefined])}
    keyed = {"k": 1}
    linked = [
        S.JSMap([(1, 2)]),
        S.JSMap([(keyed, keyed)]),
        S.JSSet([keyed]),
        view,
        S.JSDataView(buffer, 1, 2),
        bytes([9]),
        iterable,
        {"again": dict(iterable)},
        S.JSObject({"x": keyed}, integrity=S.Integrity.FROZEN),
    ]
    every = [{"index": n} for n in range(len(linked))]
    return [
        ("cycle", [a, b], [{"index": 0}, {"index": 1}, {"index": 0}]),
        ("scoped", [a, b], [{"index": 0, "scopeId": "A"}, {"index": 1, "scopeId": "A"}]),
        ("shared", [{"obj": obj}, {"again": obj}], [{"index": 0}, {"index": 1}]),
        ("helpers", linked, every),
        ("helpers-shared-only", linked, [{**c, "assignSharedRefsOnly": True} for c in every]),
        ("points", [Point(obj, 1), Point(2, obj)], [{"index": 0}, {"index": 1}]),
        (
            "scoped-shared-only",
            [{"a": 1}, [obj, obj]],
            [{"index": n, "scopeId": "A", "assignSharedRefsOnly": True} for n in (0, 1)],
        ),
    ]


@pytest.mark.parametrize("case", _refs_cases(), ids=lambda case: case[0])
def test_refs_shared_across_calls(
    oracle: OracleServer, case: tuple[str, list[Any], list[dict[str, Any]]]
) -> None:
    _, values, calls = case
    reply = oracle.ok({"op": "cross", "text": serialize(values, plugins=PLUGINS), "calls": calls})
    assert _cross_calls(values, calls) == reply["outputs"]


def test_a_failed_call_gives_its_ids_back(oracle: OracleServer) -> None:
    values: list[Any] = [{"a": 1}, {"b": {"c": {"d": 1}}}, {"e": 2}]
    # JS side: the middle value holds a function, which seroval cannot serialize.
    text = "(" + serialize(values[:2], plugins=PLUGINS) + ").concat([{e:2,f:()=>1}])"
    values[2]["f"] = lambda: 1
    calls = [{"index": 0}, {"index": 2}, {"index": 1}]
    reply = oracle.ok({"op": "cross", "text": text, "calls": calls})
    ours = _cross_calls(values, calls)
    assert reply["outputs"][1]["error"]["name"] == "SerovalUnsupportedTypeError"
    assert ours[1] is None
    assert [ours[0], ours[2]] == [reply["outputs"][0], reply["outputs"][2]]


ASYNC_TEXTS = [
    "Promise.resolve(1)",
    "Promise.reject(1)",
    "Promise.resolve(Promise.resolve(1))",
    "({a:Promise.resolve({b:Promise.resolve(2)})})",
    "(() => { const e = new Error('no'); delete e.stack; return Promise.reject(e) })()",
    "(() => { const o = {}; const p = Promise.resolve(o); o.p = p; return p })()",
    "(() => { const o = {}; o.p = Promise.reject(o); o.p.catch(() => {}); return o })()",
    "(() => { const o = {}; o.p = Promise.resolve(o); return [o, o.p] })()",
    "({async *[Symbol.asyncIterator]() { yield 1; }})",
    "({async *[Symbol.asyncIterator]() { yield 1; throw 'x' }})",
    "[{async *[Symbol.asyncIterator]() { yield 1 }},"
    " {async *[Symbol.asyncIterator]() { yield 2 }}]",
    "(() => { const s = seroval.createStream(); setTimeout(() => { s.next(1); s.return(2) }, 1);"
    " return s })()",
    "(() => { const m = new Map(); m.set('p', Promise.resolve(m)); return m })()",
]


def test_async_nodes(oracle: OracleServer) -> None:
    replies = oracle.batch([{"op": "async", "text": text} for text in ASYNC_TEXTS])
    for text, reply in zip(ASYNC_TEXTS, replies, strict=True):
        assert reply["ok"], (text, reply)
        envelope = S.loads_json(reply["json"])
        assert compile_json(envelope) == reply["serialize"], text
        marked = dict.fromkeys(envelope["m"])
        node = S.loads_json(reply["crossJson"])
        assert serialize_cross_node(node, marked=marked) == reply["crossSerialize"], text


STREAM_TEXTS = [
    "({a: new Promise(r => setTimeout(() => r('late'), 1))})",
    "(() => { const e = new Error('boom'); delete e.stack;"
    " return {a: new Promise((_, f) => setTimeout(() => f(e), 1))} })()",
    "Promise.resolve(1)",
    "[Promise.resolve(1), new Promise(r => setTimeout(() => r({x: 2}), 2))]",
    "new Promise(r => setTimeout(() => r({inner: new Promise(r2 => setTimeout(() => r2('x'), 2))}),"
    " 1))",
    "({async *[Symbol.asyncIterator]() { yield 1; yield 2; return 'done' }})",
    "(() => { const s = seroval.createStream(); setTimeout(() => { s.next('a'); s.next('b');"
    " s.return('c') }, 1); return s })()",
    "(() => { const s = seroval.createStream(); const q = {}; q.q = q;"
    " setTimeout(() => { s.next(q); s.return(Object.freeze({z: 1})) }, 1); return s })()",
    "(() => { const o = {}; o.self = o; return new Promise(r => setTimeout(() => r(o), 1)) })()",
    "(() => { const {stream, producer} = seroval.createLiveStream();"
    " setTimeout(async () => { await producer.write('a'); await producer.write({b: 1});"
    " await producer.close('end') }, 1);"
    " return {stream} })()",
    "5",
]


@pytest.mark.parametrize("scope_id", [None, "app"])
def test_streamed_chunks(oracle: OracleServer, scope_id: str | None) -> None:
    requests = [{"op": "stream", "text": text, "scopeId": scope_id} for text in STREAM_TEXTS]
    for text, reply in zip(STREAM_TEXTS, oracle.batch(requests), strict=True):
        assert reply["ok"], (text, reply)
        marked: dict[Any, None] = {}
        ours = [
            serialize_cross_node(S.loads_json(node), marked=marked, scope_id=scope_id)
            for node in reply["nodes"]
        ]
        assert ours == reply["chunks"], text


ODD_TREES: list[tuple[str, dict[str, Any], bool]] = [
    ("regexp-disabled", {"t": {"t": 6, "i": 0, "c": "a", "m": ""}, "f": 95, "m": []}, True),
    (
        "temporal-disabled",
        {"t": {"t": 36, "i": 0, "s": "PT1H", "c": 1}, "f": 63, "m": []},
        True,
    ),
    (
        "promise-constructor",
        {"t": {"t": 22, "i": 0, "s": 1, "f": {"t": 26, "i": 2, "s": 1}}, "f": 127, "m": []},
        True,
    ),
    (
        "promise-success",
        {"t": {"t": 23, "i": 1, "a": [{"t": 26, "i": 2, "s": 2}, {"t": 0, "s": 1}]}, "f": 127},
        True,
    ),
    ("unknown-type", {"t": {"t": 99, "i": 0}, "f": 127, "m": []}, True),
    (
        "point-without-plugin",
        {"t": {"t": 25, "i": 0, "s": {}, "c": "my/Point"}, "f": 127, "m": []},
        False,
    ),
    ("unknown-plugin", {"t": {"t": 25, "i": 0, "s": {}, "c": "x/y"}, "f": 127, "m": []}, True),
    (
        "special-references",
        {
            "t": {"t": 9, "i": 0, "a": [{"t": 26, "i": n, "s": n - 1} for n in range(1, 7)]},
            "f": 127,
            "m": [3],
        },
        True,
    ),
    (
        "streams-in-vanilla",
        {
            "t": {
                "t": 31,
                "i": 0,
                "a": [{"t": 32, "i": 0, "f": {"t": 0, "s": 1}}],
                "f": {"t": 26, "i": 1, "s": 4},
                "l": 1,
            },
            "f": 127,
            "m": [0, 1],
        },
        True,
    ),
    (
        "temporal",
        {"t": {"t": 36, "i": 0, "s": 'PT1H"<', "c": 1}, "f": 127, "m": []},
        True,
    ),
    ("date-text-escaped", {"t": {"t": 5, "i": 0, "s": '<"\n'}, "f": 127, "m": []}, True),
    (
        "iterator-factory-inline-symbol",
        {
            "t": {
                "t": 9,
                "i": 0,
                "a": [
                    {
                        "t": 28,
                        "a": [
                            {"t": 27, "i": 1, "f": {"t": 17, "i": 2, "s": 3}},
                            {"t": 35, "i": 3, "s": -1, "a": [{"t": 0, "s": 1}], "l": 0},
                        ],
                    },
                    {"t": 4, "i": 1},
                ],
                "o": 0,
            },
            "f": 127,
            "m": [1],
        },
        True,
    ),
    (
        "async-iterator-factory-inline-symbol",
        {
            "t": {
                "t": 9,
                "i": 0,
                "a": [
                    {
                        "t": 29,
                        "i": 1,
                        "a": [{"t": 4, "i": 5}, {"t": 17, "i": 2, "s": 0}],
                    },
                    {
                        "t": 29,
                        "i": 3,
                        "a": [{"t": 26, "i": 4, "s": 1}, {"t": 17, "i": 6, "s": 0}],
                    },
                ],
                "o": 0,
            },
            "f": 127,
            "m": [],
        },
        True,
    ),
    (
        "sequence-dropping-items",
        {
            "t": {
                "t": 10,
                "i": 0,
                "p": {
                    "k": [{"t": 17, "i": 1, "s": 3}],
                    "v": [
                        {
                            "t": 28,
                            "a": [
                                {"t": 27, "i": 2, "f": {"t": 4, "i": 1}},
                                {
                                    "t": 35,
                                    "i": 3,
                                    "s": -1,
                                    "a": [{"t": 4, "i": 0}, {"t": 4, "i": 3}, {"t": 0, "s": 2}],
                                    "l": 2,
                                },
                            ],
                        }
                    ],
                },
                "o": 0,
            },
            "f": 127,
            "m": [1, 0, 3],
        },
        True,
    ),
]


def _compiled(tree: dict[str, Any], plugins: bool) -> tuple[bool, str] | S.SerovalError:
    """(True, text), or the error raised."""
    try:
        return True, compile_json(tree, plugins=PLUGINS if plugins else ())
    except S.SerovalError as error:
        return error


def test_odd_trees_match_compile_json(oracle: OracleServer) -> None:
    requests = [
        {"op": "compile", "json": json.dumps(tree), "plugins": plugins}
        for _, tree, plugins in ODD_TREES
    ]
    for (name, tree, plugins), reply in zip(ODD_TREES, oracle.batch(requests), strict=True):
        ours = _compiled(tree, plugins)
        if reply["ok"]:
            assert ours == (True, reply["serialize"]), name
            continue
        # seroval's error name is a class of ours; what we raise may be its writing-side subclass.
        assert isinstance(ours, getattr(S, reply["error"]["name"])), (name, ours)
        assert isinstance(ours, S.SerovalSerializationError), (name, ours)
