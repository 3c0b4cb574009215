"""The server's side of one call, sans-I/O: a request head and body bytes in, a response out.

Like h11, this object knows the protocol and nothing about sockets or event
loops.  The carrier (the ASGI app, the in-memory transport) feeds it what it
received and sends what it returns; the server API turns values into node trees
and back.  Its states, in order::

    HEAD --start()--> BODY --receive_data()*, end_of_body()--> CALLING
         --respond()--> STREAMING --record()*--> finish() --> DONE
    any state before STREAMING --refuse() / fail()--> DONE (one frame, then the end)

Every refusal is decided here, before the function runs and before the body is
decoded where it can be: the header block's size (431), the path (404), the
method (405 with ``Allow``), the function id (404), the site check (403), the
deadline header and codec (400), then the body size (413) and its frames (400).
A call to a method out of order raises :class:`RuntimeError` (a bug in the
carrier, not the peer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

from ...codecs.base import Codec
from ...codecs.errors import SerovalCodecLimitError, SerovalFramingLimitError
from ...codecs.framing import FrameDecoder, encode_frame
from ...codecs.registry import CodecRegistry
from ...protocol.errors import SerovalError
from ...protocol.model.nodes import T_ARRAY, T_STRING
from ...protocol.model.strings import escape_string
from .errors import (
    BadRequestError,
    HeadersTooLargeError,
    MethodNotAllowedError,
    PayloadTooLargeError,
    SerovalRPCError,
    UnknownFunctionError,
)
from .limits import CallLimits, check_node_count
from .wire import (
    DEFAULT_PATH,
    HEADER_ERROR,
    HEADER_FUNCTION_ID,
    HEADER_INSTANCE,
    HEADER_START_TYPE,
    Headers,
    RequestHead,
    ResponseHead,
    check_site,
    codec_for_request,
    error_header,
    parse_timeout,
    response_content_type,
)

__all__ = ["CallStart", "FunctionInfo", "ServerCall", "ServerCallState", "SiteRules"]


class ServerCallState(Enum):
    HEAD = "head"
    BODY = "body"
    CALLING = "calling"
    STREAMING = "streaming"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class FunctionInfo:
    """What the protocol needs to know about a registered function."""

    id: str
    allow_get: bool


@dataclass(frozen=True, slots=True)
class SiteRules:
    """The cross-site (CSRF) policy: see :func:`~seroval.rpc.core.wire.check_site`."""

    allowed_origins: tuple[str, ...] = ()
    allow_same_site: bool = False
    check: bool = True


@dataclass(frozen=True, slots=True)
class CallStart:
    """An accepted request head: which function, in which codec, with what time left."""

    function: FunctionInfo
    codec: Codec
    timeout: float | None
    instance: str | None


class ServerCall:
    """One call on the server (see the module docs for the states)."""

    def __init__(
        self,
        head: RequestHead,
        *,
        lookup: Callable[[str], FunctionInfo | None],
        limits: CallLimits,
        codecs: CodecRegistry | None = None,
        allowed_codecs: Iterable[str] | None = None,
        site: SiteRules = SiteRules(),
        path: str = DEFAULT_PATH,
    ) -> None:
        self.head = head
        self.state = ServerCallState.HEAD
        self._lookup = lookup
        self._limits = limits
        self._codecs = codecs
        self._allowed_codecs = None if allowed_codecs is None else tuple(allowed_codecs)
        self._site = site
        self._path = path
        self._decoder: FrameDecoder | None = None
        self._received = 0
        self._records: list[Any] = []
        self._raw = bytearray()
        self._start_type: str | None = None
        self.codec: Codec | None = None
        self.function_id: str | None = None

    # -- request ------------------------------------------------------------------------

    def start(self) -> CallStart:
        """Check the head; raises the :class:`SerovalRPCError` the call is refused with."""
        self._expect(ServerCallState.HEAD)
        self.state = ServerCallState.BODY
        head = self.head
        size = sum(len(name) + len(value) + 4 for name, value in head.headers)
        if size > self._limits.max_header_size:
            raise HeadersTooLargeError(
                f"the header fields are {size} bytes, over {self._limits.max_header_size}"
            )
        if head.path.rstrip("/") != self._path.rstrip("/"):
            raise UnknownFunctionError(f"nothing is served at {head.path!r}")
        method = head.method.upper()
        if method not in ("GET", "POST"):
            raise MethodNotAllowedError(
                f"server functions are called with POST (or GET), not {method}",
                allow=("GET", "POST"),
            )
        query = _query(head.query)
        raw_id = head.headers.get(HEADER_FUNCTION_ID)
        if raw_id is None and query.get("id"):
            raw_id = query["id"][0].replace("+", " ")
        if raw_id is None:
            raise BadRequestError("no function id (X-Server-Id header or ?id=)")
        function_id = unquote(raw_id).partition("#")[0]
        self.function_id = function_id
        function = self._lookup(function_id)
        if function is None:
            raise UnknownFunctionError(
                f"no server function has the id {function_id!r}", function_id=function_id
            )
        if method == "GET" and not function.allow_get:
            raise MethodNotAllowedError(
                f"{function_id!r} is not a GET function", allow=("POST",), function_id=function_id
            )
        if self._site.check:
            check_site(
                head,
                allowed_origins=self._site.allowed_origins,
                allow_same_site=self._site.allow_same_site,
            )
        codec = codec_for_request(head.headers, self._codecs, allowed=self._allowed_codecs)
        self.codec = codec
        timeout = parse_timeout(head.headers)
        self._start_type = head.headers.get(HEADER_START_TYPE)
        if self._start_type is not None and self._start_type.strip() not in ("0", "1"):
            raise BadRequestError(f"X-Start-Type {self._start_type!r} is not supported")
        self._decoder = FrameDecoder(codec, max_frame_size=self._limits.max_body_size)
        length = head.headers.get("content-length")
        if (
            length is not None
            and length.strip().isdigit()
            and int(length) > self._limits.max_body_size
        ):
            raise PayloadTooLargeError(
                f"the body is over {self._limits.max_body_size} bytes", function_id=function_id
            )
        if method == "GET":
            args = query.get("args")
            if args:
                self.receive_data(unquote_to_bytes(args[0].replace("+", " ")))
        return CallStart(function, codec, timeout, head.headers.get(HEADER_INSTANCE))

    def receive_data(self, data: bytes) -> None:
        """The next body bytes (split anywhere); refuses bodies over the size limit."""
        self._expect(ServerCallState.BODY)
        assert self._decoder is not None
        self._received += len(data)
        if self._received > self._limits.max_body_size:
            raise PayloadTooLargeError(
                f"the body is over {self._limits.max_body_size} bytes", function_id=self.function_id
            )
        if self._start_type is not None and self._start_type.strip() == "1":
            self._raw += data
            return
        try:
            self._records.extend(self._decoder.feed(data))
        except (SerovalFramingLimitError, SerovalCodecLimitError) as error:
            raise PayloadTooLargeError(
                f"a frame is over {self._limits.max_body_size} bytes", function_id=self.function_id
            ) from error
        except SerovalError as error:
            raise BadRequestError(f"bad request body: {error}") from error
        if len(self._records) > self._limits.max_records:
            raise BadRequestError(f"the body holds more than {self._limits.max_records} records")

    def end_of_body(self) -> list[Any]:
        """The body is complete: the argument records (the array first), checked."""
        self._expect(ServerCallState.BODY)
        assert self._decoder is not None
        self.state = ServerCallState.CALLING
        if self._start_type is not None and self._start_type.strip() == "1":
            try:
                text = self._raw.decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequestError("an X-Start-Type 1 body must be UTF-8 text") from None
            string = {"t": T_STRING, "s": escape_string(text)}
            return [{"t": T_ARRAY, "i": 0, "a": [string], "o": 0}]
        try:
            self._decoder.close()
        except SerovalError as error:
            raise BadRequestError(f"bad request body: {error}") from error
        check_node_count(self._records, self._limits.max_nodes)
        return self._records

    # -- response -----------------------------------------------------------------------

    def respond(
        self, root: Any, headers: Iterable[tuple[str, str]] = (), status: int = 200
    ) -> tuple[ResponseHead, bytes]:
        """The response head and first frame, holding the result's root record."""
        self._expect(ServerCallState.CALLING)
        self.state = ServerCallState.STREAMING
        return self._head(status, headers), self._frame(root)

    def record(self, tree: Any) -> bytes:
        """One later frame (a promise settled, a stream event)."""
        self._expect(ServerCallState.STREAMING)
        return self._frame(tree)

    def fail(
        self,
        error_tree: Any,
        message: object,
        *,
        status: int = 200,
        headers: Iterable[tuple[str, str]] = (),
    ) -> tuple[ResponseHead, bytes]:
        """The function raised: SolidStart's answer (status 200, ``X-Error``, the error)."""
        if self.state not in (ServerCallState.BODY, ServerCallState.CALLING):
            raise RuntimeError(f"cannot fail a call in state {self.state.value}")
        self.state = ServerCallState.DONE
        head = self._head(status, headers)
        head.headers.add(HEADER_ERROR, error_header(message))
        return head, self._frame(error_tree)

    def refuse(self, error: SerovalRPCError, error_tree: Any) -> tuple[ResponseHead, bytes]:
        """A refusal before the function ran: its status, ``X-Error`` and the error."""
        extra = []
        if isinstance(error, MethodNotAllowedError):
            extra.append(("allow", ", ".join(error.allow)))
        if self.codec is None:
            self.codec = codec_for_request(Headers(), self._codecs)
        self.state = ServerCallState.CALLING
        return self.fail(error_tree, error.detail, status=error.status, headers=extra)

    def finish(self) -> None:
        """The last frame was sent."""
        if self.state is not ServerCallState.DONE:
            self._expect(ServerCallState.STREAMING)
        self.state = ServerCallState.DONE

    # -- helpers ------------------------------------------------------------------------

    def _head(self, status: int, headers: Iterable[tuple[str, str]]) -> ResponseHead:
        assert self.codec is not None
        out = Headers(
            [(HEADER_START_TYPE, "0"), ("content-type", response_content_type(self.codec))]
        )
        for name, value in headers:
            out.add(name, value)
        return ResponseHead(status, out)

    def _frame(self, tree: Any) -> bytes:
        assert self.codec is not None
        return encode_frame(self.codec.encode(tree))

    def _expect(self, state: ServerCallState) -> None:
        if self.state is not state:
            raise RuntimeError(f"expected state {state.value}, the call is {self.state.value}")


def _query(text: str) -> dict[str, list[str]]:
    """The raw (still percent-encoded) values of a query string, by name.

    ``args`` may hold a binary codec's frames, so values are decoded by the caller
    (:func:`~urllib.parse.unquote_to_bytes`), not as UTF-8 here.
    """
    out: dict[str, list[str]] = {}
    for part in text.split("&") if text else ():
        name, _, value = part.partition("=")
        out.setdefault(unquote(name), []).append(value)
    return out
