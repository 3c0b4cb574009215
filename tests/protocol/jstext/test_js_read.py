"""The JS text reader against JS itself: every vector text, multi-chunk cases, semantics.

``vectors/eval/eval.jsonl.gz`` (``oracle/evaluate.mjs``) records, for every vector
text seroval wrote, what Node gives when it evaluates the text and seroval writes
the result again.  Reading the same text with :func:`deserialize` must give a
value our writers turn into exactly those bytes (``to_json`` and ``serialize``):
that is "deserialize means what JS means", checked on 16,000 texts.  The
multi-chunk cases check :class:`CrossDeserializer` fed one chunk at a time,
against Node (shared ``refs``) and against the node reader (streaming).
"""

from __future__ import annotations

import gzip
import json
import math
import subprocess
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest

import seroval as S
from seroval.conformance import suite
from seroval.conformance.oracle import OracleServer
from seroval.conformance.point import Point
from seroval.conformance.vectors import VECTOR_DIR, Vector, load_vectors
from seroval.protocol.errors import SerovalEvaluationError
from seroval.protocol.jstext import helpers
from seroval.protocol.jstext.api import serialize
from seroval.protocol.jstext.helpers_legacy import LEGACY_STREAM_CONSTRUCTORS
from seroval.protocol.jstext.reader import CrossDeserializer, deserialize
from seroval.protocol.model.plugins import Plugin, PluginDeserializeContext
from seroval.protocol.model.stream import Stream
from seroval.protocol.model.values import (
    JSAggregateError,
    JSArray,
    JSError,
    JSMap,
    JSObject,
    JSPromise,
    JSSequence,
    JSSet,
    JSSymbol,
    hole,
    undefined,
)

from ...conftest import PLUGINS

EVAL_FILE = VECTOR_DIR / "eval" / "eval.jsonl.gz"
TEXT_FIELDS = ("serialize", "crossSerialize", "crossScoped", "crossSharedOnly")


def _records() -> list[dict[str, Any]]:
    with gzip.open(EVAL_FILE, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


RECORDS = _records()
VECTORS = {(v.name, v.disabled_features): v for v in load_vectors()}
suite.prepare(VECTORS.values())
TEXT_RECORDS = [r for r in RECORDS if "texts" in r]
SHARED = [r for r in RECORDS if r.get("kind") == "shared-refs"]
STREAMING = [r for r in RECORDS if r.get("kind") == "streaming"]


def read(text: str, field: str, vector: Vector) -> Any:
    """A vector text's value: vanilla text alone, cross text in a fresh reader."""
    if field == "serialize":
        return deserialize(text, plugins=PLUGINS, depth_limit=vector.depth_limit)
    return CrossDeserializer(plugins=PLUGINS, depth_limit=vector.depth_limit).feed(text)


def write_json(value: Any, vector: Vector | None = None) -> str:
    df, limit = (vector.disabled_features, vector.depth_limit) if vector else (0, 1000)
    envelope = S.to_json(value, plugins=PLUGINS, disabled_features=df, depth_limit=limit)
    return S.dumps_json(envelope)


def write_text(value: Any, vector: Vector | None = None) -> str:
    df, limit = (vector.disabled_features, vector.depth_limit) if vector else (0, 1000)
    return serialize(value, plugins=PLUGINS, disabled_features=df, depth_limit=limit)


# ---------------------------------------------------------------------------
# Every vector text


def test_the_eval_vectors_cover_every_vector() -> None:
    ok = {key for key, vector in VECTORS.items() if vector.error is None}
    assert {(r["name"], r["disabledFeatures"]) for r in TEXT_RECORDS} == ok
    assert sum(len(r["texts"]) for r in TEXT_RECORDS) >= 12000
    assert len(SHARED) >= 100
    assert len(STREAMING) >= 20


@pytest.mark.parametrize(
    "record", TEXT_RECORDS, ids=[f"{r['name']}#df={r['disabledFeatures']}" for r in TEXT_RECORDS]
)
def test_every_text_means_what_js_means(record: dict[str, Any]) -> None:
    suite.check_js_read(VECTORS[(record["name"], record["disabledFeatures"])])


# ---------------------------------------------------------------------------
# Chunk by chunk


@pytest.mark.parametrize("record", SHARED, ids=[r["name"] for r in SHARED])
def test_chunks_sharing_refs_read_one_at_a_time(record: dict[str, Any]) -> None:
    reader = CrossDeserializer(plugins=PLUGINS)
    for index, (text, result) in enumerate(zip(record["chunks"], record["results"], strict=True)):
        value = reader.feed(text)
        assert write_json(value) == result["json"], f"chunk {index}"
        assert write_text(value) == result["serialize"], f"chunk {index}"


def snapshot(value: Any, seen: dict[int, int] | None = None) -> Any:
    """A comparable picture of a value graph: types, order, identity, promise and stream state."""
    seen = {} if seen is None else seen
    kind = type(value)
    if value is None or kind in (str, bool, int, float) or value is undefined or value is hole:
        return (kind.__name__, repr(value))
    if kind is JSSymbol:
        return ("symbol", value.value)
    if id(value) in seen:
        return ("same as", seen[id(value)])
    seen[id(value)] = len(seen)
    return _compound(value, seen)


def _compound(value: Any, seen: dict[int, int]) -> Any:
    if isinstance(value, JSPromise):
        return ("promise", value.status, snapshot(value.value, seen))
    if isinstance(value, Stream):
        ended = value.ended_events()
        assert ended is not None, "every stream of these cases ends"
        return ("stream", [snapshot(item, seen) for item in ended[0]], ended[1])
    if isinstance(value, JSSequence):
        return ("sequence", [snapshot(v, seen) for v in value.values], value.throw_at)
    if isinstance(value, JSError):
        props = [(repr(k), snapshot(v, seen)) for k, v in value.properties.items()]
        return ("error", type(value).__name__, value.type, value.message, props)
    if isinstance(value, dict):
        items = [(repr(k), snapshot(v, seen)) for k, v in value.items()]
        return ("object", type(value).__name__, getattr(value, "integrity", 0), items)
    if isinstance(value, list):
        return ("array", getattr(value, "integrity", 0), [snapshot(v, seen) for v in value])
    if isinstance(value, JSMap):
        return ("map", [(snapshot(k, seen), snapshot(v, seen)) for k, v in value.entries()])
    if isinstance(value, JSSet):
        return ("set", [snapshot(v, seen) for v in value])
    return ("other", type(value).__name__, repr(value))


@pytest.mark.parametrize("record", STREAMING, ids=[r["name"] for r in STREAMING])
def test_streamed_chunks_give_what_the_node_records_give(record: dict[str, Any]) -> None:
    reader = CrossDeserializer(plugins=PLUGINS)
    root = reader.feed(record["chunks"][0])
    assert reader.pending > 0, "the first chunk leaves promises or streams open"
    for text in record["chunks"][1:]:
        reader.feed(text)
    assert reader.pending == 0
    refs = S.ReadRefs()
    nodes = [
        S.from_cross_json(S.loads_json(n), refs=refs, plugins=PLUGINS) for n in record["nodes"]
    ]
    assert snapshot(root) == snapshot(nodes[0])


def test_a_later_chunk_settles_an_earlier_promise() -> None:
    record = next(r for r in STREAMING if r["name"] == "streaming/promise-later")
    reader = CrossDeserializer(plugins=PLUGINS)
    root = reader.feed(record["chunks"][0])
    promise = root["a"]
    assert isinstance(promise, JSPromise)
    assert promise.status == JSPromise.PENDING
    assert reader.feed(record["chunks"][1]) is undefined
    assert (promise.status, promise.value) == (JSPromise.FULFILLED, "late")


def test_values_of_earlier_chunks_are_reachable() -> None:
    reader = CrossDeserializer()
    first = reader.feed("($R[0]={next:$R[1]={}},$R[1].prev=$R[0],$R[0])")
    assert reader.feed("$R[1]") is first["next"]
    assert reader.value(1) is first["next"]
    assert reader.value(7) is undefined
    assert reader.feed("$R[9]") is undefined  # an unassigned slot reads undefined, as in JS


def test_scopes_are_separate_and_the_header_resets_one() -> None:
    reader = CrossDeserializer()
    assert reader.feed("self.$R=self.$R||[]") is undefined
    assert reader.feed('(self.$R=self.$R||{})["a"]=[]') is undefined
    reader.feed('($R=>$R[0]={a:1})($R["a"])')
    reader.feed('($R=>$R[0]={b:2})($R["b"])')
    reader.feed("$R[0]=[3]")
    assert reader.value(0, scope_id="a") == {"a": 1}
    assert reader.value(0, scope_id="b") == {"b": 2}
    assert reader.value(0) == [3]
    reader.feed('(self.$R=self.$R||{})["a"]=[]')
    assert reader.value(0, scope_id="a") is undefined


def test_a_chunk_that_does_not_parse_changes_nothing_but_a_failed_run_stops_the_reader() -> None:
    reader = CrossDeserializer()
    with pytest.raises(S.SerovalSyntaxError):
        reader.feed("$R[0]={a:1")
    assert reader.feed("$R[0]={a:1}") == {"a": 1}
    with pytest.raises(SerovalEvaluationError):
        reader.feed("($R[1]={},$R[2].set(1,2))")
    with pytest.raises(S.SerovalAbortedError):
        reader.feed("1")


def test_a_stream_fed_by_later_chunks() -> None:
    reader = CrossDeserializer()
    stream = reader.feed(f"$R[0]=($R[1]={helpers.STREAM_CONSTRUCTOR})(1)")
    assert isinstance(stream, Stream)
    assert stream.live
    reader.feed('$R[0].next("a")')
    assert reader.pending == 1
    reader.feed('$R[0].return("b")')
    assert reader.pending == 0


@pytest.mark.parametrize(("text", "versions"), LEGACY_STREAM_CONSTRUCTORS)
def test_older_stream_helpers_read(text: str, versions: tuple[str, ...]) -> None:
    reader = CrossDeserializer()
    stream = reader.feed(f"$R[0]=($R[1]={text})()")
    reader.feed("$R[0].next(1)")
    reader.feed("$R[0].return(2)")
    assert isinstance(stream, Stream)
    assert not stream.live  # the live flag arrived in 1.7
    assert stream.ended_events() == ([1, 2], True)
    again = deserialize(f"(h=>(h=({text})(1),h.next(1),h))()")
    assert isinstance(again, Stream)
    assert not again.live


# ---------------------------------------------------------------------------
# JS semantics beyond seroval's own output


def test_keys_assigned_later_come_later_but_array_indices_first() -> None:
    value = deserialize('(h=>(h={x:1,z:2},h.y=h,h["b"]=2,h[1]=3,h[0]=4,h))()')
    assert list(value) == ["0", "1", "x", "z", "y", "b"]


def test_integrity_applies_where_the_text_calls_it() -> None:
    frozen = deserialize("(h=>(h={a:1},Object.freeze(h),h.a=2,h.b=3,h))()")
    assert type(frozen) is JSObject
    assert frozen == {"a": 1}
    assert frozen.integrity == S.Integrity.FROZEN
    sealed = deserialize("(h=>(h=[1,,3],Object.seal(h),h[0]=5,h[1]=2,h))()")
    assert type(sealed) is JSArray
    assert sealed == [5, hole, 3]
    with pytest.raises(SerovalEvaluationError):  # Object.assign throws where `=` is ignored
        deserialize("(h=>(h={a:1},Object.freeze(h),Object.assign(h,{b:2}),h))()")


def test_plain_values_stay_plain() -> None:
    value = deserialize("({a:[1,{b:2}]})")
    assert type(value) is dict
    assert type(value["a"]) is list


def test_map_entries_set_later_come_later_and_keep_their_place() -> None:
    value = deserialize("(h=>(h=new Map([[1,2]]),h.set(3,4).set(1,5).delete(3),h))()")
    assert value.entries() == [(1, 5)]


def test_deferred_promises_see_the_final_value() -> None:
    value = deserialize("(h=>h={p:Promise.resolve().then(()=>h)})()")
    assert value["p"].value is value
    rejected = deserialize("(h=>h={p:Promise.reject().catch(()=>{throw h})})()")
    assert rejected["p"].status == JSPromise.REJECTED
    assert rejected["p"].value is rejected


def test_sequences_replay_the_iterator_helper() -> None:
    text = (
        "((h,k)=>({[h=Symbol.iterator]:((" + helpers.ITERATOR_FACTORY + ")(h))"
        "(k={__SEROVAL_SEQUENCE__:!0,v:[],t:-1,d:2}),z:(k.v[1]=7,k.v[0]=6)}))()"
    )
    value = deserialize(text)
    sequence = value[JSSymbol.ITERATOR]
    assert (sequence.values, sequence.throw_at, sequence.done_at) == ([6, 7, undefined], -1, 2)
    assert value["z"] == 6


def test_errors_keep_v8s_stack_slot_and_aggregate_errors() -> None:
    error = deserialize('Object.assign(new Error("m"),{a:1,stack:"S"})')
    assert list(error.properties) == ["stack", "a"]
    group = deserialize('Object.assign(new AggregateError([1],"m"),{name:"X"})')
    assert type(group) is JSAggregateError
    assert group.properties == {"errors": [1], "name": "X"}


def test_strings_take_every_js_escape() -> None:
    assert (
        deserialize(
            r'"\u0041\x41\u{1F600}\uD83D\uDE00\v\0\'\/\
x"'
        )
        == "AA😀😀\v\0'/x"
    )
    assert deserialize('"\\ud800"') == "\ud800"  # a lone surrogate stays one


def test_numbers_read_as_seroval_reads_them() -> None:
    assert deserialize("[1e+21,1e-7,-0,0/0,1/0,-1/0,9007199254740993]") == [
        1e21,
        1e-7,
        -0.0,
        pytest.approx(math.nan, nan_ok=True),
        math.inf,
        -math.inf,
        9007199254740992.0,
    ]
    assert math.copysign(1, deserialize("-0")) == -1
    # seroval writes the infinities as 1/0 and -1/0, never as a literal that overflows
    with pytest.raises(S.SerovalSyntaxError):
        deserialize("1e999")


def test_new_regexp_escapes_like_js() -> None:
    assert deserialize('new RegExp("a/b\\n","g")') == S.JSRegExp("a\\/b\\n", "g")
    assert deserialize("/a\\/b[/]/g") == S.JSRegExp("a\\/b[/]", "g")


def test_references_come_only_from_the_registry() -> None:
    marker = S.create_reference("js-read/ref", object())
    assert deserialize('__SEROVAL_REFS__.get("js-read/ref")') is marker
    with pytest.raises(S.SerovalMissingReferenceForIdError):
        deserialize('__SEROVAL_REFS__.get("js-read/missing")')
    with pytest.raises(SerovalEvaluationError):  # a registered value is never changed
        deserialize('(h=>(h=__SEROVAL_REFS__.get("js-read/ref"),h.x=1,h))()')


# ---------------------------------------------------------------------------
# Plugins


def test_the_point_plugin_reads_its_call() -> None:
    value = deserialize("new Point(1,{z:2})", plugins=PLUGINS)
    assert value == Point(1, {"z": 2})
    assert deserialize("new Point(1)", plugins=PLUGINS) == Point(1, undefined)
    shared = deserialize("(h=>[h=new Point(1,2),h])()", plugins=PLUGINS)
    assert shared[0] is shared[1]


def test_undeclared_calls_are_refused() -> None:
    with pytest.raises(S.SerovalSyntaxError, match="new Point"):
        deserialize("new Point(1,2)")  # no plugin given
    with pytest.raises(S.SerovalSyntaxError):
        deserialize("new URL('x')", plugins=PLUGINS)


class _Checked(Plugin):
    tag = "js-read/checked"
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "Checked.of": lambda args: {"n": args[0]}
    }
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "n": lambda value: type(value) is int
    }

    def deserialize(self, info: dict[str, S.Node], ctx: PluginDeserializeContext) -> Any:
        return ("checked", ctx.deserialize(info["n"]))


def test_plugin_validators_apply_to_js_text() -> None:
    assert deserialize("Checked.of(1)", plugins=[_Checked()]) == ("checked", 1)
    with pytest.raises(S.SerovalPluginValidationError):
        deserialize('Checked.of("1")', plugins=[_Checked()])


# ---------------------------------------------------------------------------
# Errors carry their place


def test_errors_carry_line_and_column() -> None:
    with pytest.raises(S.SerovalSyntaxError) as syntax:
        deserialize("[1,\n2,\n  foo]")
    assert (syntax.value.line, syntax.value.column) == (3, 3)
    with pytest.raises(S.SerovalSizeLimitError) as limit:
        deserialize("[\n" + "1" * 20_000 + "n]")
    assert (limit.value.line, limit.value.column) == (2, 1)
    with pytest.raises(SerovalEvaluationError) as runtime:
        deserialize("(h=>(h=[1],\nh.add(2)))()")
    assert (runtime.value.line, runtime.value.column) == (2, 2)


# ---------------------------------------------------------------------------
# Against Node (skipped without it)


def test_the_eval_vectors_are_reproducible(oracle_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "eval.jsonl.gz"
    subprocess.run(
        ["node", "evaluate.mjs", "--vectors", str(VECTOR_DIR), "--out", str(out)],
        cwd=oracle_dir,
        check=True,
        capture_output=True,
    )
    fresh = gzip.decompress(out.read_bytes())
    assert fresh == gzip.decompress(EVAL_FILE.read_bytes()), "re-run oracle/evaluate.mjs"


def test_temporal_values_and_feature_flags() -> None:
    value = deserialize('Temporal.Duration.from("PT1H30M")')
    assert value == timedelta(hours=1, minutes=30)  # Temporal's canonical text: a timedelta
    value = deserialize('Temporal.Duration.from("PT90M")')
    assert value == S.JSTemporal(S.TemporalType.DURATION, "PT90M")  # not canonical: kept as is
    with pytest.raises(S.SerovalUnsupportedNodeError):
        deserialize('Temporal.Duration.from("PT1H")', disabled_features=S.Feature.TEMPORAL)
    with pytest.raises(S.SerovalUnsupportedNodeError):
        deserialize("[/a/g]", disabled_features=S.Feature.REGEXP)
    assert deserialize("[/a/g]") == [S.JSRegExp("a", "g")]


def test_limits_are_the_node_readers() -> None:
    ab = helpers.ARRAY_BUFFER_CONSTRUCTOR
    assert deserialize(f'({ab})("AQID")', max_base64_length=4) == bytearray(b"\x01\x02\x03")
    with pytest.raises(S.SerovalSizeLimitError):
        deserialize(f'({ab})("AQIDBA==")', max_base64_length=4)
    with pytest.raises(S.SerovalMalformedNodeError):
        deserialize(f'new Uint32Array(({ab})("AQID"),0,1)')
    with pytest.raises(S.SerovalDepthLimitError):
        deserialize("[[[[1]]]]", depth_limit=3)


# Texts seroval would never write but that are inside the language: Node decides.
# (Those the strictness rules refuse, such as Object(null) or 1e999, are in
# test_js_strict.py.)
_AB = helpers.ARRAY_BUFFER_CONSTRUCTOR
_ITER = helpers.ITERATOR_FACTORY
BEYOND_SEROVAL = [
    "(h=>(h={b:1},h[0]=2,h))()",
    "(h=>(h={b:1},Object.freeze(h),h.c=2,h.b=3,h))()",
    "(h=>(h={b:1},Object.seal(h),h.b=3,h.c=2,h))()",
    "(h=>(h={b:1},Object.preventExtensions(h),h.b=3,h.c=2,h))()",
    "(h=>(h={a:1},Object.seal(h),Object.freeze(h),h))()",
    "(h=>(h={},Object.preventExtensions(h),h))()",
    "(h=>(h=[1],h[3]=2,h))()",
    "(h=>(h=[1,,3],Object.seal(h),h[1]=2,h[0]=5,h))()",
    "(h=>(h=[],h[1]=h,h))()",
    "(h=>(h=[1,2],h[1]=void 0,h))()",
    "new Set([1,,2])",
    '"\\u0041\\x41\\u{1F600}\\uD83D\\uDE00\\v\\0"',
    "[1e-400]",
    'new RegExp("a/b\\n","g")',
    "/a\\/b[/]/g",
    '(h=>(h={},Object.assign(h,{[Symbol.toStringTag]:"T",a:1,0:2}),h))()',
    "(h=>(h=Object.create(null),h.__proto__=1,h))()",
    "new Map([[1,2],[1,3],[2,4]])",
    "(h=>(h=new Map([[1,2]]),h.set(3,4).set(1,5).delete(3),h))()",
    "(h=>(h=new Set([1,2]),h.add(3).add(1),h.delete(2),h))()",
    "(h=>(h=new Map([[0/0,1],[-0,2]]),h.set(0,3).set(0/0,4),h))()",
    '(h=>(h={a:1},Object.defineProperty(h,"a",{value:2,configurable:!0,enumerable:!0,'
    "writable:!0}),h))()",
    "({0.5:1,1e+21:2,Infinity:3,1:4})",
    "(h=>(h={},h[1.5]=1,h[Infinity]=2,h[-0]=3,h))()",
    "({a:1,a:2,b:3})",
    "({b:1,a:2,b:3})",
    "({[Symbol.match]:1,a:2})",
    "(h=>h={a:h})()",
    'new Date("2020-01-01")',
    "new Uint8Array((" + _AB + ')(" A Q I D "),1,2)',
    "(h=>({[h=Symbol.iterator]:((" + _ITER + ")(h))({__SEROVAL_SEQUENCE__:!0,v:[1,2,3,4],"
    "t:1,d:3})}))()",
    "(h=>({[h=Symbol.iterator]:((" + _ITER + ")(h))({__SEROVAL_SEQUENCE__:!0,v:[1,,3],"
    "t:5,d:4})}))()",
    "(h=>({[h=Symbol.iterator]:((" + _ITER + ")(h))({__SEROVAL_SEQUENCE__:!0,v:[1],"
    "t:-1,d:-1})}))()",
    "((h,k)=>({[h=Symbol.iterator]:((" + _ITER + ")(h))(k={__SEROVAL_SEQUENCE__:!0,v:[],"
    "t:-1,d:2}),z:(k.v[1]=7,k.v[0]=6)}))()",
    "new Point(1)",
    "new Point(1,2,3)",
    "[ 1 ,\n 2 ]",
]


def test_texts_beyond_serovals_output_mean_what_node_says(oracle_dir: Path) -> None:
    server = OracleServer.shared(oracle_dir)
    replies = server.batch([{"op": "roundtrip", "text": text} for text in BEYOND_SEROVAL])
    for text, reply in zip(BEYOND_SEROVAL, replies, strict=True):
        assert reply["ok"], (text, reply)
        value = deserialize(text, plugins=PLUGINS)
        assert write_text(value) == reply["serialize"], text
        assert write_json(value) == reply["json"], text
