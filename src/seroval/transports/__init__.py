"""Transports: HTTP, WebSocket, in-memory and stdio carriers for the RPC layer (a later issue)."""
