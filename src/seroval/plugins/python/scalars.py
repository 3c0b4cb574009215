"""``Decimal``, ``UUID`` and ``pathlib`` paths: values that are one string on the wire.

Each keeps the text Python prints for it, which is also what parses back to the
same value: ``str(Decimal)`` keeps the exponent and sign (``Decimal("1.50")``
stays ``1.50``, ``-0`` stays ``-0``, ``NaN`` and ``Infinity`` are allowed),
``str(UUID)`` is the canonical lowercase hyphenated form, and a path is its
``str`` with its flavour (POSIX or Windows) and whether it was a pure path.
JS reads them as the ``SerovalPython.Decimal`` / ``UUID`` / ``Path`` classes of
``js/seroval-python-types``, which keep the same fields.
"""

from __future__ import annotations

import decimal
import os
import pathlib
import uuid
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from ...protocol.model.plugins import PluginDeserializeContext, PluginSerializeContext
from .. import validators as v
from ..web._base import WebPlugin
from ._base import js_call, js_new, refuse

__all__ = ["DecimalPlugin", "PathPlugin", "UUIDPlugin"]

_Calls = Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]


class _TextPlugin(WebPlugin):
    """A type written as one string, ``{value: str(x)}``, read back by :meth:`read`."""

    kind: ClassVar[type]
    js_name: ClassVar[str]
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {"value": v.string}

    def test(self, value: object) -> bool:
        return isinstance(value, self.kind)

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        return {"value": str(value)}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return js_new(self.js_name, info, ("value",), ctx)

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Any:
        text = ctx.deserialize(info["value"])
        try:
            return self.read(text)
        except (ValueError, ArithmeticError):  # decimal.InvalidOperation is the latter
            what = "a decimal number" if self.kind is decimal.Decimal else "a UUID"
            raise refuse(self.tag, "value", f"{text[:80]!r} is not {what}") from None

    def read(self, text: str) -> Any:
        raise NotImplementedError


class DecimalPlugin(_TextPlugin):
    """``decimal.Decimal`` as ``{value: str(d)}``; tag ``seroval-python/Decimal``."""

    tag = "seroval-python/Decimal"
    kind = decimal.Decimal
    js_name = "Decimal"
    js_calls: ClassVar[_Calls] = js_call("Decimal", "value")

    def read(self, text: str) -> decimal.Decimal:
        # The caller's context may not trap bad text (it would read as NaN).
        with decimal.localcontext() as context:
            context.traps[decimal.InvalidOperation] = True
            return decimal.Decimal(text)


class UUIDPlugin(_TextPlugin):
    """``uuid.UUID`` as ``{value: str(u)}``; tag ``seroval-python/UUID``."""

    tag = "seroval-python/UUID"
    kind = uuid.UUID
    js_name = "UUID"
    js_calls: ClassVar[_Calls] = js_call("UUID", "value")

    def read(self, text: str) -> uuid.UUID:
        return uuid.UUID(text)


_FLAVOURS = {"posix": pathlib.PurePosixPath, "windows": pathlib.PureWindowsPath}
_CONCRETE = {"posix": pathlib.PosixPath, "windows": pathlib.WindowsPath}
_HERE = "windows" if os.name == "nt" else "posix"


class PathPlugin(WebPlugin):
    """``pathlib`` paths as ``{value: str(p), flavour: "posix"|"windows", pure: bool}``.

    Tag ``seroval-python/Path``.  A concrete path (``Path``) reads back as a concrete
    path when its flavour is this machine's, and as the pure path of its flavour
    otherwise (a ``WindowsPath`` cannot be built on Linux), so a path never changes
    its meaning on the way.
    """

    tag = "seroval-python/Path"
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "value": v.string,
        "flavour": v.string,
        "pure": v.boolean,
    }
    js_calls: ClassVar[_Calls] = js_call("Path", "value", "flavour", "pure")

    def test(self, value: object) -> bool:
        return isinstance(value, pathlib.PurePath)

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        flavour = "windows" if isinstance(value, pathlib.PureWindowsPath) else "posix"
        return {
            "value": str(value),
            "flavour": flavour,
            "pure": not isinstance(value, pathlib.Path),
        }

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return js_new("Path", info, ("value", "flavour", "pure"), ctx)

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> pathlib.PurePath:
        flavour = ctx.deserialize(info["flavour"])
        if flavour not in _FLAVOURS:
            raise refuse(self.tag, "flavour", f"{flavour!r} is not 'posix' or 'windows'")
        text = ctx.deserialize(info["value"])
        if "\x00" in text:
            raise refuse(self.tag, "value", "a path cannot hold a NUL character")
        pure = ctx.deserialize(info["pure"])
        cls = _FLAVOURS[flavour] if pure or flavour != _HERE else _CONCRETE[flavour]
        result: pathlib.PurePath = cls(text)
        return result
