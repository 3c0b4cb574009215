"""Finding and running the pinned seroval oracle (Node.js with seroval 1.8.1).

The oracle's ``package.json`` and ``package-lock.json`` pin seroval 1.8.1 and
seroval-plugins 1.8.0.  ``npm ci`` installs them next to the scripts when that
folder is writable (a source checkout), otherwise into a per-user cache folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

__all__ = ["ORACLE_SOURCE", "OracleUnavailable", "ensure_oracle", "node_executable"]

ORACLE_SOURCE = Path(__file__).parent / "oracle"
PINNED = {"seroval": "1.8.1", "seroval-plugins": "1.8.0"}


class OracleUnavailable(RuntimeError):
    """Node.js or npm is missing, or the pinned packages could not be installed."""


def node_executable() -> str | None:
    """The ``node`` command, or ``None`` when Node.js is not installed."""
    return shutil.which("node")


def _installed(folder: Path) -> bool:
    for name, version in PINNED.items():
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
    folder = _working_folder()
    if _installed(folder):
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
    if result.returncode != 0 or not _installed(folder):
        raise OracleUnavailable(f"`npm ci` failed in {folder}:\n{result.stderr.strip()}")
    return folder
