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
