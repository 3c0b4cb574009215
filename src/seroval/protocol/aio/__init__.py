"""Promises, async iterables and streams on the wire: the async and streaming serializers.

This is the only part of the protocol core that needs an event loop (through
anyio, so asyncio and trio both work); the sync core never imports it.
"""
