"""Python clients for SolidStart and TanStack Start servers.

The other direction of :mod:`seroval.rpc.profiles`: where a profile lets the
frameworks' browser clients call Python, these let Python call the server
functions of a SolidStart (2.0 or 1.x, JSON or JS mode) or TanStack Start app, as
their browser clients do (:mod:`.requests`), reading every answer with our own
readers, never ``eval`` (:mod:`.responses`, :mod:`.client`).
"""

from __future__ import annotations

from .client import SolidStartClient, TanStackClient
from .responses import RawStreamReader

__all__ = ["RawStreamReader", "SolidStartClient", "TanStackClient"]
