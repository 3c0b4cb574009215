"""seroval's streaming mode (``crossSerializeStream``, ``toCrossJSONStream``): the producer.

The root is parsed at once, with every async part as a placeholder: a promise as a
promise constructor (t:22) with a fresh *resolver* id, an async iterable, stream
or live stream as an empty stream constructor (t:31).  Later, each settlement is
parsed into one more record (a t:23/24 promise result, a t:32-34 stream event),
in settlement order, with the ids of the same parser: exactly seroval's records.

:class:`ChunkStream` is one such serialization.  Its first record is ready when
it is made (``initial``); the rest come through ``async for`` inside ``async
with``, which owns the tasks that wait for the async parts (structured
concurrency)::

    async with cross_serialize_stream(value) as chunks:
        async for chunk in chunks:      # the first chunk, then one per settlement
            await send(chunk)

How each part is followed, and why (JS runs promise callbacks as microtasks; this
keeps their order):

* a :class:`~seroval.protocol.model.values.JSPromise` calls back when it settles; the
  callback queues a job, and one *processor* task runs the jobs in order, as JS
  runs its microtask queue;
* any other awaitable (a coroutine, a future) is awaited by a task of its own;
* an async iterable is pulled by a task of its own, one item at a time: the next
  item is pulled only once the consumer asked for the chunk after the previous
  item's (backpressure), and leaving early closes it with ``aclose()``;
* a :class:`~seroval.protocol.model.live_stream.LiveStream` is read through its
  promises (jobs again), and each event is accepted when its chunk was taken, so
  the live producer's ``write`` settles only then;
* a push-based :class:`~seroval.protocol.model.stream.Stream` is listened to: each event
  is parsed when it is pushed, as seroval does (a stream cannot be slowed down).

Bound: records wait for the consumer in one queue.  At any time it holds at most
one record per async iterable and per live stream (they are paused until their
record is taken), one per promise (each settles once), and the events that
push-based streams received; nothing else is buffered.

Leaving the ``async with`` early, :meth:`ChunkStream.destroy` or
:meth:`ChunkStream.aclose` is seroval's destroy: the tasks are cancelled (so
awaited coroutines are cancelled and async generators closed), streams are
unsubscribed, live streams cancelled, and nothing more is produced.  A failure
(a value that cannot be serialized, met in a later settlement) ends the stream:
records not yet taken are dropped, their ids rolled back, and ``async for``
raises the error.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from functools import partial
from types import CoroutineType, TracebackType
from typing import Any, Final, Generic, TypeVar

import anyio
import anyio.abc

from ..errors import SerovalError, SerovalParserError, SerovalUnsupportedTypeError, wrap_foreign
from ..model.live_stream import LiveStream, LiveStreamConsumer, LiveStreamDelivery
from ..model.nodes import (
    T_PROMISE_CONSTRUCTOR,
    T_STREAM_CONSTRUCTOR,
    Node,
    SpecialReference,
)
from ..model.options import WriteOptions
from ..model.plugins import Awaited, Plugin, StreamSource
from ..model.references import WriteRefs
from ..model.stream import Stream
from ..model.values import JSPromise, undefined
from ..tree.parse import Parser, parse_top
from .async_parse import uses_fields
from .sources import NEXT, RETURN, THROW, close_quietly, is_awaitable, next_event, open_source
from .sources import settle as settle_awaitable
from .waiting import Signal

__all__ = ["ChunkStream", "StreamParser"]

T = TypeVar("T")

_EVENT_TYPES: Final = {"next": NEXT, "return": RETURN, "throw": THROW}


class StreamParser(Parser):
    """The sync parser with seroval's stream-mode hooks: async parts become placeholders."""

    mode = "stream"

    def __init__(self, options: WriteOptions, refs: WriteRefs, producer: ChunkStream[Any]):
        super().__init__(options, refs)
        self.producer = producer

    def promise(self, value: Any, node_id: int, depth: int) -> Node:
        resolver = self.fresh_id()
        self.producer.watch(value, resolver, depth)
        factory = self.special(SpecialReference.PROMISE_CONSTRUCTOR)
        return {"t": T_PROMISE_CONSTRUCTOR, "i": node_id, "s": resolver, "f": factory}

    def async_iterable(self, source: Any, depth: int) -> Node:
        node_id = self.fresh_id()
        factory = self.special(SpecialReference.STREAM_CONSTRUCTOR)
        self.producer.iterate(open_source(source), node_id, depth)
        return {"t": T_STREAM_CONSTRUCTOR, "i": node_id, "a": [], "f": factory}

    def stream_source(self, value: StreamSource, node_id: int, depth: int) -> Node:
        factory = self.special(SpecialReference.STREAM_CONSTRUCTOR)
        self.producer.iterate(open_source(value.source), node_id, depth)
        return {"t": T_STREAM_CONSTRUCTOR, "i": node_id, "a": [], "f": factory, "l": 1}

    def stream(self, value: Stream, node_id: int, depth: int) -> Node:
        factory = self.special(SpecialReference.STREAM_CONSTRUCTOR)
        node: Node = {"t": T_STREAM_CONSTRUCTOR, "i": node_id, "a": [], "f": factory}
        self.producer.subscribe(value, node_id, depth)
        return node

    def live_stream(self, value: LiveStream, node_id: int, depth: int) -> Node:
        factory = self.special(SpecialReference.STREAM_CONSTRUCTOR)
        self.producer.pump(value, node_id, depth)
        return {"t": T_STREAM_CONSTRUCTOR, "i": node_id, "a": [], "f": factory, "l": 1}

    def plugin_info(self, plugin: Plugin, value: Any, depth: int) -> dict[str, Node]:
        if not uses_fields(plugin):
            return super().plugin_info(plugin, value, depth)
        info: dict[str, Node] = {}
        for name, part in plugin.fields(value, self.mode).items():
            if type(part) is Awaited:
                raise SerovalUnsupportedTypeError(
                    f"the plugin {plugin.tag!r} needs to wait (Awaited), which only the async "
                    "serializers can",
                    value,
                )
            info[name] = self.parse(part, depth)
        return info


class _Record(Generic[T]):
    """One output of the stream: a root or later node, and what taking it accepts."""

    __slots__ = ("accept", "node", "out", "refs")

    def __init__(self, accept: Callable[[], object] | None, refs: int) -> None:
        self.node: Node | None = None
        self.out: T | None = None
        self.accept = accept
        self.refs = refs  # the refs size before this record, to roll back to


class _Listener:
    """Listens to a push-based Stream for the producer."""

    __slots__ = ("depth", "node_id", "producer")

    def __init__(self, producer: ChunkStream[Any], node_id: int, depth: int) -> None:
        self.producer = producer
        self.node_id = node_id
        self.depth = depth

    def next(self, value: Any) -> None:
        self.producer.stream_event(NEXT, value, self.node_id, self.depth)

    def throw(self, value: Any) -> None:
        self.producer.stream_event(THROW, value, self.node_id, self.depth)

    def return_(self, value: Any) -> None:
        self.producer.stream_event(RETURN, value, self.node_id, self.depth)


def _event_node(kind: int, node_id: int, node: Node) -> Node:
    return {"t": kind, "i": node_id, "f": node}


def _failure(reason: Any, what: str) -> SerovalError:
    if isinstance(reason, SerovalError):
        return reason
    if isinstance(reason, BaseException):
        return wrap_foreign(reason, "parse", what)
    return SerovalParserError(f"{what} failed with {reason!r}")


class ChunkStream(Generic[T]):
    """One streaming serialization: its first output now, the rest as things settle.

    Made by :func:`~seroval.protocol.aio.streaming.cross_serialize_stream` (JS chunks)
    and :func:`~seroval.protocol.aio.streaming.to_cross_json_stream` (node records);
    see the module docs for how it works.
    """

    def __init__(
        self,
        value: object,
        options: WriteOptions,
        refs: WriteRefs | None,
        emit: Callable[[Node, Parser], T],
    ) -> None:
        self.refs = refs if refs is not None else WriteRefs()
        self.parser = StreamParser(options, self.refs, self)
        self._emit = emit
        self._records: deque[_Record[T]] = deque()
        self._unsent = 0  # records at the end of the queue not yet turned into output
        self._taken: _Record[T] | None = None
        self._jobs: deque[Callable[[], object]] = deque()
        self._pending = 0
        self._parsing = 0
        self.alive = True
        self._finished = False
        self._failure: SerovalError | None = None
        self._reason: Any = undefined
        self._cleanups: list[Callable[[], object]] = []
        self._unstarted: list[Callable[[], Coroutine[Any, Any, None]]] = []
        self._coroutines: dict[int, CoroutineType[Any, Any, Any]] = {}
        self._group: anyio.abc.TaskGroup | None = None
        self._outer: anyio.abc.TaskGroup | None = None
        self._entered = False
        self._jobs_ready = Signal()
        self._output_ready = Signal()
        size = len(self.refs)
        record: _Record[T] = _Record(None, size)
        self._parsing += 1
        try:
            record.node = parse_top(self.parser, value)
        except SerovalError as error:
            self._parsing -= 1
            self._fail(error)
            raise
        except BaseException:
            self._parsing -= 1
            self._fail(SerovalParserError("the serialization was interrupted"))
            raise
        self._parsing -= 1
        if self._failure is not None:
            # A buffered stream event failed during the walk, which went on: let go of
            # what it met after the failure too, and of every id it took.
            self._let_go()
            self.refs.rollback(size)
            raise self._failure
        self._records.appendleft(record)
        self._unsent += 1
        self._flush()
        assert record.out is not None
        self.initial: T = record.out
        """The first output (the root), ready without waiting; ``async for`` yields it too."""
        self._check_done()

    # -- the consumer's side ----------------------------------------------------------------

    async def __aenter__(self) -> ChunkStream[T]:
        if self._entered:
            raise RuntimeError("a ChunkStream can be entered once")
        self._entered = True
        outer = anyio.create_task_group()
        await outer.__aenter__()
        self._outer = outer
        try:
            await outer.start(self._supervise)
        except BaseException as error:
            await outer.__aexit__(type(error), error, error.__traceback__)
            raise
        return self

    async def _supervise(self, *, task_status: anyio.abc.TaskStatus[None]) -> None:
        """Own the producer's tasks in a group of their own: stopping cancels them, and
        never the consumer's code inside ``async with``."""
        async with anyio.create_task_group() as group:
            self._group = group
            group.start_soon(self._process)
            unstarted, self._unstarted = self._unstarted, []
            for task in unstarted:
                group.start_soon(task)
            task_status.started()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        self.destroy(error if error is not None else undefined)
        assert self._outer is not None
        if error is not None and isinstance(error, anyio.get_cancelled_exc_class()):
            return await self._outer.__aexit__(kind, error, traceback)
        # Anything else the block raised is the caller's own: it propagates as is,
        # not wrapped in an ExceptionGroup by the task group (whose tasks are done).
        await self._outer.__aexit__(None, None, None)
        return None

    def __aiter__(self) -> ChunkStream[T]:
        return self

    async def __anext__(self) -> T:
        """The next output, once there is one; ends when nothing is pending.

        Taking an output accepts it: the async iterable or live stream it came from
        may then go on (seroval accepts once its ``onSerialize`` returned).
        """
        output = await self.take()
        self.accept()
        return output

    async def take(self) -> T:
        """The next output, *not yet accepted*: its source waits until :meth:`accept`.

        For a consumer that wants its own pace, e.g. a callback that must finish
        (seroval awaits a promise returned by ``onSerialize`` before accepting).
        """
        if self._outer is None:
            raise RuntimeError("use a ChunkStream inside `async with`")
        self.accept()
        while True:
            if self._records and self._records[0].out is not None:
                record = self._records.popleft()
                self._taken = record
                assert record.out is not None
                return record.out
            if self._failure is not None:
                failure, self._failure = self._failure, None
                raise failure
            if not self.alive:
                raise StopAsyncIteration
            if self._finished and not self._records:
                self._stop(undefined, failure=None, done=True)
                raise StopAsyncIteration
            await self._output_ready.wait()

    @property
    def pending(self) -> int:
        """How many async parts (promises, iterables, streams) have not finished yet."""
        return self._pending

    @property
    def done(self) -> bool:
        """True once nothing more will come (all of it taken, or failed, or destroyed)."""
        return not self.alive or (self._finished and not self._records)

    def destroy(self, reason: Any = undefined) -> None:
        """Stop now (seroval's destroy): cancel what is pending, produce nothing more.

        Live streams are cancelled with ``reason``; async generators are closed.
        """
        self._stop(reason, failure=None)

    async def aclose(self) -> None:
        """:meth:`destroy` (for ``contextlib.aclosing`` and early ``break``)."""
        self.destroy()

    # -- following the async parts (called by the parser) -----------------------------------

    def watch(self, value: Any, resolver: int, depth: int) -> None:
        """A promise met in a walk: its settlement becomes a later record."""
        self._pending += 1
        if type(value) is JSPromise:
            value.add_done_callback(
                lambda promise: self._queue(
                    partial(
                        self._settled,
                        resolver,
                        depth,
                        promise.status is JSPromise.FULFILLED,
                        promise.value,
                    )
                )
            )
            return
        if isinstance(value, CoroutineType):
            self._coroutines[id(value)] = value
        self._start(partial(self._await, value, resolver, depth))

    def iterate(self, iterator: AsyncIterator[Any], node_id: int, depth: int) -> None:
        """An async iterator met in a walk: a task pulls it, one accepted item at a time."""
        self._pending += 1
        self._start(partial(self._pull, iterator, node_id, depth))

    def subscribe(self, stream: Stream, node_id: int, depth: int) -> None:
        """A stream met in a walk: its events (buffered ones first, now) become records."""
        self._pending += 1
        self._cleanups.append(stream.on(_Listener(self, node_id, depth)))

    def pump(self, stream: LiveStream, node_id: int, depth: int) -> None:
        """A live stream met in a walk: consumed now (once only), read through its promises."""
        consumer = stream.consume()
        self._pending += 1
        self._cleanups.append(lambda: consumer.cancel(self._reason))
        self._read(consumer, node_id, depth)

    def stream_event(self, kind: int, value: Any, node_id: int, depth: int) -> None:
        if not self.alive:
            return
        self._parse_event(value, depth, partial(_event_node, kind, node_id))
        if kind != NEXT:
            self._release()

    # -- jobs and tasks -----------------------------------------------------------------

    def _queue(self, job: Callable[[], object]) -> None:
        if self.alive:
            self._jobs.append(job)
            self._jobs_ready.notify()

    async def _process(self) -> None:
        """Run the queued jobs in order (JS's microtask queue, for promise callbacks).

        It also keeps the task group open until nothing is pending, so that tasks
        can be started for async parts found in later records.
        """
        while self.alive and not self._finished:
            while self._jobs and self.alive:
                self._jobs.popleft()()
            if not self.alive or self._finished:
                return
            await self._jobs_ready.wait()

    def _start(self, task: Callable[[], Coroutine[Any, Any, None]]) -> None:
        if self._group is None:
            self._unstarted.append(task)
        elif self.alive:
            self._group.start_soon(task)

    async def _await(self, awaitable: Any, resolver: int, depth: int) -> None:
        self._coroutines.pop(id(awaitable), None)
        fulfilled, value = await settle_awaitable(awaitable)
        self._settled(resolver, depth, fulfilled, value)

    def _settled(self, resolver: int, depth: int, fulfilled: bool, value: Any) -> None:
        if not self.alive:
            return
        if fulfilled and is_awaitable(value):  # JS adopts what a promise resolves to
            self._start(partial(self._await, value, resolver, depth))
            return
        kind, special = (
            (23, SpecialReference.PROMISE_SUCCESS)
            if fulfilled
            else (24, SpecialReference.PROMISE_FAILURE)
        )
        parser = self.parser

        def wrap(node: Node) -> Node:
            # seroval parses the value first: the helper's id comes after the value's.
            return {"t": kind, "i": resolver, "a": [parser.special(special), node]}

        self._parse_event(value, depth, wrap)
        self._release()

    async def _pull(self, iterator: AsyncIterator[Any], node_id: int, depth: int) -> None:
        finished = False
        try:
            while self.alive:
                kind, value = await next_event(iterator)
                if not self.alive:
                    return
                if kind != NEXT:
                    finished = True
                    self.stream_event(kind, value, node_id, depth)
                    return
                accepted = anyio.Event()
                self._parse_event(value, depth, partial(_event_node, kind, node_id), accepted.set)
                await accepted.wait()
        finally:
            if not finished:
                await close_quietly(iterator)

    def _read(self, consumer: LiveStreamConsumer, node_id: int, depth: int) -> None:
        consumer.read().add_done_callback(
            lambda promise: self._queue(partial(self._delivered, consumer, node_id, depth, promise))
        )

    def _delivered(
        self, consumer: LiveStreamConsumer, node_id: int, depth: int, promise: JSPromise
    ) -> None:
        if not self.alive:
            return
        if promise.status is JSPromise.REJECTED:
            self._fail(_failure(promise.value, "reading a live stream"))
            return
        delivery: LiveStreamDelivery = promise.value
        kind = _EVENT_TYPES[delivery.kind]
        wrap = partial(_event_node, kind, node_id)
        self._parse_event(delivery.value, depth, wrap, delivery.accept)
        if kind == NEXT:
            self._read(consumer, node_id, depth)
        else:
            self._release()

    # -- records ----------------------------------------------------------------------

    def _parse_event(
        self,
        value: Any,
        depth: int,
        wrap: Callable[[Node], Node],
        accept: Callable[[], object] | None = None,
    ) -> None:
        """Parse a value that came after the root into a record (queued before parsing,
        so that records found inside it follow it)."""
        if not self.alive:
            return
        record: _Record[T] = _Record(accept, len(self.refs))
        self._records.append(record)
        self._unsent += 1
        self._parsing += 1
        try:
            record.node = wrap(parse_top(self.parser, value, depth, rollback=False))
        except SerovalError as error:
            self._fail(error)
        finally:
            self._parsing -= 1
        self._flush()

    def _flush(self) -> None:
        """Turn the records parsed so far into output, once no walk is under way.

        seroval writes a record's text when it emits it, after the walk that made it
        (with the ids the walk marked); with a consumer that keeps up, that is right
        after the walk, which is when it is done here.
        """
        if self._parsing or not self.alive:
            return
        records = self._records
        for index in range(len(records) - self._unsent, len(records)):
            record = records[index]
            assert record.node is not None
            record.out = self._emit(record.node, self.parser)
        self._unsent = 0
        self._output_ready.notify()

    def accept(self) -> None:
        """Accept the output :meth:`take` returned last (once; nothing if already accepted)."""
        record, self._taken = self._taken, None
        if record is not None and record.accept is not None and self.alive:
            record.accept()

    def _release(self) -> None:
        """One async part finished."""
        self._pending -= 1
        self._check_done()

    def _check_done(self) -> None:
        """Nothing is pending any more: what is queued is all there will be."""
        if self._finished or not self.alive or self._pending > 0 or self._jobs or self._parsing:
            return
        self._finished = True
        self._jobs_ready.notify()
        self._output_ready.notify()

    # -- ending -----------------------------------------------------------------------

    def _let_go(self) -> None:
        """Drop the jobs, run the cleanups (unsubscribe, cancel live streams) and close
        the coroutines no task has started."""
        self._jobs.clear()
        cleanups, self._cleanups = self._cleanups, []
        for cleanup in cleanups:
            try:
                cleanup()
            except Exception:  # one failing cleanup must not stop the others
                continue
        for coroutine in self._coroutines.values():
            coroutine.close()  # never started: close it, as a cancelled task would be
        self._coroutines.clear()
        self._unstarted.clear()

    def _fail(self, error: SerovalError) -> None:
        self._stop(error, failure=error)

    def _stop(self, reason: Any, failure: SerovalError | None, done: bool = False) -> None:
        """End once: on success keep what is queued; else drop it and roll its ids back."""
        if not self.alive:
            return
        self.alive = False
        self._reason = reason
        if not done:
            # What was not written yet is never sent: forget its ids (a failure keeps
            # the records written before it, as seroval had emitted them already).
            records = self._records
            keep = len(records) - self._unsent if failure is not None else 0
            if len(records) > keep:
                self.refs.rollback(records[keep].refs)
            while len(records) > keep:
                records.pop()
            self._unsent = 0
            self._failure = failure
        self._let_go()
        if self._group is not None and not done:
            self._group.cancel_scope.cancel()
        self._jobs_ready.notify()
        self._output_ready.notify()
