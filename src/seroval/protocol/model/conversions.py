"""JS truthiness and ``String(value)`` for the values the writers meet."""

from __future__ import annotations

from typing import TypeVar

from .primitives import JSBigInt, undefined

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


def js_truthy(value: object) -> bool:
    """JS truthiness: 0, -0, NaN, "", null, undefined and false are falsy."""
    if value is None or value is undefined or value is False:
        return False
    if isinstance(value, (int, float)):
        return value == value and value != 0
    if isinstance(value, str):
        return value != ""
    return True


def js_to_string(value: object) -> str:
    """JS ``String(value)`` for primitives; ``TypeError`` for anything else."""
    from .strings import js_number

    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is undefined:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, JSBigInt):
        return str(int(value))
    if isinstance(value, (int, float)):
        return js_number(value)
    raise TypeError(f"cannot convert {type(value).__name__} to a JS string here")
