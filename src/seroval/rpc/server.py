"""Running a call on the server: decode, bind, run under middleware and deadline, stream out.

:class:`FunctionHandler` is what every carrier runs per call
(:class:`~seroval.rpc.core.carrier.CallHandler`).  It drives the sans-I/O
:class:`~seroval.rpc.core.server_call.ServerCall` and does the parts that need an
event loop:

* the arguments are read with the registry's deserializer (depth-limited, every
  promise settled) and bound to the signature before anything runs;
* the call runs inside a cancel scope whose deadline is the caller's
  (``X-Seroval-Timeout-Ms``) or ``limits.max_duration``, whichever is sooner; the
  carrier cancels the task when the peer goes away, and that cancels the function;
* a result with no async parts is one frame; otherwise it is streamed with
  seroval's ``toCrossJSONStream``: the root frame at once, then one frame per
  settlement.  Frames wait in a memory stream of ``limits.window`` slots between
  the producer and the carrier, so a slow reader pauses the function's async
  generators (they are pulled one item per frame taken) instead of growing memory.

One access-log line per call goes to the ``seroval.rpc.access`` logger: function
id, status, duration.  Exceptions a function raises are logged with their
traceback on ``seroval.rpc`` and sent without it (unless ``include_tracebacks``).
"""

from __future__ import annotations

import functools
import inspect
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import anyio
import anyio.to_thread

from ..protocol.errors import SerovalError, SerovalUnsupportedTypeError
from ..protocol.model.exceptions import JSError
from ..protocol.tree.api import to_cross_json_with
from .context import Context, enter_context, leave_context
from .core.carrier import BodySource, ResponseSink
from .core.errors import (
    BadRequestError,
    CallCancelledError,
    DeadlineExceededError,
    SerovalRPCError,
    ServerError,
)
from .core.server_call import ServerCall, ServerCallState
from .core.wire import RequestHead, ResponseHead
from .failures import to_js_error
from .flow import receive_soon, send_soon
from .redirect import Redirect
from .registry import ServerFunction, ServerFunctions

__all__ = ["FunctionHandler"]

logger = logging.getLogger("seroval.rpc")
access_logger = logging.getLogger("seroval.rpc.access")


class _Outcome:
    """What the access log says about one call; also the sink that notes the end."""

    __slots__ = ("complete", "function_id", "sink", "status")

    def __init__(self, sink: ResponseSink) -> None:
        self.function_id: str | None = None
        self.status = 0
        self.complete = False
        self.sink = sink

    async def start(self, head: ResponseHead) -> None:
        await self.sink.start(head)

    async def send(self, data: bytes, *, end: bool = False) -> None:
        # Set first: an ASGI server may report the disconnect that follows a complete
        # response while this last send is still returning.
        self.complete = end
        await self.sink.send(data, end=end)


class FunctionHandler:
    """Runs calls to one :class:`~seroval.rpc.registry.ServerFunctions`."""

    def __init__(self, functions: ServerFunctions) -> None:
        self.functions = functions
        self.active = 0
        """Calls running now (a server's graceful shutdown waits for 0)."""

    async def handle(self, head: RequestHead, receive: BodySource, sink: ResponseSink) -> None:
        started = time.perf_counter()
        outcome = _Outcome(sink)
        self.active += 1
        try:
            await self._handle(head, receive, outcome, outcome)
        except BaseException:
            if not outcome.complete:  # cancelled (a disconnect) before the response ended
                outcome.status = CallCancelledError.status
            raise
        finally:
            self.active -= 1
            if access_logger.isEnabledFor(logging.INFO):
                access_logger.info(
                    "%s %d %.1fms",
                    outcome.function_id or "-",
                    outcome.status,
                    (time.perf_counter() - started) * 1000,
                )

    async def _handle(
        self, head: RequestHead, receive: BodySource, sink: ResponseSink, outcome: _Outcome
    ) -> None:
        functions = self.functions
        call = ServerCall(
            head,
            lookup=functions.info,
            limits=functions.limits,
            codecs=functions.codec_registry,
            allowed_codecs=functions.codecs,
            site=functions.site,
            path=functions.path,
        )
        try:
            start = call.start()
            outcome.function_id = start.function.id
            while (chunk := await receive()) is not None:
                if chunk:
                    call.receive_data(chunk)
            args = self._read_arguments(call.end_of_body())
            entry = functions.get(start.function.id)
            assert entry is not None
            timeout = start.timeout
            limit = functions.limits.max_duration
            if limit is not None:
                timeout = limit if timeout is None else min(timeout, limit)
            deadline = None if timeout is None else time.monotonic() + timeout
            context = Context(entry.id, head, deadline)
            positional, keywords = entry.bind(args, context)
        except SerovalRPCError as refusal:
            outcome.function_id = outcome.function_id or call.function_id
            await self._refuse(call, refusal, sink, outcome)
            return
        token = enter_context(context)
        try:
            await self._run(call, entry, context, positional, keywords, timeout, sink, outcome)
        finally:
            leave_context(token)

    def _read_arguments(self, records: list[Any]) -> list[Any]:
        if not records:
            return []
        reader = self.functions.deserializer.cross_deserializer()
        try:
            root = reader.deserialize(records[0])
            for record in records[1:]:
                reader.deserialize(record)
        except SerovalError as error:
            raise BadRequestError(f"the arguments cannot be read: {error}") from error
        if reader.pending > self.functions.limits.max_pending:
            raise BadRequestError(
                f"the arguments leave {reader.pending} promises or streams unsettled"
            )
        if not isinstance(root, list):
            raise BadRequestError("the arguments must be an array")
        return list(root)

    async def _run(
        self,
        call: ServerCall,
        entry: ServerFunction,
        context: Context,
        positional: tuple[Any, ...],
        keywords: dict[str, Any],
        timeout: float | None,
        sink: ResponseSink,
        outcome: _Outcome,
    ) -> None:
        async def invoke() -> Any:
            if entry.kind == "sync":
                bound = functools.partial(entry.fn, *positional, **keywords)
                return await anyio.to_thread.run_sync(bound)
            if entry.kind == "async":
                return await entry.fn(*positional, **keywords)
            return entry.fn(*positional, **keywords)

        chain: Callable[[], Awaitable[Any]] = invoke
        for middleware in reversed(self.functions.middleware):
            chain = functools.partial(middleware, context, chain)

        scope = anyio.CancelScope(
            deadline=anyio.current_time() + timeout if timeout is not None else float("inf")
        )
        with scope:
            try:
                result = await chain()
            except Redirect as thrown:
                await self._redirect(call, thrown, context, sink, outcome)
                return
            except Exception as error:
                await self._failed(call, error, context, sink, outcome)
                return
            if isinstance(result, Redirect):
                headers = [*context.response_headers, *result.headers()]
                head, frame = call.respond({"t": 2, "s": 0}, headers, context.status or 200)
                outcome.status = head.status
                await sink.start(head)
                await sink.send(frame, end=True)
                call.finish()
                return
            await self._respond(call, result, context, sink, outcome)
        if scope.cancelled_caught:
            if call.state is ServerCallState.CALLING:
                await self._refuse(
                    call, DeadlineExceededError("the call's deadline passed"), sink, outcome
                )
            elif call.state is ServerCallState.STREAMING:
                outcome.status = DeadlineExceededError.status
                await sink.send(b"", end=True)  # the client's own deadline has passed too
                call.finish()

    async def _respond(
        self, call: ServerCall, result: Any, context: Context, sink: ResponseSink, outcome: _Outcome
    ) -> None:
        serializer = self.functions.serializer
        status = context.status or 200
        if inspect.isasyncgen(result):
            result = self._errors_as_sent(result, context, call.function_id)
        try:
            tree = serializer.to_cross_json(result)
        except SerovalUnsupportedTypeError:
            tree = None  # async parts (or truly unsupported: the stream form says which)
        except SerovalError as error:
            await self._server_error(call, error, sink, outcome)
            return
        if tree is not None:
            head, frame = call.respond(tree, context.response_headers, status)
            outcome.status = head.status
            await sink.start(head)
            await sink.send(frame, end=True)
            call.finish()
            return
        try:
            chunks = serializer.to_cross_json_stream(result)
        except SerovalError as error:
            await self._server_error(call, error, sink, outcome)
            return
        async with chunks:
            head, frame = call.respond(chunks.initial, context.response_headers, status)
            outcome.status = head.status
            await sink.start(head)
            await sink.send(frame)
            frames_in, frames_out = anyio.create_memory_object_stream[bytes](
                self.functions.limits.window
            )
            failure: list[SerovalError] = []

            async def produce() -> None:
                async with frames_in:
                    first = True
                    try:
                        async for node in chunks:
                            if first:  # ``async for`` yields the root again
                                first = False
                                continue
                            await send_soon(frames_in, call.record(node))
                    except SerovalError as error:
                        failure.append(error)

            async with anyio.create_task_group() as group:
                group.start_soon(produce)
                async with frames_out:
                    while True:
                        try:
                            data = await receive_soon(frames_out)
                        except anyio.EndOfStream:
                            break
                        await sink.send(data)
        if failure:
            # The status is sent; the client sees the response end with parts unsettled.
            logger.error("%s: a later part of the result failed: %s", call.function_id, failure[0])
            outcome.status = ServerError.status
        await sink.send(b"", end=True)
        call.finish()

    async def _errors_as_sent(
        self, source: AsyncGenerator[Any, Any], context: Context, function_id: str | None
    ) -> AsyncGenerator[Any, Any]:
        """``source``, its exception sent as a raised one is (properties, ``on_error``)."""
        try:
            async for item in source:
                yield item
        except Exception as error:
            logger.warning("%s raised mid-stream", function_id, exc_info=error)
            raise self._sent(error, context) from None
        finally:
            await source.aclose()

    def _sent(self, error: Exception, context: Context) -> JSError:
        sent: BaseException = error
        if self.functions.on_error is not None:
            sent = self.functions.on_error(error, context) or error
        return to_js_error(sent, include_tracebacks=self.functions.include_tracebacks)

    async def _redirect(
        self,
        call: ServerCall,
        thrown: Redirect,
        context: Context,
        sink: ResponseSink,
        outcome: _Outcome,
    ) -> None:
        headers = [*context.response_headers, *thrown.headers()]
        head, frame = call.fail({"t": 2, "s": 0}, True, status=200, headers=headers)
        outcome.status = head.status
        await sink.start(head)
        await sink.send(frame, end=True)

    async def _failed(
        self,
        call: ServerCall,
        error: Exception,
        context: Context,
        sink: ResponseSink,
        outcome: _Outcome,
    ) -> None:
        logger.warning("%s raised", call.function_id, exc_info=error)
        js = self._sent(error, context)
        try:
            tree = to_cross_json_with(self.functions.error_options, js)
        except SerovalError as problem:
            await self._server_error(call, problem, sink, outcome)
            return
        head, frame = call.fail(
            tree, js.message, status=context.status or 200, headers=context.response_headers
        )
        outcome.status = head.status
        await sink.start(head)
        await sink.send(frame, end=True)

    async def _server_error(
        self, call: ServerCall, error: SerovalError, sink: ResponseSink, outcome: _Outcome
    ) -> None:
        logger.error("%s: the result cannot be sent: %s", call.function_id, error)
        problem = ServerError(f"the result cannot be sent: {error}", function_id=call.function_id)
        await self._refuse(call, problem, sink, outcome)

    async def _refuse(
        self, call: ServerCall, refusal: SerovalRPCError, sink: ResponseSink, outcome: _Outcome
    ) -> None:
        tree = to_cross_json_with(self.functions.error_options, to_js_error(refusal))
        head, frame = call.refuse(refusal, tree)
        outcome.status = head.status
        await sink.start(head)
        await sink.send(frame, end=True)
