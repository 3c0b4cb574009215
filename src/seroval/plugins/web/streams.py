"""``ReadableStream``: an async iterator of chunks, and its plugin with the factory helper.

seroval-plugins sends a ReadableStream as a live seroval stream (seroval's
``parseStreamSource``) handed to a helper function that builds the JS
``ReadableStream`` (``(FACTORY)(stream)``).  In async mode the stream's events
are all in the one payload; in stream mode each chunk is its own later record.
Sync mode cannot send a stream, in seroval and here.

:class:`ReadableStream` wraps any async iterable (or a plain iterable, or a seroval
:class:`~seroval.protocol.model.stream.Stream` read from the wire) and, like JS's, can
be read once.  Closing a JS ReadableStream carries no value, so the stream
always ends with ``undefined``; and an error discards the chunks not yet read, so
a stream read from the wire that ended in an error yields only the chunks read
before the error arrived (all of them are dropped when it had already ended).
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Mapping
from typing import Any, ClassVar, Final

from ...protocol.jstext.helpers import READABLE_STREAM_FACTORY
from ...protocol.model.plugins import (
    PluginDeserializeContext,
    PluginSerializeContext,
    StreamSource,
)
from ...protocol.model.stream import Stream
from ...protocol.model.values import ThrownValue
from ._base import Factory, WebPlugin, call_arguments

__all__ = [
    "READABLE_STREAM_FACTORY_MARKER",
    "ReadableStream",
    "ReadableStreamFactoryPlugin",
    "ReadableStreamPlugin",
]

READABLE_STREAM_FACTORY_MARKER: Final = Factory("ReadableStreamFactory")
_OPEN: Final = object()


class _StreamReader:
    """Reads a seroval Stream as an async iterator (subscribes when created)."""

    __slots__ = ("_chunks", "_end", "_wakeup")

    def __init__(self, stream: Stream) -> None:
        self._chunks: deque[Any] = deque()
        self._end: Any = _OPEN  # _OPEN, None (returned) or a thrown value, boxed
        self._wakeup: Any = None
        stream.on(self)

    def next(self, value: Any) -> None:
        self._chunks.append(value)
        self._wake()

    def throw(self, value: Any) -> None:
        # As in JS: erroring a ReadableStream discards the chunks not yet read.
        self._chunks.clear()
        self._end = (value,)
        self._wake()

    def return_(self, value: Any) -> None:
        self._end = None
        self._wake()

    def _wake(self) -> None:
        if self._wakeup is not None:
            self._wakeup.set()

    def __aiter__(self) -> _StreamReader:
        return self

    async def __anext__(self) -> Any:
        while True:
            if self._chunks:
                return self._chunks.popleft()
            if self._end is None:
                raise StopAsyncIteration
            if self._end is not _OPEN:
                error = self._end[0]
                raise error if isinstance(error, BaseException) else ThrownValue(error)
            import anyio  # only an open stream waits, under asyncio or trio

            self._wakeup = anyio.Event()
            await self._wakeup.wait()
            self._wakeup = None


async def _from_iterable(items: Iterable[Any]) -> AsyncIterator[Any]:
    for item in items:
        yield item


class ReadableStream:
    """A stream of chunks (JS ``ReadableStream``), read once with ``async for``."""

    __slots__ = ("_locked", "_source")

    def __init__(self, source: AsyncIterable[Any] | Iterable[Any] | Stream = ()) -> None:
        if isinstance(source, (str, bytes, bytearray)):
            raise TypeError("a ReadableStream takes an iterable of chunks, not one chunk")
        self._source = source
        self._locked = False

    @property
    def locked(self) -> bool:
        """Whether the stream is being (or was) read: a second read raises ``TypeError``."""
        return self._locked

    def __aiter__(self) -> AsyncIterator[Any]:
        if self._locked:
            raise TypeError("this ReadableStream is locked: it can be read once")
        self._locked = True
        source = self._source
        if isinstance(source, Stream):
            return _StreamReader(source)
        if isinstance(source, AsyncIterable):
            return source.__aiter__()
        return _from_iterable(source)

    def __repr__(self) -> str:
        state = "locked" if self._locked else "unread"
        return f"<ReadableStream {state} {self._source!r}>"


def _is_stream(value: object) -> bool:
    return isinstance(value, Stream)


def _stream_call(arguments: list[Any]) -> dict[str, Any]:
    return {"stream": call_arguments(arguments, 1)[0]}


class ReadableStreamFactoryPlugin(WebPlugin):
    """``seroval-plugins/web/ReadableStreamFactory``: the helper function text itself."""

    tag = "seroval-plugins/web/ReadableStreamFactory"
    skip_plain_objects: ClassVar[bool] = False

    def test(self, value: object) -> bool:
        return value is READABLE_STREAM_FACTORY_MARKER

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        return {}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return READABLE_STREAM_FACTORY

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Factory:
        return READABLE_STREAM_FACTORY_MARKER


class ReadableStreamPlugin(WebPlugin):
    """``seroval/plugins/web/ReadableStream`` (sic): ``(FACTORY)(stream)``; async and stream."""

    tag = "seroval/plugins/web/ReadableStream"
    extends = (ReadableStreamFactoryPlugin(),)
    modes: ClassVar[frozenset[str]] = frozenset({"async", "stream"})
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {"stream": _is_stream}
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        ReadableStreamFactoryPlugin.tag: _stream_call  # a call of the factory's helper text
    }

    def test(self, value: object) -> bool:
        return isinstance(value, ReadableStream)

    def fields(self, value: ReadableStream, mode: str) -> Mapping[str, Any]:
        return {"factory": READABLE_STREAM_FACTORY_MARKER, "stream": StreamSource(value)}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return "(" + ctx.serialize(info["factory"]) + ")(" + ctx.serialize(info["stream"]) + ")"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> ReadableStream:
        return ReadableStream(ctx.deserialize(info["stream"]))
