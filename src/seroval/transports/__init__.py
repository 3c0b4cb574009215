"""Carriers for calls: the ASGI app, the httpx client transport, the in-memory transport.

Each implements the protocols in :mod:`seroval.rpc.core.carrier`: a server carrier
runs a :class:`~seroval.rpc.core.carrier.CallHandler` per call and cancels it when the
peer goes away; a client transport opens one request and hands back its response.
Bytes are the same whatever the carrier: codec payloads in ``;0x%08x;`` frames.
"""

from .base import BodySource, CallHandler, CallResponse, ClientTransport, ResponseSink
from .memory import MemoryTransport

__all__ = [
    "BodySource",
    "CallHandler",
    "CallResponse",
    "ClientTransport",
    "MemoryTransport",
    "ResponseSink",
]
