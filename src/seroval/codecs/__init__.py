"""Codecs: one node tree carried over JSON, msgpack and CBOR (the codecs issue builds them)."""
