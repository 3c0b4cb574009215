"""SolidStart 2.0's raw bodies: one "natural" value sent as itself, tagged ``X-Start-Type``.

Read from ``@solidjs/start`` 2.0.5 (``dist/fns/shared.js``, ``getHeadersAndBody``
and ``extractBody``), used by its client for a single argument and by its server
for a result, in this order of tests:

====  ==================  ====================================================
type  value               body
====  ==================  ====================================================
1     string              the text, ``Content-Type: text/plain``
2     FormData            ``multipart/form-data``
3     URLSearchParams     ``application/x-www-form-urlencoded``
5     File                multipart, the file in the field ``__START__``
4     Blob                its bytes, its type as the content type
6     ArrayBuffer         its bytes (Python ``bytearray``)
7     Uint8Array          its bytes (Python ``bytes`` or a ``Uint8Array`` view)
====  ==================  ====================================================

A body without the header but with a form content type (a no-JS form post) is
read as its FormData or URLSearchParams, as the 2.0 server reads it.
"""

from __future__ import annotations

import secrets
from typing import Any, Final

from ...plugins import web
from ...protocol.model.binary import JSTypedArray
from ..core.errors import BadRequestError
from .base import parse_multipart

__all__ = ["FILE_FIELD", "RAW_TYPES", "encode_multipart", "raw_body", "raw_value"]

FILE_FIELD: Final = "__START__"
RAW_TYPES: Final = frozenset("1234567")


def raw_value(start_type: str, content_type: str, body: bytes) -> Any:
    """The one value a raw body stands for (``start_type`` may be empty for forms)."""
    essence = content_type.partition(";")[0].strip().lower()
    if start_type == "1":
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequestError("an X-Start-Type 1 body must be UTF-8 text") from None
    if start_type == "5":
        file = parse_multipart(content_type, body).get(FILE_FIELD)
        if not isinstance(file, web.File):
            raise BadRequestError(f"an X-Start-Type 5 body needs a file in {FILE_FIELD!r}")
        return file
    if start_type == "2" or essence == "multipart/form-data":
        return parse_multipart(content_type, body)
    if start_type == "3" or essence == "application/x-www-form-urlencoded":
        return web.URLSearchParams(body.decode("utf-8", errors="replace"))
    if start_type == "4":
        return web.Blob(body, type=content_type)
    if start_type == "6":
        return bytearray(body)
    if start_type == "7":
        return JSTypedArray("Uint8Array", bytearray(body), 0, len(body))
    raise BadRequestError(f"X-Start-Type {start_type!r} is not a raw body")


def is_raw(value: object) -> bool:
    """Whether SolidStart 2.0 sends ``value`` raw rather than serialized."""
    if isinstance(value, str | web.FormData | web.URLSearchParams | web.Blob):
        return True
    if isinstance(value, bytes | bytearray):
        return True
    return isinstance(value, JSTypedArray) and value.kind == "Uint8Array"


def raw_body(value: Any) -> tuple[list[tuple[str, str]], bytes]:
    """The headers (``X-Start-Type`` and a content type) and body that send ``value`` raw."""
    if isinstance(value, str):
        return [("content-type", "text/plain"), ("x-start-type", "1")], value.encode("utf-8")
    if isinstance(value, web.FormData):
        content_type, body = encode_multipart(value.items())
        return [("x-start-type", "2"), ("content-type", content_type)], body
    if isinstance(value, web.URLSearchParams):
        kind = "application/x-www-form-urlencoded"
        return [("content-type", kind), ("x-start-type", "3")], str(value).encode("utf-8")
    if isinstance(value, web.File):
        content_type, body = encode_multipart([(FILE_FIELD, value)])
        return [("x-start-type", "5"), ("content-type", content_type)], body
    if isinstance(value, web.Blob):
        headers = [("x-start-type", "4")]
        if value.type:
            headers.append(("content-type", value.type))
        return headers, value.data
    if isinstance(value, bytearray):
        return [("x-start-type", "6")], bytes(value)
    if isinstance(value, bytes):
        return [("x-start-type", "7")], value
    if isinstance(value, JSTypedArray) and value.kind == "Uint8Array":
        return [("x-start-type", "7")], bytes(value)
    raise TypeError(f"{type(value).__name__} is not sent raw")


def _quoted(text: str) -> str:
    # As browsers and undici escape form-data names: only CR, LF and '"'.
    return text.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")


def encode_multipart(entries: list[tuple[str, Any]]) -> tuple[str, bytes]:
    """``multipart/form-data`` for ``entries`` (text and :class:`~seroval.plugins.web.Blob`
    values): its content type (with the boundary) and its body."""
    boundary = "----formdata-seroval-" + secrets.token_hex(12)
    parts: list[bytes] = []
    for name, value in entries:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{_quoted(name)}"'
        if isinstance(value, web.Blob):
            filename = value.name if isinstance(value, web.File) else "blob"
            kind = value.type or "application/octet-stream"
            head += f'; filename="{_quoted(filename)}"\r\nContent-Type: {kind}'
            data = value.data
        else:
            data = str(value).replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
        parts.append(head.encode("utf-8") + b"\r\n\r\n" + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode("ascii"))
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)
