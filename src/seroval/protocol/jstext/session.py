"""What one reader keeps between the texts it evaluates: options, ``$R`` and ownership.

A :class:`~seroval.CrossDeserializer` reads many chunks into one ``$R`` table
(and one per scope id); promises and streams a chunk opens stay pending for later
chunks; and a text may change only values a text of this reader made, so the
session records them by identity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..model.features import enabled_features
from ..model.options import ReadOptions
from ..model.plugins import Plugin, resolve_plugins
from ..model.references import ReadRefs
from .parser import parse_program
from .syntax import Program

__all__ = ["Session"]


class Session:
    """Options and the state shared by every text one reader evaluates."""

    def __init__(
        self,
        plugins: Iterable[Plugin],
        depth_limit: int,
        max_base64_length: int,
        disabled_features: int,
    ) -> None:
        self.options = ReadOptions(
            plugins=resolve_plugins(plugins),
            depth_limit=depth_limit,
            max_base64_length=max_base64_length,
        )
        self.features = enabled_features(disabled_features)
        self.plugin_calls = _plugin_calls(self.options.plugins)
        self.plugin_names = frozenset(self.plugin_calls)
        # Value depth is bounded by depth_limit; bracket nesting (several brackets per
        # value level in seroval's text) by this, so the parser's stack stays bounded.
        self.max_nesting = 4 * self.options.depth_limit + 64
        self.owned: dict[int, object] = {}
        self.table = ReadRefs()
        self.scopes: dict[str, ReadRefs] = {}
        self.pending: dict[int, object] = {}
        self.failed = False
        self.aborted = False

    def parse(self, text: str, cross: bool) -> Program:
        return parse_program(
            text, cross=cross, max_nesting=self.max_nesting, plugin_calls=self.plugin_names
        )

    def own(self, value: Any) -> Any:
        """Record that this reader made ``value``, so that the text may change it."""
        self.owned[id(value)] = value
        return value

    def owns(self, value: object) -> bool:
        return self.owned.get(id(value)) is value


def _plugin_calls(
    plugins: tuple[Plugin, ...],
) -> dict[str, tuple[Plugin, Callable[[list[Any]], Mapping[str, Any]]]]:
    """Call name to (plugin, field builder); the first plugin to declare a name wins."""
    calls: dict[str, tuple[Plugin, Callable[[list[Any]], Mapping[str, Any]]]] = {}
    for plugin in plugins:
        for name, builder in plugin.js_calls.items():
            calls.setdefault(name, (plugin, builder))
    return calls
