"""Server functions under load: ``seroval serve`` against a plain Starlette JSON endpoint.

Run with ``python -m benchmarks.rpc`` (``--calls``, ``--concurrency``, ``--items``).
Both servers are uvicorn with one worker, started as their own processes on
loopback, in the same run; the load comes from this process, 100 concurrent
tasks over one httpx connection pool per server (100 connections each).

* ``raw``: the same httpx load generator for both (the seroval request body built
  once, the response read to its end and not decoded), so the ratio is the servers'.
* ``client``: our :class:`~seroval.rpc.Client` (encoding the Date, decoding the
  result) against httpx with ``json`` on the plain side: what an application sees.
Each load is run in ``ROUNDS`` rounds that alternate between the four variants;
the figures are the medians over the rounds (p50 / p99 per round, then the median).

* ``stream``: one call streaming 100,000 items through our client: items/s, and the
  peak resident memory of the server process and of this process during the stream.
* ``websocket`` and ``stdio``: our client over one WebSocket to the same uvicorn
  process, and over the pipes of a ``seroval serve --stdio`` child: the same
  ``calls`` with ``concurrency`` in flight on that one connection (in the same
  alternating rounds), and the same 100,000-item stream.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import httpx

from seroval import Serializer
from seroval.codecs import get_codec
from seroval.rpc import Client
from seroval.rpc.client import prepare_arguments
from seroval.rpc.core import ClientCall

ROOT = Path(__file__).resolve().parent.parent
WHEN = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
ROUNDS = 10
ERRORS: dict[str, int] = {}


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(command: list[str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(15)


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


async def _load(
    call: Callable[[], Awaitable[None]], calls: int, concurrency: int
) -> dict[str, float]:
    """``calls`` calls from ``concurrency`` tasks: calls/s, p50 and p99 in ms, errors."""
    latencies: list[float] = []
    errors = 0
    remaining = calls

    async def worker() -> None:
        nonlocal remaining, errors
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            try:
                await call()
            except Exception as error:
                errors += 1
                ERRORS[type(error).__name__ + ": " + str(error)[:80]] = (
                    ERRORS.get(type(error).__name__ + ": " + str(error)[:80], 0) + 1
                )
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    async with anyio.create_task_group() as group:
        for _ in range(concurrency):
            group.start_soon(worker)
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "calls/s": calls / elapsed,
        "p50 ms": quantiles[49] * 1000,
        "p99 ms": quantiles[98] * 1000,
        "errors": errors,
    }


async def run(calls: int, concurrency: int, items: int) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    seroval_port, plain_port = _port(), _port()
    serve = [
        sys.executable,
        "-m",
        "seroval",
        "serve",
        "benchmarks.rpc_app:functions",
        "--port",
        str(seroval_port),
    ]
    plain = [
        sys.executable,
        "-m",
        "uvicorn",
        "benchmarks.rpc_app:starlette_app",
        "--port",
        str(plain_port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    results: dict[str, Any] = {}
    with _server(serve, seroval_port) as seroval_process, _server(plain, plain_port):
        seroval_url = f"http://127.0.0.1:{seroval_port}"
        plain_url = f"http://127.0.0.1:{plain_port}"
        # The request our client sends, built once by the call protocol for the raw load.
        records = prepare_arguments(Serializer(), ["apple", 3, WHEN])
        assert records is not None
        head, body = ClientCall("quote", codec=get_codec("json")).request(records)
        request_headers = list(head.headers)
        stdio = [
            sys.executable,
            "-m",
            "seroval",
            "serve",
            "--stdio",
            "benchmarks.rpc_app:functions",
        ]
        async with (
            httpx.AsyncClient(limits=limits, timeout=None) as http,
            httpx.AsyncClient(limits=limits, timeout=None) as plain_http,
            Client(seroval_url, http_client=http) as client,
            AsyncExitStack() as stack,
        ):
            assert (await client.call("quote", "apple", 3, WHEN))["total"] == 750
            socket_client = await stack.enter_async_context(
                Client.websocket(seroval_url, http_client=plain_http)
            )
            pipe_client = await stack.enter_async_context(
                Client.stdio(stdio, stderr=subprocess.DEVNULL)
            )
            multiplexed = {"websocket": socket_client, "stdio": pipe_client}

            def over(chosen: Client) -> Callable[[], Awaitable[None]]:
                async def call() -> None:
                    result = await chosen.call("quote", "apple", 3, WHEN)
                    assert result["at"] == WHEN

                return call

            async def raw_seroval() -> None:
                response = await http.post(
                    f"{seroval_url}/_server",
                    headers=request_headers,
                    content=body,
                )
                if response.status_code != 200 or "x-error" in response.headers:
                    raise RuntimeError(response.status_code)

            plain_body = json.dumps(
                {"sku": "apple", "quantity": 3, "when": WHEN.isoformat()}
            ).encode()

            async def raw_plain() -> None:
                response = await plain_http.post(
                    f"{plain_url}/quote",
                    headers={"content-type": "application/json"},
                    content=plain_body,
                )
                if response.status_code != 200:
                    raise RuntimeError(response.status_code)

            async def client_seroval() -> None:
                result = await client.call("quote", "apple", 3, WHEN)
                assert result["at"] == WHEN

            async def client_plain() -> None:
                response = await plain_http.post(
                    f"{plain_url}/quote",
                    json={"sku": "apple", "quantity": 3, "when": WHEN.isoformat()},
                )
                result = response.json()
                assert datetime.fromisoformat(result["at"]) == WHEN

            variants = {
                "raw seroval": raw_seroval,
                "raw plain": raw_plain,
                "client seroval": client_seroval,
                "client plain": client_plain,
                "websocket": over(socket_client),
                "stdio": over(pipe_client),
            }
            for call in variants.values():
                await _load(call, min(calls, 500), concurrency)  # warm-up
            # Rounds alternate between the variants, so a change in the machine's load
            # (other processes) falls on all of them alike.
            rounds: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
            for _ in range(ROUNDS):
                for name, call in variants.items():
                    rounds[name].append(await _load(call, calls // ROUNDS, concurrency))
            for name, measured in rounds.items():
                results[name] = {
                    "calls/s": statistics.median(m["calls/s"] for m in measured),
                    "p50 ms": statistics.median(m["p50 ms"] for m in measured),
                    "p99 ms": statistics.median(m["p99 ms"] for m in measured),
                    "errors": sum(m["errors"] for m in measured),
                }

            before_server = _rss(seroval_process.pid)
            before_client = _rss(os.getpid())
            peak_server, peak_client = before_server, before_client
            started = time.perf_counter()
            stream = await client.call("numbers", items)
            count = 0
            async for _ in stream:
                count += 1
                if count % 5000 == 0:
                    peak_server = max(peak_server, _rss(seroval_process.pid))
                    peak_client = max(peak_client, _rss(os.getpid()))
            elapsed = time.perf_counter() - started
            assert count == items
            results["stream"] = {
                "items": items,
                "items/s": items / elapsed,
                "server RSS MB": before_server / 2**20,
                "server peak +MB": (peak_server - before_server) / 2**20,
                "client peak +MB": (peak_client - before_client) / 2**20,
            }
            for name, chosen in multiplexed.items():
                started = time.perf_counter()
                stream = await chosen.call("numbers", items)
                count = 0
                async for _ in stream:
                    count += 1
                assert count == items
                results[f"{name} stream"] = {"items/s": items / (time.perf_counter() - started)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--items", type=int, default=100_000)
    arguments = parser.parse_args()
    results = anyio.run(run, arguments.calls, arguments.concurrency, arguments.items)
    print(f"{arguments.calls} calls, {arguments.concurrency} concurrent, uvicorn 1 worker each\n")
    print(f"{'':16} {'calls/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name in (
        "raw seroval",
        "raw plain",
        "client seroval",
        "client plain",
        "websocket",
        "stdio",
    ):
        row = results[name]
        print(
            f"{name:16} {row['calls/s']:9.0f} {row['p50 ms']:8.1f} {row['p99 ms']:8.1f}"
            f" {row['errors']:7.0f}"
        )
    raw = results["raw seroval"]["calls/s"] / results["raw plain"]["calls/s"]
    client = results["client seroval"]["calls/s"] / results["client plain"]["calls/s"]
    print(f"\nratio seroval / plain: raw {raw:.2f}x, with the clients {client:.2f}x")
    for text, count in ERRORS.items():
        print(f"error x{count}: {text}")
    stream = results["stream"]
    print(
        f"\none call streaming {stream['items']:,} items: {stream['items/s']:,.0f} items/s;"
        f" server peak +{stream['server peak +MB']:.1f} MB over {stream['server RSS MB']:.0f} MB,"
        f" client peak +{stream['client peak +MB']:.1f} MB"
    )
    http = results["client seroval"]["calls/s"]
    for name in ("websocket", "stdio"):
        print(
            f"{name}: {results[name]['calls/s']:,.0f} calls/s over one connection"
            f" ({results[name]['calls/s'] / http:.2f}x HTTP's),"
            f" streaming {results[name + ' stream']['items/s']:,.0f} items/s"
        )


if __name__ == "__main__":
    main()
