"""Wake-ups for values the sync core creates and async code awaits.

A :class:`~seroval.protocol.model.values.JSPromise` or a
:class:`~seroval.protocol.model.stream.Stream` read from the wire is built by
sync code, and only waiting on one needs an event loop.  Their ``__await__`` and
``__anext__`` import this module when they have to wait (the one place the value
model reaches up into ``aio``), so the sync core loads no event-loop library.
"""

from __future__ import annotations

import anyio

__all__ = ["Wakeup", "new_wakeup"]

Wakeup = anyio.Event


def new_wakeup() -> Wakeup:
    """An event that one callback sets and one waiter awaits, under asyncio or trio."""
    return anyio.Event()
