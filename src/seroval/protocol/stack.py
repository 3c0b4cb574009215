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
needs about seven such hand-overs in the JS-text reader (a few frames a level on
plain objects and arrays, and a leaf never hands over), and a walk that stays
shallow never pays for one.  The other walkers go on past their budget in a loop
for plain containers instead (``tree/parse_loop.py``, ``tree/read_loop.py``,
``jstext/write_loop.py``), and hand over only for what the loop leaves to them: a
hand-over costs a few thread switches (tens of microseconds each on a busy virtual
machine), and the fresh thread's stack grows again from nothing.

What runs on the hand-over thread is the walker and the plugin hooks it calls:
synchronous code that touches no event loop (the async serializers start their tasks
after the walk returns). Hand-over threads are reused while walks need them and end
after a second without work. The context variables of the caller are copied to it,
so ``contextvars`` state is visible; ``threading.local`` state is not, and plugins
should not rely on it.
"""

from __future__ import annotations

import contextvars
import os
import queue
import sys
import threading
from collections.abc import Callable
from typing import Final, TypeVar

__all__ = ["MIN_EXTENSION", "StackBudget", "current_cpu", "frames_in_use", "on_fresh_stack"]

T = TypeVar("T")
V = TypeVar("V")

#: Frames left free below the recursion limit for the walker's callers and callees
#: (plugin hooks, error formatting, ``repr``).
MARGIN: Final = 150


def _has_frame(depth: int) -> bool:
    try:
        sys._getframe(depth)
    except ValueError:
        return False
    return True


def frames_in_use(near: int = 0, within: int = 1) -> int:
    """How many Python frames the calling thread has on its stack, or (``within``
    above 1) a bound on that number at most ``within - 1`` frames too high.

    ``sys._getframe(n)`` steps over ``n`` frames inside the interpreter and makes a
    frame object for the last one only, so the count is found by probing: steps that
    double away from ``near`` (a guess: the closer, the fewer probes), then halving.
    Following ``f_back`` instead would make a frame object for every frame on the
    stack, and each of those then costs again when its function returns; at 900
    frames that walk took ten times as long as the probes.  Each probe still steps
    over every frame (about 2 us at 800), and a budget needs no exact count: a bound
    within a level or two saves the last halvings.
    """
    # Seen from inside _has_frame, frame 2 is our caller and frame n exists while n
    # is at most the caller's count plus one.
    step = 16
    low = max(2, near + 1)
    if _has_frame(low):
        while _has_frame(low + step):
            low += step
            step *= 2
        high = low + step
    else:
        high = low
        while True:
            low = max(2, high - step)
            if low == 2 or _has_frame(low):
                break
            high = low
            step *= 2
    while high - low > within:
        middle = (low + high) // 2
        if _has_frame(middle):
            low = middle
        else:
            high = middle
    # Frame low exists and frame high does not: the count is low - 1 to high - 2.
    return low - 1 if within <= 1 else high - 2


#: Fewer free levels than this on the current thread: hand over rather than measure
#: again (each measure walks the thread's frames; each hand-over costs a thread switch).
MIN_EXTENSION: Final = 16

#: How close to exact a budget's count of frames in use is (an upper bound: a
#: level or two of budget is given up for fewer probes of the stack).
MEASURE_WITHIN: Final = 16

#: What a walker level usually costs in frames (plain objects and arrays), used only
#: to guess where to start counting the frames of a thread measured before.
TYPICAL_FRAMES_PER_LEVEL: Final = 3

#: How long a hand-over thread waits for another subtree before it ends.
IDLE_SECONDS: Final = 1.0


def current_cpu() -> int | None:
    """The CPU the calling thread runs on now (Linux: ``/proc/thread-self/stat``'s
    39th field), or ``None`` where that cannot be read."""
    try:
        with open("/proc/thread-self/stat", "rb") as stat:
            text = stat.read()
        # The command name (field 2) is in parentheses and may hold anything.
        return int(text[text.rindex(b")") + 2 :].split()[36])
    except (OSError, ValueError, IndexError):
        return None


class _Call:
    """One subtree handed to a worker: the function, its context, and the outcome."""

    __slots__ = ("context", "done", "function", "outcome")

    def __init__(self, function: Callable[[], object]) -> None:
        self.function = function
        self.context = contextvars.copy_context()
        #: Held until the outcome is in: a bare lock is the cheapest baton to wait on
        #: (an Event adds a Condition and a lock of its own per wait).
        self.done = threading.Lock()
        self.done.acquire()
        self.outcome: tuple[bool, object] = (False, None)


class _Worker:
    """A hand-over thread: runs one subtree at a time, then waits to be reused.

    Starting a thread costs about ten times handing work to a waiting one, and a
    1,000-deep walk hands over several times, so finished workers stay idle for
    :data:`IDLE_SECONDS` in case another deep walk (or the next level of this one)
    needs a stack, and end after that.  A worker busy with a subtree is never idle,
    so nested hand-overs always get distinct threads.
    """

    def __init__(self, pool: _Pool) -> None:
        self.pool = pool
        self.jobs: queue.SimpleQueue[_Call] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self.serve, name="seroval-deep-walk", daemon=True)
        self.thread.start()
        self.cpu: int | None = None

    def follow(self, cpu: int | None) -> None:
        """Run on ``cpu`` (the one the waiting thread is on), or anywhere if unknown.

        The thread that hands over sleeps until this one is done, so both may as well
        share a CPU: the wake-up then stays on that CPU, and the walk's objects stay
        in its cache.  On a virtual machine, waking a thread on another CPU and the
        TLB flushes that follow cost more than the subtree often does (a 1,000-deep
        ``to_json`` took a third longer, ``from_json`` on a 10,000-node graph half as
        long again).  Only this worker's own affinity changes; where it cannot be set,
        nothing does.
        """
        thread_id = self.thread.native_id
        if cpu is None or cpu == self.cpu or not thread_id:  # (0 would be the caller)
            return
        try:
            os.sched_setaffinity(thread_id, {cpu})
        except (AttributeError, OSError, ValueError):
            return
        self.cpu = cpu

    def serve(self) -> None:
        _THIS_THREAD.worker = self
        while True:
            try:
                call = self.jobs.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                if self.pool.retire(self):
                    return
                continue  # handed a job just as the wait ran out
            try:
                call.outcome = (True, call.context.run(call.function))
            except BaseException as error:  # handed to the waiting thread
                call.outcome = (False, error)
            self.pool.release(self)
            call.done.release()


class _Pool:
    """The idle hand-over threads of the process (none until a walk goes deep)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []

    def submit(self, call: _Call) -> None:
        with self.lock:
            worker = self.idle.pop() if self.idle else None
        if worker is None:
            worker = _Worker(self)
        here: _Worker | None = getattr(_THIS_THREAD, "worker", None)
        # A worker handing over further is pinned already: no need to look.
        worker.follow(here.cpu if here is not None and here.cpu is not None else current_cpu())
        worker.jobs.put(call)

    def release(self, worker: _Worker) -> None:
        with self.lock:
            self.idle.append(worker)

    def retire(self, worker: _Worker) -> bool:
        """Take an idle worker out of service; false when a job was just handed to it."""
        with self.lock:
            if worker in self.idle and worker.jobs.empty():
                self.idle.remove(worker)
                return True
            return False


_POOL: Final = _Pool()

#: ``worker``: the :class:`_Worker` whose thread this is (unset on other threads).
_THIS_THREAD: Final = threading.local()


def on_fresh_stack(function: Callable[[], T]) -> T:
    """Call ``function`` on another thread's fresh stack with a copy of the current
    context, and wait.

    Its result is returned and its exception raised here.  An interrupt that
    arrives while waiting is raised once the subtree has finished, so the walk's
    state is never touched by two threads at once.
    """
    call = _Call(function)
    _POOL.submit(call)
    interrupted: BaseException | None = None
    while True:
        try:
            call.done.acquire()
            break
        except BaseException as error:  # KeyboardInterrupt: let the walk finish first
            interrupted = error
    if interrupted is not None:
        raise interrupted
    succeeded, value = call.outcome
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

    __slots__ = ("anchor", "frames_per_level", "hand_over_at")

    def __init__(self, frames_per_level: int) -> None:
        self.frames_per_level = frames_per_level
        self.hand_over_at = 0
        #: The last measure: (thread, depth, frames in use), the guess for the next.
        self.anchor: tuple[int, int, int] | None = None
        self.start(0)

    def start(self, depth: int) -> None:
        """Measure this thread's free stack for a walk now at ``depth``."""
        self.hand_over_at = depth + self.free_levels(depth)

    def free_levels(self, depth: int) -> int:
        """Worst-case levels that fit on this thread's stack now, at ``depth``."""
        thread = threading.get_ident()
        anchor = self.anchor
        near = 0
        if anchor is not None and anchor[0] == thread and depth >= anchor[1]:
            near = anchor[2] + (depth - anchor[1]) * TYPICAL_FRAMES_PER_LEVEL
        frames = frames_in_use(near, MEASURE_WITHIN)
        self.anchor = (thread, depth, frames)
        return max(0, (sys.getrecursionlimit() - frames - MARGIN) // self.frames_per_level)

    def deeper(self, walk: Callable[[V, int], T], value: V, depth: int) -> T:
        """``walk(value, depth)`` further on this thread's stack while it still has room,
        else on a fresh thread's; the budget is restored after.

        ``frames_per_level`` is each walker's worst case, and most levels take fewer
        frames, so the budget runs out with stack to spare: measured again here, the
        rest of this thread's stack takes the subtree when it holds at least
        :data:`MIN_EXTENSION` more worst-case levels.  The new budget holds only for
        this subtree (a sibling path may spend more frames per level above it).
        """
        saved = self.hand_over_at, self.anchor
        more = self.free_levels(depth)
        if more >= MIN_EXTENSION:
            self.hand_over_at = depth + more
            try:
                return walk(value, depth)
            finally:
                self.hand_over_at, self.anchor = saved

        def run() -> T:
            # At least one level per hand-over, so a walk always makes progress.
            self.hand_over_at = depth + max(1, self.free_levels(depth))
            return walk(value, depth)

        try:
            return on_fresh_stack(run)
        finally:
            self.hand_over_at, self.anchor = saved
