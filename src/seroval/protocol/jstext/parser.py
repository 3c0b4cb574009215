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

The parts: the tokens (:mod:`.lexer`, linear time, helpers matched whole), the
tree (:mod:`.syntax`), the whole-text shapes (:mod:`.parse_programs`), the global
names and ``new`` (:mod:`.parse_builtins`), and here the expressions.  Nesting is
bounded (``max_nesting``) so that a megabyte of brackets fails cleanly; a text
nested deeper than the thread's stack holds continues on a fresh thread
(:class:`~seroval.protocol.stack.StackBudget`), never by raising the recursion limit.
"""

from __future__ import annotations

from typing import Final

from ..errors import SerovalDepthLimitError, SerovalSyntaxError
from ..model.strings import js_number
from ..model.values import undefined
from ..stack import StackBudget
from .lexer import MAX_NUMBER_LENGTH, Lexer, Token, attach_location, line_column
from .parse_builtins import GLOBALS, parse_new, parse_plugin_call
from .parse_programs import whole_text
from .syntax import (
    PLUGIN_HELPER_CALLS,
    ArrayLiteral,
    Assign,
    BigIntLiteral,
    Call,
    Comma,
    DefineProperty,
    Expr,
    HelperKind,
    HelperText,
    Literal,
    Member,
    MethodCall,
    New,
    NumberLiteral,
    ObjectCall,
    ObjectLiteral,
    PluginCall,
    Program,
    PromiseDeferred,
    PromiseSettled,
    Property,
    ReferenceGet,
    RegExpLiteral,
    ResolverPromise,
    SequenceValues,
    SignalRead,
    Slot,
    TargetKey,
    TemporalFrom,
    Variable,
    WellKnownSymbol,
    is_sequence_record,
    mark_structural,
    stored_literal,
    target_key,
)

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

_MAX_SLOT_INDEX: Final = 2**32 - 2
_SIGNAL_CALL: Final = PLUGIN_HELPER_CALLS[HelperKind.ABORT_CONTROLLER_FACTORY]

#: An upper bound on the Python frames the parser uses per level of bracket nesting
#: (``Promise.reject().catch(()=>{throw (...)})`` is the longest path), for
#: :class:`~seroval.protocol.stack.StackBudget`.
FRAMES_PER_LEVEL: Final = 12

#: Tokens that start an expression without nesting: out of stack budget, the parser
#: reads them where it is (a call or member after one checks the budget again).
_LITERAL_TOKENS: Final = frozenset({"str", "num", "bigint"})

#: What may follow a bare name that is a whole element (the empty string: the end).
_ELEMENT_ENDS: Final = frozenset({",", "]", "}", ")", ""})
_METHODS: Final = frozenset({"set", "add", "delete", "next", "throw", "return"})
_REGEXP_FLAGS: Final = frozenset("dgimsuvy")


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
        self.budget = StackBudget(FRAMES_PER_LEVEL)
        self.token = self.lexer.next()
        # Integrity analysis: which slots/variables get frozen, and which literals
        # are stored in them, so those literals are built as JSObject/JSArray.
        self.integrity_targets: set[TargetKey] = set()
        self.stored_literals: list[tuple[TargetKey, ArrayLiteral | ObjectLiteral]] = []

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
        """The whole text, in one of the shapes :func:`.parse_programs.whole_text` reads."""
        self.budget.start(self.nesting)
        result = whole_text(self)
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
        """``target=target=...=value`` (read iteratively: chains can be long).

        Every level of nesting passes through here, so this is where a text nested
        deeper than this thread's stack allows continues on a fresh one.
        """
        if self.nesting >= self.budget.hand_over_at and not self._at_leaf():
            return self.budget.deeper(_assignment, self, self.nesting)
        start = self.token.start
        targets: list[Expr] = []
        while True:
            # unary() without its frame: each frame a level saved means fewer
            # hand-overs on deep text.
            token = self.token
            kind = token.kind
            if kind == "ident" and token.value == "new":
                expr = parse_new(self)
            elif (kind == "punct" and token.value in ("!", "-")) or (
                kind == "ident" and token.value == "void"
            ):
                expr = self.unary()
            else:
                expr = self.postfix()
            if not self.at("="):
                break
            targets.append(self.as_target(expr))
            self.advance()
        value = self.as_value(expr)
        if not targets:
            return value
        for target in targets:
            self._note_store(target, value)
        return Assign(start, targets, value)

    def _at_leaf(self) -> bool:
        """Whether the expression starting here cannot nest: a literal, ``!0``, ``-1``,
        or a bare name followed by what ends an element.  Out of stack budget, the
        parser reads those where it is (anything nested after one checks again)."""
        token = self.token
        kind = token.kind
        if kind in _LITERAL_TOKENS or (kind == "punct" and token.value in ("!", "-")):
            return True
        if kind != "ident" or token.value in ("new", "void"):
            return False
        after = self.lexer.pos
        return self.text[after : after + 1] in _ELEMENT_ENDS

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
            return self._void() if token.value == "void" else parse_new(self)
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
        token = self.token
        if token.kind == "punct" and token.value in ("{", "["):  # primary(), a frame less
            expr = self._object() if token.value == "{" else self._array()
        else:
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
            if is_sequence_record(arg):
                mark_structural(arg)
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
        handler = GLOBALS.get(name)
        if handler is not None:
            self.advance()
            return handler(self, token.start)
        return parse_plugin_call(self, token.start, new=False)

    def _slot(self) -> Expr:
        start = self.advance().start
        self.expect("[")
        token = self.token
        if token.kind != "num" or type(token.value) is not int or token.value > _MAX_SLOT_INDEX:
            raise self.error("$R is only indexed by a non-negative integer")
        self.advance()
        self.expect("]")
        return Slot(start, int(token.value))

    # -- integrity analysis -------------------------------------------------------------

    def note_integrity(self, target: Expr) -> None:
        key = target_key(target)
        if key is not None:
            self.integrity_targets.add(key)
        literal = stored_literal(target)
        if literal is not None:
            literal.tracked = True

    def _note_store(self, target: Expr, value: Expr) -> None:
        key = target_key(target)
        literal = stored_literal(value)
        if key is not None and literal is not None:
            self.stored_literals.append((key, literal))

    def _mark_tracked_literals(self) -> None:
        for key, literal in self.stored_literals:
            if key in self.integrity_targets:
                literal.tracked = True


def _assignment(parser: Parser, nesting: int) -> Expr:
    """:meth:`Parser.assignment`, for :meth:`~seroval.protocol.stack.StackBudget.deeper`."""
    return parser.assignment()


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
        return parser.program()
    except RecursionError:  # not expected: nesting is bounded and deep parts change stacks
        error = SerovalDepthLimitError(max_nesting, step="deserialize", what="the JS text")
        attach_location(error, text, parser.token.start)
        raise error from None
