"""The global names seroval's text uses, ``new``, and the calls plugins declare.

Each global (``Object``, ``Symbol``, ``Promise``, ``Temporal``,
``__SEROVAL_REFS__``, ``null``, ``Infinity``) has one small function here that
reads exactly the call shapes seroval writes after it; :data:`GLOBALS` is the
parser's dispatch table.  ``new`` accepts the built-in constructors with their
arity, and anything else only if a plugin declared the call in ``js_calls``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from ..model.nodes import (
    ERROR_CONSTRUCTOR_NAMES,
    SYMBOL_NAMES,
    TEMPORAL_TYPE_NAMES,
    TYPED_ARRAY_KINDS,
)
from ..model.values import JSSymbol
from .syntax import (
    DefineProperty,
    Expr,
    Literal,
    New,
    ObjectCall,
    PluginCall,
    PromiseDeferred,
    PromiseSettled,
    ReferenceGet,
    Slot,
    TemporalFrom,
    Variable,
    WellKnownSymbol,
    mark_structural,
)

if TYPE_CHECKING:
    from .parser import Parser

__all__ = ["GLOBALS", "parse_new", "parse_plugin_call"]

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


def _null(parser: Parser, start: int) -> Expr:
    return Literal(start, None)


def _infinity(parser: Parser, start: int) -> Expr:
    """``Infinity``: seroval writes it as a key, so ``h[Infinity]=`` can appear."""
    return Literal(start, float("inf"))


def _object_global(parser: Parser, start: int) -> Expr:
    """``Object(x)`` and the ``Object.*`` functions seroval calls."""
    if parser.at("("):
        return ObjectCall(start, "box", _exact_arguments(parser, 1, "Object"))
    parser.expect(".")
    name = parser.expect_ident()
    if name == "defineProperty":
        return _define_property(parser, start)
    if name not in _OBJECT_FUNCTIONS:
        raise parser.error(f"Object.{name} is not part of seroval's output", start)
    count = 2 if name == "assign" else 1
    args = _exact_arguments(parser, count, f"Object.{name}")
    if name == "create" and not (type(args[0]) is Literal and args[0].value is None):
        raise parser.error("Object.create is only called with null", start)
    if name in _INTEGRITY_FUNCTIONS:
        parser.note_integrity(args[0])
    if name == "assign":
        mark_structural(args[1])
    return ObjectCall(start, name, args)


def _define_property(parser: Parser, start: int) -> Expr:
    """``Object.defineProperty(t,k,{value:v,configurable:!0,enumerable:!0,writable:!0})``."""
    parser.expect("(")
    parser.enter(start)
    target = parser.assignment()
    parser.expect(",")
    key = parser.assignment()
    parser.expect(",")
    parser.expect("{")
    parser.expect_ident("value")
    parser.expect(":")
    value = parser.assignment()
    for flag in _DESCRIPTOR_FLAGS:
        parser.expect(",")
        parser.expect_ident(flag)
        parser.expect(":")
        flag_value = parser.unary()
        if not (type(flag_value) is Literal and flag_value.value is True):
            raise parser.error(f"the descriptor's {flag} must be !0", flag_value.pos)
    parser.expect("}")
    parser.expect(")")
    parser.leave()
    return DefineProperty(start, target, key, value)


def _exact_arguments(parser: Parser, count: int, what: str) -> list[Expr]:
    start = parser.token.start
    args = parser.arguments()
    if len(args) != count:
        raise parser.error(f"{what} takes {count} argument(s) here, not {len(args)}", start)
    return args


def _symbol(parser: Parser, start: int) -> Expr:
    parser.expect(".")
    name = parser.expect_ident()
    if name not in _SYMBOLS:
        raise parser.error(f"Symbol.{name} is not a well-known symbol", start)
    return WellKnownSymbol(start, _SYMBOLS[name])


def _references(parser: Parser, start: int) -> Expr:
    parser.expect(".")
    parser.expect_ident("get")
    parser.expect("(")
    reference_id = parser.expect_string()
    parser.expect(")")
    return ReferenceGet(start, reference_id)


def _temporal(parser: Parser, start: int) -> Expr:
    parser.expect(".")
    name = parser.expect_ident()
    if name not in _TEMPORAL:
        raise parser.error(f"Temporal.{name} is not a Temporal type", start)
    parser.expect(".")
    parser.expect_ident("from")
    parser.expect("(")
    text = parser.expect_string()
    parser.expect(")")
    return TemporalFrom(start, _TEMPORAL[name], text)


def _promise(parser: Parser, start: int) -> Expr:
    """``Promise.resolve(v)``, ``Promise.reject(v)`` and the deferred then/catch forms."""
    parser.expect(".")
    name = parser.expect_ident()
    if name not in ("resolve", "reject"):
        raise parser.error(f"Promise.{name} is not part of seroval's output", start)
    fulfilled = name == "resolve"
    args = parser.arguments()
    if len(args) > 1:
        raise parser.error(f"Promise.{name} takes one argument", start)
    if args or not parser.at("."):
        return PromiseSettled(start, fulfilled, args[0] if args else None)
    parser.advance()
    parser.expect_ident("then" if fulfilled else "catch")
    parser.expect("(")
    parser.expect("(")
    parser.expect(")")
    parser.expect("=>")
    source = _deferred_source(parser, fulfilled)
    parser.expect(")")
    return PromiseDeferred(start, fulfilled, source)


def _deferred_source(parser: Parser, fulfilled: bool) -> Expr:
    """The ``h`` of ``()=>h`` / ``()=>{throw h}``: a parameter or a ``$R`` slot."""
    if not fulfilled:
        parser.expect("{")
        parser.expect_ident("throw")
    source = parser.primary()
    if type(source) not in (Variable, Slot):
        raise parser.error("a deferred promise settles to a variable or $R slot", source.pos)
    if not fulfilled:
        parser.expect("}")
    return source


def parse_new(parser: Parser) -> Expr:
    start = parser.advance().start
    if parser.token.kind != "ident":
        raise parser.error("expected a constructor name after 'new'")
    name = str(parser.token.value)
    if name in parser.params or (name == "$R" and parser.cross):
        raise parser.error(f"{name} is not a constructor", start)
    if name not in _NEW_ARITY:
        parser.advance()
        return parse_plugin_call(parser, start, new=True, first=name)
    parser.advance()
    args = parser.arguments() if parser.at("(") else None
    low, high = _NEW_ARITY[name]
    if not low <= len(args or ()) <= high or (args is None and low > 0):
        raise parser.error(f"new {name} takes {low}-{high} argument(s) here", start)
    if args and name in ("Map", "Set", "AggregateError"):
        mark_structural(args[0], pairs=name == "Map")
    return New(start, name, args)


def parse_plugin_call(parser: Parser, start: int, *, new: bool, first: str | None = None) -> Expr:
    """A call a plugin declared: ``[new ]Name[.member](args)``."""
    if first is None:
        first = parser.expect_ident()
    parts = [first]
    if parser.at("."):
        parser.advance()
        parts.append(parser.expect_ident())
    name = ("new " if new else "") + ".".join(parts)
    if name not in parser.plugin_calls:
        if new or len(parts) > 1:
            raise parser.error(
                f"{name} is not part of seroval's output (no plugin declares it)", start
            )
        raise parser.error(f"unknown identifier {first!r}", start)
    args = parser.arguments() if (parser.at("(") or not new) else []
    return PluginCall(start, name, args)


GLOBALS: Final[dict[str, Callable[[Parser, int], Expr]]] = {
    "null": _null,
    "Infinity": _infinity,
    "Object": _object_global,
    "Symbol": _symbol,
    "Promise": _promise,
    "Temporal": _temporal,
    "__SEROVAL_REFS__": _references,
}
