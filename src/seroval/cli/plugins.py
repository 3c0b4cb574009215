"""``--plugin MODULE:NAME``: the plugins a command reads and writes with, named by the user.

The command line names code to import, as ``uvicorn`` names an app; a payload never
does.  ``NAME`` may be a plugin instance, a plugin class (called with no arguments),
or a list or tuple of plugins (for example ``seroval.plugins.web:WEB_PLUGINS``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from ..protocol.model.plugins import Plugin
from .documents import UsageError

__all__ = ["load_plugins"]


def load_plugins(specs: Iterable[str]) -> tuple[Plugin, ...]:
    """Import each ``MODULE:NAME`` and collect the plugins it names, in order."""
    plugins: list[Plugin] = []
    for spec in specs:
        module_name, _, attribute = spec.partition(":")
        if not module_name or not attribute:
            raise UsageError(f"--plugin takes MODULE:NAME, not {spec!r}")
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            raise UsageError(f"--plugin {spec}: cannot import {module_name!r} ({error})") from None
        target: object = module
        for part in attribute.split("."):
            try:
                target = getattr(target, part)
            except AttributeError:
                raise UsageError(f"--plugin {spec}: {module_name} has no {attribute!r}") from None
        plugins.extend(_as_plugins(spec, target))
    return tuple(plugins)


def _as_plugins(spec: str, target: object) -> list[Plugin]:
    if isinstance(target, type) and issubclass(target, Plugin):
        return [target()]
    if isinstance(target, Plugin):
        return [target]
    if isinstance(target, (list, tuple)) and all(isinstance(item, Plugin) for item in target):
        return list(target)
    raise UsageError(
        f"--plugin {spec}: names a {type(target).__name__}, not a plugin, plugin class "
        "or list of plugins"
    )
