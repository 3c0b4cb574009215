"""JSON text exactly as JS writes and reads it.

:func:`dumps_json` gives the bytes of JS ``JSON.stringify`` for the same data, and
:func:`loads_json` reads text the way ``JSON.parse`` does.  Python's C ``json``
module does nearly all the work; the differences are fixed around it:

* floats are formatted by ECMAScript ``Number::toString`` (``1e-7`` not
  ``1e-07``, ``1`` not ``1.0``, ``10000000000000000`` not ``1e+16``), and
  ``NaN``/``Infinity`` become ``null`` as in JS.  Ints are written exactly: the
  trees this library makes hold ints only within +-(2**53 - 1), where that is
  what JS prints (an int beyond that has no JS number to compare with);
* a lone surrogate is written as a ``\\udxxx`` escape (well-formed
  ``JSON.stringify``) and a surrogate pair as the character it encodes;
* reading refuses ``NaN``/``Infinity`` tokens (JS does) and integers longer than
  Python's int-to-str limit; numbers come back as Python's json gives them (the node
  reader applies JS's number rules where it matters);
* nesting deeper than the C module's recursion allows takes an iterative path,
  so a 1,000-deep value works on every Python version.

When ``orjson`` is installed (the ``fast`` extra) it does the bulk work instead;
its output differs from JS in the same few number spellings, which are fixed the
same way, and anything it refuses (lone surrogates, nesting past 255, huge ints)
falls back to the ``json`` path, so the bytes written are the same either way.
Reading differs in one place: orjson reads an integer beyond 64 bits as a float
(as JS does), the json path as an exact int; the node reader treats both alike.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, Final

from ..errors import SerovalSerializationError, SerovalSyntaxError
from ..model.strings import js_number

__all__ = ["dumps_json", "dumps_json_bytes", "loads_json"]

_orjson: Any
try:  # an optional accelerator; every result is the same without it
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised by the tests' fallback run
    _orjson = None

_encoder: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False
)
_c_encode: Final = _encoder.encode

# A number token that Python's repr may spell differently from JS, in a value position.
_NUMBER_CANDIDATE: Final = re.compile(
    r"[:,\[]-?\d+(?:\.\d+)?[eE][-+]\d+|[:,\[]-?\d+\.0(?=[,\]}])", re.ASCII
)
_NUMBER_STARTS: Final = frozenset("-0123456789")
_NUMBER_START_BYTES: Final = frozenset(bytes([c]) for c in b"-0123456789")
# orjson spells most floats as JS does; it differs for integral floats (1.0, 1e+16),
# -0.0, and numbers from 1e-6 up to 1e-5 (it writes 1e-6 where JS writes 0.000001).
_NUMBER_CANDIDATE_BYTES: Final = re.compile(
    rb"[:,\[]-?\d+(?:\.\d+)?[eE][-+]\d+|[:,\[]-?\d+\.0(?=[,\]}])"
)
_TOKEN: Final = re.compile(
    r'"(?:[^"\\]|\\.)*"|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)', re.ASCII | re.DOTALL
)
_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")
_SURROGATE_PAIR_OR_LONE: Final = re.compile(r"[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")
_encode_string: Final = json.encoder.encode_basestring


def dumps_json(value: Any) -> str:
    """``JSON.stringify(value)`` for JSON-like data: dicts, lists, str, int, float, bool, None.

    Raises :class:`~seroval.SerovalSerializationError` for anything else (a set, bytes,
    a cycle, a non-``str`` key).
    """
    if _orjson is not None:
        data = _orjson_dumps(value)
        if data is not None:
            return data.decode("utf-8")
    return _dumps_with_json(value)


def dumps_json_bytes(value: Any) -> bytes:
    """:func:`dumps_json` as UTF-8 bytes (lone surrogates are escaped, so UTF-8 always works)."""
    if _orjson is not None:
        data = _orjson_dumps(value)
        if data is not None:
            return data
    return _dumps_with_json(value).encode("utf-8")


def _orjson_dumps(value: Any) -> bytes | None:
    """orjson's output with JS number spellings, or ``None`` where it cannot help."""
    assert _orjson is not None
    try:
        data: bytes = _orjson.dumps(value)
    except (TypeError, _orjson.JSONEncodeError):
        return None
    if _may_need_number_fix_bytes(data) and (
        data[:1] in _NUMBER_START_BYTES or _NUMBER_CANDIDATE_BYTES.search(data) is not None
    ):
        return _TOKEN.sub(_fix_number, data.decode("utf-8")).encode("utf-8")
    return data


def _check_keys(value: Any) -> None:
    """Refuse a dict key that is not a ``str``: Python's ``json`` would write ``1`` as
    ``"1"`` and ``None`` as ``"null"``, a different tree on the way back.

    orjson refuses such keys itself, so only this path walks the data; the walk
    costs about as much as the encoding (install orjson, the ``fast`` extra, to
    skip both).
    """
    todo = [value]
    pop = todo.pop
    extend = todo.extend
    seen: set[int] = set()
    while todo:
        item = pop()
        kind = type(item)
        if kind is dict or kind is list or isinstance(item, (dict, list, tuple)):
            marker = id(item)
            if marker in seen:  # shared data once; a cycle ends here (the encoder refuses it)
                continue
            seen.add(marker)
            if isinstance(item, dict):
                for key in item:
                    if type(key) is not str and not isinstance(key, str):
                        raise SerovalSerializationError(
                            "not JSON data: a key must be a str, not"
                            f" {type(key).__name__} ({key!r})"
                        )
                extend(item.values())
            else:
                extend(item)


def _dumps_with_json(value: Any) -> str:
    _check_keys(value)
    try:
        text = _c_encode(value)
    except (RecursionError, ValueError):
        text = _iterative_dumps(value)
    except TypeError as error:
        raise SerovalSerializationError(f"not JSON data: {error}") from None
    if _may_need_number_fix(text) and (
        text[:1] in _NUMBER_STARTS or _NUMBER_CANDIDATE.search(text) is not None
    ):
        text = _TOKEN.sub(_fix_number, text)
    if not text.isascii() and _SURROGATE.search(text) is not None:
        text = _SURROGATE_PAIR_OR_LONE.sub(_fix_surrogates, text)
    return text


def _may_need_number_fix_bytes(data: bytes) -> bool:
    """:func:`_may_need_number_fix` for orjson's bytes (substring tests run at memchr
    speed; the regex that confirms a candidate is many times slower)."""
    return (
        b"e-" in data
        or b"e+" in data
        or b".0," in data
        or b".0}" in data
        or b".0]" in data
        or data.endswith(b".0")
    )


def _may_need_number_fix(text: str) -> bool:
    """A cheap test for the float spellings where Python's repr and JS differ."""
    return (
        "e-" in text
        or "e+" in text
        or ".0," in text
        or ".0}" in text
        or ".0]" in text
        or text.endswith(".0")
    )


def _fix_number(match: re.Match[str]) -> str:
    number = match.group(1)
    if number is None or ("." not in number and "e" not in number and "E" not in number):
        return match.group(0)  # a string token, or an int (written exactly)
    return js_number(float(number))


def _fix_surrogates(match: re.Match[str]) -> str:
    text = match.group(0)
    if len(text) == 2:
        high, low = ord(text[0]), ord(text[1])
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return f"\\u{ord(text):04x}"


def _scalar_text(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "null"
        return js_number(value)
    raise SerovalSerializationError(f"not JSON data: {type(value).__name__}")


def _iterative_dumps(value: Any) -> str:
    """The same output as the C encoder, without recursion (for very deep data)."""
    out: list[str] = []
    # Each stack entry is an iterator of (prefix, value) pairs still to write, the
    # closing bracket to write when it runs out, and the container's id (for cycles).
    stack: list[tuple[Any, str, int]] = []
    open_ids: set[int] = set()
    pending: Any = value
    while True:
        if isinstance(pending, (dict, list, tuple)):
            if id(pending) in open_ids:
                raise SerovalSerializationError("not JSON data: the data contains a cycle")
            open_ids.add(id(pending))
        if isinstance(pending, dict):
            out.append("{")
            items = iter(pending.items())
            entries = (("," + _encode_string(str(k)) + ":", v) for k, v in items)
            stack.append((entries, "}", id(pending)))
            first = True
        elif isinstance(pending, (list, tuple)):
            out.append("[")
            stack.append((((",", v) for v in pending), "]", id(pending)))
            first = True
        else:
            out.append(_scalar_text(pending))
            first = False
        while stack:
            iterator, closer, container = stack[-1]
            entry = next(iterator, None)
            if entry is None:
                stack.pop()
                open_ids.discard(container)
                out.append(closer)
                first = False
                continue
            prefix, pending = entry
            if first:
                prefix = prefix[1:]
            out.append(prefix)
            first = False
            break
        else:
            return "".join(out)


# -- reading ---------------------------------------------------------------------------

_MAX_SAFE: Final = 2**53 - 1


class _ConstantToken(Exception):
    pass


def _reject_constant(name: str) -> Any:
    raise _ConstantToken(name)


# No parse_int / parse_float hooks: a Python call per number would double the time.
# Numbers come back as Python's json gives them; the node reader applies JS's number
# rules (an int beyond 2**53 is a double, an integral float an int) where it matters.
_decoder: Final = json.JSONDecoder(parse_constant=_reject_constant)


def loads_json(text: str | bytes | bytearray) -> Any:
    """``JSON.parse(text)``; bytes must be UTF-8.

    Raises :class:`~seroval.SerovalSyntaxError` (a deserialization error, with
    ``line``, ``column`` and ``offset``) for text that is not JSON or not UTF-8, and
    ``TypeError`` for an argument that is neither text nor bytes.
    """
    if isinstance(text, (bytes, bytearray)):
        data = bytes(text)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _syntax_error("invalid UTF-8", data[: error.start], error.start) from None
    if not isinstance(text, str):
        raise TypeError("loads_json takes str or bytes")
    if _orjson is not None:
        try:
            return _orjson.loads(text)
        except _orjson.JSONDecodeError:
            pass  # the json path reads what orjson refuses, or says precisely what is wrong
    try:
        return _decoder.decode(text)
    except json.JSONDecodeError as error:
        raise SerovalSyntaxError(
            f"invalid JSON: {error.msg}", line=error.lineno, column=error.colno, offset=error.pos
        ) from None
    except _ConstantToken as token:
        index = text.find(str(token))
        raise _syntax_error(f"invalid JSON: {token} is not JSON", text[:index], index) from None
    except RecursionError:
        return _IterativeReader(text).read()
    except ValueError as error:  # an integer longer than Python's int-to-str limit
        raise SerovalSyntaxError(f"invalid JSON: {error}", line=1, column=1, offset=0) from None


def _syntax_error(message: str, before: str | bytes, offset: int) -> SerovalSyntaxError:
    if isinstance(before, bytes):
        before = before.decode("utf-8", "replace")
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return SerovalSyntaxError(message, line=line, column=column, offset=offset)


_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")
_NUMBER: Final = re.compile(r"(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?", re.ASCII)


class _IterativeReader:
    """A JSON reader without recursion, for nesting deeper than the C module allows."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, message: str) -> SerovalSyntaxError:
        return _syntax_error(f"invalid JSON: {message}", self.text[: self.pos], self.pos)

    def skip(self) -> None:
        self.pos = _WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def scalar(self) -> Any:
        text, pos = self.text, self.pos
        char = text[pos : pos + 1]
        if char == '"':
            try:
                value, self.pos = scanstring(text, pos + 1, True)
            except json.JSONDecodeError as error:
                self.pos = error.pos
                raise self.error(error.msg) from None
            return value
        for word, value in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, pos):
                self.pos = pos + len(word)
                return value
        match = _NUMBER.match(text, pos)
        if match is None or match.end() == pos:
            raise self.error("expected a value")
        self.pos = match.end()
        if match.group(2) or match.group(3):
            return float(match.group(0))
        try:
            return int(match.group(0))
        except ValueError as error:
            raise self.error(str(error)) from None

    def read(self) -> Any:
        text = self.text
        stack: list[Any] = []  # containers being filled; dicts carry their pending key
        keys: list[str | None] = []
        root: Any = None
        done = False
        self.skip()
        while True:
            char = text[self.pos : self.pos + 1]
            if char == "{" or char == "[":
                self.pos += 1
                container: Any = {} if char == "{" else []
                self.skip()
                closer = "}" if char == "{" else "]"
                if text[self.pos : self.pos + 1] == closer:
                    self.pos += 1
                    value: Any = container
                else:
                    stack.append(container)
                    keys.append(None)
                    if char == "{":
                        keys[-1] = self.key()
                    continue
            else:
                value = self.scalar()
            # attach ``value`` and close whatever ends here
            while True:
                if not stack:
                    root, done = value, True
                    break
                parent = stack[-1]
                if isinstance(parent, dict):
                    parent[keys[-1]] = value
                else:
                    parent.append(value)
                self.skip()
                char = text[self.pos : self.pos + 1]
                if char == ",":
                    self.pos += 1
                    self.skip()
                    if isinstance(parent, dict):
                        keys[-1] = self.key()
                    break
                if char == ("}" if isinstance(parent, dict) else "]"):
                    self.pos += 1
                    value = stack.pop()
                    keys.pop()
                    continue
                raise self.error("expected ',' or a closing bracket")
            if done:
                self.skip()
                if self.pos != len(text):
                    raise self.error("extra data after the value")
                return root
            self.skip()

    def key(self) -> str:
        self.skip()
        if self.text[self.pos : self.pos + 1] != '"':
            raise self.error("expected a property name in double quotes")
        key = self.scalar()
        self.skip()
        if self.text[self.pos : self.pos + 1] != ":":
            raise self.error("expected ':'")
        self.pos += 1
        self.skip()
        return key  # type: ignore[no-any-return]
