"""The one interface every carrier implements (defined by the RPC core, re-exported here).

Server side: run ``handler.handle(head, receive, sink)`` per call, give it the body
as it arrives, write the head and one message per frame as ``sink`` gets them, and
cancel the call when the peer goes away.  Client side: ``open(head, body)`` returns a
:class:`CallResponse` once its head is in; ``receive()`` the body, ``aclose()`` to hang
up.  A WebSocket or stdio carrier multiplexes calls on one connection by giving each
a stream id and implements the same two protocols.
"""

from ..rpc.core.carrier import BodySource, CallHandler, CallResponse, ClientTransport, ResponseSink

__all__ = ["BodySource", "CallHandler", "CallResponse", "ClientTransport", "ResponseSink"]
