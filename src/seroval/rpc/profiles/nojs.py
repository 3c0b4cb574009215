"""SolidStart's answer to a no-JS form post: a redirect back, the outcome in a flash cookie.

A ``<form action={action}>`` posted by a browser without JavaScript carries no
``X-Server-Instance``.  Read from ``@solidjs/start`` 2.0.5 (``dist/fns/handler.js``,
``handleNoJS``; 1.3.2 does the same without the base fallback):

* status ``302`` to the ``Referer`` (or the app root without a usable one), or, when
  the function returned or raised a redirect, to its location made absolute,
  with its status;
* when there is a result (JS truthiness) or an error: ``Set-Cookie: flash=<URI-encoded
  JSON {url, result, thrown, error, input}>; Secure; HttpOnly;`` where ``result`` is
  an error's message, ``input`` the bound arguments followed by the form's entries;
* no body.

The page's next render reads and clears the cookie (SolidStart's own server does
that for pages it renders; a Python-rendered page reads it with :func:`read_flash`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final
from urllib.parse import quote, unquote, urljoin, urlsplit

from ...plugins import web
from ...protocol.model.exceptions import JSError
from ...protocol.model.jsdate import iso_from_ms, ms_from_datetime
from ...protocol.model.primitives import hole, undefined
from ...protocol.model.strings import js_number
from ..core.wire import Headers, RequestHead, ResponseHead
from ..redirect import Redirect

__all__ = ["flash_cookie", "json_stringify", "no_js_response", "read_flash"]

#: ``encodeURIComponent`` leaves these as they are.
_URI_SAFE: Final = "-_.!~*'()"


def _jsonable(value: Any) -> Any:
    """``value`` as ``JSON.stringify`` sees it (``undefined`` for what it drops)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return iso_from_ms(ms_from_datetime(value))
    if value is undefined or value is hole or callable(value):
        return undefined
    if isinstance(value, list | tuple):
        items = [_jsonable(item) for item in value]
        return [None if item is undefined else item for item in items]
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            converted = _jsonable(item)
            if converted is not undefined and isinstance(key, str | int | float):
                out[str(key)] = converted
        return out
    return {}


def _dump(value: Any) -> str:
    if isinstance(value, float) and not isinstance(value, bool):
        return js_number(value)
    if isinstance(value, list):
        return "[" + ",".join(_dump(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_dump(k)}:{_dump(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def json_stringify(value: Any) -> str | None:
    """``JSON.stringify(value)`` for the values a server function returns (Maps, Sets,
    Blobs and other objects without own enumerable data become ``{}``); ``None``
    where JS gives ``undefined``."""
    converted = _jsonable(value)
    return None if converted is undefined else _dump(converted)


def _truthy(value: Any) -> bool:
    if value is undefined or value is hole or value is None or value is False:
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value != 0 and not (isinstance(value, float) and math.isnan(value))
    return not (isinstance(value, str) and value == "")


def _entries(value: Any) -> list[Any]:
    """``[...value.entries()]`` of the form argument (FormData/URLSearchParams)."""
    if isinstance(value, web.FormData | web.URLSearchParams):
        return [list(pair) for pair in value.items()]
    if isinstance(value, list):
        return [[index, item] for index, item in enumerate(value)]
    return []


def flash_cookie(url: str, result: Any, *, thrown: bool | None, inputs: list[Any]) -> str:
    """The ``Set-Cookie`` value SolidStart writes for a no-JS call's outcome."""
    error = isinstance(result, BaseException | JSError)
    if error:
        result = result.message if isinstance(result, JSError) else str(result)
    record: dict[str, Any] = {"url": url, "result": result}
    if thrown is not None:
        record["thrown"] = thrown
    record["error"] = error
    record["input"] = [*inputs[:-1], _entries(inputs[-1])] if inputs else []
    text = json_stringify(record) or "{}"
    return f"flash={quote(text, safe=_URI_SAFE)}; Secure; HttpOnly;"


def read_flash(cookie_value: str) -> dict[str, Any] | None:
    """A ``flash`` cookie's record (``{url, result, thrown, error, input}``), or
    ``None`` when it is empty or not SolidStart's JSON.  Clear it once read
    (``flash=; Max-Age=0``), as SolidStart's page handler does."""
    try:
        record = json.loads(unquote(cookie_value))
    except ValueError:
        return None
    return record if isinstance(record, dict) and record.get("result") else None


def _origin(head: RequestHead) -> str:
    host = head.headers.get("host") or "localhost"
    return f"{head.scheme}://{host}"


def _referer(head: RequestHead, base: str) -> str:
    referer = head.headers.get("referer")
    if referer and urlsplit(referer).scheme in ("http", "https") and urlsplit(referer).netloc:
        return referer
    return urljoin(_origin(head) + "/", base.lstrip("/"))


def no_js_response(
    head: RequestHead,
    outcome: Any,
    *,
    thrown: bool,
    inputs: list[Any],
    base: str = "/",
    line: str = "2",
) -> ResponseHead:
    """The ``302`` (or the redirect's status) that answers a no-JS post of ``head``.

    ``line`` ``"1"`` answers as SolidStart 1.3.2 does where it differs from 2.0.5: a
    returned redirect still sets the flash cookie (its ``result`` is the Response,
    which JSON writes as ``{}``), and a raised one has no content type.
    """
    headers = Headers()
    status = 302
    url = head.root_path + head.path + (f"?{head.query}" if head.query else "")
    if thrown and isinstance(outcome, Redirect):
        # A thrown redirect skips the flash path: its own status and headers as
        # they are, with X-Error (2.0.5 answers the same).
        for name, value in outcome.headers():
            headers.add(name, value)
        headers.add("x-error", "true")
        if line != "1":
            headers.add("content-type", "text/plain; charset=UTF-8")
        return ResponseHead(outcome.status, headers)
    if isinstance(outcome, Redirect):
        target = urljoin(_origin(head) + "/" + base.lstrip("/"), outcome.location)
        headers.add("location", target)
        for name, value in outcome.headers()[1:]:
            headers.add(name, value)
        status = outcome.status
        outcome = {} if line == "1" else None
    else:
        headers.add("location", _referer(head, base))
    if _truthy(outcome):
        headers.add("set-cookie", flash_cookie(url, outcome, thrown=thrown or None, inputs=inputs))
    return ResponseHead(status, headers)
