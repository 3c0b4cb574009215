"""Readable views of decoded values: a Python view and a plain-JSON view.

Both show sharing and cycles instead of repeating or looping: a value met again is
shown as a reference to where it was first shown.  The plain-JSON view tags every
JS type JSON lacks (``{"$type": "Map", ...}``) so nothing is lost silently.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from ..protocol.model.stream import Stream
from ..protocol.model.values import (
    JSBigInt,
    JSBoxed,
    JSDataView,
    JSDate,
    JSError,
    JSMap,
    JSObject,
    JSPromise,
    JSRegExp,
    JSSequence,
    JSSet,
    JSSymbol,
    JSTemporal,
    JSTypedArray,
    Undefined,
    hole,
)

__all__ = ["plain_json", "python_view"]

_PRIMITIVES = (str, int, float, bool, type(None), Undefined, JSBigInt)


def _path_text(path: list[str | int]) -> str:
    return "$" + "".join(f"[{step!r}]" for step in path)


def python_view(value: Any, indent: int = 2) -> str:
    """A pretty, Python-like rendering; a repeated or cyclic value prints as ``<ref $…>``."""
    seen: dict[int, list[str | int]] = {}
    lines: list[str] = []

    def render(item: Any, path: list[str | int], level: int) -> str:
        if isinstance(item, _PRIMITIVES) or item is hole:
            return repr(item)
        if id(item) in seen:
            return f"<ref {_path_text(seen[id(item)])}>"
        seen[id(item)] = path
        pad = " " * (indent * (level + 1))
        end = " " * (indent * level)
        children = list(_children(item))
        if children is None or not children:
            return repr(item) if not isinstance(item, (dict, list, JSMap, JSSet)) else _empty(item)
        opening, closing = _brackets(item)
        rendered = [
            f"{label}{render(child, [*path, key], level + 1)}" for key, label, child in children
        ]
        one_line = opening + ", ".join(rendered) + closing
        if len(one_line) + len(pad) <= 88 and "\n" not in one_line:
            return one_line
        parts = [f"{pad}{part}," for part in rendered]
        return opening + "\n" + "\n".join(parts) + "\n" + end + closing

    lines.append(render(value, [], 0))
    return "\n".join(lines)


def _brackets(item: Any) -> tuple[str, str]:
    if isinstance(item, JSMap):
        return "JSMap({", "})"
    if isinstance(item, JSSet):
        return "JSSet([", "])"
    if isinstance(item, JSObject):
        flags = []
        if item.null_prototype:
            flags.append("null_prototype")
        if item.integrity:
            flags.append(item.integrity.name.lower())
        return f"JSObject[{', '.join(flags)}]({{", "})"
    if isinstance(item, dict):
        return "{", "}"
    if isinstance(item, JSError):
        return f"{type(item).__name__}({item.message!r}, type={item.type.name}, {{", "})"
    if isinstance(item, JSSequence):
        return f"JSSequence(throw_at={item.throw_at}, done_at={item.done_at}, [", "])"
    return "[", "]"


def _empty(item: Any) -> str:
    opening, closing = _brackets(item)
    return opening + closing


def _children(item: Any) -> Iterator[tuple[Any, str, Any]]:
    """(path key, label, child) for the containers a view descends into."""
    if isinstance(item, JSMap):
        for index, (key, child) in enumerate(item.entries()):
            yield index, f"{key!r}: " if isinstance(key, _PRIMITIVES) else f"<key {index}>: ", child
    elif isinstance(item, dict):
        for key, child in item.items():
            yield key, f"{key!r}: ", child
    elif isinstance(item, (list, tuple, JSSet)):
        for index, child in enumerate(item):
            yield index, "", child
    elif isinstance(item, JSError):
        for key, child in item.properties.items():
            yield key, f"{key!r}: ", child
    elif isinstance(item, JSSequence):
        for index, child in enumerate(item.values):
            yield index, "", child


def plain_json(value: Any) -> Any:
    """The value as plain JSON data, JS types tagged with ``$type``, repeats as ``$ref``."""
    seen: dict[int, str] = {}

    def convert(item: Any, path: str) -> Any:
        if item is None or isinstance(item, (bool, str)):
            return item
        if isinstance(item, JSBigInt):
            return {"$type": "BigInt", "value": str(int(item))}
        if isinstance(item, int):
            return item if abs(item) <= 2**53 - 1 else {"$type": "BigInt", "value": str(item)}
        if isinstance(item, float):
            if math.isnan(item) or math.isinf(item) or (item == 0 and math.copysign(1, item) < 0):
                return {"$type": "Number", "value": repr(item)}
            return item
        if isinstance(item, Undefined):
            return {"$type": "undefined"}
        if item is hole:
            return {"$type": "hole"}
        if isinstance(item, JSSymbol):
            return {"$type": "Symbol", "name": item.js_name}
        if id(item) in seen:
            return {"$ref": seen[id(item)]}
        seen[id(item)] = path
        return _convert_object(item, path, convert)

    return convert(value, "$")


def _convert_object(item: Any, path: str, convert: Any) -> Any:
    if isinstance(item, JSMap):
        return {
            "$type": "Map",
            "entries": [
                [convert(k, f"{path}.entries[{i}][0]"), convert(v, f"{path}.entries[{i}][1]")]
                for i, (k, v) in enumerate(item.entries())
            ],
        }
    if isinstance(item, JSSet):
        return {
            "$type": "Set",
            "items": [convert(v, f"{path}.items[{i}]") for i, v in enumerate(item)],
        }
    if isinstance(item, dict):
        out = {
            str(k) if isinstance(k, str) else f"[{k!r}]": convert(v, f"{path}[{k!r}]")
            for k, v in item.items()
        }
        if isinstance(item, JSObject) and (item.null_prototype or item.integrity):
            return {
                "$type": "Object",
                "null_prototype": item.null_prototype,
                "integrity": item.integrity.name,
                "properties": out,
            }
        return out
    if isinstance(item, (list, tuple)):
        return [convert(v, f"{path}[{i}]") for i, v in enumerate(item)]
    if isinstance(item, datetime):
        return {"$type": "Date", "iso": item.isoformat()}
    if isinstance(item, JSDate):
        return {"$type": "Date", "iso": item.iso() or None}
    if isinstance(item, JSRegExp):
        return {"$type": "RegExp", "source": item.source, "flags": item.flags}
    if isinstance(item, JSError):
        return {
            "$type": type(item).__name__,
            "constructor": item.type.js_name,
            "message": item.message,
            "properties": {
                str(k): convert(v, f"{path}.properties[{k!r}]") for k, v in item.properties.items()
            },
        }
    if isinstance(item, (bytes, bytearray)):
        kind = "ArrayBuffer" if isinstance(item, bytearray) else "bytes"
        return {"$type": kind, "base64": base64.b64encode(item).decode("ascii")}
    if isinstance(item, JSTypedArray):
        return {
            "$type": item.kind,
            "values": [str(v) if item.is_bigint else v for v in item.tolist()],
        }
    if isinstance(item, JSDataView):
        return {"$type": "DataView", "base64": base64.b64encode(item.tobytes()).decode("ascii")}
    if isinstance(item, JSBoxed):
        return {"$type": "Boxed", "value": convert(item.value, f"{path}.value")}
    if isinstance(item, JSSequence):
        return {
            "$type": "JSSequence",
            "values": [convert(v, f"{path}.values[{i}]") for i, v in enumerate(item.values)],
            "throw_at": item.throw_at,
            "done_at": item.done_at,
        }
    if isinstance(item, JSTemporal):
        return {"$type": f"Temporal.{item.type.js_name}", "text": item.text}
    if isinstance(item, (date, time, timedelta)):
        return {"$type": type(item).__name__, "text": str(item)}
    if isinstance(item, JSPromise):
        return {
            "$type": "Promise",
            "status": item.status,
            "value": convert(item.value, f"{path}.value"),
        }
    if isinstance(item, Stream):
        return {"$type": "Stream", "state": repr(item)}
    return {"$type": type(item).__name__, "repr": repr(item)}
