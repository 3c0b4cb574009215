"""What every framework profile shares: a copy of the registry with the framework's
plugins, a request rewritten into the core's own form, and whole-body reading.

A profile never re-implements a call: it turns the framework's request into the
RPC core's HTTP form (``POST /_server``, ``X-Server-Id``, a ``;0x…;``-framed
cross-JSON argument array), runs the one :class:`~seroval.rpc.server.FunctionHandler`,
and, where the framework's answer differs, rewrites the response on its way out.
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
from collections.abc import Iterable
from typing import Any

from ...codecs.framing import encode_frame
from ...codecs.registry import default_registry
from ...plugins import web
from ...protocol.errors import SerovalError
from ...protocol.model.options import WriteOptions
from ...protocol.serializers import Deserializer, Serializer
from ...protocol.tree.api import to_cross_json_with
from ..core.carrier import BodySource, ResponseSink
from ..core.errors import BadRequestError, PayloadTooLargeError, SerovalRPCError
from ..core.server_call import ServerCall
from ..core.wire import Headers, RequestHead
from ..failures import to_js_error
from ..registry import ServerFunctions

__all__ = [
    "body_source",
    "encode_arguments",
    "parse_multipart",
    "read_body",
    "refuse",
    "rewritten_head",
    "with_plugins",
]


def with_plugins(
    functions: ServerFunctions, plugins: Iterable[Any], *, write: Iterable[Any] | None = None
) -> ServerFunctions:
    """A shallow copy of ``functions`` (same functions) reading with ``plugins`` and
    writing with ``write`` (default: the same)."""
    plugins = tuple(plugins)
    written = plugins if write is None else tuple(write)
    profiled = copy.copy(functions)
    include = functions.include_tracebacks
    profiled.serializer = Serializer(plugins=written, include_tracebacks=include)
    profiled.deserializer = Deserializer(plugins=plugins, depth_limit=functions.limits.depth_limit)
    profiled.error_options = WriteOptions(plugins=written, include_tracebacks=include)
    profiled._handler = None
    return profiled


async def refuse(
    functions: ServerFunctions, head: RequestHead, refusal: SerovalRPCError, sink: ResponseSink
) -> None:
    """Answer ``refusal`` as the core answers one (its status, ``X-Error``, the error)."""
    call = ServerCall(
        head,
        lookup=functions.info,
        limits=functions.limits,
        codecs=functions.codec_registry,
        allowed_codecs=functions.codecs,
        site=functions.site,
        path=functions.path,
    )
    tree = to_cross_json_with(functions.error_options, to_js_error(refusal))
    response, frame = call.refuse(refusal, tree)
    await sink.start(response)
    await sink.send(frame, end=True)


async def read_body(receive: BodySource, limit: int) -> bytes:
    """The whole request body (a raw or framework body is decoded as one piece)."""
    parts: list[bytes] = []
    size = 0
    while (chunk := await receive()) is not None:
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"the body is over {limit} bytes")
        parts.append(chunk)
    return b"".join(parts)


def body_source(data: bytes) -> BodySource:
    """A :data:`BodySource` giving ``data`` once."""
    pending = [data] if data else []

    async def receive() -> bytes | None:
        return pending.pop() if pending else None

    return receive


def encode_arguments(serializer: Serializer, args: list[Any]) -> bytes:
    """``args`` as the core's body: framed cross-JSON records (settled values only)."""
    try:
        tree = serializer.to_cross_json(args)
    except SerovalError as error:
        raise BadRequestError(f"the arguments cannot be passed on: {error}") from error
    return encode_frame(default_registry.get("json").encode(tree))


def rewritten_head(
    head: RequestHead,
    *,
    path: str,
    function_id: str | None = None,
    method: str | None = None,
    query: str | None = None,
    drop: Iterable[str] = (),
) -> RequestHead:
    """``head`` in the core's form: at ``path``, a framed JSON body, and the id in
    ``X-Server-Id`` (replaced when ``function_id`` is given)."""
    dropped = {"x-start-type", "content-type", "content-length", *drop}
    if function_id is not None:
        dropped.add("x-server-id")
    headers = Headers((name, value) for name, value in head.headers if name not in dropped)
    if function_id is not None:
        headers.add("x-server-id", function_id)
    headers.add("x-start-type", "0")
    headers.add("content-type", "text/plain")
    return RequestHead(
        method=method or head.method,
        path=path,
        headers=headers,
        query=head.query if query is None else query,
        scheme=head.scheme,
        client=head.client,
        root_path=head.root_path,
    )


def parse_multipart(content_type: str, body: bytes) -> web.FormData:
    """A ``multipart/form-data`` body as a :class:`~seroval.plugins.web.FormData`.

    Parts with a filename become :class:`~seroval.plugins.web.File` (type and bytes
    as sent); the others are text fields (UTF-8).
    """
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise BadRequestError("the body is not multipart/form-data")
    form = web.FormData()
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise BadRequestError("a form part has no name")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            form.append(name, web.File(data, filename, type=part.get_content_type()))
        else:
            form.append(name, data.decode("utf-8", errors="replace"))
    return form
