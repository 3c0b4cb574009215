"""Writing the nodes that hold no children of their own kind: Dates, RegExps, symbols,
references, boxed values, buffers and views, Temporal values and plugin values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ..errors import (
    SerovalError,
    SerovalMissingPluginError,
    SerovalSerializationError,
    SerovalUnsupportedNodeError,
    wrap_foreign,
)
from ..model.features import Feature
from ..model.nodes import (
    SYMBOL_NAMES,
    T_ARRAY_BUFFER,
    T_BIGINT_TYPED_ARRAY,
    T_BOXED,
    T_DATA_VIEW,
    T_DATE,
    T_PLUGIN,
    T_REFERENCE,
    T_REGEXP,
    T_SPECIAL_REFERENCE,
    T_TEMPORAL,
    T_TYPED_ARRAY,
    T_WK_SYMBOL,
    TEMPORAL_TYPE_NAMES,
    Node,
)
from ..model.strings import escape_string
from ..model.strings import unescape_string as _unescape
from .helpers import (
    ARRAY_BUFFER_CONSTRUCTOR,
    PROMISE_CONSTRUCTOR,
    PROMISE_FAILURE,
    PROMISE_SUCCESS,
    STREAM_CONSTRUCTOR,
)
from .spelling import (
    number_text,
)

if TYPE_CHECKING:
    from .writer import JSWriter, NodeWriter

__all__ = ["SCALAR_WRITERS"]

_SPECIAL_TEXTS: Final = (
    "[]",
    PROMISE_CONSTRUCTOR,
    PROMISE_SUCCESS,
    PROMISE_FAILURE,
    STREAM_CONSTRUCTOR,
    ARRAY_BUFFER_CONSTRUCTOR,
)
_SYMBOL_TEXTS: Final = tuple("Symbol." + name for name in SYMBOL_NAMES)


class _PluginContext:
    """What a plugin's ``serialize`` gets: ``serialize(node)`` renders a child node."""

    __slots__ = ("_writer",)

    def __init__(self, writer: JSWriter) -> None:
        self._writer = writer

    def serialize(self, node: Node) -> str:
        return self._writer.text(node)


def _date(writer: JSWriter, node: Node) -> None:
    writer.out.append('new Date("' + escape_string(node["s"]) + '")')


def _regexp(writer: JSWriter, node: Node) -> None:
    if not writer.features & Feature.REGEXP:
        raise SerovalUnsupportedNodeError(
            "RegExp nodes are disabled (Feature.REGEXP)", node, step="serialize"
        )
    source: str = node["c"]
    if "\\x3C" in source:
        writer.out.append('new RegExp("' + source + '","' + node["m"] + '")')
    else:
        writer.out.append("/" + _unescape(source) + "/" + node["m"])


def _temporal(writer: JSWriter, node: Node) -> None:
    if not writer.features & Feature.TEMPORAL:
        raise SerovalUnsupportedNodeError(
            "Temporal nodes are disabled (Feature.TEMPORAL)", node, step="serialize"
        )
    kind = TEMPORAL_TYPE_NAMES[node["c"]]
    writer.out.append("Temporal." + kind + '.from("' + escape_string(node["s"]) + '")')


def _symbol(writer: JSWriter, node: Node) -> None:
    writer.out.append(_SYMBOL_TEXTS[node["s"]])


def _reference(writer: JSWriter, node: Node) -> None:
    writer.out.append('__SEROVAL_REFS__.get("' + node["s"] + '")')


def _special(writer: JSWriter, node: Node) -> None:
    writer.out.append(_SPECIAL_TEXTS[node["s"]])


def _boxed(writer: JSWriter, node: Node) -> None:
    writer.out.append("Object(")
    writer.write(node["f"])
    writer.out.append(")")


def _array_buffer(writer: JSWriter, node: Node) -> None:
    writer.constructor(node["f"])
    # Three pieces, not one: the base64 text can be megabytes, copied once less.
    out = writer.out
    out.append('("')
    out.append(node["s"])
    out.append('")')


def _view(writer: JSWriter, node: Node) -> None:
    kind = "DataView" if node["t"] == T_DATA_VIEW else node["c"]
    writer.out.append("new " + kind + "(")
    writer.write(node["f"])
    writer.out.append("," + number_text(node.get("b")) + "," + number_text(node.get("l")) + ")")


def _plugin(writer: JSWriter, node: Node) -> None:
    tag = node.get("c")
    plugin = writer.plugins.get(tag) if type(tag) is str else None
    if plugin is None:
        raise SerovalMissingPluginError(
            f"no plugin given for the tag {tag!r}", str(tag), step="serialize"
        )
    try:
        text = plugin.serialize(node["s"], _PluginContext(writer))
    except SerovalError:
        raise
    except Exception as error:
        raise wrap_foreign(error, "serialize", f"plugin {plugin.tag!r}") from error
    if type(text) is not str:
        raise SerovalSerializationError(
            f"plugin {plugin.tag!r} returned {type(text).__name__}, not str"
        )
    if text:
        writer.out.append(text)


SCALAR_WRITERS: Final[dict[int, NodeWriter]] = {
    T_DATE: _date,
    T_REGEXP: _regexp,
    T_TYPED_ARRAY: _view,
    T_BIGINT_TYPED_ARRAY: _view,
    T_WK_SYMBOL: _symbol,
    T_REFERENCE: _reference,
    T_ARRAY_BUFFER: _array_buffer,
    T_DATA_VIEW: _view,
    T_BOXED: _boxed,
    T_PLUGIN: _plugin,
    T_SPECIAL_REFERENCE: _special,
    T_TEMPORAL: _temporal,
}
