"""The work both sides of ``benchmarks/rpc.py`` do: seroval server functions and a plain
Starlette JSON endpoint computing the same small result."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from seroval.rpc import ServerFunctions

functions = ServerFunctions()


def _quote(sku: str, quantity: int, when: datetime) -> dict[str, Any]:
    return {"sku": sku, "total": quantity * 250, "currency": "EUR", "at": when}


@functions.function(id="quote")
async def quote(sku: str, quantity: int, when: datetime) -> dict[str, Any]:
    """Two scalars and a Date in, a small object out."""
    return _quote(sku, quantity, when)


@functions.function(id="numbers")
async def numbers(count: int) -> AsyncIterator[int]:
    for index in range(count):
        yield index


async def plain_quote(request: Request) -> JSONResponse:
    """The same call as a plain JSON endpoint (the Date as ISO text both ways)."""
    body = await request.json()
    when = datetime.fromisoformat(body["when"])
    result = _quote(body["sku"], body["quantity"], when)
    result["at"] = result["at"].isoformat()
    return JSONResponse(result)


starlette_app = Starlette(routes=[Route("/quote", plain_quote, methods=["POST"])])
