"""``seroval serve`` and ``seroval call`` as a user runs them: real processes on loopback."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEROVAL = [sys.executable, "-m", "seroval"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


@pytest.fixture(params=["asyncio", "trio"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = _free_port()
    process = subprocess.Popen(
        [
            *SEROVAL,
            "serve",
            "examples.shop:functions",
            "--port",
            str(port),
            "--grace",
            "5",
            "--backend",
            request.param,
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait(port)
        yield f"http://127.0.0.1:{port}", process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _call(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SEROVAL, "call", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_call_prints_results_streams_and_errors(served: tuple[str, subprocess.Popen[str]]) -> None:
    url, process = served
    done = _call(url, "examples.shop:quote", '"apple"', "3", '"2024-01-02"')
    assert done.returncode == 0, done.stderr
    assert done.stdout == "{'sku': 'apple', 'total': 750, 'currency': 'EUR', 'at': '2024-01-02'}\n"
    streamed = _call(url, "examples.shop:restocks", "2", "--codec", "msgpack")
    assert streamed.stdout.splitlines() == [
        "{'sku': 'sku-0', 'added': 10}",
        "{'sku': 'sku-1', 'added': 20}",
    ]
    refused = _call(url, "examples.shop:quote", "__import__('os')")
    assert refused.returncode == 2
    assert "neither JSON nor a Python literal" in refused.stderr
    failed = _call(url, "examples.shop:quote", '"none"', "1", '"x"')
    assert failed.returncode == 2
    assert "OutOfStock: none is sold out" in failed.stderr
    process.send_signal(signal.SIGINT)
    _, log = process.communicate(timeout=15)
    access = re.compile(r"\d{4}-\d\d-\d\d [\d:,]+ (\S+) (\d{3}) [\d.]+ms")
    lines = [match.groups() for line in log.splitlines() if (match := access.fullmatch(line))]
    assert [list(groups) for groups in lines] == [
        ["examples.shop:quote", "200"],
        ["examples.shop:restocks", "200"],
        ["examples.shop:quote", "200"],
    ]


def test_ctrl_c_lets_a_running_call_finish(served: tuple[str, subprocess.Popen[str]]) -> None:
    url, process = served
    call = subprocess.Popen(
        [*SEROVAL, "call", url, "examples.shop:restocks", "15"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    assert call.stdout is not None
    first = call.stdout.readline()  # the call is running
    assert first.startswith("{'sku': 'sku-0'")
    process.send_signal(signal.SIGINT)
    rest, _ = call.communicate(timeout=max(1.0, deadline - time.monotonic()))
    assert len(rest.splitlines()) == 14
    assert process.wait(10) == 0
