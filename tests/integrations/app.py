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

from seroval import Deserializer, Serializer
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
