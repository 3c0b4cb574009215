"""Writing arrays, objects, null-prototype objects, errors, Sets, Maps and sequences.

These are the nodes whose children can point back at an ancestor still being
written; such a child is left out of the literal and queued as a deferred
assignment (``h.self=h``, ``h.set(k,h)``, ``h.add(h)``), exactly where and how
seroval does, including its Map sentinel trick and its sequence quirk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ..model.features import Feature
from ..model.nodes import (
    ERROR_CONSTRUCTOR_NAMES,
    T_AGGREGATE_ERROR,
    T_ARRAY,
    T_ERROR,
    T_MAP,
    T_NULL_CONSTRUCTOR,
    T_OBJECT,
    T_SEQUENCE,
    T_SET,
    Node,
)
from .spelling import (
    ADD,
    DELETE,
    INDEX,
    Assignment,
    number_text,
    property_prefix,
    resolve_assignments,
)

if TYPE_CHECKING:
    from .writer import JSWriter, NodeWriter

__all__ = ["CONTAINER_WRITERS"]

_SEQUENCE_HEAD: Final = "{__SEROVAL_SEQUENCE__:!0,v:["


def _array(writer: JSWriter, node: Node) -> None:
    """``[a,b]``; holes and deferred items are empty slots (a trailing one adds a comma)."""
    items = node["a"]
    out = writer.out
    if not items:
        out.append("[]")
        return
    node_id = node.get("i")
    writer.stack.append(node_id)
    separator = "["
    empty = False
    for index, item in enumerate(items):
        if not item:
            out.append(separator)
            empty = True
        elif item["t"] == 1:  # the common case, in one piece
            out.append(separator + '"' + item["s"] + '"')
            empty = False
        elif item["t"] == 4 and item["i"] in writer.stack:
            out.append(separator)
            writer.mark(node_id)
            writer.index_assign(node_id, str(index), writer.ref(item["i"]))
            empty = True
        else:
            out.append(separator)
            start = len(out)
            writer.write(item)
            empty = writer.empty_since(start)
        separator = ","
    writer.stack.pop()
    flag = node.get("o")
    if flag != 0 or flag is False:
        writer.push_flag(flag, node_id)
    out.append(",]" if empty else "]")


def _object(writer: JSWriter, node: Node) -> None:
    flag = node.get("o")
    if flag != 0 or flag is False:
        writer.push_flag(flag, node.get("i"))
    _properties(writer, node.get("i"), node["p"])


def _properties(writer: JSWriter, node_id: Any, record: dict[str, Any]) -> bool:
    """Write ``{k:v,…}``; deferred entries are left out.  True when anything was written."""
    keys = record["k"]
    out = writer.out
    values = record["v"]
    writer.stack.append(node_id)
    separator = "{"
    for index, key in enumerate(keys):
        value = values[index]
        kind = value["t"]
        if type(key) is not str:
            out.append(separator + "[")
            writer.write(key)
            out.append("]:")
            writer.write(value)
        elif kind == 1:  # the common case, in one piece
            out.append(separator + property_prefix(key) + '"' + value["s"] + '"')
        elif kind == 4 and value["i"] in writer.stack:
            name = writer.ref(value["i"])
            writer.mark(node_id)
            writer.key_assign(node_id, key, name)
            continue
        else:
            out.append(separator + property_prefix(key))
            writer.write(value)
        separator = ","
    writer.stack.pop()
    if separator == "{":
        out.append("{}")
        return False
    out.append("}")
    return True


def _dictionary(writer: JSWriter, node: Node, init: str) -> None:
    """A null-prototype object or an error: ``init`` plus its own properties.

    With ObjectAssign on (and no ``__proto__`` key) the properties go in an
    ``Object.assign(init,{…})``; otherwise each becomes an assignment inside
    ``(h=init,h.a=1,…,h)``, which needs the node named.
    """
    record = node.get("p")
    if record:
        node_id = node.get("i")
        out = writer.out
        if writer.features & Feature.OBJECT_ASSIGN and "__proto__" not in record["k"]:
            slot = len(out)
            out.append("")
            out.append(init)
            start = len(out)
            out.append(",")
            if _properties(writer, node_id, record):
                out[slot] = "Object.assign("
                out.append(")")
            else:
                del out[start:]
            return
        writer.mark(node_id)
        assignments = _local_assignments(writer, node_id, record)
        if assignments:
            out.append(
                "(" + writer.assigned(node_id, init) + "," + assignments + writer.ref(node_id) + ")"
            )
            return
    writer.out.append(init)


def _local_assignments(writer: JSWriter, node_id: Any, record: dict[str, Any]) -> str:
    """Each property as an assignment; ancestors still go to the global queue."""
    keys = record["k"]
    if not keys:
        return ""
    values = record["v"]
    local: list[Assignment] = []
    writer.stack.append(node_id)
    for index, key in enumerate(keys):
        value = values[index]
        parent = writer.assignments
        if type(key) is str:
            text = writer.text(value)
            if not writer.in_stack(value):
                writer.assignments = local
            writer.key_assign(node_id, key, text)
        else:
            stack = writer.stack
            writer.stack = []
            text = writer.text(value)
            writer.stack = stack
            writer.assignments = local
            writer.index_assign(node_id, writer.text(key), text)
        writer.assignments = parent
    writer.stack.pop()
    return resolve_assignments(local, chain_values=False)


def _null_constructor(writer: JSWriter, node: Node) -> None:
    writer.push_flag(node.get("o"), node.get("i"))
    _dictionary(writer, node, "Object.create(null)")


def _error(writer: JSWriter, node: Node) -> None:
    name = ERROR_CONSTRUCTOR_NAMES[node["s"]]
    _dictionary(writer, node, "new " + name + '("' + node["m"] + '")')


def _aggregate_error(writer: JSWriter, node: Node) -> None:
    writer.stack.append(node.get("i"))
    _dictionary(writer, node, 'new AggregateError([],"' + node["m"] + '")')
    writer.stack.pop()


def _set(writer: JSWriter, node: Node) -> None:
    out = writer.out
    out.append("new Set")
    items = node["a"]
    if not items:
        return
    node_id = node.get("i")
    writer.stack.append(node_id)
    start = len(out)
    out.append("([")
    wrote = False
    for item in items:
        if item["t"] == 4 and item["i"] in writer.stack:
            writer.mark(node_id)
            name = writer.ref(item["i"])
            writer.assignments.append((ADD, writer.ref(node_id), "", name))
        elif writer.item(item, wrote):
            wrote = True
    writer.stack.pop()
    if wrote:
        out.append("])")
    else:
        del out[start:]


def _map(writer: JSWriter, node: Node) -> None:
    out = writer.out
    slot = len(out)
    out.append("")
    out.append("new Map")
    entries = node["e"]
    keys = entries["k"]
    sentinel = node["f"]
    if keys:
        values = entries["v"]
        node_id = node.get("i")
        names: list[str] = []
        writer.stack.append(node_id)
        start = len(out)
        out.append("([")
        wrote = False
        for index, key in enumerate(keys):
            mark = len(out)
            if wrote:
                out.append(",")
            _map_entry(writer, node_id, key, values[index], sentinel, names)
            if writer.empty_since(mark + wrote):
                del out[mark:]
            else:
                wrote = True
        writer.stack.pop()
        if wrote:
            out.append("])")
        else:
            del out[start:]
    if writer.cross and sentinel["t"] == 26:
        # The first Map of a cross id space defines the sentinel for all later ones.
        writer.mark(sentinel["i"])
        out[slot] = "(" + writer.text(sentinel) + ","
        out.append(")")


def _sentinel(writer: JSWriter, sentinel: Node, names: list[str]) -> str:
    """The Map sentinel's name (declared ``S=[]`` at the top in vanilla mode)."""
    if not names:
        names.append(writer.ref(sentinel["i"]))
        if not writer.cross:
            writer.sentinels[names[0]] = None
    return names[0]


def _map_entry(
    writer: JSWriter, node_id: Any, key: Node, value: Node, sentinel: Node, names: list[str]
) -> None:
    """``[k,v]``, or, when one side is an ancestor, a deferred ``.set(k,v)``.

    If the other side is a fresh node that something else reads too, it must be
    created in place (not inside the deferred call): it is written as
    ``(node,[S,S])``, an entry that is deleted again by ``.delete(S)``.
    """
    if writer.in_stack(key):
        key_name = writer.ref(key["i"])
        writer.mark(node_id)
        if writer.in_stack(value):
            writer.set_assign(node_id, key_name, writer.ref(value["i"]))
        elif _needs_sentinel(writer, value):
            _inline_with_sentinel(writer, value, sentinel, names)
            writer.set_assign(node_id, key_name, writer.ref(value["i"]))
            writer.assignments.append((DELETE, writer.ref(node_id), names[0], ""))
        else:
            writer.set_assign(node_id, key_name, _detached(writer, value))
    elif writer.in_stack(value):
        value_name = writer.ref(value["i"])
        writer.mark(node_id)
        if _needs_sentinel(writer, key):
            _inline_with_sentinel(writer, key, sentinel, names)
            writer.set_assign(node_id, writer.ref(key["i"]), value_name)
            writer.assignments.append((DELETE, writer.ref(node_id), names[0], ""))
        else:
            writer.set_assign(node_id, _detached(writer, key), value_name)
    else:
        out = writer.out
        out.append("[")
        writer.write(key)
        out.append(",")
        writer.write(value)
        out.append("]")


def _needs_sentinel(writer: JSWriter, node: Node) -> bool:
    return node["t"] != 4 and node.get("i") is not None and writer.has_marked(node)


def _inline_with_sentinel(writer: JSWriter, node: Node, sentinel: Node, names: list[str]) -> None:
    writer.mark(node["i"])
    name = _sentinel(writer, sentinel, names)
    writer.out.append("(")
    writer.write(node)
    writer.out.append(",[" + name + "," + name + "])")


def _detached(writer: JSWriter, node: Node) -> str:
    """The text of ``node`` written with an empty stack (it runs after its ancestors exist)."""
    stack = writer.stack
    writer.stack = []
    try:
        return writer.text(node)
    finally:
        writer.stack = stack


def _sequence(writer: JSWriter, node: Node) -> None:
    """A captured iterator; a deferred item is *skipped*: later ones shift (seroval's bug)."""
    out = writer.out
    out.append(_SEQUENCE_HEAD)
    items = node["a"]
    node_id = node.get("i")
    wrote = False
    if items:
        writer.stack.append(node_id)
        for index, item in enumerate(items):
            if item["t"] == 4 and item["i"] in writer.stack:
                writer.mark(node_id)
                name = writer.ref(item["i"])
                target = writer.ref(node_id) + ".v[" + str(index) + "]"
                writer.assignments.append((INDEX, target, "", name))
            elif writer.item(item, wrote):
                wrote = True
        writer.stack.pop()
    if wrote:
        out.append("],t:" + number_text(node["s"]) + ",d:" + number_text(node["l"]) + "}")
    else:
        out.append("],t:-1,d:0}")


CONTAINER_WRITERS: Final[dict[int, NodeWriter]] = {
    T_SET: _set,
    T_MAP: _map,
    T_ARRAY: _array,
    T_OBJECT: _object,
    T_NULL_CONSTRUCTOR: _null_constructor,
    T_ERROR: _error,
    T_AGGREGATE_ERROR: _aggregate_error,
    T_SEQUENCE: _sequence,
}
