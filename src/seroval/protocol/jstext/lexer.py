"""Tokens of seroval's JS output language, and the helper texts recognised whole.

The tokenizer works left to right with anchored regular expressions that cannot
backtrack, so time is linear in the text.  Comments are refused here, and so is
any character outside the language.  seroval's embedded helper functions are
never tokenized as code: :meth:`Lexer.helper_at` compares the whole text with the
known helper texts (in constant time) and hands the parser a single token's worth.
Errors carry the line and column of the text that caused them.
"""

from __future__ import annotations

import hmac
import re
from typing import Final

from ..errors import (
    SerovalError,
    SerovalMalformedNodeError,
    SerovalSizeLimitError,
    SerovalSyntaxError,
)
from ..tree.read_rules import MAX_BIGINT_LENGTH, check_number
from . import helpers, helpers_legacy
from .syntax import HelperKind

__all__ = [
    "EOF",
    "MAX_NUMBER_LENGTH",
    "Lexer",
    "Token",
    "attach_location",
    "line_column",
    "syntax_error",
]

#: Longest number literal read.  JS's Number::toString never writes more than 24
#: characters (17 significant digits, a point and an exponent, or ``0.000001``
#: and 17 digits); seroval's vectors reach 23.  A BigInt literal may have up to
#: :data:`~seroval.protocol.tree.read_rules.MAX_BIGINT_LENGTH` digits.
MAX_NUMBER_LENGTH: Final = 32

# ---------------------------------------------------------------------------
# Positions


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of ``offset``; lines end at LF."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def syntax_error(text: str, offset: int, message: str) -> SerovalSyntaxError:
    line, column = line_column(text, offset)
    return SerovalSyntaxError(message, line=line, column=column, offset=offset)


def attach_location(error: SerovalError, text: str, offset: int) -> None:
    """Give ``error`` the ``line``, ``column`` and ``offset`` of the text that caused it.

    Errors from code shared with the node reader (limits, missing references, ...)
    have no location of their own; the innermost location given wins.
    """
    if error.line is None:
        error.locate(*line_column(text, offset), offset)


# ---------------------------------------------------------------------------
# Helpers: recognised by their whole text, never parsed

_HELPERS: Final = (
    (helpers.ARRAY_BUFFER_CONSTRUCTOR, HelperKind.ARRAY_BUFFER),
    (helpers.PROMISE_CONSTRUCTOR, HelperKind.PROMISE_CONSTRUCTOR),
    (helpers.PROMISE_SUCCESS, HelperKind.PROMISE_SUCCESS),
    (helpers.PROMISE_FAILURE, HelperKind.PROMISE_FAILURE),
    (helpers.STREAM_CONSTRUCTOR, HelperKind.STREAM),
    (helpers.ITERATOR_FACTORY, HelperKind.ITERATOR_FACTORY),
    (helpers.ASYNC_ITERATOR_FACTORY, HelperKind.ASYNC_ITERATOR_FACTORY),
    *((text, HelperKind.STREAM_LEGACY) for text, _ in helpers_legacy.LEGACY_STREAM_CONSTRUCTORS),
    (helpers.FORM_DATA_FACTORY, HelperKind.FORM_DATA_FACTORY),
    (helpers.READABLE_STREAM_FACTORY, HelperKind.READABLE_STREAM_FACTORY),
    (helpers.ABORT_CONTROLLER_FACTORY, HelperKind.ABORT_CONTROLLER_FACTORY),
)

#: seroval-plugins' helpers build a plugin's value when called, so a plugin reads
#: them through ``js_calls`` under the helper plugin's tag: ``(FACTORY)(entries)``
_HELPER_PREFIX: Final = 8


def _helper_index() -> dict[str, list[tuple[bytes, HelperKind]]]:
    """Helpers by their first 8 characters; each prefix has at most a few candidates."""
    index: dict[str, list[tuple[bytes, HelperKind]]] = {}
    for text, kind in _HELPERS:
        index.setdefault(text[:_HELPER_PREFIX], []).append((text.encode(), kind))
    return index


_HELPER_INDEX: Final = _helper_index()


# ---------------------------------------------------------------------------
# Tokens

_IDENT: Final = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_NUMBER: Final = re.compile(r"(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?(n)?")
_SPACE: Final = re.compile(r"[ \t\n\r]*")
_STRING_RUN: Final = re.compile(r'[^"\\\n\r]+')
_REGEXP_RUN: Final = re.compile(r"[^\\/\[\]\n\r\u2028\u2029]+")
_IDENT_PART: Final = re.compile(r"[A-Za-z0-9_$]*")
_HEX: Final = re.compile(r"[0-9A-Fa-f]+")
_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")
_SIMPLE_PUNCTUATORS: Final = frozenset("()[]{},.:!-")
_SPACE_CHARS: Final = frozenset(" \t\n\r")
_IDENT_START: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$")
_SIMPLE_ESCAPES: Final = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v"}
_LINE_CONTINUATIONS: Final = frozenset("\n\r\u2028\u2029")

EOF: Final = ""


class Token:
    """One token: ``kind`` is ``punct``, ``num``, ``bigint``, ``str``, ``ident`` or ``eof``."""

    __slots__ = ("end", "kind", "start", "value")

    def __init__(self, kind: str, value: object, start: int, end: int) -> None:
        self.kind = kind
        self.value = value
        self.start = start
        self.end = end


class Lexer:
    """Produces tokens on demand; the parser asks it for regex literals and helper texts."""

    __slots__ = ("length", "pos", "text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self.pos = 0
        self.tokens = 0  # tokens produced so far (the linear-time tests count them)

    def error(self, offset: int, message: str) -> SerovalSyntaxError:
        return syntax_error(self.text, offset, message)

    def next(self) -> Token:
        """Skip spaces, refuse comments, and read one token."""
        self.tokens += 1
        text = self.text
        pos = self.pos
        if pos < self.length and text[pos] in _SPACE_CHARS:
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= self.length:
            self.pos = pos
            return Token("eof", EOF, pos, pos)
        char = text[pos]
        if char in _SIMPLE_PUNCTUATORS:
            self.pos = pos + 1
            return Token("punct", char, pos, pos + 1)
        if char == '"':
            return self._string(pos)
        if "0" <= char <= "9":
            return self._number(pos)
        if char in _IDENT_START:
            match = _IDENT.match(text, pos)
            assert match is not None  # an identifier start always matches
            self.pos = match.end()
            return Token("ident", match.group(), pos, self.pos)
        return self._other_punctuator(pos, char)

    def _other_punctuator(self, pos: int, char: str) -> Token:
        """``=``, ``=>``, ``||`` and ``/`` (a comment opener is refused here)."""
        text = self.text
        if char == "/" and text.startswith(("//", "/*"), pos):
            raise self.error(pos, "comments are not part of seroval's output")
        if text.startswith(("=>", "||"), pos):
            self.pos = pos + 2
            return Token("punct", text[pos : pos + 2], pos, pos + 2)
        if char in "=/":
            self.pos = pos + 1
            return Token("punct", char, pos, pos + 1)
        raise self.error(pos, f"unexpected character {char!r}")

    def _number(self, start: int) -> Token:
        match = _NUMBER.match(self.text, start)
        assert match is not None  # a digit always matches
        end = match.end()
        if end < self.length and (self.text[end].isalnum() or self.text[end] in "_$."):
            raise self.error(end, "a number is followed directly by a letter, digit or dot")
        bigint = match.group(3) is not None
        size = end - start - 1 if bigint else end - start
        limit = MAX_BIGINT_LENGTH if bigint else MAX_NUMBER_LENGTH
        if size > limit:
            what = "BigInt literal of {} digits" if bigint else "number literal of {} characters"
            error = SerovalSizeLimitError(f"a {what.format(size)} is over the limit of {limit}")
            attach_location(error, self.text, start)
            raise error
        self.pos = end
        literal = match.group()
        if bigint:
            if match.group(1) or match.group(2):
                raise self.error(start, "a BigInt literal must be an integer")
            return Token("bigint", literal[:-1], start, end)
        value: int | float = float(literal) if match.lastindex else int(literal)
        try:
            check_number(value)  # the shared rule: finite, integral only below 1e21
        except SerovalMalformedNodeError as problem:
            raise self.error(start, str(problem)) from None
        return Token("num", value, start, end)

    def _string(self, start: int) -> Token:
        """A double-quoted JS string: seroval's escapes plus the other JS escapes."""
        text = self.text
        pos = start + 1
        parts: list[str] = []
        while True:
            match = _STRING_RUN.match(text, pos)
            if match is not None:
                parts.append(match.group())
                pos = match.end()
            if pos >= self.length or text[pos] in "\n\r":
                raise self.error(start, "unterminated string")
            if text[pos] == '"':
                break
            part, pos = self._escape(pos + 1)
            parts.append(part)
        self.pos = pos + 1
        value = "".join(parts)
        if _SURROGATE.search(value) is not None:
            # JS strings are UTF-16: an escaped surrogate pair is one character.
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        return Token("str", value, start, self.pos)

    def _escape(self, pos: int) -> tuple[str, int]:
        """The character(s) an escape after a backslash stands for, and where it ends."""
        if pos >= self.length:
            raise self.error(pos - 1, "unterminated string")
        char = self.text[pos]
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char], pos + 1
        if char == "x":
            return self._hex_escape(pos + 1, 2), pos + 3
        if char == "u":
            return self._unicode_escape(pos + 1)
        if char == "0" and not self.text[pos + 1 : pos + 2].isdigit():
            return "\0", pos + 1
        if "0" <= char <= "9":
            raise self.error(pos - 1, "octal escapes are not part of seroval's output")
        if char in _LINE_CONTINUATIONS:
            if self.text.startswith("\r\n", pos):
                return "", pos + 2
            return "", pos + 1
        return char, pos + 1

    def _hex_escape(self, pos: int, size: int) -> str:
        digits = self.text[pos : pos + size]
        if len(digits) != size or _HEX.fullmatch(digits) is None:
            raise self.error(pos - 2, "malformed escape sequence")
        return chr(int(digits, 16))

    def _unicode_escape(self, pos: int) -> tuple[str, int]:
        if not self.text.startswith("{", pos):
            return self._hex_escape(pos, 4), pos + 4
        close = self.text.find("}", pos, pos + 10)
        digits = self.text[pos + 1 : close]
        if close < 0 or _HEX.fullmatch(digits) is None or int(digits, 16) > 0x10FFFF:
            raise self.error(pos - 2, "malformed escape sequence")
        return chr(int(digits, 16)), close + 1

    def regexp(self, start: int) -> tuple[str, str, int]:
        """A regex literal starting at the ``/`` at ``start``: source, flags, end."""
        text = self.text
        pos = start + 1
        in_class = False
        while True:
            match = _REGEXP_RUN.match(text, pos)
            if match is not None:
                pos = match.end()
            char = text[pos] if pos < self.length else ""
            if char == "/" and not in_class:
                break
            if char in ("", "\n", "\r", "\u2028", "\u2029"):
                raise self.error(start, "unterminated regular expression")
            if char == "\\":
                if pos + 1 >= self.length or text[pos + 1] in "\n\r\u2028\u2029":
                    raise self.error(start, "unterminated regular expression")
                pos += 2
                continue
            in_class = char == "[" or (in_class and char != "]")
            pos += 1
        flags = _IDENT_PART.match(text, pos + 1)
        assert flags is not None  # the pattern matches the empty string
        self.pos = flags.end()
        return text[start + 1 : pos], flags.group(), self.pos

    def helper_at(self, pos: int) -> tuple[HelperKind, int] | None:
        """The helper whose whole text starts at ``pos``, compared in constant time.

        ``None`` when nothing there looks like a helper; a text that starts like one
        but differs anywhere is refused (helpers are never parsed as code).
        """
        candidates = _HELPER_INDEX.get(self.text[pos : pos + _HELPER_PREFIX])
        if candidates is None:
            return None
        for helper, kind in candidates:
            found = self.text[pos : pos + len(helper)].encode("utf-8", "surrogatepass")
            if hmac.compare_digest(found, helper):
                return kind, pos + len(helper)
        raise self.error(pos, "this function text differs from every seroval helper text")
