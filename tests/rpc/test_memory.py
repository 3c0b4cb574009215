"""Calls over the in-memory transport: every codec, both backends, the real handler."""

from __future__ import annotations

import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import anyio
import pytest

from seroval import JSError, JSMap
from seroval.conformance import rpc_app
from seroval.conformance.rpc_app import Insufficient
from seroval.rpc import (
    ArgumentsError,
    Client,
    Context,
    Redirect,
    RemoteError,
    RemoteStream,
    ServerFunctions,
    UnknownFunctionError,
    current_context,
)
from seroval.transports import MemoryTransport

from ..tasks import task_count

pytestmark = pytest.mark.anyio

WHEN = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
CODECS = ["json", "msgpack", "cbor"]


@asynccontextmanager
async def connect(
    functions: ServerFunctions = rpc_app.functions, **options: Any
) -> AsyncIterator[Client]:
    """A client of ``functions`` over the in-memory transport."""
    async with (
        MemoryTransport(functions) as transport,
        Client(transport=transport, **options) as client,
    ):
        yield client


@pytest.fixture(params=CODECS)
def codec(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_a_unary_call_carries_a_date_and_a_map(codec: str) -> None:
    async with connect(codec=codec) as client:
        result = await client.call("1a2b3c4d-0", 42, WHEN)
    assert result == {"id": 42, "when": WHEN, "tags": JSMap([("a", 1), ("b", 2)])}


async def test_a_stub_calls_by_the_functions_own_id_and_signature() -> None:
    async with connect() as client:
        add = client.stub(rpc_app.add)
        assert await add(2, 3) == 5
        assert await add(a=2, b=5) == 7
        assert await client.stub(rpc_app.echo)() == []


async def test_plain_functions_run_in_a_worker_thread_with_their_context() -> None:
    functions = ServerFunctions()
    seen: dict[str, Any] = {}

    @functions.function
    def where(context: Context) -> bool:
        seen["thread"] = threading.get_ident()
        seen["same"] = current_context() is context
        return True

    async with connect(functions=functions) as client:
        assert await client.stub(where)() is True  # type: ignore[call-arg]
    assert seen["thread"] != threading.get_ident()
    assert seen["same"] is True


async def test_the_context_parameter_is_not_part_of_the_wire_signature() -> None:
    async with connect() as client:
        assert await client.call(rpc_app.whoami.__seroval_id__) == {  # type: ignore[attr-defined]
            "id": "seroval.conformance.rpc_app:whoami",
            "deadline": False,
        }
        with pytest.raises(ArgumentsError):
            await client.call(rpc_app.whoami.__seroval_id__, "extra")  # type: ignore[attr-defined]


async def test_middleware_wraps_every_call_in_order() -> None:
    functions = ServerFunctions()
    order: list[str] = []

    async def outer(context: Context, call_next: Any) -> Any:
        order.append("outer in")
        result = await call_next()
        order.append("outer out")
        return result

    async def inner(context: Context, call_next: Any) -> Any:
        order.append(f"inner {context.function_id}")
        return await call_next()

    functions.use(outer)
    functions.use(inner)

    @functions.function(id="f")
    async def f() -> int:
        order.append("f")
        return 1

    async with connect(functions=functions) as client:
        assert await client.call("f") == 1
    assert order == ["outer in", "inner f", "f", "outer out"]


async def test_arguments_that_do_not_bind_are_refused_and_the_function_does_not_run() -> None:
    functions = ServerFunctions()
    ran: list[int] = []

    @functions.function(id="two")
    async def two(a: int, b: int) -> int:
        ran.append(1)
        return a + b

    async with connect(functions=functions) as client:
        for args in [(1,), (1, 2, 3)]:
            with pytest.raises(ArgumentsError, match="do not fit two"):
                await client.call("two", *args)
    assert ran == []


async def test_an_unknown_function_is_refused() -> None:
    async with connect() as client:
        with pytest.raises(UnknownFunctionError, match="no server function has the id"):
            await client.call("os:system", "true")


async def test_an_error_keeps_its_name_message_cause_and_properties(codec: str) -> None:
    async with connect(codec=codec) as client:
        with pytest.raises(RemoteError) as caught:
            await client.stub(rpc_app.boom)()
    error = caught.value
    assert (error.name, error.message, error.properties) == (
        "Insufficient",
        "not enough money",
        {"code": 42},
    )
    assert isinstance(error.cause, RemoteError)
    assert (error.cause.name, error.cause.message) == ("KeyError", "'balance'")
    assert error.stack is None  # tracebacks stay on the server


async def test_tracebacks_travel_only_when_the_server_opts_in() -> None:
    functions = ServerFunctions(include_tracebacks=True)

    @functions.function(id="fail")
    async def fail() -> None:
        raise ValueError("bad")

    async with connect(functions=functions) as client:
        with pytest.raises(RemoteError) as caught:
            await client.call("fail")
    assert caught.value.stack is not None
    assert "ValueError: bad" in caught.value.stack


async def test_a_registered_exception_class_is_raised_for_its_name() -> None:
    async with connect(exceptions={"Insufficient": Insufficient}) as client:
        with pytest.raises(Insufficient) as caught:
            await client.stub(rpc_app.boom)()
    assert caught.value.args == ("not enough money",)
    assert caught.value.code == 42
    assert isinstance(caught.value.__cause__, RemoteError)


async def test_a_js_error_is_sent_as_is() -> None:
    async with connect() as client:
        with pytest.raises(RemoteError) as caught:
            await client.stub(rpc_app.boom_js)()
    assert (caught.value.name, caught.value.message, caught.value.properties) == (
        "Error",
        "Boom",
        {},
    )


async def test_on_error_replaces_what_is_sent() -> None:
    def redact(error: BaseException, context: Context) -> BaseException:
        return JSError("Internal Server Error")

    functions = ServerFunctions(on_error=redact)

    @functions.function(id="leak")
    async def leak() -> None:
        raise RuntimeError("password=hunter2")

    async with connect(functions=functions) as client:
        with pytest.raises(RemoteError, match="Internal Server Error") as caught:
            await client.call("leak")
    assert "hunter2" not in repr(caught.value)


async def test_a_promise_settles_after_the_result_arrived(codec: str) -> None:
    async with connect(codec=codec) as client:
        result = await client.stub(rpc_app.later)(0.05)
        assert result["now"] == 1
        assert not result["later"].settled
        assert await result["later"] == "done"


async def test_an_async_generator_streams_item_by_item(codec: str) -> None:
    async with connect(codec=codec) as client:
        stream = await client.stub(rpc_app.count)(50)
        assert isinstance(stream, RemoteStream)
        assert [item async for item in stream] == list(range(50))


async def test_an_error_mid_stream_arrives_after_the_items_before_it() -> None:
    async with connect() as client:
        stream = await client.stub(rpc_app.count_then_fail)(3)
        items: list[int] = []

        async def read() -> None:
            async for item in stream:
                items.append(item)

        with pytest.raises(RemoteError) as caught:
            await read()
    assert items == [0, 1, 2]
    assert (caught.value.name, caught.value.properties) == ("Insufficient", {"code": 7})


async def test_closing_a_stream_early_cancels_the_servers_work(anyio_backend: str) -> None:
    key = uuid.uuid4().hex
    async with connect() as client:
        before = task_count(anyio_backend)
        stream = await client.stub(rpc_app.endless)(key)
        assert [await anext(stream) for _ in range(3)] == [0, 1, 2]
        with anyio.fail_after(1):
            await stream.aclose()
            while len(rpc_app.LEDGER.get(key, [])) < 2:
                await anyio.sleep(0.005)
        await anyio.sleep(0.01)
        assert task_count(anyio_backend) <= before
    assert rpc_app.LEDGER[key][0] == "started"
    assert rpc_app.LEDGER[key][1] in ("cancelled", "closed")
    assert rpc_app.functions.handler.active == 0


async def test_cancelling_the_caller_cancels_the_function() -> None:
    key = uuid.uuid4().hex
    async with connect() as client:
        with anyio.move_on_after(0.1):
            await client.stub(rpc_app.slow)(key, 30)
        with anyio.fail_after(1):
            while "cancelled" not in rpc_app.LEDGER.get(key, []):
                await anyio.sleep(0.005)
    assert rpc_app.LEDGER[key] == ["started", "cancelled"]


async def test_a_raised_redirect_is_raised_and_a_returned_one_returned() -> None:
    async with connect() as client:
        with pytest.raises(Redirect) as caught:
            await client.stub(rpc_app.go_login)()
        assert caught.value.location == "/login"
        assert await client.stub(rpc_app.moved)() == Redirect("/elsewhere", 302, ["todos"])


async def test_arguments_with_promises_are_settled_before_sending() -> None:
    async def value() -> int:
        return 5

    async with connect() as client:
        echoed = await client.call(rpc_app.echo.__seroval_id__, value())  # type: ignore[attr-defined]
        assert await echoed[0] == 5  # the server got a settled promise and sent it back
