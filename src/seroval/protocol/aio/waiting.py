"""Wake-ups for values the sync core creates and async code awaits.

A :class:`~seroval.protocol.model.values.JSPromise` or a
:class:`~seroval.protocol.model.stream.Stream` read from the wire is built by
sync code, and only waiting on one needs an event loop.  Their ``__await__`` and
``__anext__`` import this module when they have to wait (the one place the value
model reaches up into ``aio``), so the sync core loads no event-loop library.
"""

from __future__ import annotations

from types import TracebackType

import anyio
import anyio.abc

__all__ = ["Signal", "Wakeup", "enter_group", "exit_group", "new_wakeup"]

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


async def enter_group() -> anyio.abc.TaskGroup:
    """A task group for an object's background tasks, entered: the object's
    ``__aenter__`` keeps it and its ``__aexit__`` leaves it with :func:`exit_group`."""
    group = anyio.create_task_group()
    await group.__aenter__()
    return group


async def exit_group(
    group: anyio.abc.TaskGroup,
    kind: type[BaseException] | None,
    error: BaseException | None,
    traceback: TracebackType | None,
) -> bool | None:
    """Cancel a background task group's tasks and leave the group.

    What the ``async with`` body raised is the caller's own: it propagates as is,
    not wrapped in an ExceptionGroup by the group.  A cancellation is handed to the
    group so the cancel scope that raised it can catch it.
    """
    group.cancel_scope.cancel()
    if error is not None and isinstance(error, anyio.get_cancelled_exc_class()):
        return await group.__aexit__(kind, error, traceback)
    await group.__aexit__(None, None, None)
    return None
