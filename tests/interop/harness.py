"""Runs interop/run.mjs (the frameworks' published clients) against a profile's app.

The app runs under a real uvicorn on 127.0.0.1 (a free port, in a thread); the
Node packages are installed once from interop/package-lock.json with ``npm ci``
(the oracle's installer), and tests skip with the reason when Node or npm is
missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn

from seroval.conformance.oracle import OracleUnavailable, ensure_node_packages, node_executable

from .app import build

INTEROP = Path(__file__).resolve().parents[2] / "interop"
PINNED = {
    "solid-start-2": "2.0.5",
    "solid-start-1": "1.3.2",
    "@tanstack/start-client-core": "1.170.39",
    "@tanstack/start-server-core": "1.169.45",
    "tanstack-client-1143": "1.143.12",
    "h3-v1": "1.15.3",
    "seroval": "1.8.1",
}


def ensure_interop() -> Path:
    """interop/ with its pinned packages (raises OracleUnavailable with the reason)."""
    if node_executable() is None:
        raise OracleUnavailable("Node.js is not installed (the interop harness needs `node`)")
    return ensure_node_packages(INTEROP, PINNED)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` under uvicorn on loopback for the block; yields its origin."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def run_cases(profile: str, cases: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Each case's outcome (``{"ok": bool, "error": str}``) for ``profile``'s client."""
    folder = ensure_interop()
    # A client generation of a profile ("tanstack-1.143") calls that profile's app.
    app, ids = build(profile.partition("-1.")[0] if profile.startswith("tanstack") else profile)
    with serving(app) as origin:
        env = {
            **os.environ,
            "SEROVAL_INTEROP_PROFILE": profile,
            "SEROVAL_INTEROP_ORIGIN": origin,
            "SEROVAL_INTEROP_IDS": json.dumps(ids),
        }
        node = node_executable()
        assert node is not None
        result = subprocess.run(
            [node, "--conditions=browser", "--import", "./register.mjs", "run.mjs", *(cases or [])],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    outcomes: dict[str, dict[str, Any]] = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            outcomes[record["case"]] = record
    if not outcomes:
        raise RuntimeError(f"run.mjs reported nothing:\n{result.stdout}\n{result.stderr}")
    return outcomes


@contextlib.contextmanager
def reference_server(name: str, mode: str = "json") -> Iterator[str]:
    """interop/servers/<name>-server.mjs (a framework's own server handler on Node,
    serving interop/servers/functions.mjs) for the block; yields its origin."""
    folder = ensure_interop()
    node = node_executable()
    assert node is not None
    env = {**os.environ, "SEROVAL_INTEROP_MODE": mode}
    process = subprocess.Popen(
        [node, "--import", "./servers/register-server.mjs", f"servers/{name}-server.mjs"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("http"):
            _, errors = process.communicate(timeout=10)
            raise RuntimeError(f"{name}-server.mjs did not start: {line}\n{errors}")
        yield line.rstrip("/")
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=10)
