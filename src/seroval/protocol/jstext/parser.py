"""The JS text language seroval writes, as tokens and a grammar: text in, a small tree out.

seroval's ``serialize``/``crossSerialize`` output is JavaScript meant for ``eval``.
This module reads *only* the small language that output is written in (the grammar
is SPEC.md §8.3), so that :mod:`seroval.protocol.jstext.reader`
can give it JS's meaning without a JS interpreter.  Nothing is ever evaluated here:
the parser checks the shape of the text and builds a tree of :class:`Expr` nodes.

What makes this safe is what the grammar leaves out.  Every identifier is one of
a fixed set (the IIFE's parameters, ``$R`` in cross mode, and the handful of
globals seroval names: ``Object``, ``Symbol``, ``Promise``, ``Temporal``,
``__SEROVAL_REFS__`` and the constructors after ``new``), each allowed only in the
exact call shapes seroval writes; property *reads* are allowed for ``.p`` (a promise
resolver) and ``.v[i]=`` (a sequence) alone; the embedded helper functions are
recognised by comparing the whole text with the known helper texts, never parsed
as code; and plugins are reached only through call names a plugin declared.
Comments, template literals, other operators, statements and unknown names are
all refused with a :class:`~seroval.protocol.errors.SerovalSyntaxError` carrying the
line and column.

The tokenizer works left to right with anchored regular expressions that cannot
backtrack, so time is linear in the text; nesting is bounded (``max_nesting``) so
that a megabyte of brackets fails cleanly instead of exhausting the stack.
"""

from __future__ import annotations

import hmac
import re
from enum import Enum
from typing import Final

from ..errors import SerovalDepthLimitError, SerovalError, SerovalSizeLimitError, SerovalSyntaxError
from ..model.nodes import (
    ERROR_CONSTRUCTOR_NAMES,
    SYMBOL_NAMES,
    TEMPORAL_TYPE_NAMES,
    TYPED_ARRAY_KINDS,
)
from ..model.strings import js_number
from ..model.values import JSSymbol, Undefined, undefined
from ..recursion import recursion_headroom
from . import helpers, helpers_legacy

__all__ = [
    "MAX_NUMBER_LENGTH",
    "PLUGIN_HELPER_CALLS",
    "ArrayLiteral",
    "Assign",
    "BigIntLiteral",
    "Call",
    "Comma",
    "DefineProperty",
    "Expr",
    "HelperKind",
    "HelperText",
    "Lexer",
    "Literal",
    "Member",
    "MethodCall",
    "New",
    "NumberLiteral",
    "ObjectCall",
    "ObjectLiteral",
    "Parser",
    "PluginCall",
    "Program",
    "PromiseDeferred",
    "PromiseSettled",
    "Property",
    "ReferenceGet",
    "RegExpLiteral",
    "ResolverPromise",
    "SequenceValues",
    "SignalRead",
    "Slot",
    "TemporalFrom",
    "Token",
    "Variable",
    "WellKnownSymbol",
    "attach_location",
    "line_column",
    "parse_program",
]

#: Longest numeric literal read.  JS never writes a number in more than 25
#: characters; the cap keeps ``int``/``float`` conversion cheap on hostile input.
MAX_NUMBER_LENGTH: Final = 1000
_MAX_SLOT_INDEX: Final = 2**32 - 2

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


class HelperKind(Enum):
    """The helper functions seroval embeds, by what calling them does."""

    ARRAY_BUFFER = "ArrayBuffer from base64"
    PROMISE_CONSTRUCTOR = "promise resolver"
    PROMISE_SUCCESS = "promise fulfilment"
    PROMISE_FAILURE = "promise rejection"
    STREAM = "stream constructor"
    STREAM_LEGACY = "stream constructor (1.6, no live flag)"
    ITERATOR_FACTORY = "iterator factory"
    ASYNC_ITERATOR_FACTORY = "async iterator factory"
    FORM_DATA_FACTORY = "seroval-plugins FormData factory"
    READABLE_STREAM_FACTORY = "seroval-plugins ReadableStream factory"
    ABORT_CONTROLLER_FACTORY = "seroval-plugins AbortController factory"


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
#: is the call ``"seroval-plugins/web/FormDataFactory"``, and the AbortController
#: factory's ``(FACTORY)(promise).signal`` the call of its tag followed by ``.signal``.
PLUGIN_HELPER_CALLS: Final = {
    HelperKind.FORM_DATA_FACTORY: "seroval-plugins/web/FormDataFactory",
    HelperKind.READABLE_STREAM_FACTORY: "seroval-plugins/web/ReadableStreamFactory",
    HelperKind.ABORT_CONTROLLER_FACTORY: "seroval-plugins/web/AbortControllerFactoryPlugin",
}
_SIGNAL_CALL: Final = PLUGIN_HELPER_CALLS[HelperKind.ABORT_CONTROLLER_FACTORY]
_HELPER_PREFIX: Final = 8


def _helper_index() -> dict[str, list[tuple[bytes, HelperKind]]]:
    """Helpers by their first 8 characters; each prefix has at most a few candidates."""
    index: dict[str, list[tuple[bytes, HelperKind]]] = {}
    for text, kind in _HELPERS:
        index.setdefault(text[:_HELPER_PREFIX], []).append((text.encode(), kind))
    return index


_HELPER_INDEX: Final = _helper_index()


# ---------------------------------------------------------------------------
# The tree


class Expr:
    """A node of the expression tree; ``pos`` is its offset in the text."""

    __slots__ = ("pos",)

    def __init__(self, pos: int) -> None:
        self.pos = pos


class Literal(Expr):
    """``"text"``, ``null``, ``void 0``, ``!0``/``!1``, ``0/0``, ``1/0``, ``-1/0``, ``-0``."""

    __slots__ = ("value",)

    def __init__(self, pos: int, value: str | bool | float | Undefined | None) -> None:
        super().__init__(pos)
        self.value = value


class NumberLiteral(Expr):
    """A decimal number as written (normalised to seroval's number values when evaluated)."""

    __slots__ = ("value",)

    def __init__(self, pos: int, value: int | float) -> None:
        super().__init__(pos)
        self.value = value


class BigIntLiteral(Expr):
    """``123n`` or ``-123n``; ``digits`` keeps the sign."""

    __slots__ = ("digits",)

    def __init__(self, pos: int, digits: str) -> None:
        super().__init__(pos)
        self.digits = digits


class RegExpLiteral(Expr):
    """``/source/flags``: ``source`` is the text between the slashes, as JS keeps it."""

    __slots__ = ("flags", "source")

    def __init__(self, pos: int, source: str, flags: str) -> None:
        super().__init__(pos)
        self.source = source
        self.flags = flags


class ArrayLiteral(Expr):
    """``[a,,b]``; ``None`` items are holes.

    ``tracked`` arrays may be frozen later (built as JSArray); ``structural`` ones
    only carry another value's parts (``new Map([[k,v]])``), so their items count
    as one nesting level deeper than that value, not two, as in the node tree.
    """

    __slots__ = ("items", "structural", "tracked")

    def __init__(self, pos: int, items: list[Expr | None]) -> None:
        super().__init__(pos)
        self.items = items
        self.tracked = False
        self.structural = False


class Property:
    """One ``key:value`` of an object literal; ``key`` is a string or a computed expression."""

    __slots__ = ("key", "pos", "value")

    def __init__(self, pos: int, key: str | Expr, value: Expr) -> None:
        self.pos = pos
        self.key = key
        self.value = value


class ObjectLiteral(Expr):
    """``{k:v,...}``; ``tracked`` and ``structural`` as for :class:`ArrayLiteral`.

    Structural objects are ``Object.assign``'s source and a sequence record.
    """

    __slots__ = ("properties", "structural", "tracked")

    def __init__(self, pos: int, properties: list[Property]) -> None:
        super().__init__(pos)
        self.properties = properties
        self.tracked = False
        self.structural = False


class Variable(Expr):
    """A parameter of the vanilla IIFE."""

    __slots__ = ("name",)

    def __init__(self, pos: int, name: str) -> None:
        super().__init__(pos)
        self.name = name


class Slot(Expr):
    """``$R[index]`` in cross mode."""

    __slots__ = ("index",)

    def __init__(self, pos: int, index: int) -> None:
        super().__init__(pos)
        self.index = index


class Member(Expr):
    """``base.key`` or ``base[key]``: only ever an assignment target (or ``.p``, see below)."""

    __slots__ = ("base", "key")

    def __init__(self, pos: int, base: Expr, key: str | Expr) -> None:
        super().__init__(pos)
        self.base = base
        self.key = key


class SequenceValues(Expr):
    """``base.v`` where it is followed by ``[i]=``: the items of a sequence record."""

    __slots__ = ("base",)

    def __init__(self, pos: int, base: Expr) -> None:
        super().__init__(pos)
        self.base = base


class ResolverPromise(Expr):
    """``base.p``: the promise of a resolver made by the promise-constructor helper."""

    __slots__ = ("base",)

    def __init__(self, pos: int, base: Expr) -> None:
        super().__init__(pos)
        self.base = base


class SignalRead(Expr):
    """``base.signal``: the signal of what the AbortController factory helper returned."""

    __slots__ = ("base",)

    def __init__(self, pos: int, base: Expr) -> None:
        super().__init__(pos)
        self.base = base


class Assign(Expr):
    """``t1=t2=...=value``: targets are :class:`Variable`, :class:`Slot` or :class:`Member`."""

    __slots__ = ("targets", "value")

    def __init__(self, pos: int, targets: list[Expr], value: Expr) -> None:
        super().__init__(pos)
        self.targets = targets
        self.value = value


class Comma(Expr):
    """``(a,b,c)``: evaluates each, gives the last."""

    __slots__ = ("items",)

    def __init__(self, pos: int, items: list[Expr]) -> None:
        super().__init__(pos)
        self.items = items


class HelperText(Expr):
    """One of seroval's helper functions, matched byte for byte."""

    __slots__ = ("kind",)

    def __init__(self, pos: int, kind: HelperKind) -> None:
        super().__init__(pos)
        self.kind = kind


class Call(Expr):
    """``callee(args)``: the callee must turn out to be a helper (or what a helper returned)."""

    __slots__ = ("args", "callee")

    def __init__(self, pos: int, callee: Expr, args: list[Expr]) -> None:
        super().__init__(pos)
        self.callee = callee
        self.args = args


class MethodCall(Expr):
    """``target.set/add/delete/next/throw/return(args)``."""

    __slots__ = ("args", "method", "target")

    def __init__(self, pos: int, target: Expr, method: str, args: list[Expr]) -> None:
        super().__init__(pos)
        self.target = target
        self.method = method
        self.args = args


class New(Expr):
    """``new Name(args)`` for a built-in constructor; ``args`` is ``None`` for ``new Map``."""

    __slots__ = ("args", "name")

    def __init__(self, pos: int, name: str, args: list[Expr] | None) -> None:
        super().__init__(pos)
        self.name = name
        self.args = args


class ObjectCall(Expr):
    """``Object(x)`` (``name`` "box"), ``Object.create/assign/freeze/seal/preventExtensions``."""

    __slots__ = ("args", "name")

    def __init__(self, pos: int, name: str, args: list[Expr]) -> None:
        super().__init__(pos)
        self.name = name
        self.args = args


class DefineProperty(Expr):
    """``Object.defineProperty(t,k,{value:v,configurable:!0,enumerable:!0,writable:!0})``."""

    __slots__ = ("key", "target", "value")

    def __init__(self, pos: int, target: Expr, key: Expr, value: Expr) -> None:
        super().__init__(pos)
        self.target = target
        self.key = key
        self.value = value


class WellKnownSymbol(Expr):
    """``Symbol.iterator`` and the other twelve."""

    __slots__ = ("symbol",)

    def __init__(self, pos: int, symbol: JSSymbol) -> None:
        super().__init__(pos)
        self.symbol = symbol


class ReferenceGet(Expr):
    """``__SEROVAL_REFS__.get("id")``: a value the application registered."""

    __slots__ = ("reference_id",)

    def __init__(self, pos: int, reference_id: str) -> None:
        super().__init__(pos)
        self.reference_id = reference_id


class PromiseSettled(Expr):
    """``Promise.resolve(v)`` / ``Promise.reject(v)``."""

    __slots__ = ("fulfilled", "value")

    def __init__(self, pos: int, fulfilled: bool, value: Expr | None) -> None:
        super().__init__(pos)
        self.fulfilled = fulfilled
        self.value = value


class PromiseDeferred(Expr):
    """``Promise.resolve().then(()=>x)`` / ``Promise.reject().catch(()=>{throw x})``.

    ``source`` (a :class:`Variable` or :class:`Slot`) is read when the text has been
    run, as the callback would be in JS.
    """

    __slots__ = ("fulfilled", "source")

    def __init__(self, pos: int, fulfilled: bool, source: Expr) -> None:
        super().__init__(pos)
        self.fulfilled = fulfilled
        self.source = source


class TemporalFrom(Expr):
    """``Temporal.<Type>.from("text")``; ``type_index`` is the Temporal node's ``c``."""

    __slots__ = ("text", "type_index")

    def __init__(self, pos: int, type_index: int, text: str) -> None:
        super().__init__(pos)
        self.type_index = type_index
        self.text = text


class PluginCall(Expr):
    """A call a plugin declared in ``js_calls``, such as ``new Point(1,2)``.

    A declared name that starts with ``(`` is a whole fixed text, matched exactly
    and taking no arguments (``(new AbortController).signal``).
    """

    __slots__ = ("args", "name")

    def __init__(self, pos: int, name: str, args: list[Expr]) -> None:
        super().__init__(pos)
        self.name = name
        self.args = args


class Program:
    """A whole text.  Exactly one shape applies:

    * ``header`` set: the cross-mode header (``""`` for ``self.$R=self.$R||[]``, else
      the scope id of ``(self.$R=self.$R||{})["id"]=[]``);
    * ``scope`` set: ``($R=>body)($R["scope"])``;
    * ``params`` set: the vanilla IIFE ``((params)=>body)()``;
    * otherwise a bare expression.
    """

    __slots__ = ("body", "header", "params", "scope")

    def __init__(
        self,
        body: Expr | None,
        *,
        params: tuple[str, ...] | None = None,
        scope: str | None = None,
        header: str | None = None,
    ) -> None:
        self.body = body
        self.params = params
        self.scope = scope
        self.header = header


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
        if end - start > MAX_NUMBER_LENGTH:
            error = SerovalSizeLimitError(
                f"a numeric literal of {end - start} characters is over the limit of "
                f"{MAX_NUMBER_LENGTH}"
            )
            attach_location(error, self.text, start)
            raise error
        self.pos = end
        literal = match.group()
        if match.group(3):
            if match.group(1) or match.group(2):
                raise self.error(start, "a BigInt literal must be an integer")
            return Token("bigint", literal[:-1], start, end)
        value: int | float = float(literal) if match.lastindex else int(literal)
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


# ---------------------------------------------------------------------------
# The parser

#: Words JS (sloppy mode) does not allow as a parameter name, plus eval/arguments.
_RESERVED: Final = frozenset(
    {
        "null",
        "void",
        "new",
        "true",
        "false",
        "this",
        "function",
        "class",
        "return",
        "throw",
        "typeof",
        "delete",
        "in",
        "instanceof",
        "var",
        "const",
        "arguments",
        "eval",
        "super",
        "import",
        "export",
        "with",
        "if",
        "else",
        "for",
        "while",
        "do",
        "switch",
        "case",
        "default",
        "break",
        "continue",
        "try",
        "catch",
        "finally",
        "debugger",
        "enum",
    }
)
_METHODS: Final = frozenset({"set", "add", "delete", "next", "throw", "return"})
_OBJECT_FUNCTIONS: Final = frozenset({"create", "assign", "freeze", "seal", "preventExtensions"})
_INTEGRITY_FUNCTIONS: Final = frozenset({"freeze", "seal", "preventExtensions"})
_NEW_ARITY: Final = {
    "Map": (0, 1),
    "Set": (0, 1),
    "Date": (1, 1),
    "RegExp": (1, 2),
    "AggregateError": (2, 2),
    "DataView": (3, 3),
    **dict.fromkeys(ERROR_CONSTRUCTOR_NAMES, (1, 1)),
    **dict.fromkeys(TYPED_ARRAY_KINDS, (3, 3)),
}
_SYMBOLS: Final = {name: JSSymbol(index) for index, name in enumerate(SYMBOL_NAMES)}
_TEMPORAL: Final = {name: index for index, name in enumerate(TEMPORAL_TYPE_NAMES)}
_DESCRIPTOR_FLAGS: Final = ("configurable", "enumerable", "writable")
_REGEXP_FLAGS: Final = frozenset("dgimsuvy")

#: A (slot or variable) that ``Object.freeze/seal/preventExtensions`` is applied to.
_TargetKey = tuple[str, object]


class Parser:
    """Recursive descent over :class:`Lexer` tokens, with one token of lookahead."""

    def __init__(
        self, text: str, *, cross: bool, max_nesting: int, plugin_calls: frozenset[str]
    ) -> None:
        self.lexer = Lexer(text)
        self.text = text
        self.cross = cross
        self.max_nesting = max_nesting
        self.plugin_calls = plugin_calls
        self.plugin_texts = tuple(sorted(name for name in plugin_calls if name[:1] == "("))
        self.params: frozenset[str] = frozenset()
        self.nesting = 0
        self.token = self.lexer.next()
        # Integrity analysis: which slots/variables get frozen, and which literals
        # are stored in them, so those literals are built as JSObject/JSArray.
        self.integrity_targets: set[_TargetKey] = set()
        self.stored_literals: list[tuple[_TargetKey, ArrayLiteral | ObjectLiteral]] = []

    # -- token helpers ------------------------------------------------------------

    def error(self, message: str, offset: int | None = None) -> SerovalSyntaxError:
        return self.lexer.error(self.token.start if offset is None else offset, message)

    def advance(self) -> Token:
        token = self.token
        self.token = self.lexer.next()
        return token

    def at(self, punct: str) -> bool:
        return self.token.kind == "punct" and self.token.value == punct

    def at_ident(self, name: str) -> bool:
        return self.token.kind == "ident" and self.token.value == name

    def expect(self, punct: str) -> Token:
        if not self.at(punct):
            raise self.error(f"expected {punct!r}, found {self._describe()}")
        return self.advance()

    def expect_ident(self, name: str | None = None) -> str:
        token = self.token
        if token.kind != "ident" or (name is not None and token.value != name):
            raise self.error(f"expected {name or 'a name'}, found {self._describe()}")
        self.advance()
        return str(token.value)

    def expect_string(self) -> str:
        if self.token.kind != "str":
            raise self.error(f"expected a string, found {self._describe()}")
        return str(self.advance().value)

    def _describe(self) -> str:
        token = self.token
        if token.kind == "eof":
            return "the end of the text"
        return repr(self.text[token.start : token.end][:40])

    def enter(self, offset: int) -> None:
        self.nesting += 1
        if self.nesting > self.max_nesting:
            error = SerovalDepthLimitError(
                self.max_nesting, step="deserialize", what="the JS text's nesting"
            )
            attach_location(error, self.text, offset)
            raise error

    def leave(self) -> None:
        self.nesting -= 1

    # -- programs -------------------------------------------------------------------

    def program(self) -> Program:
        if self.cross and self._at_header():
            result = self._header()
        elif self.at("(") and self._arrow_ahead():
            result = self._arrow_program()
        elif self.at("{"):
            raise self.error("a text that opens with { is a block in JS; seroval writes ({...})")
        else:
            result = Program(self.expression())
        if self.token.kind != "eof":
            raise self.error(f"found {self._describe()} after the expression")
        self._mark_tracked_literals()
        return result

    def peek(self) -> Token:
        """The token after the current one, without consuming anything."""
        lexer = self.lexer
        saved = lexer.pos
        token = lexer.next()
        lexer.pos = saved
        return token

    def _at_header(self) -> bool:
        if self.at_ident("self"):
            return True
        if not self.at("("):
            return False
        try:
            following = self.peek()
        except SerovalSyntaxError:
            return False  # the main parse reports it
        return following.kind == "ident" and following.value == "self"

    def _header(self) -> Program:
        """``self.$R=self.$R||[]`` or ``(self.$R=self.$R||{})["id"]=[]``."""
        scoped = self.at("(")
        if scoped:
            self.advance()
        for name, punct in (("self", "."), ("$R", "="), ("self", "."), ("$R", "||")):
            self.expect_ident(name)
            self.expect(punct)
        self.expect("{" if scoped else "[")
        self.expect("}" if scoped else "]")
        if not scoped:
            return Program(None, header="")
        self.expect(")")
        self.expect("[")
        scope = self.expect_string()
        self.expect("]")
        self.expect("=")
        self.expect("[")
        self.expect("]")
        return Program(None, header=scope)

    def _arrow_ahead(self) -> bool:
        """Whether the text opens with ``(name=>``, ``((a,b)=>`` (vanilla) or ``($R=>`` (cross)."""
        lexer = self.lexer
        saved = (lexer.pos, self.token)
        try:
            self.advance()
            if self.at("(") and lexer.helper_at(self.token.start) is not None:
                return False  # ((helper)(...)): helper texts are arrow functions too
            self._params()
            return self.at("=>")
        except SerovalSyntaxError:
            return False
        finally:
            lexer.pos, self.token = saved

    def _params(self) -> list[str]:
        if self.token.kind == "ident":
            return [self.expect_ident()]
        self.expect("(")
        names = [self.expect_ident()]
        while self.at(","):
            self.advance()
            names.append(self.expect_ident())
        self.expect(")")
        return names

    def _arrow_program(self) -> Program:
        self.expect("(")
        start = self.token.start
        names = self._params()
        self.expect("=>")
        if self.cross:
            return self._scope_program(names, start)
        if len(set(names)) != len(names):
            raise self.error("an arrow function's parameters must be distinct", start)
        for name in names:
            if name in _RESERVED:
                raise self.error(f"{name!r} cannot be a parameter name", start)
        self.params = frozenset(names)
        body = self._arrow_body()
        self.expect(")")
        self.expect("(")
        self.expect(")")
        return Program(body, params=tuple(names))

    def _scope_program(self, names: list[str], start: int) -> Program:
        """``($R=>body)($R["scope"])``, the cross-mode scope wrapper."""
        if names != ["$R"]:
            raise self.error("the only arrow function in cross mode is ($R=>...)($R[...])", start)
        body = self._arrow_body()
        self.expect(")")
        self.expect("(")
        self.expect_ident("$R")
        self.expect("[")
        scope = self.expect_string()
        self.expect("]")
        self.expect(")")
        return Program(body, scope=scope)

    def _arrow_body(self) -> Expr:
        if self.at("{"):
            raise self.error("an arrow function body must be an expression, not a block")
        return self.assignment()

    # -- expressions ------------------------------------------------------------------

    def expression(self) -> Expr:
        """``a, b, c`` (a comma sequence) or a single assignment expression."""
        first = self.assignment()
        if not self.at(","):
            return first
        items = [first]
        while self.at(","):
            self.advance()
            items.append(self.assignment())
        return Comma(first.pos, items)

    def assignment(self) -> Expr:
        """``target=target=...=value`` (read iteratively: chains can be long)."""
        start = self.token.start
        expr = self.unary()
        if not self.at("="):
            return self.as_value(expr)
        targets: list[Expr] = []
        while self.at("="):
            targets.append(self.as_target(expr))
            self.advance()
            expr = self.unary()
        value = self.as_value(expr)
        for target in targets:
            self._note_store(target, value)
        return Assign(start, targets, value)

    def as_value(self, expr: Expr) -> Expr:
        """``expr`` read as a value: property reads other than a resolver's ``.p`` are refused."""
        if type(expr) is Member:
            if expr.key == "p":
                return ResolverPromise(expr.pos, expr.base)
            if (
                expr.key == "signal"
                and type(expr.base) is Call
                and _SIGNAL_CALL in self.plugin_calls
            ):
                return SignalRead(expr.pos, expr.base)
            raise self.error("reading a property is not part of seroval's output", expr.pos)
        if type(expr) is SequenceValues:
            raise self.error("reading a property is not part of seroval's output", expr.pos)
        return expr

    def as_target(self, expr: Expr) -> Expr:
        if type(expr) in (Variable, Slot, Member):
            return expr
        raise self.error("this cannot be assigned to", expr.pos)

    def unary(self) -> Expr:
        token = self.token
        if token.kind == "punct" and token.value in ("!", "-"):
            return self._prefixed(token)
        if token.kind == "ident" and token.value in ("void", "new"):
            return self._void() if token.value == "void" else self._new()
        return self.postfix()

    def _prefixed(self, token: Token) -> Expr:
        """``!0``, ``!1``, ``-<number>``, ``-<bigint>``, and ``-1/0``."""
        self.advance()
        operand = self.token
        if token.value == "!":
            if operand.kind != "num" or operand.value not in (0, 1) or type(operand.value) is float:
                raise self.error("'!' is only used as !0 and !1", token.start)
            self.advance()
            return Literal(token.start, operand.value == 0)
        if operand.kind == "bigint":
            self.advance()
            return BigIntLiteral(token.start, "-" + str(operand.value))
        if operand.kind != "num":
            raise self.error("'-' is only used before a number", token.start)
        self.advance()
        value = operand.value
        assert isinstance(value, (int, float))
        return self._division(token.start, -value if value else -0.0)

    def _division(self, start: int, numerator: int | float) -> Expr:
        """``0/0``, ``1/0`` and ``-1/0``: the only divisions seroval writes."""
        if not self.at("/"):
            return NumberLiteral(start, numerator)
        self.advance()
        divisor = self.token
        if (
            divisor.kind != "num"
            or self.text[divisor.start : divisor.end] != "0"
            or numerator not in (0, 1, -1)
            or type(numerator) is float
        ):
            raise self.error("division is only used as 0/0, 1/0 and -1/0", start)
        self.advance()
        special = (float("nan"), float("inf"), float("-inf"))[(0, 1, -1).index(numerator)]
        return Literal(start, special)

    def _void(self) -> Expr:
        start = self.advance().start
        if self.token.kind != "num" or self.text[self.token.start : self.token.end] != "0":
            raise self.error("'void' is only used as void 0", start)
        self.advance()
        return Literal(start, undefined)

    def postfix(self) -> Expr:
        """A primary expression followed by ``.name``, ``[key]``, ``.method(...)``, ``(...)``."""
        expr = self.primary()
        chained = 0  # each link nests the tree one level: bounded like brackets
        while self.token.kind == "punct":
            if self.at("."):
                expr = self._dot(expr)
            elif self.at("["):
                expr = self._index(expr)
            elif self.at("("):
                expr = self._call(expr)
            else:
                break
            chained += 1
            self.enter(expr.pos)
        self.nesting -= chained
        return expr

    def _call(self, callee: Expr) -> Expr:
        call = Call(self.token.start, self.as_value(callee), self.arguments())
        for arg in call.args:
            if _is_sequence_record(arg):
                _mark_structural(arg)
        return call

    def _dot(self, base: Expr) -> Expr:
        start = self.advance().start
        name = self.expect_ident()
        if self.at("("):
            if name not in _METHODS:
                raise self.error(f"calling .{name}() is not part of seroval's output", start)
            return MethodCall(start, self.as_value(base), name, self.arguments())
        if name == "v" and self.at("["):
            return SequenceValues(start, self.as_value(base))
        return Member(start, self.as_value(base), name)

    def _index(self, base: Expr) -> Expr:
        start = self.token.start
        if type(base) is not SequenceValues:
            base = self.as_value(base)
        self.enter(start)
        self.advance()
        key = self.expression()
        self.expect("]")
        self.leave()
        return Member(start, base, key)

    def arguments(self) -> list[Expr]:
        start = self.expect("(").start
        self.enter(start)
        args: list[Expr] = []
        if not self.at(")"):
            args.append(self.assignment())
            while self.at(","):
                self.advance()
                args.append(self.assignment())
        self.expect(")")
        self.leave()
        return args

    # -- primary expressions -----------------------------------------------------------

    def primary(self) -> Expr:
        token = self.token
        kind = token.kind
        if kind == "str":
            self.advance()
            return Literal(token.start, str(token.value))
        if kind == "num":
            self.advance()
            assert isinstance(token.value, (int, float))
            return self._division(token.start, token.value)
        if kind == "bigint":
            self.advance()
            return BigIntLiteral(token.start, str(token.value))
        if kind == "ident":
            return self._name()
        if kind == "punct":
            if token.value == "(":
                return self._parenthesized()
            if token.value == "[":
                return self._array()
            if token.value == "{":
                return self._object()
            if token.value == "/":
                return self._regexp()
        raise self.error(f"expected a value, found {self._describe()}")

    def _parenthesized(self) -> Expr:
        """A helper text (they all start with ``(``), or a parenthesized expression."""
        start = self.token.start
        helper = self.lexer.helper_at(start)
        if helper is not None:
            kind, end = helper
            self.lexer.pos = end
            self.token = self.lexer.next()
            return HelperText(start, kind)
        for name in self.plugin_texts:
            if self.text.startswith(name, start):
                self.lexer.pos = start + len(name)
                self.token = self.lexer.next()
                return PluginCall(start, name, [])
        self.enter(start)
        self.advance()
        expr = self.expression()
        self.expect(")")
        self.leave()
        return expr

    def _array(self) -> Expr:
        start = self.advance().start
        self.enter(start)
        items: list[Expr | None] = []
        while not self.at("]"):
            if self.at(","):
                self.advance()
                items.append(None)
                continue
            items.append(self.assignment())
            if not self.at(","):
                break
            self.advance()
        self.expect("]")
        self.leave()
        return ArrayLiteral(start, items)

    def _object(self) -> Expr:
        start = self.advance().start
        self.enter(start)
        properties: list[Property] = []
        while not self.at("}"):
            if properties:
                self.expect(",")
            properties.append(self._property())
        self.advance()
        self.leave()
        return ObjectLiteral(start, properties)

    def _property(self) -> Property:
        token = self.token
        key: str | Expr
        if token.kind in ("ident", "str"):
            key = str(token.value)
            if key == "__proto__":
                raise self.error(
                    'a literal __proto__ key sets the prototype; seroval writes ["__proto__"]'
                )
            self.advance()
        elif token.kind == "num":
            assert isinstance(token.value, (int, float))
            key = js_number(token.value)
            self.advance()
        elif self.at("["):
            self.enter(token.start)
            self.advance()
            key = self.assignment()
            self.expect("]")
            self.leave()
        else:
            raise self.error(f"expected a property key, found {self._describe()}")
        self.expect(":")
        return Property(token.start, key, self.assignment())

    def _regexp(self) -> Expr:
        start = self.token.start
        source, flags, _ = self.lexer.regexp(start)
        if any(flag not in _REGEXP_FLAGS for flag in flags) or len(set(flags)) != len(flags):
            raise self.error(f"invalid regular expression flags {flags!r}", start)
        self.token = self.lexer.next()
        return RegExpLiteral(start, source, flags)

    def _name(self) -> Expr:
        token = self.token
        name = str(token.value)
        if name in self.params:
            self.advance()
            return Variable(token.start, name)
        if name == "$R" and self.cross:
            return self._slot()
        handler = _GLOBALS.get(name)
        if handler is not None:
            self.advance()
            return handler(self, token.start)
        return self._plugin_call(token.start, new=False)

    def _slot(self) -> Expr:
        start = self.advance().start
        self.expect("[")
        token = self.token
        if token.kind != "num" or type(token.value) is not int or token.value > _MAX_SLOT_INDEX:
            raise self.error("$R is only indexed by a non-negative integer")
        self.advance()
        self.expect("]")
        return Slot(start, int(token.value))

    def _null(self, start: int) -> Expr:
        return Literal(start, None)

    def _infinity(self, start: int) -> Expr:
        """``Infinity``: seroval writes it as a key, so ``h[Infinity]=`` can appear."""
        return Literal(start, float("inf"))

    def _object_global(self, start: int) -> Expr:
        """``Object(x)`` and the ``Object.*`` functions seroval calls."""
        if self.at("("):
            return ObjectCall(start, "box", self._exact_arguments(1, "Object"))
        self.expect(".")
        name = self.expect_ident()
        if name == "defineProperty":
            return self._define_property(start)
        if name not in _OBJECT_FUNCTIONS:
            raise self.error(f"Object.{name} is not part of seroval's output", start)
        count = 2 if name == "assign" else 1
        args = self._exact_arguments(count, f"Object.{name}")
        if name == "create" and not (type(args[0]) is Literal and args[0].value is None):
            raise self.error("Object.create is only called with null", start)
        if name in _INTEGRITY_FUNCTIONS:
            self._note_integrity(args[0])
        if name == "assign":
            _mark_structural(args[1])
        return ObjectCall(start, name, args)

    def _define_property(self, start: int) -> Expr:
        """``Object.defineProperty(t,k,{value:v,configurable:!0,enumerable:!0,writable:!0})``."""
        self.expect("(")
        self.enter(start)
        target = self.assignment()
        self.expect(",")
        key = self.assignment()
        self.expect(",")
        self.expect("{")
        self.expect_ident("value")
        self.expect(":")
        value = self.assignment()
        for flag in _DESCRIPTOR_FLAGS:
            self.expect(",")
            self.expect_ident(flag)
            self.expect(":")
            flag_value = self.unary()
            if not (type(flag_value) is Literal and flag_value.value is True):
                raise self.error(f"the descriptor's {flag} must be !0", flag_value.pos)
        self.expect("}")
        self.expect(")")
        self.leave()
        return DefineProperty(start, target, key, value)

    def _exact_arguments(self, count: int, what: str) -> list[Expr]:
        start = self.token.start
        args = self.arguments()
        if len(args) != count:
            raise self.error(f"{what} takes {count} argument(s) here, not {len(args)}", start)
        return args

    def _symbol(self, start: int) -> Expr:
        self.expect(".")
        name = self.expect_ident()
        if name not in _SYMBOLS:
            raise self.error(f"Symbol.{name} is not a well-known symbol", start)
        return WellKnownSymbol(start, _SYMBOLS[name])

    def _references(self, start: int) -> Expr:
        self.expect(".")
        self.expect_ident("get")
        self.expect("(")
        reference_id = self.expect_string()
        self.expect(")")
        return ReferenceGet(start, reference_id)

    def _temporal(self, start: int) -> Expr:
        self.expect(".")
        name = self.expect_ident()
        if name not in _TEMPORAL:
            raise self.error(f"Temporal.{name} is not a Temporal type", start)
        self.expect(".")
        self.expect_ident("from")
        self.expect("(")
        text = self.expect_string()
        self.expect(")")
        return TemporalFrom(start, _TEMPORAL[name], text)

    def _promise(self, start: int) -> Expr:
        """``Promise.resolve(v)``, ``Promise.reject(v)`` and the deferred then/catch forms."""
        self.expect(".")
        name = self.expect_ident()
        if name not in ("resolve", "reject"):
            raise self.error(f"Promise.{name} is not part of seroval's output", start)
        fulfilled = name == "resolve"
        args = self.arguments()
        if len(args) > 1:
            raise self.error(f"Promise.{name} takes one argument", start)
        if args or not self.at("."):
            return PromiseSettled(start, fulfilled, args[0] if args else None)
        self.advance()
        self.expect_ident("then" if fulfilled else "catch")
        self.expect("(")
        self.expect("(")
        self.expect(")")
        self.expect("=>")
        source = self._deferred_source(fulfilled)
        self.expect(")")
        return PromiseDeferred(start, fulfilled, source)

    def _deferred_source(self, fulfilled: bool) -> Expr:
        """The ``h`` of ``()=>h`` / ``()=>{throw h}``: a parameter or a ``$R`` slot."""
        if not fulfilled:
            self.expect("{")
            self.expect_ident("throw")
        source = self.primary()
        if type(source) not in (Variable, Slot):
            raise self.error("a deferred promise settles to a variable or $R slot", source.pos)
        if not fulfilled:
            self.expect("}")
        return source

    def _new(self) -> Expr:
        start = self.advance().start
        if self.token.kind != "ident":
            raise self.error("expected a constructor name after 'new'")
        name = str(self.token.value)
        if name in self.params or (name == "$R" and self.cross):
            raise self.error(f"{name} is not a constructor", start)
        if name not in _NEW_ARITY:
            self.advance()
            return self._plugin_call(start, new=True, first=name)
        self.advance()
        args = self.arguments() if self.at("(") else None
        low, high = _NEW_ARITY[name]
        if not low <= len(args or ()) <= high or (args is None and low > 0):
            raise self.error(f"new {name} takes {low}-{high} argument(s) here", start)
        if args and name in ("Map", "Set", "AggregateError"):
            _mark_structural(args[0], pairs=name == "Map")
        return New(start, name, args)

    def _plugin_call(self, start: int, *, new: bool, first: str | None = None) -> Expr:
        """A call a plugin declared: ``[new ]Name[.member](args)``."""
        if first is None:
            first = self.expect_ident()
        parts = [first]
        if self.at("."):
            self.advance()
            parts.append(self.expect_ident())
        name = ("new " if new else "") + ".".join(parts)
        if name not in self.plugin_calls:
            if new or len(parts) > 1:
                raise self.error(
                    f"{name} is not part of seroval's output (no plugin declares it)", start
                )
            raise self.error(f"unknown identifier {first!r}", start)
        args = self.arguments() if (self.at("(") or not new) else []
        return PluginCall(start, name, args)

    # -- integrity analysis -------------------------------------------------------------

    def _note_integrity(self, target: Expr) -> None:
        key = _target_key(target)
        if key is not None:
            self.integrity_targets.add(key)
        literal = _stored_literal(target)
        if literal is not None:
            literal.tracked = True

    def _note_store(self, target: Expr, value: Expr) -> None:
        key = _target_key(target)
        literal = _stored_literal(value)
        if key is not None and literal is not None:
            self.stored_literals.append((key, literal))

    def _mark_tracked_literals(self) -> None:
        for key, literal in self.stored_literals:
            if key in self.integrity_targets:
                literal.tracked = True


def _mark_structural(expr: Expr, *, pairs: bool = False) -> None:
    """Mark the literal ``expr`` evaluates to (and, for a Map, its pair arrays) structural."""
    literal = _stored_literal(expr)
    if literal is None:
        return
    literal.structural = True
    if pairs and isinstance(literal, ArrayLiteral):
        for item in literal.items:
            if item is not None:
                _mark_structural(item)


def _is_sequence_record(expr: Expr) -> bool:
    """``{__SEROVAL_SEQUENCE__:...}``, the record an iterator factory is called with."""
    literal = _stored_literal(expr)
    return (
        isinstance(literal, ObjectLiteral)
        and bool(literal.properties)
        and literal.properties[0].key == "__SEROVAL_SEQUENCE__"
    )


def _target_key(expr: Expr) -> _TargetKey | None:
    if type(expr) is Variable:
        return ("var", expr.name)
    if type(expr) is Slot:
        return ("slot", expr.index)
    return None


def _stored_literal(expr: Expr) -> ArrayLiteral | ObjectLiteral | None:
    """The array/object literal an expression evaluates to, through ``=`` chains and commas."""
    while True:
        if type(expr) is Assign:
            expr = expr.value
        elif type(expr) is Comma:
            expr = expr.items[-1]
        else:
            break
    if isinstance(expr, (ArrayLiteral, ObjectLiteral)):
        return expr
    return None


_GLOBALS: Final = {
    "null": Parser._null,
    "Infinity": Parser._infinity,
    "Object": Parser._object_global,
    "Symbol": Parser._symbol,
    "Promise": Parser._promise,
    "Temporal": Parser._temporal,
    "__SEROVAL_REFS__": Parser._references,
}


def parse_program(
    text: str, *, cross: bool, max_nesting: int, plugin_calls: frozenset[str] = frozenset()
) -> Program:
    """Parse one text (one chunk in cross mode) into a :class:`Program`.

    ``cross`` selects the cross-mode language (``$R``, the header and the scope
    wrapper) instead of the vanilla one (the IIFE).  ``plugin_calls`` are the call
    names plugins declared (``Plugin.js_calls``).
    """
    if not isinstance(text, str):
        raise TypeError("the JS text must be a str")
    parser = Parser(text, cross=cross, max_nesting=max_nesting, plugin_calls=plugin_calls)
    try:
        with recursion_headroom(max_nesting):
            return parser.program()
    except RecursionError:  # not expected: nesting is bounded first
        error = SerovalDepthLimitError(max_nesting, step="deserialize", what="the JS text")
        attach_location(error, text, parser.token.start)
        raise error from None
