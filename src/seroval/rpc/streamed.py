"""Arguments that settle after the call started (client streaming, bidirectional calls).

Over HTTP a client sends its arguments settled: SolidStart drains every promise
and stream into the body before the request goes.  A multiplexed connection
can do better: the ``CALL`` holds the argument array as far as it is known, and
later ``DATA`` frames settle its promises and push its streams' items while the
function already runs.  The function sees those parts exactly as a client sees
a result's: a :class:`~seroval.rpc.results.RemotePromise` to await, a
:class:`~seroval.rpc.results.RemoteStream` to ``async for`` (``aclose()`` on it
tells the client to stop sending).

:class:`StreamedArgumentsHandler` is a :class:`~seroval.rpc.server.FunctionHandler`
that starts the function at the first frame and feeds the later ones through
the same window-bounded :class:`~seroval.rpc.results.Pump` the client uses, so an
argument stream the function does not read stops the client's sender at the
window.  A part still open when the function returns is rejected.
"""

from __future__ import annotations

import time
import weakref
from typing import Any, Final, cast

import anyio

from ..codecs.framing import FrameDecoder
from ..protocol.errors import SerovalError
from ..protocol.jstext.reader import CrossDeserializer
from .context import Context, enter_context, leave_context
from .core.carrier import BodySource, CallResponse, ResponseSink
from .core.client_call import ClientCall
from .core.errors import BadRequestError, ProtocolError, SerovalRPCError
from .core.limits import check_node_count
from .core.server_call import ServerCall
from .results import Pump, adapt
from .server import FunctionHandler, _Outcome

__all__ = ["MAX_STREAMED_PARTS", "StreamedArgumentsHandler", "streaming_handler"]

MAX_STREAMED_PARTS: Final = 64
"""Promises and streams one call's arguments may hold open (beyond ``limits.max_pending``)."""

_HANDLERS: weakref.WeakKeyDictionary[FunctionHandler, StreamedArgumentsHandler] = (
    weakref.WeakKeyDictionary()
)


def streaming_handler(handler: Any) -> Any:
    """The handler a multiplexed carrier runs: ``handler``'s, taking streamed arguments.

    ``handler`` is a ``ServerFunctions`` or a handler; a plain
    :class:`FunctionHandler` is wrapped (once), anything else (a front end's
    profile) is used as it is.
    """
    handler = getattr(handler, "handler", handler)
    if type(handler) is not FunctionHandler:
        return handler
    wrapped = _HANDLERS.get(handler)
    if wrapped is None:
        wrapped = _HANDLERS[handler] = StreamedArgumentsHandler(handler)
    return wrapped


class _ArgumentFrames:
    """The later argument frames, read as a response's are (what :class:`Pump` drives)."""

    def __init__(self, call: ServerCall, max_frame_size: int, max_nodes: int) -> None:
        assert call.codec is not None
        self.function_id = call.function_id
        self._decoder = FrameDecoder(call.codec, max_frame_size=max_frame_size)
        self._max_nodes = max_nodes

    def receive_data(self, data: bytes) -> list[Any]:
        try:
            records = self._decoder.feed(data)
        except SerovalError as error:
            raise BadRequestError(f"bad argument frames: {error}") from error
        check_node_count(records, self._max_nodes)
        return records

    def end_of_response(self) -> None:
        try:
            self._decoder.close()
        except SerovalError as error:
            raise ProtocolError(f"the arguments ended inside a frame: {error}") from error


class _ArgumentBody:
    """The rest of the request body, as a :class:`CallResponse` for the pump."""

    def __init__(self, receive: BodySource) -> None:
        self._receive = receive
        self.head = None

    async def receive(self) -> bytes | None:
        return await self._receive()

    async def aclose(self) -> None:
        stop = getattr(getattr(self._receive, "__self__", None), "stop", None)
        if stop is not None:
            await stop()


class StreamedArgumentsHandler(FunctionHandler):
    """A :class:`FunctionHandler` whose calls may stream their arguments (module docs).

    ``base.active`` counts its calls too, so a shutdown that waits on the base
    handler waits for these.
    """

    def __init__(self, base: FunctionHandler) -> None:
        super().__init__(base.functions)
        self.base = base

    async def handle(self, head: Any, receive: BodySource, sink: ResponseSink) -> None:
        self.base.active += 1
        try:
            await super().handle(head, receive, sink)
        finally:
            self.base.active -= 1

    async def _handle(
        self, head: Any, receive: BodySource, sink: ResponseSink, outcome: _Outcome
    ) -> None:
        functions = self.functions
        limits = functions.limits
        call = ServerCall(
            head,
            lookup=functions.info,
            limits=limits,
            codecs=functions.codec_registry,
            allowed_codecs=functions.codecs,
            site=functions.site,
            path=functions.path,
        )
        pump: Pump | None = None
        try:
            start = call.start()
            outcome.function_id = start.function.id
            first = await receive()  # the CALL's own body: the array and what had settled
            if first:
                call.receive_data(first)
            records = call.end_of_body()
            reader = CrossDeserializer(
                options=functions.deserializer.options, single_consumer_streams=True
            )
            args = self._read_streamed(reader, records)
            entry = functions.get(start.function.id)
            assert entry is not None
            timeout = start.timeout
            if limits.max_duration is not None:
                timeout = (
                    limits.max_duration if timeout is None else min(timeout, limits.max_duration)
                )
            deadline = None if timeout is None else time.monotonic() + timeout
            context = Context(entry.id, head, deadline)
            if reader.pending:
                frames = _ArgumentFrames(call, limits.max_body_size, limits.max_nodes)
                pump = Pump(
                    cast(ClientCall, frames),
                    cast(CallResponse, _ArgumentBody(receive)),
                    reader,
                    window=limits.window,
                    deadline=None if timeout is None else anyio.current_time() + timeout,
                    exceptions=None,
                    max_pending=max(limits.max_pending, MAX_STREAMED_PARTS),
                )
                args = adapt(args, pump)
            positional, keywords = entry.bind(args, context)
        except SerovalRPCError as refusal:
            outcome.function_id = outcome.function_id or call.function_id
            await self._refuse(call, refusal, sink, outcome)
            return
        token = enter_context(context)
        try:
            if pump is None:
                await self._run(call, entry, context, positional, keywords, timeout, sink, outcome)
                return
            async with anyio.create_task_group() as group:
                group.start_soon(pump.run)
                try:
                    await self._run(
                        call, entry, context, positional, keywords, timeout, sink, outcome
                    )
                finally:
                    pump.close()  # parts the function left open are rejected
        finally:
            leave_context(token)

    def _read_streamed(self, reader: CrossDeserializer, records: list[Any]) -> list[Any]:
        if not records:
            return []
        try:
            root = reader.deserialize(records[0])
            for record in records[1:]:
                reader.deserialize(record)
        except SerovalError as error:
            raise BadRequestError(f"the arguments cannot be read: {error}") from error
        limit = max(self.functions.limits.max_pending, MAX_STREAMED_PARTS)
        if reader.pending > limit:
            raise BadRequestError(f"the arguments hold more than {limit} promises or streams")
        if not isinstance(root, list):
            raise BadRequestError("the arguments must be an array")
        return list(root)
