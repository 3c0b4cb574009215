"""The HTTP form of a call, as data: header names, heads, the deadline header, the site check.

The names and shapes are SolidStart 2.0's JSON mode (see SPEC.md, "RPC"), so a
SolidStart browser client calls a Python server unchanged:

* request: ``POST {prefix}/_server``, ``X-Server-Id: <function id>``,
  ``X-Server-Instance: server-fn:<n>``, ``X-Start-Type: 0``, a ``;0x%08x;``-framed
  body of cross-JSON records (the argument array first); no arguments, no body;
* response: ``X-Start-Type: 0``, ``Content-Type: text/plain; charset=utf-8``, one frame
  per record; an error adds ``X-Error: <message>``.

Ours on top: the codec is chosen by the request's ``Content-Type`` (``text/plain`` or
``application/json``: JSON; ``application/vnd.msgpack``, ``application/cbor``: those
codecs, in the same frames), and ``X-Seroval-Timeout-Ms`` carries the milliseconds left
before the caller's deadline.  Nothing here does I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import quote

from ...codecs.base import Codec
from ...codecs.errors import SerovalUnknownCodecError
from ...codecs.registry import CodecRegistry, MediaType, default_registry
from .errors import BadRequestError, CrossSiteError

__all__ = [
    "CONTENT_TYPE_JSON",
    "DEFAULT_PATH",
    "HEADER_ERROR",
    "HEADER_FUNCTION_ID",
    "HEADER_INSTANCE",
    "HEADER_START_TYPE",
    "HEADER_TIMEOUT",
    "Headers",
    "RequestHead",
    "ResponseHead",
    "check_site",
    "codec_for_request",
    "error_header",
    "format_timeout",
    "parse_timeout",
    "response_content_type",
]

DEFAULT_PATH: Final = "/_server"
HEADER_FUNCTION_ID: Final = "x-server-id"
HEADER_INSTANCE: Final = "x-server-instance"
HEADER_START_TYPE: Final = "x-start-type"
HEADER_ERROR: Final = "x-error"
HEADER_TIMEOUT: Final = "x-seroval-timeout-ms"
CONTENT_TYPE_JSON: Final = "text/plain; charset=utf-8"
"""What SolidStart 2.0.5 sends with a JSON-mode response (and what we send)."""

_JSON_TYPES: Final = frozenset({"text/plain", "application/json"})
_TIMEOUT: Final = re.compile(r"[0-9]{1,10}")
MAX_TIMEOUT_MS: Final = 10**10 - 1


class Headers:
    """HTTP header fields in order, names lowercased; lookups ignore case.

    Values are ``str`` (ASGI's latin-1 bytes decoded); repeated names keep every value.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items = [(name.lower(), value) for name, value in items]

    @classmethod
    def from_raw(cls, raw: Iterable[tuple[bytes, bytes]]) -> Headers:
        """From ASGI's ``[(name, value)]`` byte pairs."""
        return cls((name.decode("latin-1"), value.decode("latin-1")) for name, value in raw)

    def get(self, name: str, default: str | None = None) -> str | None:
        name = name.lower()
        for key, value in self._items:
            if key == name:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self._items if key == name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, name: str, value: str) -> None:
        self._items.append((name.lower(), value))

    def set(self, name: str, value: str) -> None:
        name = name.lower()
        self._items = [(key, item) for key, item in self._items if key != name]
        self._items.append((name, value))

    def raw(self) -> list[tuple[bytes, bytes]]:
        """As ASGI's byte pairs (values must be latin-1; :func:`error_header` makes sure)."""
        return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in self._items]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Headers) and self._items == other._items

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


@dataclass(slots=True)
class RequestHead:
    """What a call's request says before its body: method, target and headers.

    ``path`` is below the mount point (the app strips ``root_path``); ``query`` is
    the raw query string.  ``scheme`` and ``client`` come from the carrier.
    """

    method: str
    path: str
    headers: Headers
    query: str = ""
    scheme: str = "http"
    client: tuple[str, int] | None = None
    root_path: str = ""

    @property
    def url(self) -> str:
        host = self.headers.get("host") or "localhost"
        query = f"?{self.query}" if self.query else ""
        return f"{self.scheme}://{host}{self.root_path}{self.path}{query}"


@dataclass(slots=True)
class ResponseHead:
    """A response's status and headers (sent before the first frame)."""

    status: int
    headers: Headers = field(default_factory=Headers)


def codec_for_request(
    headers: Headers, registry: CodecRegistry | None = None, *, allowed: Iterable[str] | None = None
) -> Codec:
    """The codec a request's body is in (and its response will be): by ``Content-Type``.

    No content type, ``text/plain`` or ``application/json`` is JSON (SolidStart sends
    ``text/plain``).  ``allowed`` limits the codec names the server takes.  An unknown
    or refused type is a :class:`BadRequestError`.
    """
    registry = registry or default_registry
    content_type = headers.get("content-type")
    try:
        media = MediaType.parse(content_type) if content_type else None
        if media is None or media.essence in _JSON_TYPES:
            codec = registry.get("json")
        else:
            codec = registry.for_content_type(media)
    except SerovalUnknownCodecError as error:
        raise BadRequestError(f"unsupported content type: {error}") from None
    if allowed is not None and codec.name not in set(allowed):
        raise BadRequestError(f"the codec {codec.name!r} is not accepted here")
    return codec


def response_content_type(codec: Codec) -> str:
    """The response's ``Content-Type`` for ``codec`` (JSON: SolidStart's ``text/plain``)."""
    return CONTENT_TYPE_JSON if codec.name == "json" else codec.content_type


def error_header(message: object) -> str:
    """SolidStart 2.0's ``X-Error`` value: the message, safe as a header.

    CR, LF and other control characters are dropped; a message with any character
    above U+00FF is percent-encoded as a whole (``encodeURIComponent``); a thrown
    value that is not an error or a string is ``true``.
    """
    if not isinstance(message, str):
        return "true"
    text = "".join(ch for ch in message if ch == "\t" or not (ord(ch) < 0x20 or ord(ch) == 0x7F))
    if any(ord(ch) > 0xFF for ch in text):
        return quote(text, safe="-_.!~*'()")
    return text


def parse_timeout(headers: Headers) -> float | None:
    """The seconds left before the caller's deadline, from ``X-Seroval-Timeout-Ms``.

    ``None`` without the header (no deadline: there is no hidden default).  A value
    that is not 1-10 decimal digits is a :class:`BadRequestError`.
    """
    text = headers.get(HEADER_TIMEOUT)
    if text is None:
        return None
    text = text.strip()
    if not _TIMEOUT.fullmatch(text):
        raise BadRequestError(f"{HEADER_TIMEOUT} must be whole milliseconds, not {text!r}")
    return int(text) / 1000


def format_timeout(seconds: float) -> str:
    """The header value for ``seconds`` left (rounded down to whole milliseconds, >= 0)."""
    return str(min(MAX_TIMEOUT_MS, max(0, int(seconds * 1000))))


def check_site(
    head: RequestHead,
    *,
    allowed_origins: Iterable[str] = (),
    allow_same_site: bool = False,
) -> None:
    """Refuse a cross-site call with :class:`CrossSiteError` (CSRF), else return.

    The browser's ``Sec-Fetch-Site`` decides when present: ``same-origin`` and ``none``
    (typed or bookmarked) pass, ``same-site`` only with ``allow_same_site``.  Without
    it, ``Origin`` must be the request's own origin (scheme and ``Host``) or one of
    ``allowed_origins``; ``Origin: null`` is foreign.  A request with neither header
    is not from a browser (a script, another server) and passes.  An allowed origin
    passes whatever ``Sec-Fetch-Site`` says.
    """
    allowed = {origin.rstrip("/").lower() for origin in allowed_origins}
    origin = head.headers.get("origin")
    if origin is not None and origin.rstrip("/").lower() in allowed:
        return
    site = head.headers.get("sec-fetch-site")
    if site is not None:
        site = site.strip().lower()
        if site in ("same-origin", "none") or (site == "same-site" and allow_same_site):
            return
        raise CrossSiteError(f"refused a call with Sec-Fetch-Site: {site}")
    if origin is None:
        return
    host = head.headers.get("host")
    if host is not None and origin.rstrip("/").lower() == f"{head.scheme}://{host}".lower():
        return
    raise CrossSiteError(f"refused a call from origin {origin!r}")


def header_map(headers: Headers) -> Mapping[str, str]:
    """The first value of each header, by lowercased name."""
    out: dict[str, str] = {}
    for name, value in headers:
        out.setdefault(name, value)
    return out
