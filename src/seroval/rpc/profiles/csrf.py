"""TanStack Start's CSRF rule (``createCsrfMiddleware``), for the ``tanstack`` profile.

Read from ``@tanstack/start-client-core`` 1.170.39 (``validateCsrfRequest``), in
its order: ``Sec-Fetch-Site`` decides when present (only ``same-origin`` passes by
default); else ``Origin`` must be the request's own origin (or an allowed one);
else ``Referer`` must start with that origin followed by ``/``, ``?`` or ``#`` (or
end there).  A request with none of the three is not from a browser: TanStack
rejects it unless ``allowRequestsWithoutOriginCheck``; this profile lets it pass,
as the core's own check does (scripts and servers call functions too).  A refused
request gets TanStack's answer, ``403`` with the text ``Forbidden``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.wire import RequestHead

__all__ = ["csrf_allowed"]


def _referer_same_origin(referer: str, origin: str) -> bool:
    if not referer.startswith(origin):
        return False
    return len(referer) == len(origin) or referer[len(origin)] in "/?#"


def csrf_allowed(
    head: RequestHead,
    *,
    allowed_origins: Iterable[str] = (),
    allow_same_site: bool = False,
    allow_without_origin_check: bool = True,
) -> bool:
    """Whether TanStack's CSRF middleware lets ``head`` through (see the module docs)."""
    host = head.headers.get("host") or ""
    own = f"{head.scheme}://{host}"
    allowed = {origin.rstrip("/") for origin in allowed_origins}
    site = head.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin" or (allow_same_site and site == "same-site")
    origin = head.headers.get("origin")
    if origin is not None:
        return origin == own or origin in allowed
    referer = head.headers.get("referer")
    if referer is None:
        return allow_without_origin_check
    return _referer_same_origin(referer, own) or any(
        _referer_same_origin(referer, item) for item in allowed
    )
