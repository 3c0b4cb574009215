"""Dicts, lists, JSSets and JSMaps nested deeper than the thread's stack allows.

The parser is recursive (:mod:`seroval.protocol.tree.parse`), a few Python frames a
level.  Where a value nests deeper than the thread's stack budget
(:mod:`seroval.protocol.stack`) and no plugin is in use, the plain containers in it
are parsed here instead: one loop with a list of the containers still open, so
that nesting costs no frames and needs no fresh thread.  Each container is parsed
exactly as ``Parser.parse`` and its container methods parse it (ids taken in the
same order, the same depth checks, strings and safe integers inline, the same
nodes); any other value goes to ``Parser.parse``, which may come back here.  An
error gets the path the recursive parser would give it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ..errors import SerovalDepthLimitError, SerovalError
from ..model.nodes import (
    T_ARRAY,
    T_INDEXED_VALUE,
    T_MAP,
    T_NUMBER,
    T_OBJECT,
    T_REFERENCE,
    T_SET,
    T_STRING,
    Node,
    SpecialReference,
)
from ..model.references import reference_id_of
from ..model.strings import escape_string, js_property_order
from ..model.values import MAX_SAFE_INTEGER, JSMap, JSSet
from .parse_values import hole_free

if TYPE_CHECKING:
    from .parse import Parser

__all__ = ["NESTED_KINDS", "parse_nested"]

#: The value types parsed here (when no plugin is in use).
NESTED_KINDS: Final = frozenset({dict, list, JSSet, JSMap})

_DIGITS: Final = "0123456789"


class _Open:
    """A container being parsed: its id, its children, their nodes so far.

    A dict's ``keys`` are its string keys in JS order; a JSMap's ``items`` are its
    entries, with ``key_nodes`` beside ``nodes`` (its values' nodes) and ``sentinel``
    its MAP_SENTINEL node.
    """

    __slots__ = ("depth", "index", "items", "key_nodes", "keys", "kind", "node_id", "nodes")

    def __init__(self, kind: type, node_id: int, items: list[Any], depth: int) -> None:
        self.kind = kind
        self.node_id = node_id
        self.items = items
        self.depth = depth
        self.index = 0
        self.nodes: list[Any] = []
        self.keys: list[str] = []
        self.key_nodes: Any = None


def _enter(parser: Parser, value: Any, depth: int) -> Node | _Open:
    """``parser.parse(value, depth)`` for a dict, list, JSSet or JSMap up to its
    children: the node of a value met before or registered by reference, else the
    container opened (its children at ``depth + 1``), or its node where it is not a
    plain one (the recursive methods parse those)."""
    node_id = parser.refs.get(value)
    if node_id is not None:
        parser.marked[node_id] = None
        return {"t": T_INDEXED_VALUE, "i": node_id}
    node_id = parser.refs.add(value)
    reference = reference_id_of(value)
    if reference is not None:
        return {"t": T_REFERENCE, "i": node_id, "s": escape_string(reference)}
    depth += 1
    kind = type(value)
    limit = parser.depth_limit
    if kind is dict:
        keys: list[str] = []
        needs_order = False
        for key in value:
            if type(key) is not str:  # symbols, str subclasses, other keys: dict_like
                return parser.dict_like(value, node_id, depth)
            if key and key[0] in _DIGITS:
                needs_order = True
            keys.append(key)
        if needs_order:
            keys = js_property_order(keys)
        opened = _Open(dict, node_id, [value[key] for key in keys], depth)
        opened.keys = keys
        if keys and depth >= limit:
            raise SerovalDepthLimitError(limit, step="parse")
        return opened
    if kind is list:
        if not hole_free(value):
            return parser.array(value, node_id, depth)
        if value and depth >= limit:
            raise SerovalDepthLimitError(limit, step="parse")
        return _Open(list, node_id, value, depth)
    if kind is JSSet:
        items = list(value)
        if items and depth >= limit:
            raise SerovalDepthLimitError(limit, step="parse")
        return _Open(JSSet, node_id, items, depth)
    sentinel = parser.special(SpecialReference.MAP_SENTINEL)
    opened = _Open(JSMap, node_id, value.entries(), depth)
    opened.key_nodes = ([], sentinel)
    if opened.items and depth >= limit:
        raise SerovalDepthLimitError(limit, step="parse")
    return opened


def _node(top: _Open) -> Node:
    """The node of a container whose children are all parsed."""
    kind = top.kind
    if kind is dict:
        record = {"k": [escape_string(key) for key in top.keys], "v": top.nodes}
        return {"t": T_OBJECT, "i": top.node_id, "p": record, "o": 0}
    if kind is list:
        return {"t": T_ARRAY, "i": top.node_id, "a": top.nodes, "o": 0}
    if kind is JSSet:
        return {"t": T_SET, "i": top.node_id, "a": top.nodes}
    key_nodes, sentinel = top.key_nodes
    entries = {"k": key_nodes, "v": top.nodes}
    return {"t": T_MAP, "i": top.node_id, "e": entries, "f": sentinel}


def _place(top: _Open, error: SerovalError) -> None:
    """Add the place of ``top``'s current child to ``error``'s path, as the recursive
    methods do (``dict_like`` names the key of the index ``items`` gave)."""
    if top.kind is dict:
        error.at(top.keys[top.index])
    else:
        error.at(top.index)


def parse_nested(parser: Parser, value: Any, depth: int, base: int) -> Node:
    """``parser.parse(value, depth)`` for a dict, list, JSSet or JSMap, and the
    containers nested in it, in a loop; values parsed by calls from it hand over
    to a fresh stack at depth ``base`` (what this thread's stack holds, measured by
    the caller), one level further per open container."""
    first = _enter(parser, value, depth)
    if type(first) is not _Open:
        return first  # type: ignore[return-value]
    top: _Open = first
    stack: list[_Open] = []
    budget = parser.budget
    saved = budget.hand_over_at
    budget.hand_over_at = base
    parse = parser.parse
    try:
        while True:
            items = top.items
            count = len(items)
            index = top.index
            at = top.depth
            is_map = top.kind is JSMap
            nodes = top.nodes
            opened = False
            while index < count:
                if is_map:
                    key_nodes = top.key_nodes[0]
                    item = items[index][len(key_nodes) > len(nodes)]
                else:
                    item = items[index]
                kind = type(item)
                node: Any
                if kind is str:
                    node = {"t": T_STRING, "s": escape_string(item)}
                elif kind is int and -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
                    node = {"t": T_NUMBER, "s": item}
                else:
                    top.index = index
                    if kind in NESTED_KINDS:
                        entered = _enter(parser, item, at)
                        if type(entered) is _Open:
                            stack.append(top)
                            top = entered
                            # Open containers hold no frames.
                            budget.hand_over_at = base + len(stack)
                            opened = True
                            break
                        node = entered
                    else:
                        node = parse(item, at)
                if is_map and len(key_nodes) == len(nodes):
                    key_nodes.append(node)
                    continue
                nodes.append(node)
                index += 1
            if opened:
                continue
            done = _node(top)
            if not stack:
                return done
            top = stack.pop()
            budget.hand_over_at = base + len(stack)
            if top.kind is JSMap and len(top.key_nodes[0]) == len(top.nodes):
                top.key_nodes[0].append(done)
            else:
                top.nodes.append(done)
                top.index += 1
    except SerovalError as error:  # from the current child of top
        _place(top, error)
        for container in reversed(stack):
            _place(container, error)
        raise
    finally:
        budget.hand_over_at = saved
