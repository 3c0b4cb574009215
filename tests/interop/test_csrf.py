"""The tanstack profile's CSRF rule decides as TanStack's own ``isCsrfRequestAllowed``.

Each header combination goes to ``@tanstack/start-client-core`` 1.170.39's rule
(interop/csrf.mjs) and to :func:`~seroval.rpc.profiles.csrf.csrf_allowed`; the
answers must agree, and a refused request gets TanStack's ``403 Forbidden``.
"""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest

from seroval.conformance.oracle import OracleUnavailable, node_executable
from seroval.rpc.core.errors import ProtocolError
from seroval.rpc.core.wire import Headers, RequestHead
from seroval.rpc.frameworks import TanStackClient
from seroval.rpc.profiles.csrf import csrf_allowed

from .app import build
from .harness import ensure_interop, serving

OWN = "http://a.test"
CASES = [
    {},
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "none"},
    {"Sec-Fetch-Site": "cross-site", "Origin": OWN},
    {"Origin": OWN},
    {"Origin": "http://evil.test"},
    {"Origin": "null"},
    {"Origin": "http://a.test:8080"},
    {"Referer": OWN + "/page"},
    {"Referer": OWN},
    {"Referer": OWN + "?q=1"},
    {"Referer": OWN + ".evil.test/page"},
    {"Referer": "http://evil.test/"},
    {"Origin": "http://evil.test", "Referer": OWN + "/page"},
]


def _theirs() -> list[bool]:
    try:
        folder = ensure_interop()
    except OracleUnavailable as error:
        pytest.skip(str(error))
    node = node_executable()
    assert node is not None
    cases = [{"url": OWN + "/_serverFn/x", "headers": headers} for headers in CASES]
    result = subprocess.run(
        [node, "--import", "./servers/register-server.mjs", "csrf.mjs"],
        cwd=folder,
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answers: list[bool] = json.loads(result.stdout.strip().splitlines()[-1])
    return answers


def test_csrf_decisions_match_tanstack() -> None:
    theirs = _theirs()
    ours = []
    for headers in CASES:
        items = Headers([("host", "a.test"), *((k.lower(), v) for k, v in headers.items())])
        ours.append(csrf_allowed(RequestHead("POST", "/_serverFn/x", items, scheme="http")))
    assert ours == theirs
    assert theirs.count(False) >= 6  # the table has refusals in it


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_cross_site_call_is_forbidden() -> None:
    app, ids = build("tanstack")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        response = await client.post(
            f"/_serverFn/{ids['boom']}",
            headers={"x-tsr-serverFn": "true", "Sec-Fetch-Site": "cross-site"},
        )
    assert (response.status_code, response.text) == (403, "Forbidden")


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_client_headers_reach_the_server() -> None:
    """TanStackClient's ``headers`` go on each request (here: a cross-site marker)."""
    app, ids = build("tanstack")
    with serving(app) as origin:
        async with TanStackClient(origin) as client:
            assert await client.call(ids["double"], 21) == 42
        cross = [("Sec-Fetch-Site", "cross-site")]
        async with TanStackClient(origin, headers=cross) as client:
            with pytest.raises(ProtocolError, match="403: Forbidden"):
                await client.call(ids["double"], 21)
