"""Evaluating calls: seroval's helper functions, what they return, and method calls.

Only a helper (matched by its whole text) or what a helper returned can be
called; each helper has one function here (:data:`HELPER_CALLS`), checking its
arguments.  ``.set``/``.add``/``.delete`` apply to Maps and Sets this text made,
``.next``/``.throw``/``.return`` feed streams.  An iterator factory's sequence
record is drained once the text has run (:func:`drain`), as re-serializing it
would read it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from ..model.stream import Stream
from ..model.strings import escape_string
from ..model.values import (
    JSArray,
    JSMap,
    JSSet,
    JSSymbol,
    hole,
    undefined,
)
from ..tree.deserialize import PromiseResolver
from .eval_builtins import (
    call_abort_controller_factory,
    call_form_data_factory,
    call_readable_stream_factory,
)
from .internal import (
    HELPERS,
    AsyncIteratorFactory,
    AsyncIteratorInstance,
    Helper,
    IteratorFactory,
    IteratorInstance,
)
from .syntax import (
    Call,
    Expr,
    HelperKind,
    HelperText,
    MethodCall,
)

if TYPE_CHECKING:
    from .evaluate import Evaluator, Run

__all__ = ["CALL_EVALUATORS", "drain", "expect_arguments"]


def _helper(run: Run, expr: HelperText, depth: int) -> Any:
    return HELPERS[expr.kind]


def _call(run: Run, expr: Call, depth: int) -> Any:
    callee = run.evaluate(expr.callee, depth)
    args = run.arguments(expr.args, depth)
    kind = type(callee)
    if kind is Helper:
        return _HELPER_CALLS[callee.kind](run, args, expr.pos, depth)
    if kind is IteratorFactory:
        return _iterator_instance(run, args, expr.pos)
    if kind is AsyncIteratorFactory:
        return _async_iterator_instance(run, args, expr.pos)
    raise run.error(expr.pos, "only seroval's helper functions can be called")


def expect_arguments(run: Run, args: list[Any], low: int, high: int, pos: int) -> None:
    if not low <= len(args) <= high:
        raise run.error(pos, f"this call takes {low}-{high} argument(s), not {len(args)}")


def _call_array_buffer(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    expect_arguments(run, args, 1, 1, pos)
    if type(args[0]) is not str:
        raise run.error(pos, "the ArrayBuffer helper takes a base64 string")
    run.spend(len(args[0]), pos)
    return run.leaf({"t": 19, "i": 0, "s": escape_string(args[0])}, depth)


def _call_promise_constructor(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    expect_arguments(run, args, 0, 0, pos)
    resolver = PromiseResolver()
    run.session.pending[id(resolver)] = resolver
    return resolver


def _call_promise_settle(run: Run, args: list[Any], pos: int, depth: int, fulfilled: bool) -> Any:
    expect_arguments(run, args, 2, 2, pos)
    resolver, data = args
    if type(resolver) is not PromiseResolver:
        raise run.error(pos, "a promise can only be settled through its resolver")
    resolver.promise.settle(fulfilled, run.settled(data, pos))
    run.session.pending.pop(id(resolver), None)
    return undefined


def _call_promise_success(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    return _call_promise_settle(run, args, pos, depth, True)


def _call_promise_failure(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    return _call_promise_settle(run, args, pos, depth, False)


def _call_stream(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    expect_arguments(run, args, 0, 1, pos)
    if args and args[0] != 1:
        raise run.error(pos, "the stream helper takes no argument or 1 (live)")
    return _new_stream(run, 1 if args else None)


def _call_legacy_stream(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    expect_arguments(run, args, 0, 1, pos)
    return _new_stream(run, None)  # before 1.7 the helper had no live flag


def _new_stream(run: Run, live: int | None) -> Stream:
    stream = run.session.own(Stream(live))
    run.session.pending[id(stream)] = stream
    return stream  # type: ignore[no-any-return]


def _call_iterator_factory(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    expect_arguments(run, args, 1, 1, pos)
    if args[0] is not JSSymbol.ITERATOR:
        raise run.error(pos, "the iterator helper is given Symbol.iterator")
    return IteratorFactory()


def _call_async_iterator_factory(run: Run, args: list[Any], pos: int, depth: int) -> Any:
    expect_arguments(run, args, 2, 2, pos)
    symbol, make_promise = args
    if (
        symbol is not JSSymbol.ASYNC_ITERATOR
        or make_promise is not HELPERS[HelperKind.PROMISE_CONSTRUCTOR]
    ):
        raise run.error(
            pos,
            "the async iterator helper is given Symbol.asyncIterator and the promise helper",
        )
    return AsyncIteratorFactory()


def _iterator_instance(run: Run, args: list[Any], pos: int) -> Any:
    expect_arguments(run, args, 1, 1, pos)
    record = args[0]
    if type(record) is not dict or record.get("__SEROVAL_SEQUENCE__") is not True:
        raise run.error(pos, "an iterator factory takes a sequence record")
    instance = IteratorInstance(run.owned(record, pos, "iterated"))
    run.iterators.append((instance, pos))
    return instance


def _async_iterator_instance(run: Run, args: list[Any], pos: int) -> Any:
    expect_arguments(run, args, 1, 1, pos)
    stream = args[0]
    if type(stream) is not Stream:
        raise run.error(pos, "an async iterator factory takes a stream")
    return AsyncIteratorInstance(run.owned(stream, pos, "iterated"))


def drain(run: Run, instance: IteratorInstance, pos: int) -> None:
    """What re-serializing reads from the iterator: the iterator helper's steps, replayed."""
    record = instance.record
    items: Any = record.get("v")
    throw_at, done_at = record.get("t"), record.get("d")
    if type(items) not in (list, JSArray) or type(throw_at) is not int:
        raise run.error(pos, "a sequence record needs an array v and integers t and d")
    if type(done_at) is not int:
        raise run.error(pos, "a sequence record needs an array v and integers t and d")
    values: list[Any] = []
    sequence = instance.sequence
    sequence.throw_at = -1
    if done_at < 0:
        values.append(undefined)  # the first next() is already past the end
    else:
        last = min(done_at, throw_at) if throw_at >= 0 else done_at
        run.spend(last + 1, pos)
        for index in range(last + 1):
            item = items[index] if index < len(items) else undefined
            values.append(undefined if item is hole else item)
        if last == throw_at:
            sequence.throw_at = last
    sequence.values = values
    sequence.done_at = len(values) - 1


def _method_call(run: Run, expr: MethodCall, depth: int) -> Any:
    target = run.evaluate(expr.target, depth)
    args = run.arguments(expr.args, depth)
    return _METHOD_CALLS[expr.method](run, target, args, expr.pos)


def _collection(run: Run, target: Any, kind: type[Any], pos: int, method: str) -> Any:
    if type(target) is not kind:
        raise run.error(pos, f".{method}() is only called on a {kind.__name__[2:]}")
    return run.owned(target, pos, "changed")


def _method_set(run: Run, target: Any, args: list[Any], pos: int) -> Any:
    expect_arguments(run, args, 2, 2, pos)
    collection = _collection(run, target, JSMap, pos, "set")
    collection[run.user(args[0], pos)] = run.user(args[1], pos)
    return target


def _method_add(run: Run, target: Any, args: list[Any], pos: int) -> Any:
    expect_arguments(run, args, 1, 1, pos)
    _collection(run, target, JSSet, pos, "add").add(run.user(args[0], pos))
    return target


def _method_delete(run: Run, target: Any, args: list[Any], pos: int) -> Any:
    expect_arguments(run, args, 1, 1, pos)
    kind = JSSet if type(target) is JSSet else JSMap
    collection = _collection(run, target, kind, pos, "delete")
    present = args[0] in collection
    if present and kind is JSSet:
        collection.discard(args[0])
    elif present:
        del collection[args[0]]
    return present


def _method_next(run: Run, target: Any, args: list[Any], pos: int) -> Any:
    return _method_stream(run, target, args, pos, "next")


def _method_throw(run: Run, target: Any, args: list[Any], pos: int) -> Any:
    return _method_stream(run, target, args, pos, "throw")


def _method_return(run: Run, target: Any, args: list[Any], pos: int) -> Any:
    return _method_stream(run, target, args, pos, "return")


def _method_stream(run: Run, target: Any, args: list[Any], pos: int, event: str) -> Any:
    expect_arguments(run, args, 0, 1, pos)
    if type(target) is not Stream:
        raise run.error(pos, f".{event}() is only called on a stream")
    stream: Stream = run.owned(target, pos, "fed")
    value = run.user(args[0], pos) if args else undefined
    if event == "next":
        stream.next(value)
    else:
        (stream.throw if event == "throw" else stream.return_)(value)
        run.session.pending.pop(id(stream), None)
    return undefined


_HELPER_CALLS: Final[dict[HelperKind, Callable[[Run, list[Any], int, int], Any]]] = {
    HelperKind.ARRAY_BUFFER: _call_array_buffer,
    HelperKind.PROMISE_CONSTRUCTOR: _call_promise_constructor,
    HelperKind.PROMISE_SUCCESS: _call_promise_success,
    HelperKind.PROMISE_FAILURE: _call_promise_failure,
    HelperKind.STREAM: _call_stream,
    HelperKind.STREAM_LEGACY: _call_legacy_stream,
    HelperKind.ITERATOR_FACTORY: _call_iterator_factory,
    HelperKind.ASYNC_ITERATOR_FACTORY: _call_async_iterator_factory,
    HelperKind.FORM_DATA_FACTORY: call_form_data_factory,
    HelperKind.READABLE_STREAM_FACTORY: call_readable_stream_factory,
    HelperKind.ABORT_CONTROLLER_FACTORY: call_abort_controller_factory,
}

_METHOD_CALLS: Final[dict[str, Callable[[Run, Any, list[Any], int], Any]]] = {
    "set": _method_set,
    "add": _method_add,
    "delete": _method_delete,
    "next": _method_next,
    "throw": _method_throw,
    "return": _method_return,
}

CALL_EVALUATORS: Final[dict[type[Expr], Evaluator]] = {
    HelperText: _helper,
    Call: _call,
    MethodCall: _method_call,
}
