"""Wake-ups for values the sync core creates and async code awaits.

A :class:`~seroval.protocol.model.values.JSPromise` or a
:class:`~seroval.protocol.model.stream.Stream` read from the wire is built by
sync code, and only waiting on one needs an event loop.  Their ``__await__`` and
``__anext__`` import this module when they have to wait (the one place the value
model reaches up into ``aio``), so the sync core loads no event-loop library.
"""

from __future__ import annotations

import anyio

__all__ = ["Signal", "Wakeup", "new_wakeup"]

Wakeup = anyio.Event


def new_wakeup() -> Wakeup:
    """An event that one callback sets and one waiter awaits, under asyncio or trio."""
    return anyio.Event()


class Signal:
    """Wakes one waiting task; waiters re-check their condition (no lost wake-ups)."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event: anyio.Event | None = None

    def notify(self) -> None:
        if self._event is not None:
            self._event.set()

    async def wait(self) -> None:
        self._event = anyio.Event()
        try:
            await self._event.wait()
        finally:
            self._event = None
