"""seroval's async mode (``serializeAsync``, ``toJSONAsync``...): wait for it all, then inline it.

In async mode a promise becomes a settled Promise node (t:12) holding its value,
and an async iterable, a stream or a live stream becomes a stream constructor
holding every event it produced.  seroval's async parser hands out ids in one
walk that pauses at each promise until it settles, then goes on with the value;
so the ids are those of a sync walk over the value with every async part
replaced by its outcome, in place.

That is how it is done here, without a second walker: :class:`AsyncParser` is the
sync :class:`~seroval.protocol.tree.parse.Parser` with the async hooks overridden.  A
walk that meets an async part whose outcome is not known yet notes it and puts a
placeholder; after the walk, everything noted is awaited (concurrently: JS
promises run on their own, so the order of waiting is not observable), and the
value is walked again, with the ids rolled back.  Each walk resolves one more
level of nesting, so a value needs one walk more than its deepest chain of async
parts, and that chain is bounded by ``depth_limit``.  The outcomes are kept by
identity between walks, and so is everything that must happen once: a sync
iterator drained, an async iterator pulled, a plugin's ``fields`` read, a stream
subscribed to.

One known difference: seroval parses the events of a push-based stream that
arrive together (for instance, those it already buffered) concurrently, so the
ids inside their values interleave by microtask timing.  Here each event is
parsed whole, in order: the same values, but possibly other ids.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from functools import partial
from types import CoroutineType
from typing import Any, Final

import anyio

from ..errors import SerovalError, SerovalParserError, wrap_foreign
from ..model.live_stream import LiveStream, LiveStreamConsumer, LiveStreamDelivery
from ..model.nodes import (
    T_CONSTANT,
    T_PROMISE,
    T_STREAM_CONSTRUCTOR,
    Node,
    SpecialReference,
)
from ..model.options import WriteOptions
from ..model.plugins import Awaited, Plugin, StreamSource
from ..model.references import WriteRefs
from ..model.stream import Stream
from ..model.values import JSSequence
from ..tree.parse import Parser, parse_top
from .sources import (
    NEXT,
    RETURN,
    THROW,
    close_quietly,
    next_event,
    open_source,
    settle,
    settled_now,
)

__all__ = ["AsyncParser", "parse_async"]

_UNDEFINED: Final[Node] = {"t": T_CONSTANT, "s": 1}
_EVENT_TYPES: Final = {"next": NEXT, "return": RETURN, "throw": THROW}

Job = Callable[[], Awaitable[None]]


def uses_fields(plugin: Plugin) -> bool:
    """Whether the plugin describes itself with ``fields`` (else with its ``parse`` hook)."""
    return type(plugin).fields is not Plugin.fields


class _Events:
    """The events of one stream-like source, collected as they come."""

    __slots__ = ("done", "events", "signal")

    def __init__(self) -> None:
        self.events: list[tuple[int, Any]] = []
        self.done = False
        self.signal: anyio.Event | None = None

    def add(self, kind: int, value: Any) -> None:
        self.events.append((kind, value))
        if kind != NEXT:
            self.done = True
            if self.signal is not None:
                self.signal.set()

    # A Stream listener.
    def next(self, value: Any) -> None:
        self.add(NEXT, value)

    def throw(self, value: Any) -> None:
        self.add(THROW, value)

    def return_(self, value: Any) -> None:
        self.add(RETURN, value)

    async def wait(self) -> None:
        if not self.done:
            self.signal = anyio.Event()
            await self.signal.wait()


class _Knowledge:
    """What the walks so far learned, by identity, and the work the last walk found."""

    def __init__(self) -> None:
        self.keep: dict[int, object] = {}  # holds every keyed value alive
        self.outcomes: dict[int, tuple[bool, Any]] = {}
        self.requested: set[int] = set()
        self.sources: dict[int, _Events] = {}
        self.sequences: dict[int, JSSequence] = {}
        self.fields: dict[tuple[int, int], Mapping[str, Any]] = {}
        self.work: list[Job] = []
        self.unawaited: dict[int, CoroutineType[Any, Any, Any]] = {}
        self.open: dict[int, AsyncIterator[Any]] = {}
        self.unsubscribes: list[Callable[[], None]] = []
        self.consumers: list[LiveStreamConsumer] = []
        self.failure: BaseException | None = None

    def _key(self, value: object) -> int:
        self.keep[id(value)] = value
        return id(value)

    # -- awaitables ---------------------------------------------------------------------

    def outcome(self, awaitable: Any) -> tuple[bool, Any] | None:
        """How ``awaitable`` settled, or ``None`` (then it is awaited after this walk)."""
        key = id(awaitable)
        known = self.outcomes.get(key)
        if known is not None:
            return known
        known = settled_now(awaitable)
        if known is not None:
            self.outcomes[self._key(awaitable)] = known
            return known
        if key not in self.requested:
            self.requested.add(self._key(awaitable))
            if isinstance(awaitable, CoroutineType):
                self.unawaited[key] = awaitable
            self.work.append(partial(self._settle, awaitable))
        return None

    async def _settle(self, awaitable: Any) -> None:
        self.unawaited.pop(id(awaitable), None)
        self.outcomes[id(awaitable)] = await settle(awaitable)

    # -- stream-like sources -------------------------------------------------------------

    def iterated(self, source: Any) -> list[tuple[int, Any]] | None:
        """The events of an async iterable: it is opened now, pulled between walks."""
        events = self.sources.get(id(source))
        if events is None:
            iterator = open_source(source)  # may raise, as seroval's call of the method
            key = self._key(source)
            events = self.sources[key] = _Events()
            self.open[key] = iterator
            self.work.append(partial(self._pull, key, iterator, events))
        return events.events if events.done else None

    async def _pull(self, key: int, iterator: AsyncIterator[Any], events: _Events) -> None:
        try:
            while not events.done:
                events.add(*await next_event(iterator))
        finally:
            self.open.pop(key, None)
            if not events.done:
                await close_quietly(iterator)

    def subscribed(self, stream: Stream) -> list[tuple[int, Any]] | None:
        """The events of a stream: subscribed to now (it replays what it has), then waited for."""
        events = self.sources.get(id(stream))
        if events is None:
            key = self._key(stream)
            events = self.sources[key] = _Events()
            self.unsubscribes.append(stream.on(events))
            if not events.done:
                self.work.append(events.wait)
        return events.events if events.done else None

    def pumped(self, stream: LiveStream) -> list[tuple[int, Any]] | None:
        """The events of a live stream: consumed now (a second consumer is refused), then read."""
        events = self.sources.get(id(stream))
        if events is None:
            consumer = stream.consume()
            self.consumers.append(consumer)
            key = self._key(stream)
            events = self.sources[key] = _Events()
            self.work.append(partial(self._read, consumer, events))
        return events.events if events.done else None

    async def _read(self, consumer: LiveStreamConsumer, events: _Events) -> None:
        while not events.done:
            try:
                delivery: LiveStreamDelivery = await consumer.read()
            except Exception as error:
                raise SerovalParserError(
                    f"a live stream failed while it was being read: {error!r}"
                ) from error
            events.add(_EVENT_TYPES[delivery.kind], delivery.value)
            delivery.accept()

    # -- things that must happen once ---------------------------------------------------

    def sequence(self, source: Any, drain: Callable[[Any], JSSequence]) -> JSSequence:
        key = id(source)
        sequence = self.sequences.get(key)
        if sequence is None or self.keep.get(key) is not source:
            sequence = self.sequences[self._key(source)] = drain(source)
        return sequence

    def plugin_fields(self, plugin: Plugin, value: Any, mode: str) -> Mapping[str, Any]:
        key = (id(value), id(plugin))
        parts = self.fields.get(key)
        if parts is None or self.keep.get(key[0]) is not value:
            self._key(value)
            parts = self.fields[key] = plugin.fields(value, mode)
        return parts

    # -- the rounds ------------------------------------------------------------------------

    async def run_work(self) -> None:
        """Await everything the last walk found, concurrently; the first failure is raised."""
        work, self.work = self.work, []

        async def guarded(job: Job) -> None:
            try:
                await job()
            except Exception as error:
                if self.failure is None:
                    self.failure = error
                group.cancel_scope.cancel()

        async with anyio.create_task_group() as group:
            for job in work:
                group.start_soon(guarded, job)
        if self.failure is not None:
            failure, self.failure = self.failure, None
            if isinstance(failure, SerovalError):
                raise failure
            raise wrap_foreign(failure, "parse", "waiting for an async value") from failure

    async def close(self) -> None:
        """Release what an unfinished serialization holds (it failed or was cancelled)."""
        for coroutine in self.unawaited.values():
            coroutine.close()  # never awaited: close it, as a cancelled task would be
        self.unawaited.clear()
        for unsubscribe in self.unsubscribes:
            unsubscribe()
        self.unsubscribes.clear()
        for consumer in self.consumers:
            consumer.cancel(SerovalParserError("the serialization reading this stream stopped"))
        self.consumers.clear()
        iterators, self.open = list(self.open.values()), {}
        for iterator in iterators:
            await close_quietly(iterator)


class AsyncParser(Parser):
    """The sync parser with seroval's async-mode hooks (see the module docs)."""

    mode = "async"

    def __init__(self, options: WriteOptions, refs: WriteRefs, known: _Knowledge) -> None:
        super().__init__(options, refs)
        self.known = known

    def promise(self, value: Any, node_id: int, depth: int) -> Node:
        outcome = self.known.outcome(value)
        if outcome is None:
            return {"t": T_PROMISE, "i": node_id, "s": 1, "f": _UNDEFINED}
        fulfilled, result = outcome
        return {
            "t": T_PROMISE,
            "i": node_id,
            "s": 1 if fulfilled else 0,
            "f": self.parse(result, depth),
        }

    def _events(self, node_id: int, events: list[tuple[int, Any]] | None, depth: int) -> Node:
        factory = self.special(SpecialReference.STREAM_CONSTRUCTOR)
        return self._constructor(node_id, factory, events, depth)

    def _constructor(
        self, node_id: int, factory: Node, events: list[tuple[int, Any]] | None, depth: int
    ) -> Node:
        nodes = [] if events is None else self.stream_events(node_id, events, depth)
        return {"t": T_STREAM_CONSTRUCTOR, "i": node_id, "a": nodes, "f": factory}

    def _pulled(self, source: Any, node_id: int, depth: int) -> Node:
        # seroval: a fresh id, the stream helper, then a mark before each pull.
        factory = self.special(SpecialReference.STREAM_CONSTRUCTOR)
        self.mark(node_id)
        return self._constructor(node_id, factory, self.known.iterated(source), depth)

    def async_iterable(self, source: Any, depth: int) -> Node:
        return self._pulled(source, self.fresh_id(), depth)

    def stream_source(self, value: StreamSource, node_id: int, depth: int) -> Node:
        return self._pulled(value.source, node_id, depth)

    def stream(self, value: Stream, node_id: int, depth: int) -> Node:
        factory = self.special(SpecialReference.STREAM_CONSTRUCTOR)
        return self._constructor(node_id, factory, self.known.subscribed(value), depth)

    def live_stream(self, value: LiveStream, node_id: int, depth: int) -> Node:
        factory = self.special(SpecialReference.STREAM_CONSTRUCTOR)
        return self._constructor(node_id, factory, self.known.pumped(value), depth)

    def sequence(self, source: Any) -> JSSequence:
        return self.known.sequence(source, super().sequence)

    def plugin_info(self, plugin: Plugin, value: Any, depth: int) -> dict[str, Node]:
        if not uses_fields(plugin):
            return super().plugin_info(plugin, value, depth)
        info: dict[str, Node] = {}
        for name, part in self.known.plugin_fields(plugin, value, self.mode).items():
            if type(part) is not Awaited:
                info[name] = self.parse(part, depth)
                continue
            outcome = self.known.outcome(part.awaitable)
            if outcome is None:
                info[name] = _UNDEFINED
                continue
            fulfilled, result = outcome
            if not fulfilled:
                raise _plugin_failure(plugin, result)
            info[name] = self.parse(result, depth)
        return info


def _plugin_failure(plugin: Plugin, reason: Any) -> SerovalError:
    what = f"the plugin {plugin.tag!r}"
    if isinstance(reason, BaseException):
        return wrap_foreign(reason, "parse", what)
    return SerovalParserError(f"{what} waited for a value that was rejected with {reason!r}")


async def parse_async(
    value: object, options: WriteOptions, refs: WriteRefs | None = None
) -> tuple[Node, AsyncParser]:
    """Walk ``value`` until every async part is known; the last walk's root and parser."""
    refs = refs if refs is not None else WriteRefs()
    known = _Knowledge()
    start = len(refs)
    finished = False
    try:
        for _ in range(options.depth_limit + 2):
            parser = AsyncParser(options, refs, known)
            root = parse_top(parser, value)
            if not known.work:
                finished = True
                return root, parser
            refs.rollback(start)
            await known.run_work()
        raise SerovalParserError("the value kept producing new async values to wait for")
    finally:
        if not finished:
            await known.close()
