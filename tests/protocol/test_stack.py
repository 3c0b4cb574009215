"""Deep walks on hand-over threads: reused while needed, gone soon after."""

from __future__ import annotations

import contextvars
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import seroval as S
from seroval.protocol import stack
from seroval.protocol.tree import backend
from tests.protocol.budget import count_hand_overs


def _deep(levels: int) -> object:
    value: object = 0
    for _ in range(levels):
        value = [value]
    return value


def _walkers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "seroval-deep-walk"]


def _wait_for_no_walkers(limit: float) -> float:
    start = time.monotonic()
    while _walkers() and time.monotonic() - start < limit:
        time.sleep(0.05)
    return time.monotonic() - start


def _deep_text(levels: int) -> str:
    """JS text nesting ``levels`` deep: its reader still hands over (the node tree's
    parser and reader and the JS writer take plain containers past their budget in
    a loop)."""
    with backend.forced("python"):
        return S.serialize(_deep(levels))


def test_repeated_deep_walks_reuse_their_threads() -> None:
    text = _deep_text(999)
    with backend.forced("python"):
        S.deserialize(text)
    first = {t.ident for t in _walkers()}
    assert first, "a 999-deep walk should have handed over at least once"
    for _ in range(5):
        with backend.forced("python"):
            again = S.deserialize(text)
        for _ in range(999):
            assert type(again) is list
            assert len(again) == 1
            again = again[0]
        assert again == 0
    assert {t.ident for t in _walkers()} == first


def test_hand_over_threads_end_once_idle() -> None:
    text = _deep_text(999)
    with backend.forced("python"):
        S.deserialize(text)
    assert _walkers()
    waited = _wait_for_no_walkers(stack.IDLE_SECONDS + 5)
    assert not _walkers(), f"hand-over threads still alive after {waited:.1f} s"


def test_errors_and_context_cross_the_hand_over() -> None:
    seen = contextvars.ContextVar("seen", default="unset")
    seen.set("caller")
    assert stack.on_fresh_stack(seen.get) == "caller"

    def fail() -> None:
        raise ValueError("from the subtree")

    with pytest.raises(ValueError, match="from the subtree"):
        stack.on_fresh_stack(fail)


def test_a_walk_spends_its_threads_stack_before_handing_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Levels take fewer frames than the worst case: a thread carries more than its
    first estimate, so a 999-deep walk needs fewer hand-overs than 999 / that estimate."""
    text = _deep_text(999)
    handed = count_hand_overs(monkeypatch)
    with backend.forced("python"):  # the native walkers keep their own stacks
        again = S.deserialize(text)
    for _ in range(999):
        again = again[0]
    assert again == 0
    # The JS-text evaluator's worst case is 6 frames a level.
    first_estimate = stack.StackBudget(6).free_levels(0)
    assert 0 < len(handed) < 999 // first_estimate


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="needs Linux CPU affinity")
def test_workers_follow_the_waiting_threads_cpu_and_leave_its_affinity_alone() -> None:
    before = os.sched_getaffinity(0)
    cpu = stack.current_cpu()
    assert cpu is not None
    assert cpu in before
    seen: list[set[int]] = []

    def inside() -> None:
        seen.append(os.sched_getaffinity(0))

    stack.on_fresh_stack(inside)
    # The worker is pinned to the CPU the caller was on when it handed over.
    assert len(seen) == 1
    assert len(seen[0]) == 1
    assert seen[0] <= before
    with backend.forced("python"):
        S.from_json(S.to_json(_deep(999)))
    assert os.sched_getaffinity(0) == before


def test_a_worker_that_cannot_be_pinned_still_runs() -> None:
    worker = stack._Worker(stack._POOL)
    worker.follow(None)
    assert worker.cpu is None
    worker.follow(10**6)  # no such CPU: the kernel refuses, nothing changes
    assert worker.cpu is None
    call = stack._Call(lambda: 42)
    worker.jobs.put(call)
    assert call.done.acquire(timeout=10)
    assert call.outcome == (True, 42)


@pytest.mark.parametrize(
    ("operation", "least", "most"),
    [("to_json", 0, 0), ("from_json", 0, 0), ("serialize", 0, 0), ("deserialize", 1, 8)],
)
def test_a_1000_deep_walk_hands_over_a_few_times(
    operation: str, least: int, most: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Leaves never hand over and plain levels cost three or four frames, so each thread
    carries a few hundred levels (before: 6, 6, 10 and 22 hand-overs on a dict nested
    1,000 deep); the value parser, the node reader and the JS writer go on past their
    budget in a loop for plain containers (tree/parse_loop.py, tree/read_loop.py,
    jstext/write_loop.py) and never hand over for them."""
    value: Any = {}
    for level in range(999):
        value = {"level": level, "next": value}
    handed = count_hand_overs(monkeypatch)
    with backend.forced("python"):
        tree, text = S.to_json(value), S.serialize(value)
        runs: dict[str, Callable[[], object]] = {
            "to_json": lambda: S.to_json(value),
            "from_json": lambda: S.from_json(tree),
            "serialize": lambda: S.serialize(value),
            "deserialize": lambda: S.deserialize(text),
        }
        handed.clear()
        runs[operation]()
    assert least <= len(handed) <= most
