"""``Event`` and ``CustomEvent``, and their plugins (every mode, as in seroval).

An event is written as its type and its flags, ``new Event("click",{bubbles:!0,
cancelable:!1,composed:!1})``; a CustomEvent adds its ``detail`` first.  As in JS a
CustomEvent is an Event, so with only ``EventPlugin`` listed it is written as a
plain Event (:data:`~seroval.plugins.web.ALL` lists ``CustomEventPlugin`` first).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Final

from ...protocol.model.plugins import PluginDeserializeContext, PluginSerializeContext
from .. import validators as v
from ._base import WebPlugin, call_arguments, option
from .url import _usv

__all__ = ["CustomEvent", "CustomEventPlugin", "Event", "EventPlugin"]


class Event:
    """A DOM event as it is sent: a type and three flags."""

    __slots__ = ("bubbles", "cancelable", "composed", "type")

    def __init__(
        self, type: str, *, bubbles: bool = False, cancelable: bool = False, composed: bool = False
    ) -> None:
        self.type: str = _usv(str(type))
        self.bubbles: bool = bool(bubbles)
        self.cancelable: bool = bool(cancelable)
        self.composed: bool = bool(composed)

    def _flags(self) -> dict[str, bool]:
        return {"bubbles": self.bubbles, "cancelable": self.cancelable, "composed": self.composed}

    def _key(self) -> tuple[Any, ...]:
        return (type(self), self.type, self.bubbles, self.cancelable, self.composed)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Event) and other._key() == self._key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        flags = ", ".join(f"{key}={value}" for key, value in self._flags().items())
        return f"{type(self).__name__}({self.type!r}, {flags})"


class CustomEvent(Event):
    """An :class:`Event` carrying any value as its ``detail`` (default ``None``, JS null)."""

    __slots__ = ("detail",)

    def __init__(
        self,
        type: str,
        *,
        detail: Any = None,
        bubbles: bool = False,
        cancelable: bool = False,
        composed: bool = False,
    ) -> None:
        super().__init__(type, bubbles=bubbles, cancelable=cancelable, composed=composed)
        self.detail = detail

    def _key(self) -> tuple[Any, ...]:
        return (*super()._key(), self.detail)


_FLAGS: Final = {
    "bubbles": v.optional(v.boolean),
    "cancelable": v.optional(v.boolean),
    "composed": v.optional(v.boolean),
}


def _event_call(arguments: list[Any]) -> dict[str, Any]:
    kind, options = call_arguments(arguments, 2)
    return {"type": kind, "options": options}


def _flags(options: Any) -> dict[str, bool]:
    return {name: option(options, name, False) for name in _FLAGS}


class EventPlugin(WebPlugin):
    """``seroval-plugins/web/Event``: ``new Event(type,{bubbles,cancelable,composed})``."""

    tag = "seroval-plugins/web/Event"
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "type": v.string,
        "options": v.object_of(_FLAGS),
    }
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new Event": _event_call
    }

    def test(self, value: object) -> bool:
        return isinstance(value, Event)

    def fields(self, value: Event, mode: str) -> Mapping[str, Any]:
        return {"type": value.type, "options": value._flags()}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return (
            "new Event(" + ctx.serialize(info["type"]) + "," + ctx.serialize(info["options"]) + ")"
        )

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Event:
        kind = ctx.deserialize(info["type"])
        return Event(kind, **_flags(ctx.deserialize(info["options"])))


class CustomEventPlugin(WebPlugin):
    """``seroval-plugins/web/CustomEvent``: ``new CustomEvent(type,{detail,bubbles,...})``."""

    tag = "seroval-plugins/web/CustomEvent"
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "type": v.string,
        "options": v.object_of(_FLAGS),
    }
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new CustomEvent": _event_call
    }

    def test(self, value: object) -> bool:
        return isinstance(value, CustomEvent)

    def fields(self, value: CustomEvent, mode: str) -> Mapping[str, Any]:
        return {"type": value.type, "options": {"detail": value.detail, **value._flags()}}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        kind, options = ctx.serialize(info["type"]), ctx.serialize(info["options"])
        return "new CustomEvent(" + kind + "," + options + ")"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> CustomEvent:
        kind = ctx.deserialize(info["type"])
        options = ctx.deserialize(info["options"])
        return CustomEvent(kind, detail=option(options, "detail", None), **_flags(options))
