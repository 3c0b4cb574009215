"""The library leaves the interpreter's global state alone.

A server runs sync functions in worker threads; if serializing switched the
garbage collector off, or raised the recursion limit, for the length of a call,
overlapping calls would keep them so under steady load.  These tests sample both
while other threads serialize continuously, and look from inside a deep walk.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import seroval as S

RECORDS = [{"id": index, "name": f"user {index}", "tags": ["a", "b"]} for index in range(3_000)]


def _round_trip() -> None:
    text = S.dumps_json(S.to_json(RECORDS))
    S.from_json(S.loads_json(text))
    S.from_cross_json(S.to_cross_json(RECORDS))


def _js_round_trip() -> None:
    S.deserialize(S.serialize(RECORDS))


def _js_cross_round_trip() -> None:
    S.CrossDeserializer().feed(S.cross_serialize(RECORDS))


def _js_methods_round_trip() -> None:
    _DESERIALIZER.deserialize(_SERIALIZER.serialize(RECORDS))
    _DESERIALIZER.cross_deserializer().feed(_SERIALIZER.cross_serialize(RECORDS))


_SERIALIZER = S.Serializer()
_DESERIALIZER = S.Deserializer()


@pytest.mark.parametrize(
    "round_trip",
    [_round_trip, _js_round_trip, _js_cross_round_trip, _js_methods_round_trip],
    ids=["node trees", "JS text", "cross JS text", "Serializer/Deserializer JS text"],
)
def test_two_threads_serializing_leave_the_collector_on_and_the_limit_alone(
    round_trip: Callable[[], None],
) -> None:
    limit = sys.getrecursionlimit()
    stop = threading.Event()
    collections = 0

    def count(phase: str, info: dict[str, Any]) -> None:
        nonlocal collections
        if phase == "stop":
            collections += 1

    def work() -> None:
        while not stop.is_set():
            round_trip()

    gc.callbacks.append(count)
    workers = [threading.Thread(target=work) for _ in range(2)]
    samples: list[tuple[bool, int]] = []
    try:
        for worker in workers:
            worker.start()
        # 1.5 s, longer if a loaded machine leaves this thread too few turns.
        start = time.monotonic()
        while (elapsed := time.monotonic() - start) < 1.5 or (len(samples) < 40 and elapsed < 15):
            samples.append((gc.isenabled(), sys.getrecursionlimit()))
            time.sleep(0.001)
    finally:
        stop.set()
        for worker in workers:
            worker.join()
        gc.callbacks.remove(count)
    assert len(samples) > 30
    assert all(enabled for enabled, _ in samples), "the collector was switched off"
    assert all(seen == limit for _, seen in samples), "the recursion limit was changed"
    assert collections > 0, "the collector never ran while the threads worked"


class _Spy(S.Plugin):
    """Records the interpreter's state each time the walk asks it about a value."""

    tag = "test/spy"

    def __init__(self) -> None:
        self.seen: list[tuple[bool, int]] = []

    def test(self, value: object) -> bool:
        self.seen.append((gc.isenabled(), sys.getrecursionlimit()))
        return False


def _nested(levels: int) -> Any:
    value: Any = {"leaf": True}
    for _ in range(levels - 1):
        value = {"child": value}
    return value


def test_a_walk_999_levels_deep_needs_no_higher_recursion_limit() -> None:
    limit = sys.getrecursionlimit()
    spy = _Spy()
    value = _nested(999)
    envelope = S.to_json(value, plugins=[spy])
    assert len(spy.seen) >= 999
    assert set(spy.seen) == {(True, limit)}
    again = S.from_json(envelope)
    for _ in range(998):
        again = again["child"]
    assert again == {"leaf": True}
    assert S.from_cross_json(S.to_cross_json(value))["child"]["child"] is not None
    assert sys.getrecursionlimit() == limit


def test_pause_gc_is_opt_in_and_scoped_to_the_call() -> None:
    spy = _Spy()
    S.to_json(_nested(5), plugins=[spy], pause_gc=True)
    assert {enabled for enabled, _ in spy.seen} == {False}
    assert gc.isenabled()


def test_pause_gc_is_opt_in_and_scoped_for_js_text() -> None:
    """``pause_gc`` reaches the JS text writers and readers, keywords and options alike."""
    spy = _Spy()
    text = S.serialize(_nested(5), plugins=[spy], pause_gc=True)
    assert {enabled for enabled, _ in spy.seen} == {False}
    assert gc.isenabled()
    spy.seen.clear()
    S.Serializer(plugins=[spy]).cross_serialize(_nested(5))
    assert {enabled for enabled, _ in spy.seen} == {True}
    S.Serializer(plugins=[spy], pause_gc=True).cross_serialize(_nested(5))
    assert False in {enabled for enabled, _ in spy.seen}
    assert gc.isenabled()
    assert S.deserialize(text, pause_gc=True) == S.deserialize(text)
    assert gc.isenabled()
