"""Arrays, objects, Sets and Maps nested deeper than the thread's stack allows.

The node reader is recursive (:mod:`seroval.protocol.tree.read_values`), a few
Python frames a level.  Where a value nests deeper than the thread's stack budget
(:mod:`seroval.protocol.stack`), the plain containers in it are read here instead:
one loop with a list of the containers still open, so that nesting costs no frames
and needs no fresh thread.  Each container is read exactly as its reader in
``read_values`` reads it (the same checks in the same order, ids registered before
the children, strings, safe integers and constants read inline); any other child
goes to :meth:`Deserializer.read`, which may come back here.  An error gets the
path the recursive readers would give it: the place of the child being read in
each open container, innermost first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ..errors import SerovalError
from ..model.containers import as_async_iterable
from ..model.nodes import (
    T_ARRAY,
    T_CONSTANT,
    T_INDEXED_VALUE,
    T_ITERATOR_FACTORY_INSTANCE,
    T_MAP,
    T_NULL_CONSTRUCTOR,
    T_NUMBER,
    T_OBJECT,
    T_SET,
    T_STRING,
    Integrity,
    Node,
)
from ..model.strings import unescape_string
from ..model.values import MAX_SAFE_INTEGER, JSArray, JSMap, JSObject, JSSet, hole
from .read_base import INTERNAL_RECORDS
from .read_values import CONSTANT_VALUES, special_slot

if TYPE_CHECKING:
    from .deserialize import Deserializer

__all__ = ["CONTAINERS", "NOT_NESTED", "read_nested"]

#: The node types read here.
CONTAINERS: Final = frozenset({T_SET, T_MAP, T_ARRAY, T_OBJECT, T_NULL_CONSTRUCTOR})

_NOT_INLINE: Final = object()

#: What read_nested gives for a container it leaves to its reader.
NOT_NESTED: Final = object()


class _Open:
    """A container being read: its value, its child nodes and the next one to read.

    ``keys`` are an object's (unescaped on store) or a Map's key nodes; ``key`` is a
    Map's key read already, while its value is being read.
    """

    __slots__ = ("depth", "index", "inline", "key", "keys", "kind", "result", "values")

    def __init__(
        self, kind: int, result: Any, keys: list[Any], values: list[Any], depth: int, limit: int
    ) -> None:
        self.kind = kind
        self.result = result
        self.keys = keys
        self.values = values
        self.index = 0
        self.key: Any = _NOT_INLINE
        self.depth = depth
        self.inline = depth <= limit


def _open(reader: Deserializer, node: Node, kind: int, depth: int) -> _Open | None:
    """Start reading a container node whose children are at ``depth``, as its reader
    does up to its loop; ``None`` for an object with a key that is not a plain string
    (read_values._object reads those)."""
    limit = reader.depth_limit
    if kind == T_ARRAY:
        items = reader.node_list(node, "a")
        flag = reader.flag(node)
        result: Any = JSArray(integrity=Integrity(flag)) if flag else []
        reader.register(node, result)
        return _Open(T_ARRAY, result, items, items, depth, limit)
    if kind == T_SET:
        result = reader.register(node, JSSet())
        items = reader.node_list(node, "a")
        return _Open(T_SET, result, items, items, depth, limit)
    if kind == T_MAP:
        result = reader.register(node, JSMap())
        special_slot(reader, node, node.get("f"), ("f",))
        keys, values = reader.record(node, "e")
        return _Open(T_MAP, result, keys, values, depth, limit)
    record = node.get("p")
    names = record.get("k") if type(record) is dict else None
    if type(names) is not list:
        return None
    for name in names:
        if type(name) is not str:
            return None
    flag = node.get("o", 0)
    if flag != 0 or type(flag) is not int:
        flag = reader.flag(node)
    null_prototype = kind == T_NULL_CONSTRUCTOR
    if null_prototype or flag:
        result = JSObject(null_prototype=null_prototype, integrity=Integrity(flag))
    else:
        result = {}
    reader.register(node, result)
    keys, values = reader.record(node, "p")
    return _Open(T_OBJECT, result, keys, values, depth, limit)


def _place(top: _Open, error: SerovalError) -> None:
    """Add the place of ``top``'s current child to ``error``'s path, as its reader does."""
    kind = top.kind
    if kind == T_OBJECT:
        error.at("p", "v", top.index)
    elif kind == T_MAP:
        error.at("e", top.index)
    else:
        error.at("a", top.index)


def read_nested(reader: Deserializer, node: Node, kind: int, depth: int, base: int) -> Any:
    """Read the container ``node`` (of type ``kind``, its children at ``depth``) and
    the containers nested in it, in a loop; :data:`NOT_NESTED` for an object that
    has keys other than plain strings (read_values._object reads it).  Nodes read by
    calls from it hand over to a fresh stack at depth ``base`` (what this thread's
    stack holds, measured by the caller), one level further per open container.

    ``top`` is the container being read; ``top.index`` is kept at the child being
    read whenever something may raise, for the error's path.
    """
    top = _open(reader, node, kind, depth)
    if top is None:
        return NOT_NESTED
    stack: list[_Open] = []
    budget = reader.budget
    saved = budget.hand_over_at
    budget.hand_over_at = base
    limit = reader.depth_limit
    read = reader.read
    shared = reader.values
    types = reader.types
    try:
        while True:
            kind = top.kind
            result = top.result
            keys = top.keys
            values = top.values
            count = len(values)
            index = top.index
            at = top.depth
            inline = top.inline
            opened = False
            while index < count:
                if kind == T_MAP:
                    if top.key is _NOT_INLINE:
                        item = keys[index]
                    else:
                        item = values[index]
                else:
                    item = values[index]
                value: Any = _NOT_INLINE
                if type(item) is dict:
                    if inline and kind != T_SET and "i" not in item:
                        # A string, safe integer or constant: its value, as its reader
                        # gives it, without a call.
                        leaf_kind = item.get("t")
                        text = item.get("s")
                        if type(leaf_kind) is int:
                            if leaf_kind == T_STRING and type(text) is str:
                                value = unescape_string(text)
                            elif (
                                leaf_kind == T_NUMBER
                                and type(text) is int
                                and -MAX_SAFE_INTEGER <= text <= MAX_SAFE_INTEGER
                            ):
                                value = text
                            elif (
                                leaf_kind == T_CONSTANT
                                and kind != T_MAP
                                and type(text) is int
                                and 0 <= text < len(CONSTANT_VALUES)
                            ):
                                value = CONSTANT_VALUES[text]
                    if value is _NOT_INLINE:
                        top.index = index
                        child_kind = item.get("t")
                        if child_kind == T_INDEXED_VALUE and type(child_kind) is int and inline:
                            # A reference to a value read before, as _indexed_value
                            # reads it; anything else about it goes to read().
                            target = item.get("i")
                            if type(target) is int and target >= 0:
                                known = shared.get(target, _NOT_INLINE)
                                if type(known) not in INTERNAL_RECORDS and not (
                                    types and types.get(target) == T_ITERATOR_FACTORY_INSTANCE
                                ):
                                    value = known
                        # read()'s checks for a container it would read at this depth.
                        if value is not _NOT_INLINE:
                            pass
                        elif type(child_kind) is int and child_kind in CONTAINERS and at <= limit:
                            inner = _open(reader, item, child_kind, at + 1)
                            if inner is not None:
                                stack.append(top)
                                top = inner
                                # Open containers hold no frames.
                                budget.hand_over_at = base + len(stack)
                                opened = True
                                break
                            value = read(item, at)
                        else:
                            value = read(item, at)
                elif kind == T_ARRAY and item == 0 and type(item) is int:
                    value = hole
                else:
                    top.index = index
                    value = read(item, at)
                # The child's value in place.
                if kind == T_OBJECT:
                    result[unescape_string(keys[index])] = value
                elif kind == T_MAP:
                    if top.key is _NOT_INLINE:
                        top.key = value
                        continue
                    result[top.key] = value
                    top.key = _NOT_INLINE
                elif kind == T_ARRAY:
                    result.append(value)
                else:
                    result.add(value)
                index += 1
            if opened:
                continue
            # top is read: its value goes in place in the container holding it.
            if type(result) is JSObject:
                as_async_iterable(result)  # in place: `async for` reads its stream
            if not stack:
                return result
            top = stack.pop()
            budget.hand_over_at = base + len(stack)
            kind = top.kind
            if kind == T_OBJECT:
                top.result[unescape_string(top.keys[top.index])] = result
            elif kind == T_MAP:
                if top.key is _NOT_INLINE:
                    top.key = result
                    continue
                top.result[top.key] = result
                top.key = _NOT_INLINE
            elif kind == T_ARRAY:
                top.result.append(result)
            else:
                top.result.add(result)
            top.index += 1
    except SerovalError as error:
        _place(top, error)
        for container in reversed(stack):
            _place(container, error)
        raise
    finally:
        budget.hand_over_at = saved
