"""Dataclass instances and pydantic models of registered classes: a type name and its fields.

Both are written as ``{type: name, fields: {field: value, ...}}`` with the fields
as a plain JS object, each value written as seroval writes it (so a ``datetime``
field stays a Date, a nested registered dataclass stays a dataclass, and shared
or cyclic values stay shared).  A reader builds only the classes it registered.

* A dataclass is rebuilt by calling the class with its ``init`` fields (defaults
  and ``__post_init__`` apply), then setting the others, as ``copy.replace``
  would; unknown fields are refused.
* A pydantic model goes through ``model_validate``, so a payload gets the same
  checks a request body would; the fields written are the declared ones plus any
  extras the model allows (``model_fields`` and ``__pydantic_extra__``).

Importing this module never imports pydantic: :class:`PydanticPlugin` imports it
when it is created, and the user's models imply it is installed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from ...protocol.errors import SerovalError
from ...protocol.model.plugins import Plugin, PluginDeserializeContext, PluginSerializeContext
from .. import validators as v
from ._base import ClassRegistry, js_call, js_new, refuse

__all__ = ["DataclassPlugin", "PydanticPlugin"]

_Calls = Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]
_VALIDATE: Mapping[str, Callable[[Any], bool]] = {
    "type": v.string,
    "fields": v.instance_of(Mapping),
}


def _check_dataclass(cls: type) -> None:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__qualname__} is not a dataclass")


class _RecordPlugin(Plugin):
    """A named class written as its type name and a plain object of fields."""

    skip_plain_objects: ClassVar[bool] = True
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = _VALIDATE
    js_name: ClassVar[str]
    registry: ClassRegistry

    def test(self, value: object) -> bool:
        return not isinstance(value, type) and self.registry.name_of(value) is not None

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        return {"type": self.registry.name_of(value), "fields": self.record(value)}

    def record(self, value: Any) -> dict[str, Any]:
        raise NotImplementedError

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return js_new(self.js_name, info, ("type", "fields"), ctx)

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Any:
        cls = self.registry.class_for(ctx.deserialize(info["type"]), self.tag)
        record = ctx.deserialize(info["fields"])
        try:
            return self.build(cls, dict(record))
        except SerovalError:
            raise
        except Exception as error:  # the class's own checks refused the fields
            message = f"{type(error).__name__}: {error}"
            raise refuse(
                self.tag, "fields", f"{cls.__qualname__} refused its fields: {message}"
            ) from error

    def build(self, cls: Any, record: dict[str, Any]) -> Any:
        raise NotImplementedError


class DataclassPlugin(_RecordPlugin):
    """Instances of the given dataclasses; tag ``seroval-python/Dataclass``.

    ``DataclassPlugin(Point, {"User": accounts.User})``: classes are named by
    ``__name__`` unless a mapping names them.  Only exact classes match (register
    a subclass too if it is sent).
    """

    tag = "seroval-python/Dataclass"
    js_name = "Dataclass"
    js_calls: ClassVar[_Calls] = js_call("Dataclass", "type", "fields")

    def __init__(self, *classes: type | Mapping[str, type]) -> None:
        self.registry = ClassRegistry("dataclass", classes, _check_dataclass)

    def record(self, value: Any) -> dict[str, Any]:
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}

    def build(self, cls: Any, record: dict[str, Any]) -> Any:
        known = {field.name: field for field in dataclasses.fields(cls)}
        unknown = sorted(set(record) - set(known))
        if unknown:
            raise refuse(self.tag, "fields", f"{cls.__qualname__} has no field(s) {unknown}")
        init = {name: record.pop(name) for name in list(record) if known[name].init}
        instance = cls(**init)
        for name, value in record.items():
            object.__setattr__(instance, name, value)  # frozen dataclasses too
        return instance


class PydanticPlugin(_RecordPlugin):
    """Instances of the given pydantic models; tag ``seroval-python/Model``.

    Reading validates the fields with ``model_validate``, so the model's own
    rules decide what a payload may hold.
    """

    tag = "seroval-python/Model"
    js_name = "Model"
    js_calls: ClassVar[_Calls] = js_call("Model", "type", "fields")

    def __init__(self, *classes: type | Mapping[str, type]) -> None:
        import pydantic

        def check(cls: type) -> None:
            if not issubclass(cls, pydantic.BaseModel):
                raise TypeError(f"{cls.__qualname__} is not a pydantic model")

        self.registry = ClassRegistry("pydantic model", classes, check)

    def record(self, value: Any) -> dict[str, Any]:
        record = {name: getattr(value, name) for name in type(value).model_fields}
        record.update(value.__pydantic_extra__ or {})
        return record

    def build(self, cls: Any, record: dict[str, Any]) -> Any:
        return cls.model_validate(record)
