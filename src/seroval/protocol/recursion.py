"""Head-room on Python's recursion limit for deep (but allowed) values.

The walkers recurse once or twice per nesting level, and seroval's default depth
limit is 1000, which is Python's default recursion limit.  Rather than make every
walker iterative, a call that may go deep raises the limit for its duration, and
only ever upward; the limit returns to its old value when the last such call ends.
Python 3.11+ does not spend C stack on Python-to-Python calls, so this is safe for
the walkers (the C ``json`` module is handled separately, see ``json_text``).
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0
_saved = 0

FRAMES_PER_LEVEL = 8

#: How deep the C ``json`` module may nest before the iterative path takes over.  Its
#: recursion uses the C stack (about 100-150 bytes a level); 12,000 levels stay far
#: inside even a small thread stack, and cover the node trees of 1,000-deep values.
C_JSON_LEVELS = 12_000


def _frames_in_use() -> int:
    frame = sys._getframe(2)
    count = 0
    while frame is not None:
        count += 1
        frame = frame.f_back  # type: ignore[assignment]
    return count


@contextmanager
def recursion_headroom(levels: int, frames_per_level: int = FRAMES_PER_LEVEL) -> Iterator[None]:
    """Make sure ``levels`` nesting levels of a walker fit under the recursion limit."""
    global _active, _saved
    needed = _frames_in_use() + levels * frames_per_level + 200
    with _lock:
        if _active == 0:
            _saved = sys.getrecursionlimit()
        _active += 1
        if sys.getrecursionlimit() < needed:
            sys.setrecursionlimit(needed)
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and sys.getrecursionlimit() != _saved:
                sys.setrecursionlimit(_saved)


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large acyclic structure.

    Node trees and parsed JSON hold no reference cycles, so a collection during
    their construction can free nothing; yet every pass walks all the new containers,
    which makes building large trees grow faster than linearly.  The collector is
    switched back on (if it was on) when the last overlapping pause ends.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()
