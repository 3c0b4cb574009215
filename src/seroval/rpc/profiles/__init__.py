"""Server profiles: one front end's HTTP dialect each, over the one RPC core.

A profile is chosen per deployment (a SolidStart client's serialization mode is
baked into its build and never negotiated): ``functions.asgi_app(profile=...)`` or
``seroval serve --profile ...``.

* ``solid2``: SolidStart 2.0 (JSON mode, its default): :mod:`.solid2`;
* ``solid1-js`` / ``solid1-json``: SolidStart 1.x in either build mode: :mod:`.solid1`;
* ``tanstack``: TanStack Start's ``/_serverFn/<id>`` endpoint: :mod:`.tanstack`.

:mod:`.ids` has the id schemes and reads the ids out of a client build.
"""

from __future__ import annotations

from typing import Any, Final

from ..registry import ServerFunctions

__all__ = ["PROFILES", "handler_for"]

PROFILES: Final = ("solid2", "solid1-js", "solid1-json", "tanstack")


def handler_for(profile: str, functions: ServerFunctions) -> Any:
    """The call handler that serves ``functions`` to clients of ``profile``."""
    if profile == "solid2":
        from .solid2 import Solid2Handler

        return Solid2Handler(functions)
    if profile in ("solid1-js", "solid1-json"):
        from .solid1 import Solid1Handler

        return Solid1Handler(functions, "js" if profile == "solid1-js" else "json")
    if profile == "tanstack":
        from .tanstack import TanStackHandler

        return TanStackHandler(functions)
    raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
