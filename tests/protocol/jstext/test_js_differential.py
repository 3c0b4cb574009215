"""Differential test: real seroval evaluates our JS text and writes the same text back.

Hypothesis builds Python value graphs (JSON-like values plus Map, Set, BigInt,
undefined, holes, dates, RegExps, errors, binary data, iterables, plugins and
references, with shared references and cycles patched in).  For each one, our
``serialize`` text is evaluated by seroval's ``deserialize`` in Node and that JS
value is serialized again by seroval: the text, the ``toJSON`` nodes and the three
cross-mode texts must all equal ours.  One ``server.mjs`` process serves the whole
session; each example is one batched request line.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import seroval as S
from seroval.conformance.oracle import OracleServer
from seroval.conformance.point import Point
from seroval.protocol.jstext.api import cross_serialize, serialize

from ...conftest import PLUGINS

REFERENCE_NAMES = ["differential/a", "differential/b"]
REFERENCES = [S.create_reference(name, object()) for name in REFERENCE_NAMES]

# Feature masks that keep every generated value serializable (RegExp and Temporal stay on).
MASKS = [0, 1, 4, 8, 9, 16, 31]

_TRICKY_CHARS = [
    '"',
    "\\",
    "\n",
    "\r",
    "\b",
    "\t",
    "\f",
    "\v",
    "\x00",
    "\x7f",
    "<",
    ">",
    "/",
    "'",
    "`",
    "\u2028",
    "\u2029",
    "\ud800",
    "\udfff",
    "é",
    "😀",
    "$",
]
strings = st.text(
    alphabet=st.sampled_from(_TRICKY_CHARS) | st.characters(codec="utf-8"), max_size=12
)
keys = (
    st.sampled_from(
        [
            "a",
            "b",
            "0",
            "1",
            "10",
            "01",
            "1.5",
            "-1",
            "1e21",
            "1e+21",
            "Infinity",
            "NaN",
            "__proto__",
            "a-b",
            "",
            "class",
            "$_",
            "4294967294",
            "4294967295",
            "9007199254740993",
        ]
    )
    | strings
)
numbers = (
    st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats()
    | st.sampled_from([0.0, -0.0, 1e21, 1e-7, 5e-324, 2.0**53])
)
primitives = (
    st.none()
    | st.booleans()
    | numbers
    | strings
    | st.just(S.undefined)
    | st.builds(S.JSBigInt, st.integers(min_value=-(2**70), max_value=2**70))
    | st.sampled_from(list(S.JSSymbol))
)

dates = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)) | st.builds(
    S.JSDate, st.sampled_from([float("nan"), -8.64e15, 8.64e15, -62198755200000.0, 1e15])
)

# Sources as JS's RegExp.prototype.source gives them, valid with every flag below.
_SOURCES = [
    "a",
    "[a-z]+",
    "\\d{2,3}",
    "a\\/b",
    "(?:x)|y",
    "\\n",
    "^$",
    "<\\/script>",
    "a.b*?",
    "[\\]]",
    "\\u2028",
    "\\\\",
    "\"'`",
    "(?<name>x)\\k<name>",
    "\\bword\\b",
    "[^<>]",
    "(?:)",
]
regexps = st.builds(
    S.JSRegExp, st.sampled_from(_SOURCES), st.sets(st.sampled_from("dgimsuy")).map("".join)
)

_INT_KINDS = ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array"]
_INT_KINDS += ["Int32Array", "Uint32Array"]
typed_arrays = (
    st.builds(S.JSTypedArray.of, st.sampled_from(_INT_KINDS), st.lists(st.integers(0, 2**32)))
    | st.builds(
        S.JSTypedArray.of,
        st.sampled_from(["Float32Array", "Float64Array"]),
        st.lists(st.floats(width=32)),
    )
    | st.builds(
        S.JSTypedArray.of,
        st.sampled_from(["BigInt64Array", "BigUint64Array"]),
        st.lists(st.integers(0, 2**64 - 1)),
    )
)
binary = (
    st.binary(max_size=8)
    | st.binary(max_size=8).map(bytearray)
    | typed_arrays
    | st.binary(min_size=1, max_size=8).map(lambda b: S.JSDataView(bytearray(b), 1))
)


def _error(kind: S.JSErrorType, message: str, props: dict[str, Any]) -> S.JSError:
    return S.JSError(message, type=kind, properties=props)


# Leaves with an identity of their own, but nothing inside that could point back up
# (a plugin's field or an iterator's item that is an ancestor breaks in seroval too).
# No streams: the text rebuilds one as the helper's plain object, which seroval's
# parser does not take for a stream, so seroval cannot write it again.
objects = (
    dates
    | regexps
    | binary
    | st.builds(S.JSBoxed, st.booleans() | numbers | strings | st.builds(S.JSBigInt, st.integers()))
    | st.builds(Point, primitives, primitives)
    | st.sampled_from(REFERENCES)
    | st.builds(ValueError, strings)
)

_ERROR_KEYS = keys.filter(lambda k: k not in ("name", "message", "stack", "constructor"))


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    items = st.lists(children | st.just(S.hole), max_size=4)
    props = st.dictionaries(keys, children, max_size=4)
    integrity = st.sampled_from(list(S.Integrity))
    return (
        items
        | st.lists(children, max_size=3).map(tuple)
        # seroval writes a locked *empty* array as plain `[]` (the lock is lost), so
        # only non-empty arrays get one here.
        | st.builds(lambda i, f: S.JSArray(i, integrity=f), items.filter(bool), integrity)
        | props
        | st.builds(
            lambda p, n, f: S.JSObject(p, null_prototype=n, integrity=f),
            props,
            st.booleans(),
            integrity,
        )
        | st.builds(S.JSMap, st.lists(st.tuples(children, children), max_size=3))
        | st.builds(S.JSSet, st.lists(children, max_size=3))
        | st.builds(
            _error,
            st.sampled_from(list(S.JSErrorType)),
            strings,
            st.dictionaries(_ERROR_KEYS, children, max_size=2),
        )
        | st.builds(S.JSAggregateError, st.lists(children, max_size=2), strings)
        | st.builds(
            lambda p, seq: {**p, S.JSSymbol.ITERATOR: S.JSSequence([*seq, S.undefined])},
            props,
            st.lists(primitives, max_size=3),
        )
        | st.builds(lambda p, tag: {**p, S.JSSymbol.TO_STRING_TAG: tag}, props, strings)
    )


trees = st.recursive(primitives | objects, containers, max_leaves=24)

_TARGETS = (list, S.JSArray, dict, S.JSObject, S.JSMap, S.JSSet, S.JSError)
_OPAQUE = (Point, S.JSSymbol, type(S.undefined), type(S.hole), str, bytes)


def _identities(root: Any) -> tuple[list[Any], list[Any]]:
    """(every object with an identity, those that can take a patch), tree order."""
    seen: set[int] = set()
    found: list[Any] = []
    todo = [root]
    while todo:
        item = todo.pop()
        if item is None or isinstance(item, (bool, int, float, *_OPAQUE)) or id(item) in seen:
            continue
        seen.add(id(item))
        found.append(item)
        if isinstance(item, (list, tuple)):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(v for k, v in item.items() if k is not S.JSSymbol.ITERATOR)
        elif isinstance(item, S.JSMap):
            todo.extend(x for entry in item.entries() for x in entry)
        elif isinstance(item, S.JSSet):
            todo.extend(item)
        elif isinstance(item, S.JSError):
            todo.extend(item.properties.values())
    targets = [item for item in found if isinstance(item, _TARGETS)]
    return found, targets


def _patch(target: Any, key: Any, value: Any) -> None:
    if isinstance(target, list):
        target.append(value)
    elif isinstance(target, S.JSMap):
        target[key] = value
    elif isinstance(target, S.JSSet):
        target.add(value)
    elif isinstance(target, S.JSError):
        target.properties[key if isinstance(key, str) else "p"] = value
    else:
        target[key if isinstance(key, str) else "p"] = value


@st.composite
def graphs(draw: st.DrawFn) -> Any:
    """A tree with up to five extra edges: shared references, and cycles back up."""
    root = draw(trees)
    found, targets = _identities(root)
    if not targets:
        return root
    for _ in range(draw(st.integers(0, 6))):
        target = draw(st.sampled_from(targets))
        value = draw(st.sampled_from(found))
        key: Any = draw(_ERROR_KEYS)
        if isinstance(target, S.JSMap) and draw(st.booleans()):
            key = draw(st.sampled_from(found))  # an object as the key
        _patch(target, key, value)
    return root


_PATHS = [
    (".delete(", "Map sentinel"),
    (".set(", "deferred Map entry"),
    (".add(", "deferred Set item"),
    ("Object.defineProperty(", "__proto__ assignment"),
    ("=Object.create(null),", "null-prototype assignment form"),
    ("Object.freeze(", "freeze"),
]


def _requests(text: str, envelope: str, disabled: int) -> list[dict[str, Any]]:
    options = {"disabledFeatures": disabled}
    base = {"op": "cross", "text": text, "references": REFERENCE_NAMES}
    return [
        {"op": "roundtrip", "text": text, "options": options, "references": REFERENCE_NAMES},
        {"op": "compile", "json": envelope},
        {**base, "calls": [{"options": options}]},
        {**base, "calls": [{"options": options, "scopeId": "sc"}]},
        {**base, "calls": [{"options": options, "assignSharedRefsOnly": True}]},
    ]


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(value=graphs(), disabled=st.sampled_from(MASKS))
def test_seroval_reads_our_text_and_writes_it_back(
    oracle_dir: Path, value: Any, disabled: int
) -> None:
    options: dict[str, Any] = {"disabled_features": disabled, "plugins": PLUGINS}
    text = serialize(value, **options)
    envelope = S.dumps_json(S.to_json(value, **options))
    replies = OracleServer.shared(oracle_dir).batch(_requests(text, envelope, disabled))
    assert all(reply["ok"] for reply in replies), replies
    roundtrip, compiled, cross, scoped, shared = replies
    # seroval's compileJSON of our nodes is our text.
    assert compiled["serialize"] == text
    # A value that survives the trip comes back as the same text.  (One with cycles
    # may not: a deferred `h.a=h` adds its key after the literal's keys, so seroval
    # itself reorders keys, Map entries and Set items through its own text.)
    if roundtrip["json"] == envelope:
        assert roundtrip["serialize"] == text
    event("shape: " + ("IIFE" if text.endswith(")()") else "plain"))
    for marker, what in _PATHS:
        if marker in text:
            event("path: " + what)
    event("trip: " + ("identical" if roundtrip["json"] == envelope else "reordered by seroval"))
    # Whatever seroval now holds, we write it exactly as seroval does, in every mode.
    held = S.from_json(S.loads_json(roundtrip["json"]), plugins=PLUGINS)
    assert serialize(held, **options) == roundtrip["serialize"]
    assert cross["outputs"] == [cross_serialize(held, **options)]
    assert scoped["outputs"] == [cross_serialize(held, scope_id="sc", **options)]
    assert shared["outputs"] == [cross_serialize(held, assign_shared_refs_only=True, **options)]
