"""The JS reader's syntax tree: what the parser builds and the evaluator runs.

Each class is one construct of seroval's output language (SPEC.md §8.3), with
the offset of its text in ``pos`` so errors can name a line and column.  The
tree holds no behaviour beyond the questions the parser asks while it builds it
(:func:`stored_literal` and the marks it leads to: a literal that is frozen
later, or only carries another value's parts), which the evaluator then reads.
"""

from __future__ import annotations

from enum import Enum
from typing import Final

from ..model.values import JSSymbol, Undefined

__all__ = [
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
    "Literal",
    "Member",
    "MethodCall",
    "New",
    "NumberLiteral",
    "ObjectCall",
    "ObjectLiteral",
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
    "TargetKey",
    "TemporalFrom",
    "Variable",
    "WellKnownSymbol",
    "is_sequence_record",
    "mark_structural",
    "stored_literal",
    "target_key",
]


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


#: seroval-plugins' helpers build a plugin's value when called, so a plugin reads
#: them through ``js_calls`` under the helper plugin's tag: ``(FACTORY)(entries)``
#: is the call ``"seroval-plugins/web/FormDataFactory"``, and the AbortController
#: factory's ``(FACTORY)(promise).signal`` the call of its tag followed by ``.signal``.
PLUGIN_HELPER_CALLS: Final = {
    HelperKind.FORM_DATA_FACTORY: "seroval-plugins/web/FormDataFactory",
    HelperKind.READABLE_STREAM_FACTORY: "seroval-plugins/web/ReadableStreamFactory",
    HelperKind.ABORT_CONTROLLER_FACTORY: "seroval-plugins/web/AbortControllerFactoryPlugin",
}


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
# Questions the parser asks about the tree it builds

#: A (slot or variable) that ``Object.freeze/seal/preventExtensions`` is applied to.
TargetKey = tuple[str, object]


def mark_structural(expr: Expr, *, pairs: bool = False) -> None:
    """Mark the literal ``expr`` evaluates to (and, for a Map, its pair arrays) structural."""
    literal = stored_literal(expr)
    if literal is None:
        return
    literal.structural = True
    if pairs and isinstance(literal, ArrayLiteral):
        for item in literal.items:
            if item is not None:
                mark_structural(item)


def is_sequence_record(expr: Expr) -> bool:
    """``{__SEROVAL_SEQUENCE__:...}``, the record an iterator factory is called with."""
    literal = stored_literal(expr)
    return (
        isinstance(literal, ObjectLiteral)
        and bool(literal.properties)
        and literal.properties[0].key == "__SEROVAL_SEQUENCE__"
    )


def target_key(expr: Expr) -> TargetKey | None:
    if type(expr) is Variable:
        return ("var", expr.name)
    if type(expr) is Slot:
        return ("slot", expr.index)
    return None


def stored_literal(expr: Expr) -> ArrayLiteral | ObjectLiteral | None:
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
