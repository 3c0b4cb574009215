"""What a codec is: bytes for a node tree and back, with a name and a content type.

A codec carries seroval's node tree (a node, or the ``{"t", "f", "m"}`` envelope)
as plain JSON data: dicts with ``str`` keys, lists, ``str``, ``int``, ``float``,
``bool`` and ``None``.  It never looks at what the nodes mean; the protocol layer
does that.  So every codec is judged by one rule: ``decode(encode(tree))`` is the
same tree, and the JSON codec writes it as the exact bytes seroval writes.
"""

from __future__ import annotations

from typing import Any, Final, Literal, Protocol, runtime_checkable

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_SIZE",
    "PROFILES",
    "Codec",
    "Profile",
]

Profile = Literal["canonical", "binary"]
"""How a binary codec lays out the tree.

``canonical`` (the default) keeps every value as the JSON tree has it.  ``binary``
(opt-in, msgpack and CBOR only) sends ArrayBuffer payloads (the base64 ``s`` of a
``t: 19`` node) as raw bytes; both peers must use it.  Either way the decoded
tree is identical to the encoded one.
"""

PROFILES: Final[tuple[Profile, ...]] = ("canonical", "binary")

DEFAULT_MAX_SIZE: Final = 64 * 1024 * 1024
"""Largest payload (and frame) a decoder accepts by default: 64 MiB.

seroval's own reader refuses ArrayBuffers over a million base64 characters, so
real payloads are far below this; the limit only stops a peer from making us
buffer without bound.
"""

DEFAULT_MAX_DEPTH: Final = 10_000
"""Deepest container nesting the msgpack and CBOR codecs accept by default.

A 1,000-deep value (seroval's default ``depth_limit``) nests 2,000-3,000 levels
as nodes (list: 2 per level; object, Map, Error: 3; iterator protocols up to 7
for the fewer levels they allow), so 10,000 leaves room without letting a
hostile payload make us walk millions of levels.
"""


@runtime_checkable
class Codec(Protocol):
    """Turns a node tree into bytes and back.

    ``name`` is the registry key (``"json"``, ``"msgpack"``, ``"cbor-binary"``…);
    ``content_type`` is the media type with any ``profile`` parameter, for
    example ``application/vnd.msgpack; profile=binary``.

    ``encode`` takes JSON data and raises :class:`~seroval.SerovalError`
    (``step="serialize"``) for anything else.  ``decode`` raises only
    :class:`~seroval.SerovalError` subclasses on bad bytes, and returns JSON data.
    """

    @property
    def name(self) -> str: ...

    @property
    def content_type(self) -> str: ...

    def encode(self, tree: Any) -> bytes: ...

    def decode(self, data: bytes | bytearray | memoryview) -> Any: ...
