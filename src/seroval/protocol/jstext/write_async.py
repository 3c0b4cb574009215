"""Writing promises, iterators and streams, and the settle/feed records of streaming."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from ..model.nodes import (
    T_ASYNC_ITERATOR_FACTORY,
    T_ASYNC_ITERATOR_FACTORY_INSTANCE,
    T_ITERATOR_FACTORY,
    T_ITERATOR_FACTORY_INSTANCE,
    T_PROMISE,
    T_PROMISE_CONSTRUCTOR,
    T_PROMISE_FAILURE,
    T_PROMISE_SUCCESS,
    T_STREAM_CONSTRUCTOR,
    T_STREAM_NEXT,
    T_STREAM_RETURN,
    T_STREAM_THROW,
    Node,
)
from .helpers import (
    ASYNC_ITERATOR_FACTORY,
    ITERATOR_FACTORY,
)

if TYPE_CHECKING:
    from .writer import JSWriter, NodeWriter

__all__ = ["ASYNC_ASSIGNABLE", "ASYNC_UNASSIGNED"]

_ITERATOR_HEAD: Final = "(" + ITERATOR_FACTORY + ")("
_ASYNC_ITERATOR_HEAD: Final = "(" + ASYNC_ITERATOR_FACTORY + ")("
_STREAM_METHODS: Final = {
    T_STREAM_NEXT: ".next(",
    T_STREAM_THROW: ".throw(",
    T_STREAM_RETURN: ".return(",
}


def _vanilla_only(writer: JSWriter, node: Node) -> None:
    """Streaming-only node types have no writer-contained form."""
    if not writer.cross:
        writer.unsupported(node)


def _promise(writer: JSWriter, node: Node) -> None:
    value = node["f"]
    fulfilled = bool(node["s"])
    call = "Promise.resolve" if fulfilled else "Promise.reject"
    if writer.in_stack(value):
        name = writer.ref(value["i"])
        tail = "().then(()=>" + name + ")" if fulfilled else "().catch(()=>{throw " + name + "})"
        writer.out.append(call + tail)
        return
    writer.stack.append(node.get("i"))
    writer.out.append(call + "(")
    writer.write(value)
    writer.out.append(")")
    writer.stack.pop()


def _promise_constructor(writer: JSWriter, node: Node) -> None:
    _vanilla_only(writer, node)
    out = writer.out
    out.append("(")
    slot = len(out)
    out.append("")
    writer.constructor(node["f"])
    out.append("()")
    resolver = node.get("s")
    if writer.assign_all or resolver in writer.marked:
        out[slot] = writer.ref(resolver) + "="
    out.append(").p")


def _promise_result(writer: JSWriter, node: Node) -> None:
    _vanilla_only(writer, node)
    helper, value = node["a"]
    writer.constructor(helper)
    writer.out.append("(" + writer.ref(node["i"]) + ",")
    writer.write(value)
    writer.out.append(")")


def _iterator_factory(writer: JSWriter, node: Node) -> None:
    symbol = node["f"]
    out = writer.out
    inline = symbol["t"] != 4
    if inline:
        writer.mark(symbol["i"])
        out.append("(")
        writer.write(symbol)
        out.append(",")
    out.append(writer.assigned(node.get("i"), _ITERATOR_HEAD + writer.ref(symbol["i"]) + ")"))
    if inline:
        out.append(")")


def _factory_instance(writer: JSWriter, node: Node) -> None:
    factory, argument = node["a"]
    writer.constructor(factory)
    writer.out.append("(")
    writer.write(argument)
    writer.out.append(")")


def _async_iterator_factory(writer: JSWriter, node: Node) -> None:
    promise, symbol = node["a"]
    out = writer.out
    opened = False
    if promise["t"] != 4:
        writer.mark(promise["i"])
        out.append("(")
        writer.write(promise)
        opened = True
    if symbol["t"] != 4:
        writer.mark(symbol["i"])
        out.append("," if opened else "(")
        writer.write(symbol)
        opened = True
    if opened:
        out.append(",")
    names = writer.ref(symbol["i"]) + "," + writer.ref(promise["i"]) + ")"
    out.append(writer.assigned(node.get("i"), _ASYNC_ITERATOR_HEAD + names))
    if opened:
        out.append(")")


def _stream_constructor(writer: JSWriter, node: Node) -> None:
    events = node["a"]
    node_id = node.get("i")
    out = writer.out
    if events:
        out.append("(")
    slot = len(out)
    out.append("")
    writer.constructor(node["f"])
    out.append("(1)" if node.get("l") == 1 else "()")
    if writer.assign_all or node_id in writer.marked:
        out[slot] = writer.ref(node_id) + "="
    if events:
        for event in events:
            out.append(",")
            writer.write(event)
        out.append("," + writer.ref(node_id) + ")")


def _stream_event(writer: JSWriter, node: Node) -> None:
    method = _STREAM_METHODS[node["t"]]
    writer.out.append(writer.ref(node["i"]) + method)
    writer.write(node["f"])
    writer.out.append(")")


#: Written through ``assigned`` (``ref=…`` in front when the node is stored).
ASYNC_ASSIGNABLE: Final[dict[int, NodeWriter]] = {
    T_PROMISE: _promise,
    T_PROMISE_CONSTRUCTOR: _promise_constructor,
}
#: Written as they are (they place their own ``ref=``, if any).
ASYNC_UNASSIGNED: Final[dict[int, NodeWriter]] = {
    T_PROMISE_SUCCESS: _promise_result,
    T_PROMISE_FAILURE: _promise_result,
    T_ITERATOR_FACTORY: _iterator_factory,
    T_ITERATOR_FACTORY_INSTANCE: _factory_instance,
    T_ASYNC_ITERATOR_FACTORY: _async_iterator_factory,
    T_ASYNC_ITERATOR_FACTORY_INSTANCE: _factory_instance,
    T_STREAM_CONSTRUCTOR: _stream_constructor,
    T_STREAM_NEXT: _stream_event,
    T_STREAM_THROW: _stream_event,
    T_STREAM_RETURN: _stream_event,
}
