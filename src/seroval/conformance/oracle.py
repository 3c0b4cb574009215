"""Finding and running the pinned seroval oracle (Node.js with seroval 1.8.1).

The oracle's ``package.json`` and ``package-lock.json`` pin seroval 1.8.1 and
seroval-plugins 1.8.0.  ``npm ci`` installs them next to the scripts when that
folder is writable (a source checkout), otherwise into a per-user cache folder.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, ClassVar

__all__ = [
    "ORACLE_SOURCE",
    "OracleServer",
    "OracleUnavailable",
    "ensure_node_packages",
    "ensure_oracle",
    "node_executable",
]

ORACLE_SOURCE = Path(__file__).parent / "oracle"
PINNED = {
    "@js-temporal/polyfill": "0.5.1",  # Node 20 has no Temporal; the web vectors need one
    "seroval": "1.8.1",
    "seroval-plugins": "1.8.0",
}


class OracleUnavailable(RuntimeError):
    """Node.js or npm is missing, or the pinned packages could not be installed."""


def node_executable() -> str | None:
    """The ``node`` command, or ``None`` when Node.js is not installed."""
    return shutil.which("node")


def _installed(folder: Path, pinned: dict[str, str]) -> bool:
    for name, version in pinned.items():
        manifest = folder / "node_modules" / name / "package.json"
        try:
            if json.loads(manifest.read_text())["version"] != version:
                return False
        except (OSError, ValueError, KeyError):
            return False
    return True


def _working_folder() -> Path:
    if os.access(ORACLE_SOURCE, os.W_OK):
        return ORACLE_SOURCE
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "seroval-python-oracle"
    cache.mkdir(parents=True, exist_ok=True)
    for item in ORACLE_SOURCE.iterdir():
        if item.is_file():
            shutil.copy2(item, cache / item.name)
    return cache


def ensure_oracle() -> Path:
    """The folder holding the oracle scripts with the pinned packages installed."""
    if node_executable() is None:
        raise OracleUnavailable("Node.js is not installed (the oracle needs `node` on PATH)")
    return ensure_node_packages(_working_folder(), PINNED)


def ensure_node_packages(folder: Path, pinned: dict[str, str]) -> Path:
    """``folder`` after ``npm ci`` installed its lock file, unless ``pinned`` already are.

    Also serves other Node folders of the project (the JS plugins' package), so
    every test that needs Node installs and skips the same way.
    """
    if node_executable() is None:
        raise OracleUnavailable("Node.js is not installed (the oracle needs `node` on PATH)")
    if _installed(folder, pinned):
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise OracleUnavailable("npm is not installed; it is needed once to install seroval 1.8.1")
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not _installed(folder, pinned):
        raise OracleUnavailable(f"`npm ci` failed in {folder}:\n{result.stderr.strip()}")
    return folder


class OracleServer:
    """A client for ``oracle/server.mjs``: one long-running Node process answering requests.

    Requests are JSON objects with an ``op`` (documented at the top of server.mjs);
    many requests can go as one ``batch`` line, so neither pipe fills up while the
    other side waits.
    """

    _shared: ClassVar[dict[tuple[Path, str], OracleServer]] = {}

    def __init__(self, folder: Path, script: str = "server.mjs") -> None:
        self.process = subprocess.Popen(
            ["node", script],
            cwd=folder,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    @classmethod
    def shared(cls, folder: Path | None = None, script: str = "server.mjs") -> OracleServer:
        """The process-wide server running ``script`` in ``folder`` (started on first use,
        stopped at exit)."""
        folder = folder if folder is not None else ensure_oracle()
        server = cls._shared.get((folder, script))
        if server is None or server.process.poll() is not None:
            server = cls._shared[(folder, script)] = cls(folder, script)
            atexit.register(server.close)
        return server

    def request(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its reply."""
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is None or stdout is None:
            raise OracleUnavailable("the oracle server has no pipes")
        stdin.write(json.dumps(request, ensure_ascii=True) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise OracleUnavailable(f"server.mjs exited with {self.process.wait()}")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def batch(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send many requests as one line; the replies come back in order."""
        results: list[dict[str, Any]] = self.request({"op": "batch", "requests": requests})[
            "results"
        ]
        return results

    def ok(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one request that must succeed (``RuntimeError`` with the reply if not)."""
        reply = self.request(request)
        if not reply.get("ok"):
            raise RuntimeError(f"the oracle refused {request.get('op')!r}: {reply}")
        return reply

    def close(self) -> None:
        if self.process.poll() is None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
