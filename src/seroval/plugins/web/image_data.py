"""``ImageData`` (RGBA pixels) and its plugin (every mode, as in seroval).

It is written ``new ImageData(data,width,height,{colorSpace})`` with ``data`` a
``Uint8ClampedArray``.  Node has no ImageData, so the oracle tests this plugin
with a small JS class of that name standing in for the browser's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Final

from ...protocol.model.plugins import PluginDeserializeContext, PluginSerializeContext
from ...protocol.model.values import JSTypedArray
from .. import validators as v
from ._base import WebPlugin, call_arguments, option, to_uint

__all__ = ["ImageData", "ImageDataPlugin"]

_COLOR_SPACES: Final = frozenset({"srgb", "display-p3"})


class ImageData:
    """RGBA pixels, 4 bytes each, ``width`` by ``height`` (JS ``ImageData``)."""

    __slots__ = ("color_space", "data", "height", "width")

    def __init__(
        self,
        data: JSTypedArray | bytes | bytearray,
        width: int,
        height: int | None = None,
        *,
        color_space: str = "srgb",
    ) -> None:
        if not isinstance(data, JSTypedArray):
            data = JSTypedArray("Uint8ClampedArray", bytearray(data))
        if data.kind != "Uint8ClampedArray":
            raise TypeError("ImageData's data is a Uint8ClampedArray")
        if not width or data.length % (4 * width):
            raise ValueError("the data length is not a multiple of 4 * width")
        rows = data.length // (4 * width)
        if not rows or (height is not None and height != rows):
            raise ValueError("the data length is not 4 * width * height")
        if color_space not in _COLOR_SPACES:
            raise TypeError(f"{color_space!r} is not a color space")
        self.data: JSTypedArray = data
        self.width: int = width
        self.height: int = rows
        self.color_space: str = color_space

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ImageData):
            return NotImplemented
        mine = (self.data, self.width, self.height, self.color_space)
        return mine == (other.data, other.width, other.height, other.color_space)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<ImageData {self.width}x{self.height} {self.color_space}>"


def _is_clamped(value: object) -> bool:
    return isinstance(value, JSTypedArray) and value.kind == "Uint8ClampedArray"


def _image_call(arguments: list[Any]) -> dict[str, Any]:
    data, width, height, options = call_arguments(arguments, 4)
    return {"data": data, "width": width, "height": height, "options": options}


class ImageDataPlugin(WebPlugin):
    """``seroval-plugins/web/ImageData``: ``new ImageData(data,w,h,{colorSpace})``."""

    tag = "seroval-plugins/web/ImageData"
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {
        "data": _is_clamped,
        "width": v.number,
        "height": v.number,
        "options": v.object_of({"colorSpace": v.optional(v.string)}),
    }
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new ImageData": _image_call
    }

    def test(self, value: object) -> bool:
        return isinstance(value, ImageData)

    def fields(self, value: ImageData, mode: str) -> Mapping[str, Any]:
        return {
            "data": value.data,
            "width": value.width,
            "height": value.height,
            "options": {"colorSpace": value.color_space},
        }

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        parts = (ctx.serialize(info[name]) for name in ("data", "width", "height", "options"))
        return "new ImageData(" + ",".join(parts) + ")"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> ImageData:
        data = ctx.deserialize(info["data"])
        width = to_uint(ctx.deserialize(info["width"]), 32)
        height = to_uint(ctx.deserialize(info["height"]), 32)
        options = ctx.deserialize(info["options"])
        return ImageData(data, width, height, color_space=option(options, "colorSpace", "srgb"))
