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

from typing import Final

from ..errors import SerovalDepthLimitError, SerovalSyntaxError
from ..model.strings import js_number
from ..model.values import undefined
from ..stack import StackBudget
from .lexer import MAX_NUMBER_LENGTH, Lexer, Token, attach_location, line_column
from .parse_builtins import GLOBALS, parse_new, parse_plugin_call
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

#: Words JS (sloppy mode) does not allow as a parameter name, plus eval/arguments.
_RESERVED_WORDS: Final = (
    "null void new true false this function class return throw typeof delete in instanceof "
    "var const arguments eval super import export with if else for while do switch case "
    "default break continue try catch finally debugger enum"
)
_RESERVED: Final = frozenset(_RESERVED_WORDS.split())
#: An upper bound on the Python frames the parser uses per level of bracket nesting
#: (``Promise.reject().catch(()=>{throw (...)})`` is the longest path), for
#: :class:`~seroval.protocol.stack.StackBudget`.
FRAMES_PER_LEVEL: Final = 12
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
        self.budget.start(self.nesting)
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
        """``target=target=...=value`` (read iteratively: chains can be long).

        Every level of nesting passes through here, so this is where a text nested
        deeper than this thread's stack allows continues on a fresh one.
        """
        if self.nesting >= self.budget.hand_over_at:
            return self.budget.deeper(_assignment, self, self.nesting)
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
