"""What the Python-type plugins share: the ``SerovalPython`` JS namespace and class registries.

Every plugin here writes JS text that calls a constructor of the ``SerovalPython``
namespace (``new SerovalPython.Decimal("1.5")``), which the companion npm package
``js/seroval-python-types`` installs as a global, so text that Python writes runs
in a browser that loaded the package; the JS text reader accepts exactly those calls.

Enum, dataclass and pydantic plugins carry *named* types: the wire holds a type
name, not a module path, so a payload can only ever build a class the application
registered.  :class:`ClassRegistry` keeps that name <-> class table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from ...protocol.errors import SerovalPluginValidationError
from ...protocol.model.plugins import PluginSerializeContext
from ..web._base import call_arguments

__all__ = ["NAMESPACE", "ClassRegistry", "js_call", "js_new", "refuse"]

NAMESPACE: Final = "SerovalPython"
"""The JS global whose constructors the plugins' JS text calls."""


def js_new(
    name: str, info: Mapping[str, Any], fields: Iterable[str], ctx: PluginSerializeContext
) -> str:
    """``new SerovalPython.<name>(field, ...)``: each listed field's node as JS text."""
    arguments = ",".join(ctx.serialize(info[field]) for field in fields)
    return f"new {NAMESPACE}.{name}({arguments})"


def js_call(name: str, *fields: str) -> dict[str, Callable[[list[Any]], Mapping[str, Any]]]:
    """The ``js_calls`` entry that reads :func:`js_new`'s text back into named fields."""

    def read(arguments: list[Any]) -> Mapping[str, Any]:
        return dict(zip(fields, call_arguments(arguments, len(fields)), strict=True))

    return {f"new {NAMESPACE}.{name}": read}


def refuse(tag: str, field: str, message: str) -> SerovalPluginValidationError:
    """The error for a plugin node whose content cannot become the Python value."""
    return SerovalPluginValidationError(f"{tag}: {message}", tag, field)


class ClassRegistry:
    """Registered classes by their wire name, and back.

    Built from classes (named by ``__name__``) and/or a mapping of wire names to
    classes, for when two classes share a ``__name__`` or a name must outlive a
    rename.  ``check`` vets each class (raising ``TypeError`` with the reason).
    """

    __slots__ = ("_by_class", "_by_name", "kind")

    def __init__(
        self,
        kind: str,
        classes: Iterable[type | Mapping[str, type]],
        check: Callable[[type], None],
    ) -> None:
        self.kind = kind
        self._by_name: dict[str, type] = {}
        self._by_class: dict[type, str] = {}
        for entry in classes:
            pairs = entry.items() if isinstance(entry, Mapping) else [(entry.__name__, entry)]
            for name, cls in pairs:
                self._add(name, cls, check)
        if not self._by_name:
            raise TypeError(f"a {kind} plugin needs at least one class to carry")

    def _add(self, name: str, cls: type, check: Callable[[type], None]) -> None:
        if not isinstance(cls, type):
            raise TypeError(f"{cls!r} is not a class")
        if not isinstance(name, str) or not name:
            raise TypeError(f"a {self.kind} name must be a non-empty str, not {name!r}")
        check(cls)
        if self._by_name.get(name, cls) is not cls:
            raise TypeError(f"two {self.kind} classes are both named {name!r}; pass a mapping")
        if self._by_class.get(cls, name) != name:
            raise TypeError(f"{cls.__qualname__} is registered under two names")
        self._by_name[name] = cls
        self._by_class[cls] = name

    def name_of(self, value: object) -> str | None:
        """The wire name of ``value``'s exact class, or ``None`` if it is not registered."""
        return self._by_class.get(type(value))

    def class_for(self, name: object, tag: str) -> type:
        """The class registered as ``name``; a validation error names what is known."""
        cls = self._by_name.get(name) if isinstance(name, str) else None
        if cls is None:
            known = ", ".join(sorted(self._by_name))
            raise refuse(tag, "type", f"no {self.kind} is registered as {name!r} (known: {known})")
        return cls

    def classes(self) -> tuple[type, ...]:
        return tuple(self._by_class)
