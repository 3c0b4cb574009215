"""The Python twins of interop/servers/functions.mjs (raw results, no-JS posts).

tests/interop/test_reference.py sends the same requests to these, served by the
``solid2`` profile, and to the same functions served by SolidStart 2.0.5's own
handler, and compares the answers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from seroval.plugins import web
from seroval.protocol.model.binary import JSTypedArray
from seroval.rpc import ServerFunctions, redirect

WHEN = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


def raw_text() -> str:
    return "hi there"


def raw_form() -> web.FormData:
    form = web.FormData()
    form.append("name", "Ada")
    form.append("upload", web.File(b"file body", "notes.txt", type="text/plain"))
    return form


def raw_params() -> web.URLSearchParams:
    return web.URLSearchParams("a=1&b=two+words&c=%C3%A9")


def raw_blob() -> web.Blob:
    return web.Blob(b"a,b\n1,2\n", type="text/csv")


def raw_file() -> web.File:
    return web.File(b"file body", "notes.txt", type="text/plain")


def raw_buffer() -> bytearray:
    return bytearray([1, 2, 255])


def raw_bytes() -> JSTypedArray:
    return JSTypedArray("Uint8Array", bytearray([1, 2, 255]))


def nojs_value(*args: Any) -> dict[str, Any]:
    form = args[-1]
    return {"ok": True, "name": form.get("name"), "bound": len(args) - 1, "when": WHEN}


def nojs_throw(*_: Any) -> None:
    raise ValueError("Nope: bad input")


def nojs_redirect(*_: Any) -> Any:
    return redirect("/done", 303)


def nojs_thrown_redirect(*_: Any) -> None:
    raise redirect("/login?next=%2F", 302)


def nojs_nothing(*_: Any) -> None:
    return None


FUNCTIONS = {
    name: fn
    for name, fn in globals().items()
    if name.startswith(("raw_", "nojs_")) and callable(fn)
}


def build(profile: str = "solid2") -> Any:
    """The ``profile`` app serving :data:`FUNCTIONS` under their names as ids."""
    functions = ServerFunctions(check_site=False)
    for name, fn in FUNCTIONS.items():
        functions.add(fn, id=name)
    return functions.asgi_app(profile=profile)
