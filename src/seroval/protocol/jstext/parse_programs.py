"""The shapes a whole text takes: the vanilla IIFE, the cross scope wrapper and header.

seroval's ``serialize`` writes a bare expression or ``((h,j)=>body)()``;
``crossSerialize`` writes a bare expression, ``($R=>body)($R["scope"])`` or one
of the two header statements that create ``$R``.  :func:`whole_text` tells them
apart (with a bounded look-ahead that never consumes input) and leaves the body
to :meth:`Parser.assignment <seroval.protocol.jstext.parser.Parser.assignment>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ..errors import SerovalSyntaxError
from .syntax import Expr, Program

if TYPE_CHECKING:
    from .parser import Parser

__all__ = ["whole_text"]

#: Words JS (sloppy mode) does not allow as a parameter name, plus eval/arguments.
_RESERVED_WORDS: Final = (
    "null void new true false this function class return throw typeof delete in instanceof "
    "var const arguments eval super import export with if else for while do switch case "
    "default break continue try catch finally debugger enum"
)
_RESERVED: Final = frozenset(_RESERVED_WORDS.split())


def whole_text(parser: Parser) -> Program:
    """The program's shape and body; the caller checks that the text ends there."""
    if parser.cross and _at_header(parser):
        return _header(parser)
    if parser.at("(") and _arrow_ahead(parser):
        return _arrow_program(parser)
    if parser.at("{"):
        raise parser.error("a text that opens with { is a block in JS; seroval writes ({...})")
    return Program(parser.expression())


def _at_header(parser: Parser) -> bool:
    if parser.at_ident("self"):
        return True
    if not parser.at("("):
        return False
    try:
        following = parser.peek()
    except SerovalSyntaxError:
        return False  # the main parse reports it
    return following.kind == "ident" and following.value == "self"


def _header(parser: Parser) -> Program:
    """``self.$R=self.$R||[]`` or ``(self.$R=self.$R||{})["id"]=[]``."""
    scoped = parser.at("(")
    if scoped:
        parser.advance()
    for name, punct in (("self", "."), ("$R", "="), ("self", "."), ("$R", "||")):
        parser.expect_ident(name)
        parser.expect(punct)
    parser.expect("{" if scoped else "[")
    parser.expect("}" if scoped else "]")
    if not scoped:
        return Program(None, header="")
    parser.expect(")")
    parser.expect("[")
    scope = parser.expect_string()
    parser.expect("]")
    parser.expect("=")
    parser.expect("[")
    parser.expect("]")
    return Program(None, header=scope)


def _arrow_ahead(parser: Parser) -> bool:
    """Whether the text opens with ``(name=>``, ``((a,b)=>`` (vanilla) or ``($R=>`` (cross)."""
    lexer = parser.lexer
    saved = (lexer.pos, parser.token)
    try:
        parser.advance()
        if parser.at("(") and lexer.helper_at(parser.token.start) is not None:
            return False  # ((helper)(...)): helper texts are arrow functions too
        _params(parser)
        return parser.at("=>")
    except SerovalSyntaxError:
        return False
    finally:
        lexer.pos, parser.token = saved


def _params(parser: Parser) -> list[str]:
    if parser.token.kind == "ident":
        return [parser.expect_ident()]
    parser.expect("(")
    names = [parser.expect_ident()]
    while parser.at(","):
        parser.advance()
        names.append(parser.expect_ident())
    parser.expect(")")
    return names


def _arrow_program(parser: Parser) -> Program:
    parser.expect("(")
    start = parser.token.start
    names = _params(parser)
    parser.expect("=>")
    if parser.cross:
        return _scope_program(parser, names, start)
    if len(set(names)) != len(names):
        raise parser.error("an arrow function's parameters must be distinct", start)
    for name in names:
        if name in _RESERVED:
            raise parser.error(f"{name!r} cannot be a parameter name", start)
    parser.params = frozenset(names)
    body = _arrow_body(parser)
    parser.expect(")")
    parser.expect("(")
    parser.expect(")")
    return Program(body, params=tuple(names))


def _scope_program(parser: Parser, names: list[str], start: int) -> Program:
    """``($R=>body)($R["scope"])``, the cross-mode scope wrapper."""
    if names != ["$R"]:
        raise parser.error("the only arrow function in cross mode is ($R=>...)($R[...])", start)
    body = _arrow_body(parser)
    parser.expect(")")
    parser.expect("(")
    parser.expect_ident("$R")
    parser.expect("[")
    scope = parser.expect_string()
    parser.expect("]")
    parser.expect(")")
    return Program(body, scope=scope)


def _arrow_body(parser: Parser) -> Expr:
    if parser.at("{"):
        raise parser.error("an arrow function body must be an expression, not a block")
    return parser.assignment()
