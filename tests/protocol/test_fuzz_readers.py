"""Fuzzing the readers the node-tree fuzz does not reach: JS text (``deserialize`` and
``CrossDeserializer.feed``), streamed node records (``CrossDeserializer.deserialize``)
and framed streams of records (``FrameDecoder`` into a cross reader).

Inputs are seroval's own output, mutated: near-valid input goes much deeper into a
reader than random bytes.  The only exceptions allowed out are ``SerovalError``
subclasses.  Budgets: :mod:`tests.fuzzing` (``SEROVAL_FUZZ_EXAMPLES`` raises them).
"""

from __future__ import annotations

import gzip
import json
from contextlib import suppress
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import seroval as S
import seroval.codecs as C
from seroval.conformance.vectors import VECTOR_DIR, load_vectors

from ..conftest import PLUGINS
from ..fuzzing import fuzz

#: Run on both backends: the native readers and writers, and the pure ones.
pytestmark = pytest.mark.usefixtures("each_backend")

_TEXTS = [
    v.serialize for v in load_vectors() if v.serialize is not None and len(v.serialize) < 3000
][::5]
_CROSS_TEXTS = [
    v.cross_serialize
    for v in load_vectors()
    if v.cross_serialize is not None and len(v.cross_serialize) < 3000
][::7]


def _stream_records() -> list[list[Any]]:
    with gzip.open(VECTOR_DIR / "stream" / "stream.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    found = []
    for record in records:
        nodes = record["jsonStream"]["nodes"]
        if nodes and sum(len(node) for node in nodes) < 4000:
            found.append([S.loads_json(node) for node in nodes])
    return found[::3]


_RECORDS = _stream_records()

# Characters that matter to the JS-text grammar, and some that never appear in it.
_JS_WORDS = ["$R", "=>", "void 0", "new ", "Object", "Promise", "1/0", "__proto__", "0x", "1e999"]
_JS_PIECES = st.sampled_from(
    [*"()[]{},.;:=!-+/\\\"'`$n0123456789eEhjkvx \n\u2028\ud800", *_JS_WORDS]
)


def _mutate_text(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        where = data.draw(st.integers(0, len(text)), label="where")
        action = data.draw(st.sampled_from(["insert", "delete", "copy", "cut"]), label="action")
        if action == "insert":
            text = text[:where] + data.draw(_JS_PIECES, label="piece") + text[where:]
        elif action == "delete":
            text = text[:where] + text[where + data.draw(st.integers(1, 6)) :]
        elif action == "copy":
            size = data.draw(st.integers(1, 20))
            text = text[:where] + text[where : where + size] * 2 + text[where + size :]
        else:
            text = text[:where]
    return text


def _only_seroval_errors(read: Any, *args: Any) -> None:
    with suppress(S.SerovalError):
        read(*args)


@fuzz(800)
@given(st.sampled_from(_TEXTS), st.data())
def test_mutated_js_text_only_raises_seroval_errors(text: str, data: st.DataObject) -> None:
    mutated = _mutate_text(text, data)
    _only_seroval_errors(lambda: S.deserialize(mutated, plugins=PLUGINS))


@fuzz(400)
@given(st.lists(st.sampled_from(_CROSS_TEXTS), min_size=1, max_size=3), st.data())
def test_mutated_cross_chunks_only_raise_seroval_errors(
    texts: list[str], data: st.DataObject
) -> None:
    reader = S.CrossDeserializer(plugins=PLUGINS)
    for text in texts:
        try:
            reader.feed(_mutate_text(text, data))
        except S.SerovalError:
            continue


def _paths(node: Any) -> list[list[Any]]:
    found: list[list[Any]] = []
    todo: list[tuple[list[Any], Any]] = [([], node)]
    while todo and len(found) < 300:
        path, item = todo.pop(0)
        found.append(path)
        if isinstance(item, dict):
            todo.extend(([*path, key], child) for key, child in item.items())
        elif isinstance(item, list):
            todo.extend(([*path, index], child) for index, child in enumerate(item))
    return found


_NODE_VALUES: st.SearchStrategy[Any] = (
    st.integers(-3, 40)
    | st.sampled_from([None, True, "", "x", 1.5, -0.0, 2**53, 10**30, [], {}])
    | st.fixed_dictionaries({"t": st.integers(0, 36), "i": st.integers(0, 20)})
    | st.fixed_dictionaries({"t": st.just(4), "i": st.integers(0, 20)})
    | st.fixed_dictionaries({"t": st.just(26), "i": st.integers(0, 20), "s": st.integers(0, 6)})
)


@fuzz(800)
@given(st.sampled_from(_RECORDS), st.data())
def test_mutated_record_streams_only_raise_seroval_errors(
    records: list[Any], data: st.DataObject
) -> None:
    records = json.loads(json.dumps(records))  # a private copy to edit
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(records) - 1))
        path = data.draw(st.sampled_from(_paths(records[index])))
        if not path:
            records[index] = data.draw(_NODE_VALUES)
            continue
        parent = records[index]
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and data.draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(_NODE_VALUES)
    if data.draw(st.booleans()):
        records = data.draw(st.permutations(records))
    reader = S.CrossDeserializer(plugins=PLUGINS)
    for record in records:
        try:
            reader.deserialize(record)
        except S.SerovalError:
            break


@fuzz(800)
@given(st.sampled_from(_RECORDS), st.sampled_from(["json", "msgpack", "cbor"]), st.data())
def test_mutated_framed_streams_only_raise_seroval_errors(
    records: list[Any], name: str, data: st.DataObject
) -> None:
    codec = C.get_codec(name)
    stream = bytearray(b"".join(C.encode_frame(codec.encode(record)) for record in records))
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.integers(0, len(stream)))
        action = data.draw(st.sampled_from(["flip", "insert", "delete"]))
        if action == "flip" and where < len(stream):
            stream[where] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "insert":
            stream[where:where] = data.draw(st.binary(min_size=1, max_size=4))
        else:
            del stream[where : where + data.draw(st.integers(1, 9))]
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=3)))
    decoder = C.FrameDecoder(codec, max_frame_size=1 << 16)
    reader = S.CrossDeserializer(plugins=PLUGINS)
    try:
        start = 0
        for cut in [*cuts, len(stream)]:
            for record in decoder.feed(bytes(stream[start:cut])):
                reader.deserialize(record)
            start = cut
        decoder.close()
    except S.SerovalError:
        pass
