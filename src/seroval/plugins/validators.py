"""Field validators for ``Plugin.validate``: seroval's ``v`` namespace, for Python values.

Each function returns a predicate over a value read from the wire, with the meaning
seroval's validator gives the JS value it stands for: ``string`` is a JS string
(``str``), ``number`` a JS number (``int`` or ``float``, never ``bool``), ``object``
anything that is not a primitive.  Readers raise ``SerovalPluginValidationError``
when a declared field fails its check, before the plugin's ``deserialize`` uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from ..protocol.model.values import JSBigInt, JSError, JSSymbol, Undefined, undefined

__all__ = [
    "Validator",
    "array",
    "bigint",
    "boolean",
    "instance_of",
    "is_js_object",
    "js_get",
    "number",
    "object_of",
    "optional",
    "string",
    "union",
]

Validator = Callable[[Any], bool]

_PRIMITIVES: Final = (str, int, float, bool, JSBigInt, JSSymbol, Undefined, type(None))


def string(value: object) -> bool:
    """``typeof value === "string"``."""
    return type(value) is str


def number(value: object) -> bool:
    """``typeof value === "number"`` (NaN and the infinities included)."""
    return type(value) is int or type(value) is float


def boolean(value: object) -> bool:
    """``typeof value === "boolean"``."""
    return type(value) is bool


def bigint(value: object) -> bool:
    """``typeof value === "bigint"``."""
    return type(value) is JSBigInt


def instance_of(*classes: type) -> Validator:
    """``value instanceof C`` for any of ``classes``."""
    return lambda value: isinstance(value, classes)


def union(*validators: Validator) -> Validator:
    """Any of ``validators`` accepts the value."""
    return lambda value: any(check(value) for check in validators)


def optional(validator: Validator) -> Validator:
    """``undefined``, or what ``validator`` accepts."""
    return lambda value: value is undefined or validator(value)


def array(item: Validator) -> Validator:
    """A JS array whose every item passes ``item``."""
    return lambda value: isinstance(value, list) and all(item(entry) for entry in value)


def is_js_object(value: object) -> bool:
    """``value != null && typeof value === "object"``: anything but a primitive."""
    return not isinstance(value, _PRIMITIVES) and not callable(value)


def js_get(value: object, key: str) -> Any:
    """``Reflect.get(value, key)`` for the own data properties our values have."""
    if isinstance(value, Mapping):
        return value.get(key, undefined)
    if isinstance(value, JSError):
        return value.message if key == "message" else value.properties.get(key, undefined)
    return undefined


def object_of(shape: Mapping[str, Validator]) -> Validator:
    """A JS object whose listed keys pass their validators (other keys are not checked)."""
    checks = tuple(shape.items())
    return lambda value: (
        is_js_object(value) and all(check(js_get(value, key)) for key, check in checks)
    )
