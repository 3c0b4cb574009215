"""The Python side of the interop cases (interop/cases.mjs): one function per case.

Each profile serves the same functions under the ids its client build would use
(see :mod:`seroval.rpc.profiles.ids`).  The functions check what arrived as the
Python types SPEC.md names, so a wrong decode fails on this side as an error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import anyio

from seroval import hole, undefined
from seroval.plugins import web
from seroval.protocol.model.binary import JSTypedArray
from seroval.protocol.model.values import JSBigInt, JSMap
from seroval.rpc import ServerFunctions, profiles, redirect
from seroval.rpc.profiles import ids as function_ids
from seroval.rpc.profiles.single_flight import SingleFlight

from . import reference_app

WHEN = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)

#: The TypeScript module the functions would live in (for the ids of each scheme).
MODULE = "src/lib/interop.ts"


def thing(n: int, when: datetime) -> dict[str, Any]:
    if n != 42 or when != WHEN:
        raise ValueError(f"unexpected arguments {n!r}, {when!r}")
    return {"id": n, "when": when, "tags": JSMap([("a", 1), ("b", 2)])}


def thing_data(data: dict[str, Any]) -> dict[str, Any]:
    return thing(data["n"], data["when"])


async def later() -> dict[str, Any]:
    async def settle() -> str:
        await anyio.sleep(0.3)
        return "done"

    return {"now": 1, "later": settle()}


async def count(n: int) -> AsyncIterator[int]:
    for item in range(1, n + 1):
        await anyio.sleep(0.01)
        yield item


def boom() -> None:
    raise ValueError("Boom")


def go_posts(*_: Any) -> None:
    raise redirect("/posts", 307, revalidate=["posts"])


def cyclic() -> dict[str, Any]:
    shared = {"x": 1}
    value: dict[str, Any] = {"a": shared, "b": shared, "big": JSBigInt(2**70)}
    value["self"] = value
    return value


def _kind(value: object) -> str:
    if value is hole:
        return "hole"
    if value is undefined:
        return "undefined"
    if value is None:
        return "null"
    return type(value).__name__


def echo(*args: Any) -> dict[str, Any]:
    sparse, second, third = args
    seen = ["list" if isinstance(sparse, list) else _kind(sparse), _kind(sparse[1])]
    seen += [_kind(sparse[3]), _kind(second), _kind(third["n"])]
    return {"args": list(args), "seen": seen}


def echo_data(data: list[Any]) -> dict[str, Any]:
    return echo(*data)


def form(data: web.FormData) -> dict[str, Any]:
    upload = data.get("upload")
    if not isinstance(upload, web.File):
        raise TypeError(f"upload is {upload!r}")
    return {
        "name": data.get("name"),
        "file": upload.name,
        "type": upload.type,
        "text": upload.text(),
    }


def file(arg: web.File | web.FormData) -> dict[str, Any]:
    upload = arg.get("file") if isinstance(arg, web.FormData) else arg
    if not isinstance(upload, web.File):
        raise TypeError(f"file is {upload!r}")
    return {"name": upload.name, "size": upload.size, "text": upload.text()}


def chunks() -> Any:
    async def parts() -> AsyncIterator[bytes]:
        for part in (b"hello ", b"world"):
            await anyio.sleep(0.01)
            yield part

    return parts


def double(n: int) -> int:
    return n * 2


TODOS = [{"id": 1, "title": "Buy milk", "done": False}]


def add_todo(title: str) -> dict[str, Any]:
    """A single-flight action: its page (the Referer, /todos) has the ``todos`` query."""
    TODOS.append({"id": len(TODOS) + 1, "title": title, "done": False})
    return {"ok": True, "title": title}


def open_todo(todo_id: int) -> None:
    """A single-flight action that redirects: the target page's queries come back."""
    raise redirect(f"/todo/{todo_id}", 302)


def flight() -> SingleFlight:
    """The page queries of the fixture app (what its router pages would run)."""
    pages = SingleFlight()

    @pages.query("todos")
    async def todos() -> list[dict[str, Any]]:
        await anyio.sleep(0.05)  # settles in a later frame
        return list(TODOS)

    @pages.query("todo")
    def todo(todo_id: int) -> dict[str, Any]:
        return next(item for item in TODOS if item["id"] == todo_id)

    pages.page("/todos", [("todos", [])])
    pages.page("/todo/*", lambda path: [("todo", [int(path.rsplit("/", 1)[1])])])
    return pages


def raw_echo(value: Any) -> dict[str, Any]:
    """What a raw ``X-Start-Type`` argument arrived as (SolidStart 2.0 only)."""
    if isinstance(value, str):
        return {"kind": "str", "text": value}
    if isinstance(value, web.URLSearchParams):
        return {"kind": "URLSearchParams", "text": str(value)}
    if isinstance(value, web.Blob):
        return {"kind": type(value).__name__, "type": value.type, "text": value.text()}
    if isinstance(value, bytearray):
        return {"kind": "bytearray", "bytes": list(value)}
    if isinstance(value, JSTypedArray):
        return {"kind": value.kind, "bytes": list(bytes(value))}
    raise TypeError(f"unexpected {value!r}")


FUNCTIONS: dict[str, Any] = {
    "thing": thing,
    "thing_data": thing_data,
    "later": later,
    "count": count,
    "boom": boom,
    "go_posts": go_posts,
    "cyclic": cyclic,
    "echo": echo,
    "echo_data": echo_data,
    "form": form,
    "file": file,
    "chunks": chunks,
    "double": double,
    "raw_echo": raw_echo,
    "add_todo": add_todo,
    "open_todo": open_todo,
    **reference_app.FUNCTIONS,
}
GET_FUNCTIONS = frozenset({"double"})


def ids_for(profile: str) -> dict[str, str]:
    """What each case function is called in a client build of ``profile``."""
    out = {}
    for ordinal, name in enumerate(FUNCTIONS):
        if profile == "solid2":
            out[name] = function_ids.solid2_id(f"/app/{MODULE}", ordinal)
        elif profile.startswith("solid1"):
            out[name] = function_ids.solid1_reference(MODULE, name)
        else:
            out[name] = function_ids.tanstack_id(MODULE, name)
    return out


def build(profile: str) -> tuple[Any, dict[str, str]]:
    """The ASGI app for ``profile`` and the ids its client uses."""
    ids = ids_for(profile)
    functions = ServerFunctions()
    for name, fn in FUNCTIONS.items():
        target = fn
        if name == "chunks":
            target = _stream_result(profile)
        function_id = ids[name].partition("#")[0]
        functions.add(target, id=function_id, method="GET" if name in GET_FUNCTIONS else "POST")
    single_flight = None if profile == "tanstack" else flight()
    return profiles.asgi_app(functions, profile, single_flight=single_flight), ids


def _stream_result(profile: str) -> Any:
    """The ``chunks`` case: a ReadableStream (SolidStart) or a RawStream (TanStack)."""

    def stream() -> Any:
        parts = chunks()()
        if profile == "tanstack":
            from seroval.rpc.profiles.tanstack import RawStream

            return {"file": RawStream(parts)}
        return web.ReadableStream(parts)

    return stream
