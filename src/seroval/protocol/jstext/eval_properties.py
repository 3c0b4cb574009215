"""Setting properties as JS does: ``[[Set]]`` and ``[[DefineOwnProperty]]`` on our values.

Objects, arrays and errors each keep what JS would keep (four symbol keys on
objects, index keys on arrays, string keys on errors), respect the integrity
level ``Object.freeze`` & co. gave them (a refused write is ignored, or raises
where JS throws), and never let a text change a prototype.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ..model.nodes import Integrity
from ..model.strings import is_array_index, js_number
from ..model.values import (
    JSArray,
    JSError,
    JSObject,
    JSSymbol,
    hole,
    undefined,
)
from .internal import (
    AsyncIteratorInstance,
    IteratorInstance,
)

if TYPE_CHECKING:
    from .evaluate import Run

__all__ = ["property_key", "store"]

_KEPT_SYMBOLS: Final = frozenset(
    {
        JSSymbol.ASYNC_ITERATOR,
        JSSymbol.IS_CONCAT_SPREADABLE,
        JSSymbol.TO_STRING_TAG,
        JSSymbol.ITERATOR,
    }
)


def property_key(run: Run, value: Any, pos: int) -> str | JSSymbol:
    """JS ToPropertyKey for the keys seroval writes: strings, numbers and symbols."""
    kind = type(value)
    if kind is str or kind is JSSymbol:
        return value  # type: ignore[no-any-return]
    if kind is int or kind is float:
        return js_number(value)
    if value is undefined:  # $R[i] before a later chunk assigns it
        return "undefined"
    raise run.error(pos, "a property key must be a string, a number or a symbol")


def store(
    run: Run,
    target: Any,
    key: str | JSSymbol,
    value: Any,
    pos: int,
    *,
    define: bool = False,
    strict: bool = False,
) -> None:
    """Set (or, with ``define``, define) property ``key`` of ``target`` as JS would.

    A write that the target's integrity forbids is ignored, as in JS's sloppy
    mode, unless ``define`` or ``strict`` (``Object.assign``) makes JS throw.
    """
    run.owned(target, pos, "changed")
    value = _property_value(run, key, value, pos)
    kind = type(target)
    if kind is dict or kind is JSObject:
        _store_object(run, target, key, value, pos, define, strict)
    elif kind is list or kind is JSArray:
        _store_array(run, target, key, value, pos, define, strict)
    elif isinstance(target, JSError):
        _store_error(run, target, key, value, pos, define)
    else:
        raise run.error(pos, f"cannot set properties on a {kind.__name__}")


def _property_value(run: Run, key: str | JSSymbol, value: Any, pos: int) -> Any:
    """An iterator factory under its symbol becomes its Sequence (or Stream); else a value."""
    kind = type(value)
    if kind is IteratorInstance and key is JSSymbol.ITERATOR:
        return value.sequence
    if kind is AsyncIteratorInstance and key is JSSymbol.ASYNC_ITERATOR:
        return value.stream
    return run.user(value, pos)


def _writable(run: Run, level: Integrity, exists: bool, define: bool, loud: bool, pos: int) -> bool:
    """Whether an integrity level allows the write; a refused write raises if ``loud``."""
    allowed = level is Integrity.NONE or (
        exists and level is not Integrity.FROZEN and not (define and level >= Integrity.SEALED)
    )
    if not allowed and loud:
        raise run.error(pos, "the object is frozen, sealed or not extensible")
    return allowed


def _store_object(
    run: Run,
    target: dict[Any, Any],
    key: str | JSSymbol,
    value: Any,
    pos: int,
    define: bool,
    strict: bool,
) -> None:
    null_prototype = type(target) is JSObject and target.null_prototype
    if key == "__proto__" and not define and not null_prototype:
        raise run.error(pos, "assigning __proto__ would change the prototype")
    if type(key) is JSSymbol and key not in _KEPT_SYMBOLS:
        return  # seroval keeps only these four symbol keys
    level = target.integrity if type(target) is JSObject else Integrity.NONE
    exists = key in target
    if not _writable(run, level, exists, define, define or strict, pos):
        return
    if not exists and target and type(key) is str and is_array_index(key):
        run.reorder[id(target)] = target
    target[key] = value


def _store_array(
    run: Run,
    target: list[Any],
    key: str | JSSymbol,
    value: Any,
    pos: int,
    define: bool,
    strict: bool,
) -> None:
    if type(key) is not str or not is_array_index(key):
        if key == "length":
            raise run.error(pos, "assigning an array's length is not part of seroval's output")
        return  # seroval keeps no other properties of an array
    index = int(key)
    level = target.integrity if type(target) is JSArray else Integrity.NONE
    exists = index < len(target) and target[index] is not hole
    if not _writable(run, level, exists, define, define or strict, pos):
        return
    if index >= len(target):
        run.spend(index - len(target), pos)
        target.extend([hole] * (index - len(target) + 1))
    target[index] = value


def _store_error(
    run: Run, target: JSError, key: str | JSSymbol, value: Any, pos: int, define: bool
) -> None:
    if key == "__proto__" and not define:
        raise run.error(pos, "assigning __proto__ would change the prototype")
    if type(key) is not str:
        return  # seroval reads an error's string-keyed own properties only
    if key == "message":
        if type(value) is not str:
            raise run.error(pos, "an error's message must be a string")
        target.message = value
        return
    props = target.properties
    if key == "stack" and key not in props:
        # V8 gives every error an own `stack` when it is made: assigning one later
        # keeps that first place.
        items = list(props.items())
        props.clear()
        props["stack"] = value
        props.update(items)
        return
    if key not in props and props and is_array_index(key):
        run.reorder[id(props)] = props
    props[key] = value
