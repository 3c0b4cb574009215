"""Head-room on Python's recursion limit for deep (but allowed) values.

The walkers recurse once or twice per nesting level, and seroval's default depth
limit is 1000, which is Python's default recursion limit.  Rather than make every
walker iterative, a call that may go deep raises the limit for its duration, and
only ever upward; the limit returns to its old value when the last such call ends.
Python 3.11+ does not spend C stack on Python-to-Python calls, so this is safe for
the walkers (the C ``json`` module is handled separately, see ``json_text``).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0
_saved = 0

FRAMES_PER_LEVEL = 8


def _frames_in_use() -> int:
    frame = sys._getframe(2)
    count = 0
    while frame is not None:
        count += 1
        frame = frame.f_back  # type: ignore[assignment]
    return count


@contextmanager
def recursion_headroom(levels: int) -> Iterator[None]:
    """Make sure ``levels`` nesting levels of a walker fit under the recursion limit."""
    global _active, _saved
    needed = _frames_in_use() + levels * FRAMES_PER_LEVEL + 200
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
