"""The stream recipe kinds in Python (RECIPES.md, "Async values and settlement steps").

:class:`StreamRecipeBuilder` adds the kinds of ``oracle/stream_kinds.mjs`` to the
sync :class:`~seroval.conformance.recipes.RecipeBuilder`: promises, async
generators, objects with an async iterator method, timed streams and live streams,
each settling at a numbered step of a :class:`Schedule`.  A test makes step ``k``
happen only once it received the chunks seroval emitted up to step ``k - 1``, so
our producer is held to seroval's order.

``promises`` chooses what a promise recipe becomes: a
:class:`~seroval.protocol.model.values.JSPromise` settled by the schedule (``"jspromise"``,
whose settlement order is exactly the schedule's), or a coroutine that waits for
its step and returns or raises (``"coroutine"``; coroutines run as tasks, so
promises that become ready together settle in the scheduler's order).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Coroutine
from functools import partial
from typing import Any, Literal

import anyio

from ..protocol.model.live_stream import LiveStreamProducer, create_live_stream
from ..protocol.model.stream import Stream
from ..protocol.model.values import JSPromise, ThrownValue, undefined
from .recipes import RecipeBuilder, RecipeError

__all__ = ["Schedule", "StreamRecipeBuilder"]

PromiseKind = Literal["jspromise", "coroutine"]
_EVENT_KINDS = ("next", "throw", "return")


class Schedule:
    """Numbered steps: actions run at their step, and waiters wait for their step's gate.

    Step 0 is "before the call": what is due then happens while the value is built.
    :meth:`advance` makes a step happen: it opens the step's gate, then runs its
    actions in the order they were scheduled (recipe order), as the JS schedule does.
    """

    def __init__(self) -> None:
        self.current = 0
        self.last = 0
        self._actions: dict[int, list[Callable[[], object]]] = {}
        self._gates: dict[int, anyio.Event] = {}

    def note(self, step: int) -> None:
        if type(step) is not int or step < 0:
            raise RecipeError(f"bad step {step!r}")
        self.last = max(self.last, step)

    def at(self, step: int, action: Callable[[], object]) -> None:
        """Run ``action`` at ``step`` (now, if that step has come)."""
        self.note(step)
        if step <= self.current:
            action()
        else:
            self._actions.setdefault(step, []).append(action)

    async def gate(self, step: int) -> None:
        """Wait until ``step`` has come."""
        self.note(step)
        if step <= self.current:
            return
        gate = self._gates.get(step)
        if gate is None:
            gate = self._gates[step] = anyio.Event()
        await gate.wait()

    def advance(self, step: int) -> None:
        """Make ``step`` happen."""
        self.current = step
        gate = self._gates.pop(step, None)
        if gate is not None:
            gate.set()
        for action in self._actions.pop(step, []):
            action()


def _raise(value: Any) -> BaseException:
    return value if isinstance(value, BaseException) else ThrownValue(value)


def _check_events(events: Any, kind: str) -> None:
    if not isinstance(events, list) or not events:
        raise RecipeError(f"{kind} needs events")
    for index, event in enumerate(events):
        if not isinstance(event, list) or len(event) != 3 or event[0] not in _EVENT_KINDS:
            raise RecipeError(f"bad {kind} event {event!r}")
        if (event[0] != "next") != (index == len(events) - 1):
            raise RecipeError(f'{kind}: exactly the last event must be "throw" or "return"')


async def _replay(schedule: Schedule, built: list[tuple[str, Any, int]]) -> AsyncIterator[Any]:
    """An async generator replaying built events; it can only return ``undefined``."""
    for kind, value, step in built:
        await schedule.gate(step)
        if kind == "next":
            yield value
        elif kind == "throw":
            raise _raise(value)
        else:
            return


class _RecipeAsyncIterator:
    """An async iterator replaying built events, with a return value (``StopAsyncIteration``)."""

    def __init__(self, schedule: Schedule, built: list[tuple[str, Any, int]]) -> None:
        self._schedule = schedule
        self._built = built
        self._index = 0
        self.closed = False

    def __aiter__(self) -> _RecipeAsyncIterator:
        return self

    async def __anext__(self) -> Any:
        if self._index >= len(self._built) or self.closed:
            raise StopAsyncIteration
        kind, value, step = self._built[self._index]
        self._index += 1
        await self._schedule.gate(step)
        if kind == "next":
            return value
        self._index = len(self._built)
        if kind == "throw":
            raise _raise(value)
        raise StopAsyncIteration(value)

    async def aclose(self) -> None:
        self.closed = True


class _RecipeAsyncIterable:
    """What an ``asynciter`` key holds: each ``__aiter__`` replays the events afresh."""

    def __init__(self, schedule: Schedule, built: list[tuple[str, Any, int]]) -> None:
        self._schedule = schedule
        self._built = built

    def __aiter__(self) -> _RecipeAsyncIterator:
        return _RecipeAsyncIterator(self._schedule, self._built)


class StreamRecipeBuilder(RecipeBuilder):
    """Builds the stream recipe kinds on top of the sync ones (see the module docs).

    ``tasks`` collects the coroutine functions a test must run while it consumes
    the serializer's output (the live streams' producers).
    """

    def __init__(self, schedule: Schedule | None = None, promises: PromiseKind = "jspromise"):
        super().__init__()
        self.schedule = schedule if schedule is not None else Schedule()
        self.promises = promises
        self.tasks: list[Callable[[], Coroutine[Any, Any, None]]] = []
        self._coroutines: list[Coroutine[Any, Any, Any]] = []

    def close(self) -> None:
        """Close the coroutines nothing ever awaited (a serialization that failed first).

        A coroutine that is garbage collected unawaited is reported as a warning.
        """
        for coroutine in self._coroutines:
            if inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED:
                coroutine.close()
        self._coroutines.clear()

    def _events(self, events: Any, kind: str) -> list[tuple[str, Any, int]]:
        _check_events(events, kind)
        built = []
        for event_kind, recipe, step in events:
            self.schedule.note(step)
            built.append((event_kind, self.build(recipe), step))
        return built

    def r_promise(self, node_id: int, outcome: str, value: Any, step: int) -> Any:
        if outcome not in ("resolve", "reject"):
            raise RecipeError(f"bad promise outcome {outcome!r}")
        fulfilled = outcome == "resolve"
        schedule = self.schedule
        if self.promises == "coroutine":
            box: list[Any] = []

            async def later() -> Any:
                await schedule.gate(step)
                if fulfilled:
                    return box[0]
                raise _raise(box[0])

            coroutine: Coroutine[Any, Any, Any] = later()
            self._coroutines.append(coroutine)
            self.register(node_id, coroutine)
            box.append(self.build(value))
            schedule.note(step)
            return coroutine
        promise = self.register(node_id, JSPromise())
        built = self.build(value)
        schedule.at(step, lambda: promise.settle(fulfilled, built))
        return promise

    def r_asyncgen(self, node_id: int, events: Any) -> Any:
        # The generator's body runs on its first step, so it can be registered (for
        # references from its own events) before the events are built.
        built: list[tuple[str, Any, int]] = []
        generator = self.register(node_id, _replay(self.schedule, built))
        built.extend(self._events(events, "asyncgen"))
        kind, value, _ = built[-1]
        if kind == "return" and value is not undefined:
            raise RecipeError("a Python async generator can only return undefined")
        return generator

    def r_asynciter(self, events: Any) -> Any:
        return _RecipeAsyncIterable(self.schedule, self._events(events, "asynciter"))

    def r_timedstream(self, node_id: int, events: Any) -> Any:
        stream = self.register(node_id, Stream())
        for kind, value, step in self._events(events, "timedstream"):
            method = {"next": stream.next, "throw": stream.throw, "return": stream.return_}[kind]
            self.schedule.at(step, partial(method, value))
        return stream

    def r_livestream(self, node_id: int, events: Any) -> Any:
        stream, producer = create_live_stream()
        self.register(node_id, stream)
        built = self._events(events, "livestream")
        self.tasks.append(partial(_produce, self.schedule, producer, built))
        return stream

    def r_function(self, node_id: int) -> Any:
        def unsupported() -> None:
            """A function: seroval cannot serialize it (only a plugin or a reference can)."""

        return self.register(node_id, unsupported)


async def _produce(
    schedule: Schedule, producer: LiveStreamProducer, built: list[tuple[str, Any, int]]
) -> None:
    """A live stream's producer: each event at its step, each after the last was accepted."""
    send = {"next": producer.write, "return": producer.close, "throw": producer.fail}
    for kind, value, step in built:
        await schedule.gate(step)
        try:
            await send[kind](value)
        except Exception:
            return  # the stream was cancelled: nobody listens any more
