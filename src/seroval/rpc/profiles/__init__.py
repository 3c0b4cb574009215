"""Server profiles: one front end's HTTP dialect each, over the one RPC core.

A profile is chosen per deployment (a SolidStart client's serialization mode is
baked into its build and never negotiated): ``functions.asgi_app(profile=...)`` or
``seroval serve --profile ...``.

* ``solid2``: SolidStart 2.0 (JSON mode, its default): :mod:`.solid2`;
* ``solid1-js`` / ``solid1-json``: SolidStart 1.x in either build mode: :mod:`.solid1`;
* ``tanstack``: TanStack Start's ``/_serverFn/<id>`` endpoint: :mod:`.tanstack`.

:mod:`.ids` has the id schemes and reads the ids out of a client build;
:mod:`.single_flight` the page queries for SolidStart's single-flight answers
(``asgi_app(functions, "solid2", single_flight=...)``).
"""

from __future__ import annotations

from typing import Any, Final, Literal

from ..registry import ServerFunctions

__all__ = ["PROFILES", "asgi_app", "handler_for"]

PROFILES: Final = ("solid2", "solid1-js", "solid1-json", "tanstack")


def handler_for(profile: str, functions: ServerFunctions, *, single_flight: Any = None) -> Any:
    """The call handler that serves ``functions`` to clients of ``profile``
    (``single_flight``: a :class:`~.single_flight.SingleFlight`, SolidStart only)."""
    if profile == "solid2":
        from .solid2 import Solid2Handler

        return Solid2Handler(functions, single_flight=single_flight)
    if profile in ("solid1-js", "solid1-json"):
        from .solid1 import Solid1Handler

        mode: Literal["js", "json"] = "js" if profile == "solid1-js" else "json"
        return Solid1Handler(functions, mode, single_flight=single_flight)
    if profile == "tanstack":
        from .tanstack import TanStackHandler

        if single_flight is not None:
            raise ValueError("single-flight is SolidStart's; TanStack Start has none")
        return TanStackHandler(functions)
    raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")


def asgi_app(functions: ServerFunctions, profile: str, *, single_flight: Any = None) -> Any:
    """``functions.asgi_app(profile=profile)`` with the profile's options
    (``single_flight``: the page queries for SolidStart's single-flight answers)."""
    from ...transports.asgi import ASGIApp

    return ASGIApp(handler_for(profile, functions, single_flight=single_flight))
