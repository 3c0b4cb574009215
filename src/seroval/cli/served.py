"""The app ``seroval serve`` runs: the ``MODULE:NAME`` in ``SEROVAL_SERVE_TARGET``, loaded.

uvicorn and hypercorn start workers from an import string, so the target travels
in the environment and each worker imports this module, which imports the target
once.  ``NAME`` is a :class:`~seroval.rpc.ServerFunctions` (its ASGI app is served) or
an ASGI app.  This is the operator's own command line, not input from the network.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from typing import Any

__all__ = ["app", "load_target", "log_calls"]


def load_target(target: str) -> Any:
    """The ASGI app for ``MODULE:NAME`` (``NAME`` may be dotted)."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"expected MODULE:NAME, got {target!r}")
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    value: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        value = getattr(value, part)
    asgi_app = getattr(value, "asgi_app", None)
    profile = os.environ.get("SEROVAL_SERVE_PROFILE") or None  # seroval serve --profile
    if callable(asgi_app):
        return asgi_app(profile=profile) if profile else asgi_app()
    return value


def log_calls() -> None:
    """One line per call on stderr (each worker process sets this up for itself)."""
    access = logging.getLogger("seroval.rpc.access")
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)


if "SEROVAL_SERVE_TARGET" in os.environ:
    log_calls()

app: Any = (
    load_target(os.environ["SEROVAL_SERVE_TARGET"])
    if "SEROVAL_SERVE_TARGET" in os.environ
    else None
)
