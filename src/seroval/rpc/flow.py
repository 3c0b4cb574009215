"""Moving items through bounded anyio memory streams without a loop round per item.

``MemoryObjectReceiveStream.receive()`` and ``send()`` always pass through the event
loop (a checkpoint), even when an item is waiting or a slot is free.  On a stream
of many small frames that is most of the cost, so these take the item (or the
slot) at once when they can and wait only when they must.  The streams stay
bounded: a full one still makes the sender wait.
"""

from __future__ import annotations

from typing import TypeVar

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

__all__ = ["receive_soon", "send_soon"]

T = TypeVar("T")


async def receive_soon(stream: MemoryObjectReceiveStream[T]) -> T:
    """The next item: at once if one is waiting; raises ``anyio.EndOfStream`` at the end."""
    try:
        return stream.receive_nowait()
    except anyio.WouldBlock:
        return await stream.receive()


async def send_soon(stream: MemoryObjectSendStream[T], item: T) -> None:
    """Send ``item``: at once if a slot is free, else wait for one."""
    try:
        stream.send_nowait(item)
    except anyio.WouldBlock:
        await stream.send(item)
