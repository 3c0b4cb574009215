"""``DOMException`` and its plugin (every mode, as in seroval).

It is written ``new DOMException(message, name)`` (the node lists ``name`` first).
The Python class is an ``Exception``, so it can be raised; the plugin takes it
before the parser's own exception handling, as seroval's plugin takes the JS one
before its Error handling.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from ...protocol.model.plugins import PluginDeserializeContext, PluginSerializeContext
from .. import validators as v
from ._base import WebPlugin, call_arguments

__all__ = ["DOMException", "DOMExceptionPlugin"]


class DOMException(Exception):
    """A web platform error: a ``message`` and a ``name`` such as ``"AbortError"``."""

    def __init__(self, message: str = "", name: str = "Error") -> None:
        super().__init__(message)
        self.message: str = str(message)
        self.name: str = str(name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DOMException):
            return NotImplemented
        return (self.name, self.message) == (other.name, other.message)

    def __hash__(self) -> int:
        return hash((self.name, self.message))

    def __repr__(self) -> str:
        return f"DOMException({self.message!r}, {self.name!r})"


def _exception_call(arguments: list[Any]) -> dict[str, Any]:
    message, name = call_arguments(arguments, 2)
    return {"name": name, "message": message}


class DOMExceptionPlugin(WebPlugin):
    """``seroval-plugins/web/DOMException``: ``new DOMException(message,name)``."""

    tag = "seroval-plugins/web/DOMException"
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "name": v.string,
        "message": v.string,
    }
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new DOMException": _exception_call
    }

    def test(self, value: object) -> bool:
        return isinstance(value, DOMException)

    def fields(self, value: DOMException, mode: str) -> Mapping[str, Any]:
        return {"name": value.name, "message": value.message}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        message, name = ctx.serialize(info["message"]), ctx.serialize(info["name"])
        return "new DOMException(" + message + "," + name + ")"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> DOMException:
        message = ctx.deserialize(info["message"])
        return DOMException(message, ctx.deserialize(info["name"]))
