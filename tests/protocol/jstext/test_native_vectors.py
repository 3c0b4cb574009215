"""Every conformance vector through the native JS text paths, against the pure ones.

The conformance checks (``tests/protocol/jstext/test_js_write.py``, ``test_js_read.py``)
run with the test plugins, and with plugins the native writer leaves most values
to the pure path.  Here each vector's Python value is written without plugins on
both backends (same text or same error, and seroval's text where the vector has
one), and each vector's ``serialize`` text is read on both backends (same value
shape or same error).  The native paths must take a large share of the vectors,
so that this compares something.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import seroval as S
from seroval.conformance import suite
from seroval.conformance.vectors import Vector
from seroval.protocol.jstext.native_text import NOT_HANDLED, native_deserialize, native_serialize
from seroval.protocol.model.options import ReadOptions, WriteOptions
from seroval.protocol.tree.backend import forced, native_available

from ...conformance.test_vectors import BUILDABLE, OK
from ...conftest import PLUGINS
from .test_native_deserialize import _shape

pytestmark = pytest.mark.skipif(
    not native_available(), reason="the native core is not built (no Rust, or pure forced)"
)

_FORMS = ("serialize", "crossSerialize", "crossScoped", "crossSharedOnly")


def _write(form: str, value: Any, vector: Vector) -> tuple[str, str]:
    options: dict[str, Any] = {
        "disabled_features": vector.disabled_features,
        "depth_limit": vector.depth_limit,
    }
    try:
        if form == "serialize":
            return "ok", S.serialize(value, **options)
        if form == "crossSerialize":
            return "ok", S.cross_serialize(value, **options)
        if form == "crossScoped":
            return "ok", S.cross_serialize(value, scope_id="example", **options)
        return "ok", S.cross_serialize(value, assign_shared_refs_only=True, **options)
    except S.SerovalError as error:  # each make() gives new objects: addresses differ
        return type(error).__name__, re.sub("0x[0-9a-f]+", "0x", str(error))


def test_every_vector_value_is_written_as_the_pure_writer_writes_it() -> None:
    taken = 0
    wrong: list[str] = []
    for vector in BUILDABLE:
        options = WriteOptions(
            disabled_features=vector.disabled_features, depth_limit=vector.depth_limit
        )
        with forced("native"):
            try:
                taken += native_serialize(options, suite.make(vector)) is not None
            except Exception:  # a recipe that cannot be built without its plugin
                continue
        for form in _FORMS:
            with forced("python"):
                pure = _write(form, suite.make(vector), vector)
            with forced("native"):
                native = _write(form, suite.make(vector), vector)
            if native != pure:
                wrong.append(f"{vector.name}#df={vector.disabled_features} {form}")
            elif pure[0] == "ok" and vector.error is None and pure[1] != vector.raw.get(form):
                wrong.append(f"{vector.name} {form}: not seroval's text")
    assert not wrong, wrong[:20]
    assert taken >= 900, taken


def _read(text: str, vector: Vector) -> tuple[Any, ...]:
    try:
        value = S.deserialize(
            text,
            plugins=PLUGINS,
            depth_limit=vector.depth_limit,
            disabled_features=vector.disabled_features,
        )
    except S.SerovalError as error:
        return type(error).__name__, str(error)
    with forced("python"):
        again = S.serialize(value, plugins=PLUGINS)
    return "ok", _shape(value), again


def test_every_vector_text_is_read_as_the_pure_reader_reads_it() -> None:
    taken = 0
    wrong: list[str] = []
    for vector in OK:
        text = vector.raw.get("serialize")
        if not isinstance(text, str):
            continue
        with forced("native"):
            options = ReadOptions(
                plugins=PLUGINS,
                depth_limit=vector.depth_limit,
                disabled_features=vector.disabled_features,
            )
            taken += native_deserialize(options, text) is not NOT_HANDLED
        with forced("python"):
            pure = _read(text, vector)
        with forced("native"):
            native = _read(text, vector)
        if native != pure:
            wrong.append(f"{vector.name}#df={vector.disabled_features}: {text[:60]}")
    assert not wrong, wrong[:20]
    assert taken >= 900, taken
