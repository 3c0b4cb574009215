"""The web and Temporal recipe kinds in Python (``oracle/RECIPES.md``, "Web plugins and Temporal").

:class:`WebRecipeBuilder` adds them to :class:`~.recipes.RecipeBuilder`, as
``oracle/web-recipe.mjs`` adds them to the JS builder, and :func:`load_web_vectors`
reads ``vectors/web/web.jsonl.gz``.  Values that change at a later schedule step
in JS (a stream's chunks, a signal that aborts later) are built so that a test
can make those steps happen: a ReadableStream waits on :attr:`WebRecipeBuilder.gate`
before each event when a gate is set, and later aborts are kept in
:attr:`WebRecipeBuilder.actions` by step.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from ..plugins import web
from ..protocol.model.plugins import Plugin
from ..protocol.model.values import TemporalType, ThrownValue
from ..protocol.temporal.text import temporal_value
from .recipes import RecipeBuilder, RecipeError
from .vectors import VECTOR_DIR, Vector, load_vectors

__all__ = ["WEB_VECTOR_DIR", "WebRecipeBuilder", "load_web_vectors", "plugins_of"]

WEB_VECTOR_DIR = VECTOR_DIR / "web"
_TEMPORAL_TYPES = {member.js_name: member for member in TemporalType}


def load_web_vectors(directory: Path = WEB_VECTOR_DIR) -> list[Vector]:
    """The web and Temporal vectors (``oracle/generate_web.mjs``)."""
    return load_vectors(directory=directory)


def plugins_of(names: str | Sequence[str]) -> tuple[Plugin, ...]:
    """A vector's ``plugins``: ``"all"`` (``web.ALL``) or seroval-plugins export names."""
    if names == "all":
        return web.ALL
    return tuple(web.PLUGINS_BY_NAME[name] for name in names)


def _bytes(data: str) -> bytes:
    return base64.b64decode(data)


class WebRecipeBuilder(RecipeBuilder):
    """Builds the web and Temporal recipe kinds on top of the core ones."""

    def __init__(self) -> None:
        super().__init__()
        self.gate: Callable[[int], Awaitable[None]] | None = None
        self.actions: dict[int, list[Callable[[], None]]] = {}

    def _body(self, recipe: Any) -> Any:
        if recipe is None:
            return None
        if isinstance(recipe, list) and recipe[:1] == ["bytes"]:
            return _bytes(recipe[1])
        return self.build(recipe)

    def r_url(self, node_id: int, href: str) -> Any:
        return self.register(node_id, web.URL(href))

    def r_urlsearchparams(self, node_id: int, text: str) -> Any:
        return self.register(node_id, web.URLSearchParams(text))

    def r_headers(self, node_id: int, pairs: list[list[str]]) -> Any:
        return self.register(node_id, web.Headers(pairs))

    def r_blob(self, node_id: int, kind: str, data: str) -> Any:
        return self.register(node_id, web.Blob(_bytes(data), type=kind))

    def r_file(self, node_id: int, name: str, kind: str, last_modified: int, data: str) -> Any:
        file = web.File(_bytes(data), name, type=kind, last_modified=last_modified)
        return self.register(node_id, file)

    def r_formdata(self, node_id: int, entries: list[Any]) -> Any:
        form = self.register(node_id, web.FormData())
        for name, value in entries:
            form.append(name, self.build(value))
        return form

    def r_readablestream(self, node_id: int, events: list[Any]) -> Any:
        built = [(kind, self.build(value), step) for kind, value, step in events]

        async def chunks() -> AsyncIterator[Any]:
            for kind, value, step in built:
                if self.gate is not None:
                    await self.gate(step)
                if kind == "next":
                    yield value
                elif kind == "throw":
                    raise value if isinstance(value, BaseException) else ThrownValue(value)
                else:
                    return

        return self.register(node_id, web.ReadableStream(chunks()))

    def r_request(self, node_id: int, url: str, options: dict[str, Any]) -> Any:
        init = {_snake(key): value for key, value in options.items() if key != "body"}
        body = self._body(options.get("body"))
        return self.register(node_id, web.Request(url, body=body, **init))

    def r_response(self, node_id: int, body: Any, options: dict[str, Any]) -> Any:
        init = {_snake(key): value for key, value in options.items()}
        return self.register(node_id, web.Response(self._body(body), **init))

    def r_event(self, node_id: int, kind: str, flags: dict[str, bool]) -> Any:
        return self.register(node_id, web.Event(kind, **flags))

    def r_customevent(self, node_id: int, kind: str, detail: Any, flags: dict[str, bool]) -> Any:
        # The detail is fixed at construction in JS, so it is built first here too.
        return self.register(node_id, web.CustomEvent(kind, detail=self.build(detail), **flags))

    def r_domexception(self, node_id: int, message: str, name: str) -> Any:
        return self.register(node_id, web.DOMException(message, name))

    def r_abortsignal(
        self, node_id: int, state: str, reason: Any = None, step: int | None = None
    ) -> Any:
        if state == "aborted":
            return self.register(node_id, web.AbortSignal.abort(self.build(reason)))
        controller = web.AbortController()
        self.register(node_id, controller.signal)
        if state == "later" and step is not None:
            value = self.build(reason)
            self.actions.setdefault(step, []).append(lambda: controller.abort(value))
        elif state != "pending":
            raise RecipeError(f"bad abortsignal state {state!r}")
        return controller.signal

    def r_imagedata(
        self, node_id: int, data: str, width: int, height: int, color_space: str
    ) -> Any:
        image = web.ImageData(_bytes(data), width, height, color_space=color_space)
        return self.register(node_id, image)

    def r_temporal(self, node_id: int, kind: str, text: str) -> Any:
        if kind not in _TEMPORAL_TYPES:
            raise RecipeError(f"unknown Temporal type {kind!r}")
        return self.register(node_id, temporal_value(_TEMPORAL_TYPES[kind], text))


def _snake(name: str) -> str:
    """A JS option name as our keyword (``statusText`` -> ``status_text``)."""
    return "".join("_" + char.lower() if char.isupper() else char for char in name)
