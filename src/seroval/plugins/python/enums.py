"""``Enum`` and ``Flag`` members of registered classes, by class name and value.

The wire holds the class's registered name, the member's ``name`` and its
``value``.  An Enum member is found by name (a value such as a tuple comes back
as a list, so it cannot always find its member), and by value when the name is
unknown, so JS code can build members from either.  A Flag is found by value
(``Perm(5)``), so a combination with no name of its own (``Perm.R | Perm.X``)
reads back too; it carries the names of the members it combines, for JS code.

``IntEnum``, ``StrEnum`` and ``IntFlag`` members *are* ints and strings: seroval
writes primitives before it asks any plugin, so they go out as their plain value
(JS reads a number or a string).  The plugins refuse to register such a class
rather than promise a round trip they cannot give.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from ...protocol.model.plugins import Plugin, PluginDeserializeContext, PluginSerializeContext
from ...protocol.model.values import JSBigInt
from .. import validators as v
from ._base import ClassRegistry, js_call, js_new, refuse

__all__ = ["EnumPlugin", "FlagPlugin"]

_Calls = Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]


def _check(base: type[enum.Enum], kind: str) -> Callable[[type], None]:
    def check(cls: type) -> None:
        if not issubclass(cls, base):
            raise TypeError(f"{cls.__qualname__} is not an {kind} class")
        if issubclass(cls, (int, str)):
            raise TypeError(
                f"{cls.__qualname__} members are {'ints' if issubclass(cls, int) else 'strs'}"
                " and are written as their plain value; only pure Enum/Flag classes need a plugin"
            )
        if kind == "Enum" and issubclass(cls, enum.Flag):
            raise TypeError(f"{cls.__qualname__} is a Flag: register it with FlagPlugin")

    return check


def _member(cls: type, value: Any, tag: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        raise refuse(tag, "value", f"{value!r} is not a value of {cls.__qualname__}") from None


class _MemberPlugin(Plugin):
    """Members of registered classes of one enum kind, written with ``fields`` in order."""

    skip_plain_objects: ClassVar[bool] = True
    js_name: ClassVar[str]
    wire_fields: ClassVar[tuple[str, ...]]
    registry: ClassRegistry

    def test(self, value: object) -> bool:
        return self.registry.name_of(value) is not None

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return js_new(self.js_name, info, self.wire_fields, ctx)


class EnumPlugin(_MemberPlugin):
    """Members of the given ``Enum`` classes; tag ``seroval-python/Enum``.

    Fields: ``type`` (the registered name), ``name`` (the member's) and ``value``.
    ``EnumPlugin(Color, {"Size": ShirtSize})``.
    """

    tag = "seroval-python/Enum"
    js_name = "Enum"
    wire_fields = ("type", "name", "value")
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "type": v.string,
        "name": v.optional(v.string),
    }
    js_calls: ClassVar[_Calls] = js_call("Enum", *wire_fields)

    def __init__(self, *classes: type[enum.Enum] | Mapping[str, type[enum.Enum]]) -> None:
        self.registry = ClassRegistry("Enum", classes, _check(enum.Enum, "Enum"))

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        return {"type": self.registry.name_of(value), "name": value.name, "value": value.value}

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> enum.Enum:
        cls = self.registry.class_for(ctx.deserialize(info["type"]), self.tag)
        name = ctx.deserialize(info["name"])
        value = ctx.deserialize(info["value"])
        members: Mapping[str, enum.Enum] = getattr(cls, "__members__", {})
        member = members.get(name) if isinstance(name, str) else None
        result: enum.Enum = member if member is not None else _member(cls, value, self.tag)
        return result


class FlagPlugin(_MemberPlugin):
    """Members and combinations of the given ``Flag`` classes; tag ``seroval-python/Flag``.

    Fields: ``type`` (the registered name), ``value`` (the int) and ``names`` (the
    names of the canonical members it combines, in definition order).
    """

    tag = "seroval-python/Flag"
    js_name = "Flag"
    wire_fields = ("type", "value", "names")
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "type": v.string,
        "value": v.union(v.number, v.bigint),
        "names": v.array(v.string),
    }
    js_calls: ClassVar[_Calls] = js_call("Flag", *wire_fields)

    def __init__(self, *classes: type[enum.Flag] | Mapping[str, type[enum.Flag]]) -> None:
        self.registry = ClassRegistry("Flag", classes, _check(enum.Flag, "Flag"))

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        names = [member.name for member in type(value) if member in value]
        return {"type": self.registry.name_of(value), "value": value.value, "names": names}

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> enum.Flag:
        cls = self.registry.class_for(ctx.deserialize(info["type"]), self.tag)
        value = ctx.deserialize(info["value"])
        if type(value) is JSBigInt:  # a value past 2**53 travels as a BigInt
            value = int(value)
        if type(value) is not int:
            raise refuse(self.tag, "value", f"a Flag value is an integer, not {value!r}")
        result: enum.Flag = _member(cls, value, self.tag)
        return result
