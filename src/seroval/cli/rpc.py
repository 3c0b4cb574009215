"""``seroval serve`` and ``seroval call``: run server functions, call them from a shell.

``seroval serve MODULE:NAME`` serves a :class:`~seroval.rpc.ServerFunctions` on
uvicorn (asyncio) or, with ``--backend trio``, hypercorn; one access-log line per
call (function id, status, duration) goes to stderr.  Ctrl-C stops taking calls,
lets running ones finish for ``--grace`` seconds, then cancels them.

``seroval call URL FUNCTION_ID [ARG ...]`` takes each argument as JSON or a Python
literal (never run as code), prints the result, and prints a streamed result part
by part as the parts arrive.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import logging
import os
import sys
from typing import Any

from ..rpc.results import RemotePromise, RemoteStream
from .documents import UsageError
from .views import python_view

__all__ = ["add_commands"]


def cmd_serve(arguments: argparse.Namespace) -> int:
    if arguments.stdio:
        return _serve_stdio(arguments)
    os.environ["SEROVAL_SERVE_TARGET"] = arguments.target  # read by every worker
    if arguments.profile:  # a front end's dialect: seroval.rpc.profiles
        os.environ["SEROVAL_SERVE_PROFILE"] = arguments.profile
    try:
        from . import served  # loads the target: fail here, clearly, not in a worker
    except (ImportError, AttributeError, ValueError) as error:
        raise UsageError(f"cannot load {arguments.target}: {error}") from None
    if served.app is None:  # imported earlier, before the target was known
        served.app = served.load_target(arguments.target)
    print(
        f"seroval: serving {arguments.target} on http://{arguments.host}:{arguments.port}"
        f" ({'hypercorn, trio' if arguments.backend == 'trio' else 'uvicorn, asyncio'},"
        f" {arguments.workers} worker{'s' if arguments.workers != 1 else ''})",
        file=sys.stderr,
    )
    if arguments.backend == "trio":
        from hypercorn.config import Config
        from hypercorn.run import run

        config = Config()
        config.application_path = "seroval.cli.served:app"
        config.bind = [f"{arguments.host}:{arguments.port}"]
        config.workers = arguments.workers
        config.worker_class = "trio"
        config.graceful_timeout = arguments.grace
        config.accesslog = None
        return int(run(config) or 0)
    import uvicorn

    if arguments.workers == 1:  # one process: drain its WebSockets before uvicorn closes them
        settings = uvicorn.Config(
            "seroval.cli.served:app",
            host=arguments.host,
            port=arguments.port,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=arguments.grace,
            log_level="warning",
        )
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the SIGINT it handled
            _draining_server(settings, arguments.grace).run()
        return 0
    uvicorn.run(
        "seroval.cli.served:app",
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=arguments.grace,
        log_level="warning",
    )
    return 0


def _draining_server(config: Any, grace: float) -> Any:
    """A uvicorn server whose shutdown first drains the app's WebSockets.

    uvicorn closes open WebSockets at once (code 1012) when it shuts down; before
    that, each socket is sent ``CLOSE`` and its running calls get ``grace``
    seconds to finish (SPEC.md §17.8).
    """
    import uvicorn

    class DrainingServer(uvicorn.Server):
        async def shutdown(self, sockets: Any = None) -> None:
            from ..transports.websocket import drain
            from . import served

            handler = getattr(served.app, "handler", None)
            if handler is not None:
                await drain(handler, grace)
            await super().shutdown(sockets)

    return DrainingServer(config)


def load_functions(target: str) -> Any:
    """The ``ServerFunctions`` (or call handler) named ``MODULE:NAME``."""
    import importlib

    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise UsageError(f"expected MODULE:NAME, got {target!r}")
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        value: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            value = getattr(value, part)
    except (ImportError, AttributeError) as error:
        raise UsageError(f"cannot load {target}: {error}") from None
    if not hasattr(value, "handler") and not hasattr(value, "handle"):
        raise UsageError(f"{target} is not a ServerFunctions (nor a call handler)")
    return value


def _serve_stdio(arguments: argparse.Namespace) -> int:
    """``seroval serve --stdio``: one connection on stdin/stdout; logs on stderr."""
    import anyio

    from ..transports.stdio import serve_stdio
    from .served import log_calls

    functions = load_functions(arguments.target)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    log_calls()
    logging.getLogger("seroval.rpc.access").propagate = False  # once on stderr, not twice
    print(f"seroval: serving {arguments.target} on stdin/stdout", file=sys.stderr)
    from ..transports.stdio import STDIO_LIMITS

    limits = dataclasses.replace(STDIO_LIMITS, max_calls=arguments.max_calls)
    anyio.run(
        functools.partial(serve_stdio, functions, limits=limits, grace=arguments.grace),
        backend=arguments.backend,
    )
    return 0


def cmd_call(arguments: argparse.Namespace) -> int:
    import anyio

    from ..rpc.client import Client
    from . import _literal

    args = [_literal(text, "auto") for text in arguments.args]

    async def main() -> None:
        async with Client(
            arguments.url, codec=arguments.codec, timeout=arguments.timeout
        ) as client:
            method = "GET" if arguments.get else "POST"
            result = await client.invoke(arguments.function_id, args, method=method)
            await _show(result)

    import httpx

    try:
        anyio.run(main)
    except httpx.HTTPError as error:
        raise UsageError(f"cannot call {arguments.url}: {error}") from None
    return 0


async def _show(result: Any) -> None:
    """Print ``result``; then each streamed or promised part as it arrives."""
    if isinstance(result, RemoteStream):
        async for item in result:
            print(python_view(item), flush=True)
        return
    if isinstance(result, RemotePromise):
        print(python_view(await result), flush=True)
        return
    parts: list[tuple[Any, Any]] = []
    if isinstance(result, dict):
        parts = [(k, v) for k, v in result.items() if isinstance(v, RemoteStream | RemotePromise)]
    shown = {**result, **{key: "<pending>" for key, _ in parts}} if parts else result
    print(python_view(shown), flush=True)
    for key, part in parts:
        if isinstance(part, RemotePromise):
            print(f"{key}: {python_view(await part)}", flush=True)
        else:
            async for item in part:
                print(f"{key}: {python_view(item)}", flush=True)


def rpc_conformance(backend: str | None) -> int:
    """``seroval conformance --rpc``: the RPC suite as a table; exit 1 on any failure."""
    from ..conformance import rpc_suite
    from .term import Progress, Style, render_table

    logging.getLogger("seroval.rpc").setLevel(logging.CRITICAL)  # functions raise on purpose
    style = Style.for_stream(sys.stdout)
    backends = rpc_suite.BACKENDS if backend is None else (backend,)
    steps = len(rpc_suite.TRANSPORTS) * len(backends)
    done = [0]
    progress = Progress("running the RPC suite")

    def step(label: str) -> None:
        done[0] += 1
        progress(done[0], steps)

    outcome = rpc_suite.run(backends=backends, progress=step)
    rows = []
    for transport in rpc_suite.TRANSPORTS:
        for loop in backends:
            row = [f"{transport} / {loop}"]
            for check in rpc_suite.CHECKS:
                keys = [(transport, codec, loop, check) for codec in rpc_suite.CODECS]
                if not any(key in outcome.results for key in keys):
                    row.append("-")  # HTTP cannot carry it (rpc_suite.MULTIPLEXED_ONLY)
                    continue
                failed = sum(outcome.results.get(key) is not None for key in keys)
                row.append(
                    style.bad(f"FAIL {failed}/{len(keys)}") if failed else style.good("pass")
                )
            rows.append(row)
    print(render_table(["transport / client loop", *rpc_suite.CHECKS], rows))
    total = len(outcome.results)
    failures = outcome.failures
    summary = f"{total - len(failures)} of {total} checks passed (each over json, msgpack, cbor)"
    print("\n" + (style.good(summary) if outcome.ok else style.bad(summary)))
    for key, text in failures[:10]:
        print(f"FAIL {' / '.join(key)}: {text}", file=sys.stderr)
    return 0 if outcome.ok else 1


def add_commands(commands: Any) -> None:
    """Register ``serve`` and ``call`` on the ``seroval`` command's subparsers."""
    serve = commands.add_parser(
        "serve",
        help="serve a ServerFunctions over HTTP (uvicorn; hypercorn with --backend trio)",
        description="Serve MODULE:NAME (a ServerFunctions, or an ASGI app) over HTTP. One"
        " access-log line per call on stderr. Ctrl-C lets running calls finish for --grace"
        " seconds, then cancels them.",
    )
    serve.add_argument("target", metavar="MODULE:NAME")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--backend", choices=["asyncio", "trio"], default="asyncio")
    serve.add_argument("--grace", type=float, default=10.0, metavar="SECONDS")
    serve.add_argument(
        "--stdio",
        action="store_true",
        help="serve one client on stdin/stdout (length-prefixed messages; logs on stderr);"
        " exits when stdin closes",
    )
    serve.add_argument(
        "--max-calls",
        type=int,
        default=128,
        metavar="N",
        help="with --stdio: calls open at once on the connection (more wait at the client)",
    )
    serve.add_argument(
        "--profile",
        choices=["solid2", "solid1-js", "solid1-json", "tanstack"],
        default=None,
        help="answer a SolidStart or TanStack Start client build (see README)",
    )
    serve.set_defaults(run=cmd_serve)

    call = commands.add_parser(
        "call",
        help="call a server function and print the result (streams part by part)",
        description="Call FUNCTION_ID at URL (where the functions' app is mounted) with each"
        " ARG read as JSON or a Python literal (never run as code).",
    )
    call.add_argument("url")
    call.add_argument("function_id")
    call.add_argument("args", nargs="*", metavar="ARG")
    call.add_argument("--codec", choices=["json", "msgpack", "cbor"], default="json")
    call.add_argument("--timeout", type=float, default=None, metavar="SECONDS")
    call.add_argument("--get", action="store_true", help="call by GET (GET functions only)")
    call.set_defaults(run=cmd_call)
