"""What every ``seroval-plugins/web`` plugin shares: one instance per class, and helpers.

seroval resolves a plugin list by object identity (each plugin once, followed by
its ``extends``), so ``RequestPlugin``'s dependency on ``HeadersPlugin`` must be the
very ``HeadersPlugin`` a caller may also list.  Each web plugin class therefore has
a single instance: ``HeadersPlugin() is HeadersPlugin()``.
"""

from __future__ import annotations

import math
import sys
from typing import Any, ClassVar, Final, Self

from ...protocol.model.plugins import Plugin
from ...protocol.model.values import undefined
from ..validators import js_get

__all__ = [
    "Factory",
    "WebPlugin",
    "call_arguments",
    "httpx_class",
    "import_httpx",
    "js_get",
    "option",
    "to_uint",
]


class WebPlugin(Plugin):
    """Base of the web plugins: a singleton per class that never takes a plain dict."""

    skip_plain_objects: ClassVar[bool] = True
    _instances: ClassVar[dict[type, Any]] = {}

    def __new__(cls) -> Self:
        instance: Self | None = WebPlugin._instances.get(cls)
        if instance is None:
            instance = super().__new__(cls)
            WebPlugin._instances[cls] = instance
        return instance


class Factory:
    """A factory plugin's marker: the value whose node stands for a helper function.

    seroval-plugins writes a FormData, ReadableStream or live AbortSignal as a call
    of a helper function, and the helper is itself a plugin node (``s: {}``) with
    an id of its own, so a second use is a reference.  The marker is what takes
    that id in each refs space.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


def call_arguments(arguments: list[Any], count: int) -> list[Any]:
    """The first ``count`` arguments of a call read from JS text; missing ones are undefined."""
    return (arguments + [undefined] * count)[:count]


def option(options: Any, key: str, default: Any) -> Any:
    """``options[key]`` as a JS constructor reads it: ``undefined`` means the default."""
    value = js_get(options, key)
    return default if value is undefined else value


def to_uint(value: Any, bits: int) -> int:
    """WebIDL's ``unsigned short``/``unsigned long`` conversion of a JS number."""
    if isinstance(value, bool):
        return int(value)
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return 0
    return int(value) % (1 << bits)


_HTTPX_MISSING: Final = "this needs httpx, an optional dependency: pip install 'seroval[http]'"


def httpx_class(name: str) -> type | None:
    """``httpx.<name>`` if the application has imported httpx, else ``None``.

    A value can only be an httpx object if httpx is already imported, so the web
    plugins can accept httpx's types without ever importing it themselves.
    """
    module = sys.modules.get("httpx")
    found = getattr(module, name, None) if module is not None else None
    return found if isinstance(found, type) else None


def import_httpx() -> Any:
    """The httpx module, with a clear message when the optional extra is missing."""
    try:
        import httpx
    except ImportError as error:
        raise ImportError(_HTTPX_MISSING) from error
    return httpx
