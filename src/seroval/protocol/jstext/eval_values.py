"""Evaluating literals, names and assignments of seroval's JS text.

Leaf literals (numbers, BigInts, RegExps) are read by the node reader, so they
get its checks; arrays and objects are built here, in JS order.  An assignment
evaluates its targets left to right, then its value, then stores right to left,
as JS does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ..model.containers import as_async_iterable
from ..model.nodes import T_NUMBER, T_REGEXP
from ..model.strings import escape_string, is_array_index
from ..model.values import (
    MAX_SAFE_INTEGER,
    JSArray,
    JSBigInt,
    JSObject,
    JSSymbol,
    hole,
    undefined,
)
from ..tree.read_rules import bigint_from_literal
from .eval_properties import property_key, store
from .internal import (
    INTERNAL,
    SLOT_TYPES,
    Target,
)
from .syntax import (
    ArrayLiteral,
    Assign,
    BigIntLiteral,
    Comma,
    Expr,
    HelperText,
    Literal,
    Member,
    NumberLiteral,
    ObjectLiteral,
    ReferenceGet,
    RegExpLiteral,
    ResolverPromise,
    SequenceValues,
    SignalRead,
    Slot,
    Variable,
    WellKnownSymbol,
)

if TYPE_CHECKING:
    from .evaluate import Evaluator, Run

#: Expressions with no effect: never an item of a sequence but its last.  (A nested
#: sequence is not one: seroval writes ``((a=..,b),c,d)``; its own items are checked.)
_PURE_VALUES: Final = frozenset(
    {
        ArrayLiteral,
        BigIntLiteral,
        HelperText,
        Literal,
        Member,
        NumberLiteral,
        ObjectLiteral,
        ReferenceGet,
        RegExpLiteral,
        ResolverPromise,
        SequenceValues,
        SignalRead,
        Slot,
        Variable,
        WellKnownSymbol,
    }
)

__all__ = ["VALUE_EVALUATORS", "literal_key", "regexp_value"]


def _literal(run: Run, expr: Literal, depth: int) -> Any:
    return expr.value


def _number(run: Run, expr: NumberLiteral, depth: int) -> Any:
    value = expr.value
    if type(value) is int and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return value  # what the node reader gives for it, without building a node
    return run.leaf({"t": T_NUMBER, "s": value}, depth)


def _bigint(run: Run, expr: BigIntLiteral, depth: int) -> Any:
    # The shared rule (tree/read_rules.py), without Python's 4,300-digit limit.
    return JSBigInt(bigint_from_literal(expr.digits))


def _regexp(run: Run, expr: RegExpLiteral, depth: int) -> Any:
    return regexp_value(run, expr.source, expr.flags, depth)


def regexp_value(run: Run, source: str, flags: str, depth: int) -> Any:
    return run.leaf({"t": T_REGEXP, "i": 0, "c": escape_string(source), "m": flags}, depth)


def _array(run: Run, expr: ArrayLiteral, depth: int) -> Any:
    result: list[Any] = run.session.own(JSArray() if expr.tracked else [])
    inner = depth if expr.structural else depth + 1
    # A Literal item is its value (run.evaluate's and _literal's calls saved) where
    # run.evaluate would not refuse it for its depth; it is never an internal value.
    leaves = inner <= run.depth_limit
    for item in expr.items:
        if item is None:
            result.append(hole)
        elif leaves and type(item) is Literal:
            result.append(item.value)
        else:
            result.append(run.user(run.evaluate(item, inner), item.pos))
    return result


def _object(run: Run, expr: ObjectLiteral, depth: int) -> Any:
    result: dict[Any, Any] = run.session.own(JSObject() if expr.tracked else {})
    inner = depth if expr.structural else depth + 1
    leaves = inner <= run.depth_limit
    plain = type(result) is dict
    for prop in expr.properties:
        key = literal_key(run, prop.key, prop.pos, inner)
        item = prop.value
        value = item.value if leaves and type(item) is Literal else run.evaluate(item, inner)
        if plain and type(key) is str and type(value) not in INTERNAL:
            # What store() does for a string key defined on a plain dict this literal
            # made (owned, extensible; __proto__ is an own key when defined).
            if result and "0" <= key[:1] <= "9" and key not in result and is_array_index(key):
                run.reorder[id(result)] = result
            result[key] = value
            continue
        store(run, result, key, value, prop.pos, define=True)
    if JSSymbol.ASYNC_ITERATOR in result:
        # Nothing can refer to a literal before it is made, so it may be replaced.
        made = as_async_iterable(result)
        if made is not result:
            run.session.own(made)
            if run.reorder.pop(id(result), None) is not None:
                run.reorder[id(made)] = made
        return made
    return result


def literal_key(run: Run, key: str | Expr, pos: int, depth: int) -> str | JSSymbol:
    """A written key as is, or a computed ``[key]`` evaluated and made a property key."""
    if isinstance(key, str):
        return key
    return property_key(run, run.evaluate(key, depth), pos)


def _variable(run: Run, expr: Variable, depth: int) -> Any:
    return run.variables[expr.name]


def _slot(run: Run, expr: Slot, depth: int) -> Any:
    assert run.table is not None  # slots are only parsed in cross mode
    return run.table.values.get(expr.index, undefined)


def _comma(run: Run, expr: Comma, depth: int) -> Any:
    value: Any = undefined
    last = len(expr.items) - 1
    for index, item in enumerate(expr.items):
        if index < last and type(item) in _PURE_VALUES:
            # seroval's sequences are statements (assignments, calls) then one value:
            # a value computed only to be dropped is never part of its output.
            raise run.error(item.pos, "only the last item of a sequence may be a plain value")
        value = run.evaluate(item, depth)
    return value


def _assign(run: Run, expr: Assign, depth: int) -> Any:
    """``a=b=v``: targets are evaluated left to right, then ``v``, then stored right to left."""
    targets = [_target(run, target, depth) for target in expr.targets]
    value = run.evaluate(expr.value, depth)
    for target in reversed(targets):
        _put(run, target, value)
    return value


def _target(run: Run, expr: Expr, depth: int) -> Target:
    if type(expr) is Variable:
        return Target("var", run.variables, expr.name, expr.pos)
    if type(expr) is Slot:
        return Target("slot", run.table, expr.index, expr.pos)
    assert type(expr) is Member
    holder: Any  # a sequence record's item list, or any value JS text made
    if type(expr.base) is SequenceValues:
        holder = _sequence_items(run, expr.base, depth)
    else:
        holder = run.evaluate(expr.base, depth)
    return Target("property", holder, literal_key(run, expr.key, expr.pos, depth), expr.pos)


def _put(run: Run, target: Target, value: Any) -> None:
    if target.kind == "var":
        target.holder[target.key] = value
    elif target.kind == "slot":
        target.holder.values[target.key] = value
        kind = SLOT_TYPES.get(type(value))
        if kind is not None:
            target.holder.types[target.key] = kind
    else:
        store(run, target.holder, target.key, value, target.pos)


def _sequence_items(run: Run, expr: SequenceValues, depth: int) -> list[Any]:
    """``record.v`` for ``record.v[i]=x``: the item list of a sequence record."""
    record = run.evaluate(expr.base, depth)
    if type(record) is not dict or record.get("__SEROVAL_SEQUENCE__") is not True:
        raise run.error(expr.pos, "only a sequence record's .v can be assigned into")
    items = record.get("v")
    if type(items) is not list:
        raise run.error(expr.pos, "a sequence record's v must be an array")
    return run.owned(items, expr.pos, "changed")  # type: ignore[no-any-return]


VALUE_EVALUATORS: Final[dict[type[Expr], Evaluator]] = {
    Literal: _literal,
    NumberLiteral: _number,
    BigIntLiteral: _bigint,
    RegExpLiteral: _regexp,
    ArrayLiteral: _array,
    ObjectLiteral: _object,
    Variable: _variable,
    Slot: _slot,
    Comma: _comma,
    Assign: _assign,
}
