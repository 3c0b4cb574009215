"""The conformance checks, shared by the test suite and ``seroval conformance``.

Each check takes one vector produced by the real seroval 1.8.1 and raises
:class:`ConformanceFailure` (with what differed) when this library disagrees.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from ..codecs import Codec, get_codec
from ..protocol.errors import (
    SerovalDepthLimitError,
    SerovalError,
    SerovalMissingPluginError,
    SerovalMissingReferenceError,
    SerovalParserError,
    SerovalUnsupportedTypeError,
)
from ..protocol.jstext.api import compile_json, cross_serialize, serialize
from ..protocol.jstext.reader import CrossDeserializer, deserialize
from ..protocol.model.features import enabled_features
from ..protocol.model.nodes import (
    T_INDEXED_VALUE,
    T_PROMISE_FAILURE,
    T_PROMISE_SUCCESS,
    T_STREAM_NEXT,
    T_STREAM_RETURN,
    T_STREAM_THROW,
)
from ..protocol.model.references import ReadRefs
from ..protocol.model.strings import unescape_string
from ..protocol.tree.api import from_cross_json, from_json, to_cross_json, to_json
from ..protocol.tree.json_text import dumps_json, loads_json
from ..protocol.tree.text_api import (
    from_cross_json_text,
    from_json_text,
    to_cross_json_text,
    to_json_text,
)
from . import catalogue
from .point import PointPlugin
from .recipes import build, reference_value
from .vectors import VECTOR_DIR, Vector, load_vectors

__all__ = [
    "CHECKS",
    "ConformanceFailure",
    "Outcome",
    "check_cross_json_round_trip",
    "check_json_round_trip",
    "check_python_value",
    "prepare",
    "run",
]

PLUGINS = (PointPlugin(),)

#: seroval's error class names (the ``cause`` of its step error) to ours.
ERROR_CLASSES: dict[str, type[SerovalError]] = {
    "SerovalUnsupportedTypeError": SerovalUnsupportedTypeError,
    "SerovalDepthLimitError": SerovalDepthLimitError,
    "SerovalMissingPluginError": SerovalMissingPluginError,
    # seroval lets a plain TypeError through when a Symbol.toStringTag value cannot
    # become a string; we raise SerovalUnsupportedTypeError, a SerovalParserError.
    "TypeError": SerovalParserError,
}


#: Our writing- and reading-side subclasses of seroval's error kinds (see
#: ``seroval.protocol.errors``); seroval names the kind, so a report does too.
_SIDE_SUBCLASSES: Final = frozenset(
    {
        "SerovalParserDepthLimitError",
        "SerovalSerializationDepthLimitError",
        "SerovalDeserializationDepthLimitError",
        "SerovalSerializationUnsupportedNodeError",
        "SerovalDeserializationUnsupportedNodeError",
        "SerovalSerializationMissingPluginError",
        "SerovalDeserializationMissingPluginError",
    }
)


def seroval_error_name(error: BaseException) -> str:
    """The name seroval gives this error's kind (ours may be a side's subclass of it)."""
    for cls in type(error).__mro__:
        if cls.__name__ not in _SIDE_SUBCLASSES:
            return cls.__name__
    return type(error).__name__


class ConformanceFailure(AssertionError):
    """This library disagrees with seroval on a vector."""


class NotApplicable(Exception):
    """The check does not apply to this vector (say, no Python counterpart)."""


def _expect(actual: object, expected: object, what: str) -> None:
    if actual != expected:
        raise ConformanceFailure(
            f"{what}:\n  seroval: {str(expected)[:500]!r}\n  ours:    {str(actual)[:500]!r}"
        )


_REFERENCE_NODE = re.compile(r'"t":18,"i":\d+,"s":("(?:[^"\\]|\\.)*")')


def prepare(vectors: Iterable[Vector]) -> None:
    """Register, as the application would, every ``createReference`` id the vectors use."""
    for vector in vectors:
        for text in (vector.json, vector.cross_json):
            for match in _REFERENCE_NODE.finditer(text or ""):
                reference_value(unescape_string(json.loads(match.group(1))))


def has_python_value(vector: Vector) -> bool:
    return not vector.native or (
        vector.python is not None and vector.python not in catalogue.NO_COUNTERPART
    )


def make(vector: Vector) -> Any:
    """A fresh Python value for the vector (recipe or native catalogue entry)."""
    if not vector.native:
        return build(vector.recipe)
    if vector.python is None:
        raise NotApplicable(f"{vector.name} has no Python counterpart")
    return catalogue.build(vector.python)


_PLAIN_SCALARS: Final = (str, int, float, bool, type(None))


def plain_tree_problem(tree: object) -> str | None:
    """Where ``tree`` holds anything but plain JSON data of the exact built-in types.

    A node tree in memory is handed to codecs and to readers without a trip
    through JSON text, so an ``IntEnum`` member or a tuple where the text would
    have an ``int`` or a list is a bug even when its JSON spelling is right.
    """
    stack: list[tuple[object, str]] = [(tree, "$")]
    while stack:
        item, where = stack.pop()
        kind = type(item)
        if kind is dict:
            assert isinstance(item, dict)
            for key, child in item.items():
                if type(key) is not str:
                    return f"{where}: key {key!r} of type {type(key).__name__}"
                stack.append((child, f"{where}.{key}"))
        elif kind is list:
            assert isinstance(item, list)
            stack.extend((child, f"{where}[{index}]") for index, child in enumerate(item))
        elif kind not in _PLAIN_SCALARS:
            return f"{where}: {item!r} of type {kind.__name__}"
    return None


def _outcome(read: Callable[[object], object], tree: object) -> str:
    try:
        read(tree)
    except SerovalError as error:
        return seroval_error_name(error)
    return "read"


def _check_in_memory(tree: object, read: Callable[[object], object], what: str) -> None:
    """The tree is plain data, and reading it in memory does what reading its text does."""
    problem = plain_tree_problem(tree)
    if problem is not None:
        raise ConformanceFailure(f"{what} is not plain JSON data: {problem}")
    in_memory = _outcome(read, tree)
    through_text = _outcome(read, loads_json(dumps_json(tree)))
    _expect(in_memory, through_text, f"reading {what} in memory")


def write(vector: Vector, value: Any) -> str:
    envelope = to_json(
        value,
        disabled_features=vector.disabled_features,
        plugins=PLUGINS,
        depth_limit=vector.depth_limit,
    )
    _check_in_memory(
        envelope,
        lambda tree: from_json(tree, plugins=PLUGINS, depth_limit=vector.depth_limit),
        "to_json(python value)",
    )
    return dumps_json(envelope)


def write_cross(vector: Vector, value: Any) -> str:
    node = to_cross_json(
        value,
        disabled_features=vector.disabled_features,
        plugins=PLUGINS,
        depth_limit=vector.depth_limit,
    )
    _check_in_memory(
        node,
        lambda tree: from_cross_json(
            tree,
            plugins=PLUGINS,
            disabled_features=vector.disabled_features,
            depth_limit=vector.depth_limit,
        ),
        "to_cross_json(python value)",
    )
    return dumps_json(node)


def write_text(vector: Vector, value: Any) -> str:
    """The fused writer's text (on whichever backend is active)."""
    return to_json_text(
        value,
        disabled_features=vector.disabled_features,
        plugins=PLUGINS,
        depth_limit=vector.depth_limit,
    )


def write_cross_text(vector: Vector, value: Any) -> str:
    """The fused cross writer's text (on whichever backend is active)."""
    return to_cross_json_text(
        value,
        disabled_features=vector.disabled_features,
        plugins=PLUGINS,
        depth_limit=vector.depth_limit,
    )


def check_json_round_trip(vector: Vector) -> None:
    """seroval's JSON, read and written again, gives seroval's bytes."""
    if vector.json is None:
        raise NotApplicable("seroval refused this value")
    envelope = loads_json(vector.json)
    _expect(dumps_json(envelope), vector.json, "JSON text writer")
    value = from_json(envelope, plugins=PLUGINS, depth_limit=vector.depth_limit)
    # jsonRoundTrip is recorded where seroval's own round trip changes the value
    # (an OpaqueReference's wasted id, a plugin value that refers to itself).
    _expect(write(vector, value), vector.json_round_trip or vector.json, "to_json(from_json(json))")
    fused = from_json_text(vector.json, plugins=PLUGINS, depth_limit=vector.depth_limit)
    _expect(
        write_text(vector, fused),
        vector.json_round_trip or vector.json,
        "to_json_text(from_json_text(json))",
    )


def wasted_ids(node: Any) -> set[int]:
    """Ids that references point at but no node defines (an OpaqueReference's wasted id)."""
    defined: set[int] = set()
    referenced: set[int] = set()
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, dict):
            kind = item.get("t")
            if kind == T_INDEXED_VALUE:
                referenced.add(item["i"])
            elif kind not in (
                T_PROMISE_SUCCESS,
                T_PROMISE_FAILURE,
                T_STREAM_NEXT,
                T_STREAM_THROW,
                T_STREAM_RETURN,
            ) and isinstance(item.get("i"), int):
                defined.add(item["i"])
            todo.extend(item.values())
    return referenced - defined


def check_cross_json_round_trip(vector: Vector) -> None:
    """seroval's cross JSON, read and written again, gives seroval's bytes."""
    if vector.cross_json is None:
        raise NotApplicable("seroval refused this value")
    node = loads_json(vector.cross_json)
    _expect(dumps_json(node), vector.cross_json, "JSON text writer (cross)")
    features = enabled_features(vector.disabled_features)

    def read() -> Any:
        return from_cross_json(
            node,
            refs=ReadRefs(),
            plugins=PLUGINS,
            features=features,
            depth_limit=vector.depth_limit,
        )

    def read_text() -> Any:
        assert vector.cross_json is not None
        return from_cross_json_text(
            vector.cross_json,
            refs=ReadRefs(),
            plugins=PLUGINS,
            features=features,
            depth_limit=vector.depth_limit,
        )

    if wasted_ids(node):
        # seroval reads a reference to a wasted id as undefined.  Cross mode has no
        # `m` to tell a wasted id from a forged one, so we refuse it instead.
        for reader in (read, read_text):
            try:
                reader()
            except SerovalMissingReferenceError:
                continue
            raise ConformanceFailure("a reference to an undefined id was accepted in cross mode")
        return
    expected = vector.raw.get("crossJsonRoundTrip") or vector.cross_json
    _expect(write_cross(vector, read()), expected, "to_cross_json(from_cross_json(node))")
    _expect(
        write_cross_text(vector, read_text()),
        expected,
        "to_cross_json_text(from_cross_json_text(text))",
    )


def check_python_value(vector: Vector) -> None:
    """The Python value built from the same recipe gives seroval's nodes, or its error."""
    if not has_python_value(vector):
        raise NotApplicable("no Python counterpart")
    if vector.error is None:
        _expect(write(vector, make(vector)), vector.json, "to_json(python value)")
        _expect(write_cross(vector, make(vector)), vector.cross_json, "to_cross_json(python value)")
        _expect(write_text(vector, make(vector)), vector.json, "to_json_text(python value)")
        _expect(
            write_cross_text(vector, make(vector)),
            vector.cross_json,
            "to_cross_json_text(python value)",
        )
        return
    expected = ERROR_CLASSES.get(vector.error)
    if expected is None:
        raise ConformanceFailure(f"seroval raised {vector.error}, which we do not map")
    for writer in (write, write_cross, write_text, write_cross_text):
        try:
            writer(vector, make(vector))
        except expected:
            continue
        except SerovalError as error:
            message = f"seroval raised {vector.error}; we raised {error!r}"
            raise ConformanceFailure(message) from error
        raise ConformanceFailure(f"seroval raised {vector.error}; we raised nothing")


def _text_options(vector: Vector) -> dict[str, Any]:
    return {
        "disabled_features": vector.disabled_features,
        "plugins": PLUGINS,
        "depth_limit": vector.depth_limit,
    }


def check_js_text_of_json(vector: Vector) -> None:
    """seroval's nodes, and the values read from them, give seroval's JS text."""
    if vector.json is None or vector.cross_json is None:
        raise NotApplicable("seroval refused this value")
    envelope = loads_json(vector.json)
    _expect(compile_json(envelope, plugins=PLUGINS), vector.serialize, "compile_json(json)")
    value = from_json(envelope, plugins=PLUGINS, depth_limit=vector.depth_limit)
    expected = vector.serialize
    if vector.json_round_trip is not None:  # the read value differs in JS too
        expected = compile_json(loads_json(vector.json_round_trip), plugins=PLUGINS)
    _expect(serialize(value, **_text_options(vector)), expected, "serialize(from_json(json))")
    node = loads_json(vector.cross_json)
    if vector.raw.get("crossJsonRoundTrip") or wasted_ids(node):
        return
    value = from_cross_json(
        node,
        refs=ReadRefs(),
        plugins=PLUGINS,
        features=enabled_features(vector.disabled_features),
        depth_limit=vector.depth_limit,
    )
    actual = cross_serialize(value, **_text_options(vector))
    _expect(actual, vector.cross_serialize, "cross_serialize(from_cross_json(node))")


def check_js_text_of_python_value(vector: Vector) -> None:
    """The Python value gives seroval's JS text in every form, or fails as seroval did."""
    if not has_python_value(vector):
        raise NotApplicable("no Python counterpart")
    forms: dict[str, Callable[[Any], str]] = {
        "serialize": lambda value: serialize(value, **_text_options(vector)),
        "crossSerialize": lambda value: cross_serialize(value, **_text_options(vector)),
        "crossScoped": lambda value: cross_serialize(
            value, scope_id="example", **_text_options(vector)
        ),
        "crossSharedOnly": lambda value: cross_serialize(
            value, assign_shared_refs_only=True, **_text_options(vector)
        ),
    }
    if vector.error is None:
        for name, form in forms.items():
            _expect(form(make(vector)), vector.raw[name], f"{name}(python value)")
        return
    expected = ERROR_CLASSES.get(vector.error)
    if expected is None:
        raise ConformanceFailure(f"seroval raised {vector.error}, which we do not map")
    for name, form in forms.items():
        try:
            form(make(vector))
        except expected:
            continue
        raise ConformanceFailure(f"{name}: seroval raised {vector.error}; we raised nothing")


EVAL_FILE = VECTOR_DIR / "eval" / "eval.jsonl.gz"
_eval_records: dict[tuple[str, int], dict[str, Any]] | None = None


def eval_record(vector: Vector) -> dict[str, Any] | None:
    """What Node gives for evaluating the vector's texts (``oracle/evaluate.mjs``)."""
    global _eval_records
    if _eval_records is None:
        records: dict[tuple[str, int], dict[str, Any]] = {}
        if EVAL_FILE.exists():
            with gzip.open(EVAL_FILE, "rt", encoding="utf-8") as handle:
                for line in handle:
                    record = json.loads(line)
                    if "texts" in record:
                        records[(record["name"], record["disabledFeatures"])] = record
        _eval_records = records
    return _eval_records.get((vector.name, vector.disabled_features))


def check_js_read(vector: Vector) -> None:
    """Reading seroval's JS text (without eval) gives what evaluating it in JS gives."""
    record = eval_record(vector)
    if record is None:
        raise NotApplicable("no evaluation record for this vector")
    for name, result in record["texts"].items():
        if "error" in result:
            raise ConformanceFailure(f"{name}: Node could not re-serialize its own eval")
        text = vector.raw[name]
        if name == "serialize":
            value = deserialize(text, plugins=PLUGINS, depth_limit=vector.depth_limit)
        else:
            value = CrossDeserializer(plugins=PLUGINS, depth_limit=vector.depth_limit).feed(text)
        _expect(
            write(vector, value), result.get("json", vector.json), f"to_json(deserialize({field}))"
        )
        actual = serialize(value, **_text_options(vector))
        _expect(
            actual, result.get("serialize", vector.serialize), f"serialize(deserialize({field}))"
        )


def installed_codec(name: str) -> Codec:
    """The codec ``name``, or :class:`NotApplicable` when its package is not installed."""
    try:
        return get_codec(name)
    except ImportError:
        raise NotApplicable(f"{name} is not installed: pip install 'seroval[{name}]'") from None


def check_codec(vector: Vector, name: str) -> None:
    """The node tree through a codec and back is the same tree: seroval's JSON bytes again."""
    if vector.json is None or vector.cross_json is None:
        raise NotApplicable("seroval refused this value")
    codec = installed_codec(name)
    for text in (vector.json, vector.cross_json):
        tree = loads_json(text)
        _expect(dumps_json(codec.decode(codec.encode(tree))), text, f"{name} round trip")


CHECKS: dict[str, Callable[[Vector], None]] = {
    "json round trip": check_json_round_trip,
    "cross json round trip": check_cross_json_round_trip,
    "python value": check_python_value,
    "js text of json": check_js_text_of_json,
    "js text of python value": check_js_text_of_python_value,
    "js text read": check_js_read,
    "json codec": lambda vector: check_codec(vector, "json"),
    "msgpack codec": lambda vector: check_codec(vector, "msgpack"),
    "cbor codec": lambda vector: check_codec(vector, "cbor"),
}

#: The form (a column of ``seroval conformance``'s table) each check belongs to.
FORMS: dict[str, str] = {
    "json round trip": "sync nodes",
    "cross json round trip": "sync nodes",
    "python value": "sync nodes",
    "js text of json": "js text",
    "js text of python value": "js text",
    "js text read": "js text",
    "json codec": "json",
    "msgpack codec": "msgpack",
    "cbor codec": "cbor",
}


@dataclass
class Outcome:
    """Pass/fail counts per (group, check), plus the first failures."""

    passed: dict[tuple[str, str], int] = field(default_factory=dict)
    failed: dict[tuple[str, str], int] = field(default_factory=dict)
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def record(self, group: str, check: str, error: BaseException | None, name: str) -> None:
        key = (group, check)
        if error is None:
            self.passed[key] = self.passed.get(key, 0) + 1
        else:
            self.failed[key] = self.failed.get(key, 0) + 1
            if len(self.failures) < 50:
                self.failures.append((name, check, str(error)))


def group_of(vector: Vector) -> str:
    """The supported-type group a vector belongs to (its name's first part)."""
    return vector.name.split("/")[0]


def run(
    vectors: list[Vector] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Run every check over the vectors (all committed ones by default)."""
    if vectors is None:
        vectors = load_vectors()
    prepare(vectors)
    outcome = Outcome()
    for index, vector in enumerate(vectors):
        for check_name, check in CHECKS.items():
            try:
                check(vector)
            except NotApplicable:
                continue
            except (ConformanceFailure, SerovalError) as error:
                outcome.record(group_of(vector), check_name, error, vector.name)
            else:
                outcome.record(group_of(vector), check_name, None, vector.name)
        if progress is not None:
            progress(index + 1, len(vectors))
    return outcome


def iter_checks(vectors: list[Vector]) -> Iterator[tuple[str, Vector, Callable[[Vector], None]]]:
    """(check name, vector, check) for every applicable pairing, for parametrized tests."""
    for vector in vectors:
        for name, check in CHECKS.items():
            yield name, vector, check
