"""A FastAPI app built with the integration helpers only, and a real uvicorn to run it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import anyio
import uvicorn
from fastapi import Depends, FastAPI, Request

from seroval import Deserializer, JSMap, Serializer
from seroval.integrations.starlette import SerovalResponse, body_reader, install, read_value

WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
PITFALL_VALUE = {"when": WHEN, "tags": {"a"}, "raw": b"\x00\x01"}


class Gate:
    """Lets a test hold the streaming endpoint's async parts until it has seen the root."""

    def __init__(self) -> None:
        self.open = threading.Event()

    async def wait(self) -> None:
        while not self.open.is_set():  # the server runs on its own loop, in its own thread
            await anyio.sleep(0.005)


SMALL_BODY = Depends(body_reader(max_body_size=64))
PLAIN_BODY = Depends(body_reader(deserializer=Deserializer(plain=True)))


def type_names(value: Any) -> Any:
    """The Python type of each part of ``value`` (for checking ``plain=True`` reads)."""
    if type(value) is dict:
        return {key: type_names(item) for key, item in value.items()}
    if type(value) is list:
        return [type_names(item) for item in value]
    return type(value).__name__


def make_app(
    serializer: Serializer, deserializer: Deserializer, gate: Gate | None = None
) -> FastAPI:
    app = FastAPI()
    install(app)

    @app.post("/echo")
    async def echo(request: Request) -> SerovalResponse:
        value = await read_value(request, deserializer=deserializer)
        return SerovalResponse(value, serializer=serializer)

    @app.post("/small")
    async def small(value: Any = SMALL_BODY) -> SerovalResponse:
        return SerovalResponse({"got": value})

    @app.post("/plain-types")
    async def plain_types(value: Any = PLAIN_BODY) -> SerovalResponse:
        """What the body reads back as with ``Deserializer(plain=True)``."""
        settled = {"p": value["p"].result()} if "p" in value else {}
        return SerovalResponse({"root": type_names(value), "settled": type_names(settled)})

    @app.get("/plain-stream")
    async def plain_stream() -> SerovalResponse:
        """Framed (it holds a promise and an async generator) and full of JS types."""

        async def later() -> dict[str, Any]:
            return {"tags": {"b"}, "raw": b"\x01"}

        async def rows() -> AsyncIterator[Any]:
            yield {1, 2}
            yield JSMap([("k", b"\x02")])

        return SerovalResponse({"tags": {"a"}, "later": later(), "rows": rows()})

    @app.get("/pitfall", response_class=SerovalResponse)
    async def pitfall() -> Any:
        return PITFALL_VALUE  # FastAPI runs jsonable_encoder on this first

    @app.get("/pattern", response_class=SerovalResponse)
    async def pattern() -> SerovalResponse:
        return SerovalResponse(PITFALL_VALUE)  # sent as it is

    @app.get("/unwritable")
    async def unwritable() -> SerovalResponse:
        return SerovalResponse({"no": object()})

    @app.get("/breaks")
    async def breaks() -> SerovalResponse:
        async def unwritable() -> object:
            return object()  # settles to a value no serializer can write

        return SerovalResponse({"ok": 1, "later": unwritable()})

    @app.post("/echo-later")
    async def echo_later(request: Request) -> SerovalResponse:
        """The body's value, sent back streamed: at once, settled later, and item by item."""
        value = await read_value(request, deserializer=deserializer)

        async def later() -> Any:
            await anyio.sleep(0)
            return value

        async def items() -> AsyncIterator[Any]:
            for item in value if type(value) is list else [value]:
                await anyio.sleep(0)
                yield item

        return SerovalResponse(
            {"now": value, "later": later(), "items": items()}, serializer=serializer
        )

    @app.get("/stream")
    async def stream() -> SerovalResponse:
        held = gate if gate is not None else Gate()

        async def total() -> int:
            await held.wait()
            return 42

        async def items() -> AsyncIterator[str]:
            await held.wait()
            for item in ("a", "b", "c"):
                yield item

        return SerovalResponse({"at": WHEN, "total": total(), "items": items()})

    return app


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` on a real uvicorn bound to a free loopback port; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
