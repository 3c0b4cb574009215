"""Real HTTP servers on loopback for the RPC suite and tests: uvicorn, or hypercorn under trio.

:func:`serving` runs an ASGI app in a thread of its own (its own event loop), on a
socket bound to ``127.0.0.1`` with a free port, and yields the base URL::

    with serving(functions.asgi_app(), "uvicorn") as url:
        ...   # http://127.0.0.1:PORT

Leaving the block asks the server to shut down and joins the thread.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

__all__ = ["SERVER_KINDS", "serving"]

ServerKind = Literal["uvicorn", "hypercorn-trio"]
SERVER_KINDS: tuple[ServerKind, ...] = ("uvicorn", "hypercorn-trio")


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


@contextmanager
def serving(app: Any, kind: ServerKind = "uvicorn", *, log_level: str = "warning") -> Iterator[str]:
    """Serve ``app`` on loopback in a background thread; yields ``http://127.0.0.1:PORT``."""
    sock = _bound_socket()
    port = sock.getsockname()[1]
    started = threading.Event()
    failure: list[BaseException] = []
    stop: list[Any] = []

    if kind == "uvicorn":
        import uvicorn

        config = uvicorn.Config(app, log_level=log_level, lifespan="off", access_log=False)
        server = uvicorn.Server(config)

        def run() -> None:
            try:
                import asyncio

                async def main() -> None:
                    started.set()
                    await server.serve(sockets=[sock])

                asyncio.run(main())
            except BaseException as error:  # reported to the caller
                failure.append(error)
                started.set()

        stop.append(lambda: setattr(server, "should_exit", True))
    elif kind == "hypercorn-trio":
        import trio
        from hypercorn.config import Config
        from hypercorn.trio import serve

        hconfig = Config()
        hconfig.bind = [f"fd://{sock.fileno()}"]
        hconfig.loglevel = log_level.upper()
        hconfig.accesslog = None
        shutdown = trio.Event()
        tokens: list[Any] = []

        def run() -> None:
            async def main() -> None:
                tokens.append(trio.lowlevel.current_trio_token())
                started.set()
                await serve(app, hconfig, shutdown_trigger=shutdown.wait, mode="asgi")

            try:
                trio.run(main)
            except BaseException as error:
                failure.append(error)
                started.set()

        stop.append(lambda: trio.from_thread.run_sync(shutdown.set, trio_token=tokens[0]))
    else:
        raise ValueError(f"unknown server kind {kind!r}")

    thread = threading.Thread(target=run, name=f"seroval-{kind}", daemon=True)
    thread.start()
    started.wait(10)
    try:
        _wait_listening(port)
        if failure:
            raise RuntimeError(f"the {kind} server failed to start") from failure[0]
        yield f"http://127.0.0.1:{port}"
    finally:
        if thread.is_alive() and stop:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                stop[0]()
        thread.join(10)
        with contextlib.suppress(OSError):  # hypercorn closes an fd:// socket itself
            sock.close()


def _wait_listening(port: int) -> None:
    """Return once a connection to ``port`` is accepted (the server is up)."""
    import time

    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
