"""Build the Python value a recipe describes (see ``oracle/RECIPES.md``).

The oracle builds the JS value from the same recipe, so comparing what seroval
made of the JS value with what we make of this one tests the value model and the
wire format at once, with nothing expected written by hand.
"""

from __future__ import annotations

import base64
from typing import Any

from ..protocol.model.nodes import ERROR_CONSTRUCTOR_NAMES, SYMBOL_NAMES, Integrity
from ..protocol.model.references import create_reference
from ..protocol.model.stream import Stream
from ..protocol.model.values import (
    MAX_SAFE_INTEGER,
    JSAggregateError,
    JSArray,
    JSBigInt,
    JSBoxed,
    JSDataView,
    JSDate,
    JSError,
    JSErrorType,
    JSMap,
    JSObject,
    JSRegExp,
    JSSequence,
    JSSet,
    JSSymbol,
    JSTypedArray,
    OpaqueReference,
    datetime_from_ms,
    escape_regexp_source,
    hole,
    undefined,
)
from .point import Point

__all__ = ["RecipeBuilder", "RecipeError", "build", "reference_value"]

_SPECIAL_NUMBERS = {
    "NaN": float("nan"),
    "Infinity": float("inf"),
    "-Infinity": float("-inf"),
    "-0": -0.0,
}
_REFERENCES: dict[str, object] = {}


class RecipeError(ValueError):
    """A recipe that does not follow the grammar in RECIPES.md."""


def reference_value(name: str) -> object:
    """The object registered (once) under ``name`` with :func:`create_reference`."""
    value = _REFERENCES.get(name)
    if value is None:
        value = create_reference(name, _NamedReference(name))
        _REFERENCES[name] = value
    return value


class _NamedReference:
    """Stands in for the JS function a reference recipe registers."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<reference {self.name!r}>"


def js_number(value: int | float) -> int | float:
    """A JSON number from a recipe as the Python value model holds a JS number."""
    if isinstance(value, int):
        return value if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else float(value)
    if value.is_integer() and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return int(value)
    return value


def _symbol(name: str) -> JSSymbol:
    try:
        return JSSymbol(SYMBOL_NAMES.index(name))
    except ValueError:
        raise RecipeError(f"unknown well-known symbol {name!r}") from None


def build(recipe: Any) -> Any:
    """The Python value for ``recipe``."""
    return RecipeBuilder().build(recipe)


class RecipeBuilder:
    """Builds recipes; subclass it and add ``r_<kind>`` methods for more recipe kinds."""

    def __init__(self) -> None:
        self.table: dict[int, Any] = {}

    def register(self, node_id: int, value: Any) -> Any:
        if node_id in self.table:
            raise RecipeError(f"duplicate recipe id {node_id}")
        self.table[node_id] = value
        return value

    def build(self, recipe: Any) -> Any:
        if isinstance(recipe, (str, bool)) or recipe is None:
            return recipe
        if isinstance(recipe, (int, float)):
            return js_number(recipe)
        if not isinstance(recipe, list) or not recipe or not isinstance(recipe[0], str):
            raise RecipeError(f"not a recipe: {recipe!r}")
        handler = getattr(self, "r_" + recipe[0], None)
        if handler is None:
            raise RecipeError(f"unknown recipe kind {recipe[0]!r}")
        return handler(*recipe[1:])

    def r_undefined(self) -> Any:
        return undefined

    def r_number(self, name: str) -> float:
        return _SPECIAL_NUMBERS[name]

    def r_bigint(self, text: str) -> JSBigInt:
        return JSBigInt(int(text))

    def r_pyint(self, text: str) -> int:
        return int(text)

    def r_symbol(self, name: str) -> JSSymbol:
        return _symbol(name)

    def r_ref(self, node_id: int) -> Any:
        try:
            return self.table[node_id]
        except KeyError:
            raise RecipeError(f"reference to unknown recipe id {node_id}") from None

    def r_array(self, node_id: int, items: list[Any], integrity: int = 0) -> Any:
        result: list[Any] = JSArray(integrity=Integrity(integrity)) if integrity else []
        self.register(node_id, result)
        for item in items:
            result.append(hole if item == ["hole"] else self.build(item))
        return result

    def r_object(
        self, node_id: int, props: list[Any], integrity: int = 0, null_prototype: bool = False
    ) -> Any:
        result: dict[Any, Any]
        if integrity or null_prototype:
            result = JSObject(null_prototype=null_prototype, integrity=Integrity(integrity))
        else:
            result = {}
        self.register(node_id, result)
        self.fill(result, props)
        return result

    def fill(self, target: dict[Any, Any], props: list[Any]) -> None:
        for key, value in props:
            if isinstance(key, str):
                target[key] = self.build(value)
            elif isinstance(key, list) and len(key) == 2 and key[0] == "symbol":
                target[_symbol(key[1])] = self.build(value)
            else:
                raise RecipeError(f"bad property key {key!r}")

    def r_sequence(self, items: list[Any], throw_at: int, done_at: int) -> JSSequence:
        return JSSequence([self.build(item) for item in items], throw_at, done_at)

    def r_map(self, node_id: int, entries: list[Any]) -> Any:
        result: JSMap[Any, Any] = self.register(node_id, JSMap())
        for key, value in entries:
            built_key = self.build(key)
            result[built_key] = self.build(value)
        return result

    def r_set(self, node_id: int, items: list[Any]) -> Any:
        result: JSSet[Any] = self.register(node_id, JSSet())
        for item in items:
            result.add(self.build(item))
        return result

    def r_date(self, node_id: int, ms: int | float | None) -> Any:
        if ms is None:
            return self.register(node_id, JSDate(float("nan")))
        value = datetime_from_ms(int(ms))
        return self.register(node_id, value if value is not None else JSDate(ms))

    def r_regexp(self, node_id: int, source: str, flags: str) -> Any:
        return self.register(node_id, JSRegExp(escape_regexp_source(source), flags))

    def r_error(self, node_id: int, constructor: str, message: str, props: list[Any]) -> Any:
        kind = JSErrorType(ERROR_CONSTRUCTOR_NAMES.index(constructor))
        error = self.register(node_id, JSError(message, type=kind))
        self.fill(error.properties, props)
        return error

    def r_aggregate(self, node_id: int, errors: list[Any], message: str, props: list[Any]) -> Any:
        error = self.register(node_id, JSAggregateError([], message))
        error.properties["errors"].extend(self.build(item) for item in errors)
        self.fill(error.properties, props)
        return error

    def r_boxed(self, node_id: int, value: Any) -> Any:
        return self.register(node_id, JSBoxed(self.build(value)))

    def r_arraybuffer(self, node_id: int, data: str) -> Any:
        return self.register(node_id, bytearray(base64.b64decode(data)))

    def r_typedarray(
        self, node_id: int, kind: str, buffer: Any, byte_offset: int, length: int
    ) -> Any:
        return self.register(node_id, JSTypedArray(kind, self.build(buffer), byte_offset, length))

    def r_dataview(self, node_id: int, buffer: Any, byte_offset: int, byte_length: int) -> Any:
        return self.register(node_id, JSDataView(self.build(buffer), byte_offset, byte_length))

    def r_reference(self, node_id: int, name: str) -> Any:
        return self.register(node_id, reference_value(name))

    def r_opaque(self, node_id: int, replacement: Any) -> Any:
        opaque = self.register(node_id, OpaqueReference({"hidden": True}))
        opaque.replacement = self.build(replacement)
        return opaque

    def r_stream(self, node_id: int, events: list[Any]) -> Any:
        stream = self.register(node_id, Stream())
        for kind, value in events:
            method = {"next": stream.next, "throw": stream.throw, "return": stream.return_}[kind]
            method(self.build(value))
        return stream

    def r_point(self, node_id: int, x: Any, y: Any) -> Any:
        point = self.register(node_id, Point(undefined, undefined))
        point.x = self.build(x)
        point.y = self.build(y)
        return point
