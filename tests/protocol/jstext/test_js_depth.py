"""JS text at seroval's depth limit: written and read with the recursion limit untouched.

The writer, the text parser and the evaluator recurse a few frames per level, so
1,000 levels do not fit in Python's default 1,000 frames; deep parts continue on
a fresh thread (``protocol.stack``) instead of raising the limit.  A plugin
that looks at ``sys.getrecursionlimit()`` from inside the walk shows it is never
changed, and the depth errors stay typed.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import pytest

import seroval as S
from seroval.protocol.jstext.api import compile_json
from seroval.protocol.jstext.writer import WRITE_DEPTH
from seroval.protocol.model.plugins import PluginDeserializeContext, PluginSerializeContext

#: Run on both backends: the native readers and writers, and the pure ones.
pytestmark = pytest.mark.usefixtures("each_backend")


def nested(levels: int, kind: str) -> Any:
    """A value ``levels`` deep as seroval counts it (the innermost container included)."""
    value: Any = [] if kind == "list" else {} if kind == "dict" else S.JSMap()
    for _ in range(levels - 1):
        if kind == "list":
            value = [value]
        elif kind == "dict":
            value = {"a": value}
        else:
            value = S.JSMap([("k", value)])
    return value


class _Probe:
    """A value whose plugin records the interpreter's state in every hook."""

    def __eq__(self, other: object) -> bool:
        return type(other) is _Probe

    __hash__ = object.__hash__


class _ProbePlugin(S.Plugin):
    """Parse, write and read hooks note ``(gc.isenabled(), sys.getrecursionlimit())``."""

    tag = "test/probe"
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "Probe": lambda args: {}
    }

    def __init__(self) -> None:
        self.seen: dict[str, set[tuple[bool, int]]] = {
            "parse": set(),
            "write": set(),
            "read": set(),
        }

    def _note(self, step: str) -> None:
        self.seen[step].add((gc.isenabled(), sys.getrecursionlimit()))

    def test(self, value: object) -> bool:
        return type(value) is _Probe

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        self._note("parse")
        return {}

    def serialize(self, info: dict[str, S.Node], ctx: PluginSerializeContext) -> str:
        self._note("write")
        return "Probe()"

    def deserialize(self, info: dict[str, S.Node], ctx: PluginDeserializeContext) -> Any:
        self._note("read")
        return _Probe()


def probed(levels: int) -> Any:
    """``levels`` nested objects, each holding a probe: every walk meets one per level."""
    value: Any = {"p": _Probe()}
    for _ in range(levels - 1):
        value = {"a": value, "p": _Probe()}
    return value


@pytest.mark.parametrize("cross", [False, True])
def test_every_walk_at_the_depth_limit_leaves_the_limit_and_the_collector_alone(
    cross: bool,
) -> None:
    limit = sys.getrecursionlimit()
    probe = _ProbePlugin()
    value = probed(999)  # the probes sit one level deeper: 1,000 levels in all
    if cross:
        text = S.cross_serialize(value, plugins=[probe])
        again = S.CrossDeserializer(plugins=[probe]).feed(text)
        assert S.cross_serialize(again, plugins=[probe]) == text
    else:
        text = S.serialize(value, plugins=[probe])
        again = S.deserialize(text, plugins=[probe])
        assert S.serialize(again, plugins=[probe]) == text
    for step in ("parse", "write", "read"):
        assert probe.seen[step] == {(True, limit)}, step
    assert sys.getrecursionlimit() == limit


@pytest.mark.parametrize("kind", ["list", "dict", "map"])
def test_a_thousand_levels_serialize_and_deserialize(kind: str) -> None:
    limit = sys.getrecursionlimit()
    text = S.serialize(nested(1000, kind))
    again = S.deserialize(text)
    assert S.serialize(again) == text
    assert sys.getrecursionlimit() == limit


@pytest.mark.parametrize("kind", ["list", "dict", "map"])
def test_a_thousand_levels_cross_serialize_and_feed(kind: str) -> None:
    limit = sys.getrecursionlimit()
    value = nested(1000, kind)
    text = S.cross_serialize(value)
    again = S.CrossDeserializer().feed(text)
    assert S.cross_serialize(again) == text
    assert sys.getrecursionlimit() == limit


@pytest.mark.parametrize("kind", ["list", "dict", "map"])
def test_one_level_more_is_the_typed_depth_error(kind: str) -> None:
    with pytest.raises(S.SerovalDepthLimitError) as caught:
        S.serialize(nested(1001, kind))
    assert caught.value.step == "parse"
    text = S.serialize(nested(1000, kind))
    with pytest.raises(S.SerovalDepthLimitError) as read:
        S.deserialize(text, depth_limit=990)
    assert read.value.step == "deserialize"


def test_a_higher_depth_limit_goes_deeper_on_fresh_stacks() -> None:
    """Three times seroval's default: several hand-overs in every walk."""
    limit = sys.getrecursionlimit()
    value = nested(3000, "dict")
    text = S.serialize(value, depth_limit=3001)
    again = S.deserialize(text, depth_limit=3001)
    for _ in range(2999):
        again = again["a"]
    assert again == {}
    assert sys.getrecursionlimit() == limit


def test_deep_values_inside_a_deep_text_are_read_without_thread_per_leaf() -> None:
    """Leaves (numbers, dates) at depth read with the evaluator's remaining stack."""
    value: Any = [1, 2.5, "x", S.JSBigInt(10**20)]
    for _ in range(990):
        value = [value, 3]
    text = S.serialize(value)
    again = S.deserialize(text)
    assert S.serialize(again) == text


def test_bracket_nesting_at_the_parser_limit_fails_cleanly() -> None:
    """``(((…)))`` within and past the parser's bracket nesting bound (4 per level)."""
    deep = "(" * 4000 + "1" + ")" * 4000
    assert S.deserialize(deep) == 1
    with pytest.raises(S.SerovalDepthLimitError):
        S.deserialize("(" * 5000 + "1" + ")" * 5000)
    with pytest.raises(S.SerovalDepthLimitError):
        S.deserialize("[" * 100_000 + "]" * 100_000)


def test_compile_json_writes_trees_deeper_than_one_stack_and_refuses_past_its_bound() -> None:
    def tree(levels: int) -> dict[str, Any]:
        node: dict[str, Any] = {"t": 9, "i": 0, "a": [], "o": 0}
        for index in range(1, levels):
            node = {"t": 9, "i": index, "a": [node], "o": 0}
        return {"t": node, "f": 63, "m": []}

    text = compile_json(tree(3000))
    assert text == "[" * 3000 + "]" * 3000
    with pytest.raises(S.SerovalSerializationError):
        compile_json(tree(WRITE_DEPTH + 1))
