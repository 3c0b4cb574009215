"""A module of server functions (the README example): `seroval serve examples.shop:functions`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import anyio

from seroval.rpc import Context, ServerFunctions

functions = ServerFunctions()


class OutOfStock(Exception):
    def __init__(self, message: str, sku: str) -> None:
        super().__init__(message)
        self.sku = sku


@functions.function
async def quote(sku: str, quantity: int, when: datetime) -> dict[str, object]:
    """A small call: two scalars and a Date in, a small object out."""
    if sku == "none":
        raise OutOfStock(f"{sku} is sold out", sku)
    return {"sku": sku, "total": quantity * 250, "currency": "EUR", "at": when}


@functions.function
async def restocks(count: int) -> AsyncIterator[dict[str, object]]:
    """A streamed result: one restock event every 100 ms."""
    for index in range(count):
        await anyio.sleep(0.1)
        yield {"sku": f"sku-{index}", "added": 10 * (index + 1)}


@functions.function(method="GET")
def stock(sku: str, context: Context) -> int:
    """A plain function (runs in a worker thread), callable by GET."""
    context.response_headers.add("cache-control", "no-store")
    return 42
