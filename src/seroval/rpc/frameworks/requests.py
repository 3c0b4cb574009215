"""The requests SolidStart's and TanStack Start's browser clients send, built in Python.

Read from the published clients (the protocol reference, §1.2 and §2.2):

* SolidStart 2.0 (``solid2``): ``POST {base}_server``, ``X-Server-Id``,
  ``X-Server-Instance``; no arguments: no body; one natural argument (string,
  FormData, URLSearchParams, File, Blob, ArrayBuffer, Uint8Array) raw with its
  ``X-Start-Type``; otherwise framed cross-JSON with ``X-Start-Type: 0``; GET puts
  the framed text in ``?args=``;
* SolidStart 1.x (``solid1``): ``X-Server-Id: encodeURIComponent(id#name)``; one
  FormData or URLSearchParams as its form body; otherwise the ``toJSON`` envelope
  with ``x-serialized: true`` and ``text/plain``; GET goes to
  ``/_server/?id=…&name=…&args=<toJSON>``;
* TanStack Start: ``{method} /_serverFn/<id>`` with ``x-tsr-serverFn: true``; the
  payload ``{data}`` as a ``toJSON`` envelope in the body (POST) or ``?payload=``
  (GET); a FormData ``data`` as its multipart body.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote, urlencode

from ...codecs.framing import encode_frame
from ...codecs.registry import default_registry
from ...plugins import web
from ...protocol.model.primitives import undefined
from ...protocol.serializers import Serializer
from ..core.wire import Headers, RequestHead
from ..profiles.raw import encode_multipart, is_raw, raw_body

__all__ = ["ACCEPT", "solid1_request", "solid2_request", "tanstack_request"]

ACCEPT: Final = "application/x-tss-framed, application/x-ndjson, application/json"
_URI_SAFE: Final = "-_.!~*'()"


def _natural(value: Any) -> tuple[list[tuple[str, str]], bytes] | None:
    """The raw headers and body of a single natural 2.0 argument, else ``None``."""
    return raw_body(value) if is_raw(value) else None


def _framed(serializer: Serializer, args: list[Any]) -> bytes:
    return encode_frame(default_registry.get("json").encode(serializer.to_cross_json(args)))


def solid2_request(
    serializer: Serializer,
    function_id: str,
    args: list[Any],
    *,
    instance: str,
    method: str = "POST",
    base: str = "/",
) -> tuple[RequestHead, bytes]:
    """The request SolidStart 2.0.5's ``cloneServerReference(id)(...args)`` sends."""
    path = base.rstrip("/") + "/_server"
    headers = Headers([("x-server-id", function_id), ("x-server-instance", instance)])
    if method == "GET":
        query = "id=" + quote(function_id, safe=_URI_SAFE)
        if args:
            query += "&args=" + quote(_framed(serializer, args).decode("utf-8"), safe=_URI_SAFE)
        return RequestHead("GET", path, headers, query), b""
    if not args:
        return RequestHead("POST", path, headers), b""
    natural = _natural(args[0]) if len(args) == 1 else None
    if natural is not None:
        for name, value in natural[0]:
            headers.add(name, value)
        return RequestHead("POST", path, headers), natural[1]
    headers.add("content-type", "text/plain")
    headers.add("x-start-type", "0")
    return RequestHead("POST", path, headers), _framed(serializer, args)


def solid1_request(
    serializer: Serializer,
    reference: str,
    args: list[Any],
    *,
    instance: str,
    method: str = "POST",
    base: str = "",
) -> tuple[RequestHead, bytes]:
    """The request SolidStart 1.3.2's ``createServerReference(fn, id, name)`` sends;
    ``reference`` is ``"<id>#<name>"`` (or the id alone)."""
    import json

    function_id, _, name = reference.partition("#")
    headers = Headers(
        [("x-server-id", quote(reference, safe=_URI_SAFE)), ("x-server-instance", instance)]
    )
    if method == "GET":
        query = urlencode({"id": function_id, "name": name}, quote_via=quote)
        if args:
            text = json.dumps(serializer.to_json(args), separators=(",", ":"), ensure_ascii=False)
            query += "&args=" + quote(text, safe=_URI_SAFE)
        return RequestHead("GET", base + "/_server/", headers, query), b""
    path = base + "/_server"
    if not args:
        return RequestHead("POST", path, headers), b""
    if len(args) == 1 and isinstance(args[0], web.FormData):
        content_type, body = encode_multipart(args[0].items())
        headers.add("content-type", content_type)
        return RequestHead("POST", path, headers), body
    if len(args) == 1 and isinstance(args[0], web.URLSearchParams):
        headers.add("content-type", "application/x-www-form-urlencoded")
        return RequestHead("POST", path, headers), str(args[0]).encode("utf-8")
    text = json.dumps(serializer.to_json(args), separators=(",", ":"), ensure_ascii=False)
    headers.add("x-serialized", "true")
    headers.add("content-type", "text/plain")
    return RequestHead("POST", path, headers), text.encode("utf-8")


def tanstack_request(
    serializer: Serializer,
    function_id: str,
    data: Any = undefined,
    *,
    method: str = "POST",
    base: str = "/_serverFn/",
) -> tuple[RequestHead, bytes]:
    """The request ``createServerFn({method}).handler(createClientRpc(id))({data})``
    sends with ``@tanstack/start-client-core`` 1.170.39."""
    import json

    path = base.rstrip("/") + "/" + quote(function_id, safe="")
    headers = Headers([("x-tsr-serverfn", "true")])
    if isinstance(data, web.FormData):
        if method != "POST":
            raise ValueError("TanStack sends FormData with POST only")
        content_type, body = encode_multipart(data.items())
        headers.add("content-type", content_type)
        return RequestHead("POST", path, headers), body
    headers.add("accept", ACCEPT)
    payload = (
        None
        if data is undefined
        else json.dumps(serializer.to_json({"data": data}), separators=(",", ":"))
    )
    if method == "GET":
        query = "" if payload is None else urlencode({"payload": payload})
        return RequestHead("GET", path, headers, query), b""
    if payload is None:
        return RequestHead(method, path, headers), b""
    headers.add("content-type", "application/json")
    return RequestHead(method, path, headers), payload.encode("utf-8")
