"""A SolidStart page whose server functions are Python: ``build()`` then serve ``app``.

The page (``src/``) is built by Vite with Solid and the published ``@solidjs/start``
2.0.5 client runtime; its ``cloneServerReference("<id>")`` calls reach the
functions below through the ``solid2`` profile, on the same origin as the page::

    python -c "from examples.solidstart_browser.app import build; build()"
    uvicorn examples.solidstart_browser.app:app

(``tests/examples/test_browser.py`` does both and clicks through the page in
headless Chromium.)  The ids are the ones the page's bundle calls; ``seroval ids
examples/solidstart_browser/dist`` lists them.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from seroval.protocol.model.values import JSMap
from seroval.rpc import ServerFunctions

HERE = Path(__file__).resolve().parent
DIST = HERE / "dist"
INTEROP = HERE.parent.parent / "interop"

functions = ServerFunctions()


@functions.function(id="5e6f7a8b-0")
def get_thing(n: int, when: datetime) -> dict[str, Any]:
    """A Date and a Map back (the page renders both)."""
    return {"id": n, "when": when, "tags": JSMap([("answer", n), ("year", when.year)])}


@functions.function(id="5e6f7a8b-1")
async def count_to(n: int) -> AsyncIterator[int]:
    """An async generator: the page's list fills one item per yield."""
    for item in range(1, n + 1):
        await anyio.sleep(0.25)
        yield item


@functions.function(id="5e6f7a8b-2")
def fail_with(message: str) -> None:
    """A thrown error: the page shows its message."""
    raise ValueError(message)


def build(node: str = "node") -> Path:
    """Build the page into ``dist/`` with Vite (interop/'s pinned packages must be
    installed: ``npm ci`` in interop/).  Returns ``dist/``."""
    link = HERE / "node_modules"
    if not link.exists():
        os.symlink(os.path.relpath(INTEROP / "node_modules", HERE), link)
    vite = INTEROP / "node_modules" / "vite" / "bin" / "vite.js"
    subprocess.run(
        [node, str(vite), "build", "--config", str(HERE / "vite.config.mjs")],
        cwd=HERE,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return DIST


class App:
    """``/_server`` to the server functions (SolidStart 2.0's endpoint), the rest to
    the built page."""

    def __init__(self) -> None:
        self.functions = functions.asgi_app(profile="solid2")
        self.static: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/_server"):
            await self.functions(scope, receive, send)
            return
        if self.static is None:
            files = StaticFiles(directory=DIST, html=True)
            self.static = Starlette(routes=[Mount("/", app=files)])  # 404s as responses
        await self.static(scope, receive, send)


app = App()
