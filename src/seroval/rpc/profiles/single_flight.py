"""SolidStart single-flight mutations: an action's answer carries the next page's data.

``@solidjs/router`` sends every action with ``X-Single-Flight: true``.  SolidStart's
server then renders the page the action leads to (the redirect's ``Location``, else
the ``Referer``) in "data only" mode and answers ``{<query key>: value, …,
"_$value": <the action's result>}`` with ``X-Single-Flight: true``; the router
seeds its query cache from it instead of refetching (protocol reference §1.6).

Python does not render the page, so the application says which queries each page
runs (:meth:`SingleFlight.page`) and how to compute each query
(:meth:`SingleFlight.query`).  Keys are the router's: the query's name followed by
``JSON.stringify`` of its arguments with object keys sorted (``todos[]``,
``getUser[1]``).  An ``X-Revalidate`` list keeps only the keys it prefixes.  A
call whose page has no queries here is answered normally, which the router
handles by refetching (the safe fallback, and all there is without a
:class:`SingleFlight`).  Query functions run after the action, so they see what
it changed; they get the arguments only (no cookies are recomputed).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import anyio.to_thread

from ..core.wire import RequestHead
from ..redirect import Redirect
from .nojs import json_stringify

__all__ = ["SingleFlight", "flight_step", "query_key"]

F = TypeVar("F", bound=Callable[..., Any])
Query = tuple[str, Sequence[Any]]
VALUE_KEY = "_$value"


def _sorted(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list | tuple):
        return [_sorted(item) for item in value]
    return value


def query_key(name: str, args: Sequence[Any]) -> str:
    """The router's cache key: ``name + JSON.stringify(args)`` with sorted object keys."""
    return name + (json_stringify(_sorted(list(args))) or "")


class SingleFlight:
    """The queries each page runs, for single-flight answers (see the module docs)."""

    def __init__(self) -> None:
        self._queries: dict[str, Callable[..., Any]] = {}
        self._pages: list[tuple[str, Callable[[str], Iterable[Query]]]] = []

    def query(self, name: str) -> Callable[[F], F]:
        """Register the function computing the router query ``name`` (its ``query(fn,
        name)``); called with the query's arguments."""

        def register(fn: F) -> F:
            self._queries[name] = fn
            return fn

        return register

    def page(self, path: str, queries: Iterable[Query] | Callable[[str], Iterable[Query]]) -> None:
        """The queries (``(name, args)`` pairs) the page at ``path`` runs; ``path``
        ending in ``*`` matches by prefix, and ``queries`` may be a function of the
        page's path (for pages whose queries depend on it)."""
        if callable(queries):
            self._pages.append((path, queries))
        else:
            fixed = list(queries)
            self._pages.append((path, lambda _path: fixed))

    def _queries_for(self, path: str) -> list[Query]:
        for pattern, queries in self._pages:
            matched = path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern
            if matched:
                return list(queries(path))
        return []

    def target(self, head: RequestHead, redirect: Redirect | None) -> str | None:
        """The path of the page the action leads to (``None``: no usable page)."""
        if redirect is not None:
            host = head.headers.get("host") or "localhost"
            return urlsplit(urljoin(f"{head.scheme}://{host}/", redirect.location)).path
        referer = head.headers.get("referer")
        return urlsplit(referer).path if referer else None

    async def data(self, head: RequestHead, redirect: Redirect | None) -> dict[str, Any]:
        """``{query key: value}`` for the page the action leads to (values may be
        awaitables, sent as promises that settle in later frames)."""
        path = self.target(head, redirect)
        if path is None:
            return {}
        revalidate = redirect.revalidate if redirect is not None else None
        out: dict[str, Any] = {}
        for name, args in self._queries_for(path):
            key = query_key(name, args)
            if revalidate is not None and not any(key.startswith(p) for p in revalidate):
                continue
            fn = self._queries.get(name)
            if fn is None:
                continue
            if inspect.iscoroutinefunction(fn):
                out[key] = fn(*args)
            else:
                out[key] = await anyio.to_thread.run_sync(functools.partial(fn, *args))
        return out

    async def answer(
        self, head: RequestHead, result: Any, thrown: BaseException | None
    ) -> tuple[Any, list[tuple[str, str]]] | None:
        """The single-flight body for an action's outcome and the headers that go
        with it, or ``None`` when the page has no queries here (answer normally)."""
        redirect = thrown if isinstance(thrown, Redirect) else None
        if redirect is None and isinstance(result, Redirect):
            redirect = result
        data = await self.data(head, redirect)
        if not data:
            return None
        if redirect is None:
            data[VALUE_KEY] = result
        headers = [("x-single-flight", "true")]
        if redirect is not None:
            headers.extend(redirect.headers())
        if thrown is not None:
            headers.append(("x-error", "true"))
        return data, headers


def flight_step(
    flight: SingleFlight | None, head: RequestHead, intercept: Any
) -> Callable[[Any, BaseException | None], Awaitable[Any]] | None:
    """The :attr:`~.outcome.Intercept.after` step of a scripted call: the single-flight
    body when the request asks for one and ``flight`` knows the page, else the outcome
    as it was."""
    if flight is None or "x-single-flight" not in head.headers:
        return None

    async def after(result: Any, thrown: BaseException | None) -> Any:
        answer = await flight.answer(head, result, thrown)
        if answer is None:
            if thrown is not None:
                raise thrown
            return result
        body, headers = answer
        intercept.headers.extend(headers)
        return body

    return after
