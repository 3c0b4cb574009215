"""Deep walks that leave the interpreter's recursion limit alone.

The walkers (value to nodes, nodes to value, nodes to JS text, JS text to nodes)
are recursive: one or a few Python frames per nesting level, which keeps them
short and readable as the reference implementation.  seroval's default depth
limit is 1,000 levels, and Python's default recursion limit is 1,000 frames, so a
walk that is allowed to go that deep does not fit on one thread's budget.

Raising ``sys.setrecursionlimit`` for the duration of a call would change every
thread's limit at once (and with it the C-stack guard of other threads' C-level
recursion).  Instead, the budget is per thread: a fresh thread starts with a full
one.  When a walk has used up what its thread can give, it continues the subtree
on a new thread and waits for it (:meth:`StackBudget.deeper`); a 1,000-deep value
needs about ten such hand-overs, and a walk that stays shallow never pays for one.

What runs on the hand-over thread is the walker and the plugin hooks it calls:
synchronous code that touches no event loop (the async serializers start their
tasks after the walk returns).  The context variables of the caller are copied
to it, so ``contextvars`` state is visible; ``threading.local`` state is not, and
plugins should not rely on it.
"""

from __future__ import annotations

import contextvars
import sys
import threading
from collections.abc import Callable
from typing import Final, TypeVar

__all__ = ["StackBudget", "frames_in_use", "levels_available", "on_fresh_stack"]

T = TypeVar("T")
V = TypeVar("V")

#: Frames left free below the recursion limit for the walker's callers and callees
#: (plugin hooks, error formatting, ``repr``).
MARGIN: Final = 150


def frames_in_use() -> int:
    """How many Python frames the calling thread has on its stack."""
    frame = sys._getframe(1)
    count = 0
    while frame is not None:
        count += 1
        frame = frame.f_back  # type: ignore[assignment]
    return count


def levels_available(frames_per_level: int) -> int:
    """How many walker levels of ``frames_per_level`` frames fit on this thread now."""
    free = sys.getrecursionlimit() - frames_in_use() - MARGIN
    return max(0, free // frames_per_level)


def on_fresh_stack(function: Callable[[], T]) -> T:
    """Call ``function`` on a new thread with a copy of the current context, and wait.

    Its result is returned and its exception raised here.  An interrupt that
    arrives while waiting is raised once the thread has finished, so the walk's
    state is never touched by two threads at once.
    """
    context = contextvars.copy_context()
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            outcome.append((True, context.run(function)))
        except BaseException as error:  # handed to the waiting thread
            outcome.append((False, error))

    thread = threading.Thread(target=run, name="seroval-deep-walk", daemon=True)
    thread.start()
    interrupted: BaseException | None = None
    while thread.is_alive():
        try:
            thread.join()
        except BaseException as error:  # KeyboardInterrupt: let the walk finish first
            interrupted = error
    if interrupted is not None:
        raise interrupted
    succeeded, value = outcome[0]
    if not succeeded:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]


class StackBudget:
    """The depth at which a walk hands over to a fresh thread.

    A walker calls :meth:`start` when a walk begins and compares its depth with
    :attr:`hand_over_at` where it is about to recurse; past it, it calls
    :meth:`deeper` with the function that walks the subtree.
    """

    __slots__ = ("frames_per_level", "hand_over_at")

    def __init__(self, frames_per_level: int) -> None:
        self.frames_per_level = frames_per_level
        self.hand_over_at = 0
        self.start(0)

    def start(self, depth: int) -> None:
        """Measure this thread's free stack for a walk now at ``depth``."""
        self.hand_over_at = depth + levels_available(self.frames_per_level)

    def deeper(self, walk: Callable[[V, int], T], value: V, depth: int) -> T:
        """``walk(value, depth)`` on a fresh thread's stack; the budget is restored after."""
        saved = self.hand_over_at

        def run() -> T:
            # At least one level per hand-over, so a walk always makes progress.
            self.hand_over_at = depth + max(1, levels_available(self.frames_per_level))
            return walk(value, depth)

        try:
            return on_fresh_stack(run)
        finally:
            self.hand_over_at = saved
