"""Evaluating constructors, ``Object.*``, symbols, references, Temporal, promises and plugins.

Values with a node form (Dates, RegExps, typed arrays, boxed values, Temporal
values, plugin values) are read by the node reader through :meth:`Run.leaf`, so
every check of the node reader applies; Maps, Sets and errors are built here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from ..errors import wrap_foreign
from ..model.containers import JSAsyncIterable
from ..model.nodes import (
    BIGINT_TYPED_ARRAYS,
    ERROR_CONSTRUCTOR_NAMES,
    T_BIGINT_TYPED_ARRAY,
    T_BOXED,
    T_DATA_VIEW,
    T_DATE,
    T_INDEXED_VALUE,
    T_PLUGIN,
    T_TEMPORAL,
    T_TYPED_ARRAY,
    Integrity,
    Node,
)
from ..model.references import ReadRefs, get_reference
from ..model.strings import escape_string, js_property_order
from ..model.values import (
    JSAggregateError,
    JSArray,
    JSError,
    JSErrorType,
    JSMap,
    JSObject,
    JSPromise,
    JSSet,
    JSSymbol,
    escape_regexp_source,
    hole,
    undefined,
)
from ..tree.deserialize import MAX_REGEXP_SOURCE_LENGTH, PromiseResolver
from ..tree.read_rules import check_boxable
from .eval_properties import property_key, store
from .eval_values import regexp_value
from .internal import (
    Controller,
)
from .syntax import (
    PLUGIN_HELPER_CALLS,
    DefineProperty,
    Expr,
    HelperKind,
    Member,
    New,
    ObjectCall,
    PluginCall,
    PromiseDeferred,
    PromiseSettled,
    ReferenceGet,
    ResolverPromise,
    SequenceValues,
    SignalRead,
    Slot,
    TemporalFrom,
    Variable,
    WellKnownSymbol,
)

if TYPE_CHECKING:
    from .evaluate import Evaluator, Run

__all__ = [
    "BUILTIN_EVALUATORS",
    "call_abort_controller_factory",
    "call_form_data_factory",
    "call_readable_stream_factory",
    "plugin_value",
    "settle_deferred",
]

_ERROR_TYPES: Final = {
    name: JSErrorType(index) for index, name in enumerate(ERROR_CONSTRUCTOR_NAMES)
}


def _new(run: Run, expr: New, depth: int) -> Any:
    args = run.arguments(expr.args or [], depth)
    name = expr.name
    if name in _ERROR_TYPES:
        message = _text_argument(run, args[0], expr.pos)
        return run.session.own(JSError(message, type=_ERROR_TYPES[name]))
    return _CONSTRUCTORS[name](run, name, args, expr.pos, depth)


def _text_argument(run: Run, value: Any, pos: int) -> str:
    if type(value) is not str:
        raise run.error(pos, "this argument must be a string")
    return value


def _entries(run: Run, value: Any, pos: int, pairs: bool) -> list[Any]:
    """The items of a Map/Set constructor's argument (``new Map([[k,v]])``)."""
    if value is undefined:
        return []
    if type(value) not in (list, JSArray):
        raise run.error(pos, "a Map or Set is built from an array")
    run.spend(len(value), pos)
    items = [undefined if item is hole else item for item in value]
    if pairs and any(type(item) not in (list, JSArray) for item in items):
        raise run.error(pos, "a Map is built from [key, value] arrays")
    return items


def _new_map(run: Run, name: str, args: list[Any], pos: int, depth: int) -> Any:
    result: JSMap[Any, Any] = run.session.own(JSMap())
    for entry in _entries(run, args[0] if args else undefined, pos, True):
        key, value = (*entry, undefined, undefined)[:2]
        result[run.user(undefined if key is hole else key, pos)] = run.user(
            undefined if value is hole else value, pos
        )
    return result


def _new_set(run: Run, name: str, args: list[Any], pos: int, depth: int) -> Any:
    result: JSSet[Any] = run.session.own(JSSet())
    for item in _entries(run, args[0] if args else undefined, pos, False):
        result.add(run.user(item, pos))
    return result


def _new_date(run: Run, name: str, args: list[Any], pos: int, depth: int) -> Any:
    text = _text_argument(run, args[0], pos)
    run.spend(len(text), pos)
    return run.leaf({"t": T_DATE, "i": 0, "s": text}, depth)


def _new_regexp(run: Run, name: str, args: list[Any], pos: int, depth: int) -> Any:
    source = _text_argument(run, args[0], pos)
    run.spend(len(source), pos)
    if len(source) <= MAX_REGEXP_SOURCE_LENGTH:  # else the node reader refuses it
        source = escape_regexp_source(source)
    flags = _text_argument(run, args[1], pos) if len(args) > 1 else ""
    return regexp_value(run, source, flags, depth)


def _new_aggregate_error(run: Run, name: str, args: list[Any], pos: int, depth: int) -> Any:
    errors = run.session.own(_entries(run, args[0], pos, False))
    return run.session.own(JSAggregateError(errors, _text_argument(run, args[1], pos)))


def _new_view(run: Run, name: str, args: list[Any], pos: int, depth: int) -> Any:
    """``new Uint8Array(buffer,offset,length)`` / ``new DataView(...)``, read as their nodes."""
    buffer, offset, length = (run.user(arg, pos) for arg in args)
    node: Node = {"t": T_DATA_VIEW, "i": 1}
    if name != "DataView":
        node = {
            "t": T_BIGINT_TYPED_ARRAY if name in BIGINT_TYPED_ARRAYS else T_TYPED_ARRAY,
            "i": 1,
            "c": name,
        }
    node.update({"f": {"t": T_INDEXED_VALUE, "i": 0}, "b": offset, "l": length})
    return run.leaf(node, depth, buffer)


def _object_call(run: Run, expr: ObjectCall, depth: int) -> Any:
    args = run.arguments(expr.args, depth)
    return _OBJECT_CALLS[expr.name](run, args, expr.pos, depth)


def _object_box(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    inner = run.user(args[0], pos)
    check_boxable(inner)  # the shared rule: what seroval boxes (tree/read_rules.py)
    value = run.leaf({"t": T_BOXED, "i": 1, "f": {"t": T_INDEXED_VALUE, "i": 0}}, depth, inner)
    if type(value) is dict and not value:
        run.session.own(value)  # Object(null) and Object(undefined) make a new object
    return value


def _object_create(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    return run.session.own(JSObject(null_prototype=True))


def _object_assign(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    target, source = args
    if type(source) not in (dict, JSObject, JSAsyncIterable):
        raise run.error(pos, "Object.assign copies from an object")
    run.spend(len(source), pos)
    strings = [key for key in source if type(key) is str]
    symbols = [key for key in source if type(key) is JSSymbol]
    for key in js_property_order(strings) + symbols:
        store(run, target, key, source[key], pos, define=False, strict=True)
    return target


def _object_freeze(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    return _object_integrity(run, args[0], pos, Integrity.FROZEN)


def _object_seal(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    return _object_integrity(run, args[0], pos, Integrity.SEALED)


def _object_prevent_extensions(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    return _object_integrity(run, args[0], pos, Integrity.NON_EXTENSIBLE)


def _object_integrity(run: Run, value: Any, pos: int, level: Integrity) -> Any:
    """``Object.freeze/seal/preventExtensions``: the integrity only ever goes up."""
    kind = type(value)
    if kind is JSObject or kind is JSArray or kind is JSAsyncIterable:
        run.owned(value, pos, "frozen")
        value.integrity = max(value.integrity, level)
    elif kind in (dict, list):
        raise run.error(pos, "this object was made in an earlier text and cannot be frozen now")
    elif kind in (str, int, float, bool) or value is None or value is undefined:
        pass  # JS returns a primitive unchanged
    else:
        raise run.error(pos, f"seroval does not freeze a {kind.__name__}")
    return value


def _define_property(run: Run, expr: DefineProperty, depth: int) -> Any:
    target = run.evaluate(expr.target, depth + 1)
    key = property_key(run, run.evaluate(expr.key, depth + 1), expr.pos)
    value = run.evaluate(expr.value, depth + 1)
    store(run, target, key, value, expr.pos, define=True)
    return target


def _symbol(run: Run, expr: WellKnownSymbol, depth: int) -> Any:
    return expr.symbol


def _reference(run: Run, expr: ReferenceGet, depth: int) -> Any:
    return get_reference(expr.reference_id)


def _temporal(run: Run, expr: TemporalFrom, depth: int) -> Any:
    return run.leaf({"t": T_TEMPORAL, "i": 0, "s": expr.text, "c": expr.type_index}, depth)


def _resolver_promise(run: Run, expr: ResolverPromise, depth: int) -> Any:
    resolver = run.evaluate(expr.base, depth)
    if type(resolver) is not PromiseResolver:
        raise run.error(expr.pos, "only a promise resolver has a readable .p")
    return resolver.promise


def _promise_settled(run: Run, expr: PromiseSettled, depth: int) -> Any:
    value = undefined if expr.value is None else run.evaluate(expr.value, depth + 1)
    value = run.settled(value, expr.pos)
    return JSPromise.resolve(value) if expr.fulfilled else JSPromise.reject(value)


def _promise_deferred(run: Run, expr: PromiseDeferred, depth: int) -> Any:
    promise = JSPromise()
    run.deferred.append((promise, expr, run.table))
    return promise


def settle_deferred(
    run: Run, promise: JSPromise, expr: PromiseDeferred, table: ReadRefs | None
) -> None:
    source = expr.source
    if type(source) is Variable:
        value = run.variables[source.name]
    else:
        assert type(source) is Slot
        assert table is not None
        value = table.values.get(source.index, undefined)
    promise.settle(expr.fulfilled, run.settled(value, source.pos))


def _plugin(run: Run, expr: PluginCall, depth: int) -> Any:
    args = [run.user(value, expr.pos) for value in run.arguments(expr.args, depth)]
    return plugin_value(run, expr.name, args, expr.pos, depth)


def plugin_value(run: Run, call: str, args: list[Any], pos: int, depth: int) -> Any:
    """The value of the plugin call named ``call`` (in ``js_calls``) with ``args``."""
    found = run.session.plugin_calls.get(call)
    if found is None:
        raise run.error(pos, f"no plugin given reads the call {call}")
    plugin, builder = found
    try:
        fields = dict(builder(args))
    except Exception as error:
        raise wrap_foreign(error, "deserialize", f"the plugin {plugin.tag!r}") from error
    names = list(fields)
    info = {name: {"t": T_INDEXED_VALUE, "i": index} for index, name in enumerate(names)}
    node = {"t": T_PLUGIN, "i": len(names), "s": info, "c": escape_string(plugin.tag)}
    values = [run.user(fields[name], pos) for name in names]
    return run.leaf(node, depth, *values)


def call_form_data_factory(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    call = PLUGIN_HELPER_CALLS[HelperKind.FORM_DATA_FACTORY]
    return plugin_value(run, call, [run.user(arg, pos) for arg in args], pos, depth)


def call_readable_stream_factory(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    call = PLUGIN_HELPER_CALLS[HelperKind.READABLE_STREAM_FACTORY]
    return plugin_value(run, call, [run.user(arg, pos) for arg in args], pos, depth)


def call_abort_controller_factory(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    """The controller, whose ``.signal`` (:meth:`signal_read`) is the plugin value."""
    return Controller([run.user(arg, pos) for arg in args])


def _signal_read(run: Run, expr: SignalRead, depth: int) -> Any:
    controller = run.evaluate(expr.base, depth)
    if type(controller) is not Controller:
        raise run.error(expr.pos, "only the AbortController factory's result has a .signal")
    name = PLUGIN_HELPER_CALLS[HelperKind.ABORT_CONTROLLER_FACTORY]
    return plugin_value(run, name, controller.args, expr.pos, depth)


def _not_a_value(run: Run, expr: Expr, depth: int) -> Any:
    raise run.error(expr.pos, "reading a property is not part of seroval's output")


_CONSTRUCTORS: Final[dict[str, Callable[[Run, str, list[Any], int, int], Any]]] = {
    "Map": _new_map,
    "Set": _new_set,
    "Date": _new_date,
    "RegExp": _new_regexp,
    "AggregateError": _new_aggregate_error,
    "DataView": _new_view,
    **dict.fromkeys(
        ("Int8Array", "Int16Array", "Int32Array", "Uint8Array", "Uint8ClampedArray"), _new_view
    ),
    **dict.fromkeys(("Uint16Array", "Uint32Array", "Float32Array", "Float64Array"), _new_view),
    **dict.fromkeys(("BigInt64Array", "BigUint64Array"), _new_view),
}

_OBJECT_CALLS: Final[dict[str, Callable[[Run, list[Any], int, int], Any]]] = {
    "box": _object_box,
    "create": _object_create,
    "assign": _object_assign,
    "freeze": _object_freeze,
    "seal": _object_seal,
    "preventExtensions": _object_prevent_extensions,
}

BUILTIN_EVALUATORS: Final[dict[type[Expr], Evaluator]] = {
    New: _new,
    ObjectCall: _object_call,
    DefineProperty: _define_property,
    WellKnownSymbol: _symbol,
    ReferenceGet: _reference,
    TemporalFrom: _temporal,
    ResolverPromise: _resolver_promise,
    PromiseSettled: _promise_settled,
    PromiseDeferred: _promise_deferred,
    PluginCall: _plugin,
    SignalRead: _signal_read,
    Member: _not_a_value,
    SequenceValues: _not_a_value,
}
