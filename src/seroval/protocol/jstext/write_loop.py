"""Arrays, objects and Sets nested deeper than the thread's stack allows, written in a loop.

The writer is recursive (:meth:`JSWriter.write` and ``write_containers``), a few
Python frames a level.  Where a tree nests deeper than the thread's stack budget
(:mod:`seroval.protocol.stack`), its array, object and Set nodes are written here
instead: one loop with a list of the containers still open, so that nesting costs
no frames and needs no fresh thread.  Each is written exactly as
``JSWriter.write`` with ``write_containers._array``, ``_object`` or ``_set`` writes it (its
``h=`` slot, the ancestor stack for cycles, the deferred assignments, the flags,
the separators and the trailing comma of an array ending in an empty slot); any
other child goes to :meth:`JSWriter.write`, which may come back here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ..errors import SerovalSerializationError
from ..model.nodes import T_ARRAY, T_INDEXED_VALUE, T_OBJECT, T_SET, T_STRING, Node
from .spelling import ADD, property_prefix

if TYPE_CHECKING:
    from .writer import JSWriter

__all__ = ["LOOPED", "write_nested"]

_NOTHING: Final = object()


class _Open:
    """An array or object being written, and where its writing has got to.

    ``start`` is where the current child's text began (an array item that renders
    as nothing leaves an empty slot, a Set's is dropped); ``slot`` is the
    container's ``h=`` slot; ``empty`` is, for an array, whether its last slot is
    empty, for a Set, whether an item was written.
    """

    __slots__ = (
        "depth",
        "empty",
        "index",
        "is_array",
        "is_set",
        "items",
        "keys",
        "node",
        "node_id",
        "out",
        "separator",
        "slot",
        "start",
    )

    def __init__(self, node: Node, is_array: bool, out: list[str], depth: int) -> None:
        self.node = node
        self.is_array = is_array
        self.is_set = node["t"] == T_SET
        self.out = out
        self.depth = depth
        self.slot = len(out)
        self.node_id: Any = node.get("i")
        self.items: list[Any] = []
        self.keys: list[Any] = []
        self.index = 0
        self.separator = "[" if is_array else "{"
        self.empty = False
        self.start = -1


def _open(writer: JSWriter, node: Node) -> _Open | None:
    """JSWriter.write of an array or object node up to its children; ``None`` when it
    is written already (an empty array)."""
    depth = writer.depth
    if depth >= writer.max_depth:
        raise SerovalSerializationError("the node tree nests too deeply to be written as JS text")
    writer.depth = depth + 1
    out = writer.out
    is_array = node["t"] == T_ARRAY
    opened = _Open(node, is_array, out, depth)
    out.append("")
    if opened.is_set:
        # write_containers._set: `new Set([…])`, or `new Set` when nothing is in it.
        out.append("new Set")
        items = node["a"]
        if not items:
            _close(writer, opened)
            return None
        opened.items = items
        writer.stack.append(opened.node_id)
        opened.start = len(out)  # where "([" goes: dropped if no item is written
        out.append("([")
        return opened
    if is_array:
        items = node["a"]
        if not items:
            out.append("[]")
            _close(writer, opened)
            return None
        opened.items = items
    else:
        flag = node.get("o")
        if flag != 0 or flag is False:
            writer.push_flag(flag, opened.node_id)
        record = node["p"]
        opened.keys = record["k"]
        opened.items = record["v"]
    writer.stack.append(opened.node_id)
    return opened


def _close(writer: JSWriter, top: _Open) -> None:
    """The end of JSWriter.write for ``top``: its name in its slot when it is stored."""
    node_id = top.node_id
    if writer.assign_all or node_id in writer.marked:
        top.out[top.slot] = writer.ref(node_id) + "="
    writer.depth = top.depth


def _finish(writer: JSWriter, top: _Open) -> None:
    """The end of ``_array`` or ``_properties`` for ``top``, then of JSWriter.write."""
    writer.stack.pop()
    out = top.out
    if top.is_set:
        if top.empty:  # (an item was written)
            out.append("])")
        else:
            del out[top.slot + 2 :]
    elif top.is_array:
        flag = top.node.get("o")
        if flag != 0 or flag is False:
            writer.push_flag(flag, top.node_id)
        out.append(",]" if top.empty else "]")
    elif top.separator == "{":
        out.append("{}")
    else:
        out.append("}")
    _close(writer, top)


def _child(writer: JSWriter, top: _Open) -> Any:
    """Write ``top``'s children as ``_array`` or ``_properties`` does up to the next
    array or object node among them, and return it (its text goes next), or
    ``_NOTHING`` when all are written."""
    out = top.out
    items = top.items
    index = top.index
    count = len(items)
    stack = writer.stack
    if top.is_set:
        node_id = top.node_id
        while index < count:
            item = items[index]
            if item["t"] == T_INDEXED_VALUE and item["i"] in stack:
                writer.mark(node_id)
                name = writer.ref(item["i"])
                writer.assignments.append((ADD, writer.ref(node_id), "", name))
            else:
                # JSWriter.item: the item after a comma, both dropped if it is empty.
                start = len(out)
                if top.empty:
                    out.append(",")
                if item["t"] in LOOPED:
                    top.index = index
                    top.start = start
                    return item
                writer.write(item)
                _after_set_item(writer, top, start)
            index += 1
        top.index = index
        return _NOTHING
    if top.is_array:
        separator = top.separator
        node_id = top.node_id
        while index < count:
            item = items[index]
            if not item:
                out.append(separator)
                top.empty = True
            elif item["t"] == T_STRING:
                out.append(separator + '"' + item["s"] + '"')
                top.empty = False
            elif item["t"] == T_INDEXED_VALUE and item["i"] in stack:
                out.append(separator)
                writer.mark(node_id)
                writer.index_assign(node_id, str(index), writer.ref(item["i"]))
                top.empty = True
            else:
                out.append(separator)
                start = len(out)
                top.separator = separator = ","
                if item["t"] in LOOPED:
                    top.index = index
                    top.start = start
                    return item
                writer.write(item)
                top.empty = writer.empty_since(start)
            top.separator = separator = ","
            index += 1
        top.index = index
        return _NOTHING
    keys = top.keys
    node_id = top.node_id
    while index < count:
        key = keys[index]
        value = items[index]
        kind = value["t"]
        separator = top.separator
        if type(key) is not str:
            out.append(separator + "[")
            writer.write(key)
            out.append("]:")
            writer.write(value)
        elif kind == T_STRING:
            out.append(separator + property_prefix(key) + '"' + value["s"] + '"')
        elif kind == T_INDEXED_VALUE and value["i"] in stack:
            name = writer.ref(value["i"])
            writer.mark(node_id)
            writer.key_assign(node_id, key, name)
            index += 1
            continue
        else:
            out.append(separator + property_prefix(key))
            if kind in LOOPED:
                top.separator = ","
                top.index = index
                return value
            writer.write(value)
        top.separator = ","
        index += 1
    top.index = index
    return _NOTHING


def write_nested(writer: JSWriter, node: Node, base: int) -> None:
    """JSWriter.write of an array or object node and the arrays and objects nested
    in it, in a loop; nodes written by calls from it hand over to a fresh stack at
    depth ``base`` (what this thread's stack holds, measured by the caller), one
    level further per open container."""
    top = _open(writer, node)
    if top is None:
        return
    stack: list[_Open] = []
    budget = writer.budget
    saved = budget.hand_over_at
    budget.hand_over_at = base
    try:
        while True:
            child = _child(writer, top)
            if child is not _NOTHING:
                inner = _open(writer, child)
                if inner is not None:
                    stack.append(top)
                    top = inner
                    budget.hand_over_at = base + len(stack)
                    continue
                _after_child(writer, top)
                continue
            _finish(writer, top)
            if not stack:
                return
            top = stack.pop()
            budget.hand_over_at = base + len(stack)
            _after_child(writer, top)
    finally:
        budget.hand_over_at = saved


def _after_child(writer: JSWriter, top: _Open) -> None:
    """``top``'s current child is written: go on after it."""
    if top.is_set:
        _after_set_item(writer, top, top.start)
    elif top.is_array:
        top.empty = writer.empty_since(top.start)
    top.index += 1


def _after_set_item(writer: JSWriter, top: _Open, start: int) -> None:
    """The end of JSWriter.item for a Set's item written from ``start``."""
    separated = top.empty  # a comma went first
    if writer.empty_since(start + separated):
        del top.out[start:]
    else:
        top.empty = True


#: The node types written here.
LOOPED: Final = frozenset({T_ARRAY, T_OBJECT, T_SET})
