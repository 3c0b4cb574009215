"""A typed plugin needs nothing but ``seroval``: the context types and ``Awaited`` are exported."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio

import seroval
from seroval import (
    Awaited,
    Node,
    Plugin,
    PluginDeserializeContext,
    PluginParseContext,
    PluginSerializeContext,
)
from seroval.protocol.model import plugins


def test_the_names_are_public_and_the_same_objects() -> None:
    for name in (
        "Awaited",
        "PluginParseContext",
        "PluginSerializeContext",
        "PluginDeserializeContext",
    ):
        assert name in seroval.__all__
        assert getattr(seroval, name) is getattr(plugins, name)


class Box:
    def __init__(self, content: Any) -> None:
        self.content = content


class BoxPlugin(Plugin):
    """Typed only with names from ``seroval`` (mypy checks this file)."""

    tag = "test/Box"

    def test(self, value: object) -> bool:
        return isinstance(value, Box)

    def parse(self, value: Box, ctx: PluginParseContext) -> dict[str, Node]:
        return {"content": ctx.parse(value.content)}

    def fields(self, value: Box, mode: str) -> Mapping[str, Any]:
        if mode == "async":
            return {"content": Awaited(value.content)}
        return {"content": value.content}

    def serialize(self, info: dict[str, Node], ctx: PluginSerializeContext) -> str:
        return "new Box(" + ctx.serialize(info["content"]) + ")"

    def deserialize(self, info: dict[str, Node], ctx: PluginDeserializeContext) -> Box:
        return Box(ctx.deserialize(info["content"]))


def test_a_plugin_typed_with_the_exports_works_with_awaited() -> None:
    async def later() -> int:
        return 7

    async def main() -> Any:
        envelope = await seroval.to_json_async(Box(later()), plugins=[BoxPlugin()])
        return seroval.from_json(envelope, plugins=[BoxPlugin()])

    assert anyio.run(main).content == 7
    assert (
        seroval.from_json(
            seroval.to_json(Box(1), plugins=[BoxPlugin()]), plugins=[BoxPlugin()]
        ).content
        == 1
    )


def test_the_python_plugins_work_without_pydantic() -> None:
    """pydantic is optional: importing the plugins never loads it, and every other
    plugin works where it cannot be imported at all (``sys.modules[...] = None``)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import seroval.plugins.python\n"
        "assert 'pydantic' not in sys.modules, 'imported pydantic'\n"
        "sys.modules['pydantic'] = None  # an import now fails, as when not installed\n"
        "import dataclasses, decimal, enum, seroval\n"
        "from seroval.plugins import python\n"
        "class Color(enum.Enum):\n"
        "    RED = 1\n"
        "@dataclasses.dataclass\n"
        "class Point:\n"
        "    x: int\n"
        "plugins = python.plugins(Color, Point)\n"
        "value = [Color.RED, Point(1), decimal.Decimal('1.5')]\n"
        "back = seroval.from_json(seroval.to_json(value, plugins=plugins), plugins=plugins)\n"
        "assert back == value\n"
        "try:\n"
        "    python.PydanticPlugin()\n"
        "except ImportError as error:\n"
        "    print('ImportError', error.name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ImportError pydantic"
