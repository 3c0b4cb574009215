"""An opt-in pause of the cyclic garbage collector while a large output is built.

Node trees, JSON data and JS text hold no reference cycles, so a collection
while one is built frees nothing, yet every pass walks the new containers; on
very large payloads that is a noticeable share of the time.  Pausing the
collector is process-wide, so the library never does it unless asked
(``pause_gc=True`` on the options, or this context manager around your own
code).  Overlapping pauses from several threads are counted: the collector comes
back on (if it was on) when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

__all__ = ["gc_paused", "maybe_gc_paused"]

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Switch the cyclic collector off for the ``with`` block (process-wide)."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


def maybe_gc_paused(pause: bool) -> AbstractContextManager[None]:
    """:func:`gc_paused` when ``pause`` is true, else a context that does nothing."""
    return gc_paused() if pause else nullcontext()
