"""Python's async values in seroval's terms: promise outcomes and stream events.

The async and the streaming serializers both need two things from Python's async
world, and get them here so that they agree:

* :func:`settle`: what a JS promise would report for an awaitable (a coroutine,
  an asyncio future, a :class:`~seroval.protocol.model.values.JSPromise`...):
  fulfilled with a value, or rejected with one.  Awaiting raises Python
  exceptions; a rejection's value is the exception itself, or the thrown value of
  a :class:`~seroval.protocol.model.values.ThrownValue`.  As a JS promise adopts a
  thenable it is resolved with, an awaitable that gives another awaitable settles
  as that one does.
* :func:`open_source` and :func:`next_event`: the events of an async iterable as
  seroval's stream events, ``(32, value)`` for each item, then ``(34, value)``
  when it returns or ``(33, error)`` when it raises.  Python's async generators
  cannot return a value; an async iterator that wants to raises
  ``StopAsyncIteration(value)`` (as :class:`~seroval.protocol.model.stream.StreamIterator`
  does).

Cancellation (``BaseException``) is never an outcome: it propagates.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable
from typing import Any, Final

import anyio

from ..errors import SerovalUnsupportedTypeError
from ..model.stream import Stream
from ..model.values import JSPromise, ThrownValue, undefined

__all__ = ["NEXT", "RETURN", "THROW", "close_quietly", "next_event", "open_source", "settle"]

NEXT: Final = 32
THROW: Final = 33
RETURN: Final = 34

_MAX_ADOPTIONS: Final = 10_000


def is_awaitable(value: object) -> bool:
    return isinstance(value, Awaitable)


def settled_now(value: object) -> tuple[bool, Any] | None:
    """The outcome of a settled :class:`JSPromise` without waiting, else ``None``."""
    if type(value) is JSPromise and value.status is not JSPromise.PENDING:
        return value.status is JSPromise.FULFILLED, value.value
    return None


async def _settle_once(awaitable: Awaitable[Any]) -> tuple[bool, Any]:
    known = settled_now(awaitable)
    if known is not None:
        return known
    try:
        return True, await awaitable
    except ThrownValue as thrown:
        return False, thrown.value
    except Exception as error:
        return False, error


async def settle(awaitable: Awaitable[Any]) -> tuple[bool, Any]:
    """``(fulfilled, value)`` of ``awaitable``, following awaitables it resolves to."""
    fulfilled, value = await _settle_once(awaitable)
    adoptions = 0
    while fulfilled and is_awaitable(value):
        if value is awaitable or adoptions >= _MAX_ADOPTIONS:
            return False, TypeError("Chaining cycle detected for promise")
        adoptions += 1
        awaitable = value
        fulfilled, value = await _settle_once(value)
    return fulfilled, value


def open_source(source: Any) -> AsyncIterator[Any]:
    """An async iterator over ``source``: a Stream, an async iterable, or a method making one.

    A JS object's ``[Symbol.asyncIterator]`` is a method; seroval calls it to get
    the iterator, so a callable is called here too (once).
    """
    if isinstance(source, Stream):
        return source.__aiter__()
    make = getattr(type(source), "__aiter__", None)
    if make is None and callable(source):
        source = source()
        make = getattr(type(source), "__aiter__", None)
        if make is None and hasattr(type(source), "__anext__"):
            return source  # type: ignore[no-any-return]
    if make is None:
        raise SerovalUnsupportedTypeError(
            f"a {type(source).__name__} is not an async iterable", source
        )
    iterator = make(source)
    if not hasattr(type(iterator), "__anext__"):
        raise SerovalUnsupportedTypeError(
            f"__aiter__ of a {type(source).__name__} gave no async iterator", source
        )
    return iterator  # type: ignore[no-any-return]


async def next_event(iterator: AsyncIterator[Any]) -> tuple[int, Any]:
    """The iterator's next event as a stream event: ``(type, value)``, types 32-34."""
    try:
        value = await iterator.__anext__()
    except StopAsyncIteration as stop:
        return RETURN, stop.args[0] if stop.args else undefined
    except ThrownValue as thrown:
        return THROW, thrown.value
    except Exception as error:
        return THROW, error
    return NEXT, value


async def close_quietly(iterator: object) -> None:
    """``aclose()`` an iterator that is no longer wanted, even while being cancelled.

    seroval ignores a failing ``return()``; so do we.
    """
    aclose = getattr(iterator, "aclose", None)
    if aclose is None:
        return
    with anyio.CancelScope(shield=True), contextlib.suppress(Exception):
        await aclose()
