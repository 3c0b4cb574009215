"""How the JS writer spells things: variable names, numbers, keys and deferred assignments.

These are the small, pure pieces of seroval's serializer whose exact output
matters most (name order, ``h.a=h.b=V`` chains, where a key needs quotes), kept
apart from the walk so they can be tested on their own.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

from ..model.strings import KEY_OTHER, js_number, key_kind

__all__ = [
    "ADD",
    "DELETE",
    "INDEX",
    "PROTO",
    "SET",
    "Assignment",
    "cached_key_kind",
    "identifier",
    "number_text",
    "property_prefix",
    "resolve_assignments",
]

_REF_START: Final = "hjkmoquxzABCDEFGHIJKLNPQRTUVWXYZ$_"
_REF_REST: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$_"


def _spell(index: int) -> str:
    name = _REF_START[index % 34]
    index //= 34
    while index > 0:
        name += _REF_REST[index % 64]
        index //= 64
    return name


_SHORT_NAMES: Final = tuple(_spell(index) for index in range(34 * 64))


def identifier(index: int) -> str:
    """Vanilla variable name number ``index``: ``h, j, k, …, _, hb, jb, …``.

    The first character avoids ``M``, ``O`` and ``S`` (so as not to shadow Map,
    Object, Set and Symbol); the rest are base-64 digits, least significant first.
    """
    return _SHORT_NAMES[index] if index < 34 * 64 else _spell(index)


# -- deferred assignments ---------------------------------------------------------------

# An assignment is (kind, target, key, value).  Kinds, as seroval numbers them:
INDEX: Final = 0  # target=value       (target is "h.x", "h[1]", 'h["a-b"]', "h.v[2]")
ADD: Final = 1  # target.add(value)
SET: Final = 2  # target.set(key,value)
DELETE: Final = 3  # target.delete(key)
PROTO: Final = 4  # Object.defineProperty(target,"__proto__",{value:key,...})

Assignment = tuple[int, str, str, str]
_CHAIN_LIMIT: Final = 100


def _assignment_text(kind: int, target: str, key: str, value: str) -> str:
    if kind == INDEX:
        return target + "=" + value
    if kind == SET:
        return target + ".set(" + key + "," + value + ")"
    if kind == ADD:
        return target + ".add(" + value + ")"
    if kind == DELETE:
        return target + ".delete(" + key + ")"
    return (
        "Object.defineProperty("
        + target
        + ',"__proto__",{value:'
        + key
        + ",configurable:!0,enumerable:!0,writable:!0})"
    )


def resolve_assignments(assignments: list[Assignment], chain_values: bool = True) -> str:
    """Merge queued assignments into ``expr,expr,…,`` text (empty when there are none).

    Consecutive index assignments of the same value chain as ``a.y=a.x=V`` (only
    when ``chain_values``), and consecutive ``set``/``add`` calls (and a ``delete``
    after a ``set``) on the same target chain as method calls.  A chain is cut after
    100 merged assignments.
    """
    if not assignments:
        return ""
    parts: list[str] = []
    previous = assignments[0]
    expression = _assignment_text(*previous)
    chain = 1
    for index in range(1, len(assignments)):
        current = assignments[index]
        kind, target, key, value = current
        before = previous[0]
        if chain == _CHAIN_LIMIT:
            parts.append(expression)
            expression = _assignment_text(*current)
            chain = 0
        elif chain_values and kind == INDEX and before == INDEX and value == previous[3]:
            expression = target + "=" + expression
        elif kind == SET and before == SET and target == previous[1]:
            expression += ".set(" + key + "," + value + ")"
        elif kind == ADD and before == ADD and target == previous[1]:
            expression += ".add(" + value + ")"
        elif kind == DELETE and before == SET and target == previous[1]:
            expression += ".delete(" + key + ")"
        else:
            parts.append(expression)
            expression = _assignment_text(*current)
            chain = 0
        chain += 1
        previous = current
    parts.append(expression)
    parts.append("")
    return ",".join(parts)


# -- numbers and keys ----------------------------------------------------------------

_SAFE: Final = 2**53 - 1


def number_text(value: Any) -> str:
    """JS ``"" + n`` for a number field (ids, offsets, lengths, Number nodes)."""
    if type(value) is int and -_SAFE <= value <= _SAFE:
        return str(value)
    if value is None:
        return "undefined"
    return js_number(value)


@lru_cache(maxsize=8192)
def property_prefix(key: str) -> str:
    """``key:`` as seroval writes an (already escaped) string key in an object literal."""
    if key == "__proto__":
        return '["__proto__"]:'
    if cached_key_kind(key) == KEY_OTHER:
        return '"' + key + '":'
    return key + ":"


@lru_cache(maxsize=8192)
def cached_key_kind(key: str) -> int:
    return key_kind(key)
