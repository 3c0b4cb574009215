"""Refusals in the tanstack profile: TanStack's method rule and the {error} envelope
(test_reference_tanstack.py checks the same answers against TanStack's own handler)."""

from __future__ import annotations

import httpx
import pytest

from .app import build, ids_for

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_wrong_method_is_405_with_allow() -> None:
    app, ids = build("tanstack")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        response = await client.post(
            f"/_serverFn/{ids['double']}", headers={"x-tsr-serverFn": "true"}
        )
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert "x-tss-serialized" not in response.headers
    assert response.text == "expected GET method. Got POST"


async def test_unknown_id_is_refused() -> None:
    app, _ = build("tanstack")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        response = await client.post("/_serverFn/nope", headers={"x-tsr-serverFn": "true"})
    assert response.status_code == 500
    assert "nope" in response.json()["p"]["v"][0]["s"]["message"]["s"]
    assert ids_for("tanstack")["double"] != "nope"


async def test_form_post_without_js_gets_a_real_redirect() -> None:
    """A form posted to ``fn.url`` (no ``x-tsr-serverFn``): the thrown redirect is a
    real 3xx with ``Location`` for the browser to follow (protocol reference §2.4)."""
    app, ids = build("tanstack")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        response = await client.post(f"/_serverFn/{ids['go_posts']}", data={"a": "1"})
    assert response.status_code == 307
    assert response.headers["location"] == "/posts"
    assert "x-tss-serialized" not in response.headers
    assert response.content == b""
