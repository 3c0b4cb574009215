"""Nodes to JS text: seroval 1.8.1's serializer, byte for byte.

The serializer is a second pass over a node tree (from the parser, or from a
``to_json`` envelope).  It writes one JS expression that rebuilds the value when
evaluated.  Two modes share every rule:

* **vanilla** (``serialize``, ``compileJSON``): a self-contained expression.  A node
  that must be named (read more than once, part of a cycle, frozen, ...) becomes a
  parameter of an IIFE, ``((h,j)=>…)()``, named in the order the writer first needs
  the name;
* **cross** (``crossSerialize``, streaming chunks): nodes are named ``$R[id]`` in a
  page-global array, and by default every node with an id is stored there so later
  chunks can refer to it.

The hard part is that a JS expression cannot refer to an object while its
initializer is still being evaluated.  A child that points at an ancestor still
"on the stack" is therefore left out of the literal and patched in afterwards by a
deferred assignment (``h.self=h``, ``h.set(k,h)``, ``h.add(h)``); freeze/seal calls
come after all patches.  Everything here (merge rules, name order, the Map sentinel
trick, the places seroval drops or keeps an item) follows seroval's dist exactly,
quirks included, because the output must match byte for byte.

Output is built by appending pieces to one list and joining once.  Where seroval
decides on the text of a child after rendering it (``h=`` prefixes, separators,
``Object.assign(`` wrappers), a placeholder slot is appended first and filled in
later, which keeps the order in which names are allocated identical to seroval's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Final

from ..errors import (
    SerovalError,
    SerovalMissingPluginError,
    SerovalSerializationError,
    SerovalUnsupportedNodeError,
    wrap_foreign,
)
from ..model.features import Feature
from ..model.nodes import (
    CONSTANT_JS,
    ERROR_CONSTRUCTOR_NAMES,
    OBJECT_FLAG_JS,
    SYMBOL_NAMES,
    TEMPORAL_TYPE_NAMES,
    Node,
)
from ..model.plugins import Plugin
from ..model.strings import (
    KEY_IDENTIFIER,
    KEY_NUMERIC,
    KEY_OTHER,
    escape_string,
    js_number,
    key_kind,
)
from ..model.strings import unescape_string as _unescape
from ..recursion import gc_paused, recursion_headroom
from .helpers import (
    ARRAY_BUFFER_CONSTRUCTOR,
    ASYNC_ITERATOR_FACTORY,
    ITERATOR_FACTORY,
    PROMISE_CONSTRUCTOR,
    PROMISE_FAILURE,
    PROMISE_SUCCESS,
    STREAM_CONSTRUCTOR,
)

__all__ = [
    "WRITE_DEPTH",
    "JSWriter",
    "identifier",
    "resolve_assignments",
    "write_cross",
    "write_vanilla",
]

WRITE_DEPTH: Final = 4096
"""Node nesting the writer supports for trees of unknown depth (seroval on V8 manages ~1900)."""

_REF_START: Final = "hjkmoquxzABCDEFGHIJKLNPQRTUVWXYZ$_"
_REF_REST: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$_"


def _spell(index: int) -> str:
    name = _REF_START[index % 34]
    index //= 34
    while index > 0:
        name += _REF_REST[index % 64]
        index //= 64
    return name


_SHORT_NAMES: Final = tuple(_spell(index) for index in range(34 * 64))


def identifier(index: int) -> str:
    """Vanilla variable name number ``index``: ``h, j, k, …, _, hb, jb, …``.

    The first character avoids ``M``, ``O`` and ``S`` (so as not to shadow Map,
    Object, Set and Symbol); the rest are base-64 digits, least significant first.
    """
    return _SHORT_NAMES[index] if index < 34 * 64 else _spell(index)


# -- deferred assignments ---------------------------------------------------------------

# An assignment is (kind, target, key, value).  Kinds, as seroval numbers them:
_INDEX: Final = 0  # target=value       (target is "h.x", "h[1]", 'h["a-b"]', "h.v[2]")
_ADD: Final = 1  # target.add(value)
_SET: Final = 2  # target.set(key,value)
_DELETE: Final = 3  # target.delete(key)
_PROTO: Final = 4  # Object.defineProperty(target,"__proto__",{value:key,...})

Assignment = tuple[int, str, str, str]
_CHAIN_LIMIT: Final = 100


def _assignment_text(kind: int, target: str, key: str, value: str) -> str:
    if kind == _INDEX:
        return target + "=" + value
    if kind == _SET:
        return target + ".set(" + key + "," + value + ")"
    if kind == _ADD:
        return target + ".add(" + value + ")"
    if kind == _DELETE:
        return target + ".delete(" + key + ")"
    return (
        "Object.defineProperty("
        + target
        + ',"__proto__",{value:'
        + key
        + ",configurable:!0,enumerable:!0,writable:!0})"
    )


def resolve_assignments(assignments: list[Assignment], chain_values: bool = True) -> str:
    """Merge queued assignments into ``expr,expr,…,`` text (empty when there are none).

    Consecutive index assignments of the same value chain as ``a.y=a.x=V`` (only
    when ``chain_values``), and consecutive ``set``/``add`` calls (and a ``delete``
    after a ``set``) on the same target chain as method calls.  A chain is cut after
    100 merged assignments.
    """
    if not assignments:
        return ""
    parts: list[str] = []
    previous = assignments[0]
    expression = _assignment_text(*previous)
    chain = 1
    for index in range(1, len(assignments)):
        current = assignments[index]
        kind, target, key, value = current
        before = previous[0]
        if chain == _CHAIN_LIMIT:
            parts.append(expression)
            expression = _assignment_text(*current)
            chain = 0
        elif chain_values and kind == _INDEX and before == _INDEX and value == previous[3]:
            expression = target + "=" + expression
        elif kind == _SET and before == _SET and target == previous[1]:
            expression += ".set(" + key + "," + value + ")"
        elif kind == _ADD and before == _ADD and target == previous[1]:
            expression += ".add(" + value + ")"
        elif kind == _DELETE and before == _SET and target == previous[1]:
            expression += ".delete(" + key + ")"
        else:
            parts.append(expression)
            expression = _assignment_text(*current)
            chain = 0
        chain += 1
        previous = current
    parts.append(expression)
    parts.append("")
    return ",".join(parts)


# -- small text helpers -------------------------------------------------------------------

_SAFE: Final = 2**53 - 1
_SPECIAL_TEXTS: Final = (
    "[]",
    PROMISE_CONSTRUCTOR,
    PROMISE_SUCCESS,
    PROMISE_FAILURE,
    STREAM_CONSTRUCTOR,
    ARRAY_BUFFER_CONSTRUCTOR,
)
_ITERATOR_HEAD: Final = "(" + ITERATOR_FACTORY + ")("
_ASYNC_ITERATOR_HEAD: Final = "(" + ASYNC_ITERATOR_FACTORY + ")("
_SYMBOL_TEXTS: Final = tuple("Symbol." + name for name in SYMBOL_NAMES)
_FLAG_CALLS: Final = {flag: call for flag, call in enumerate(OBJECT_FLAG_JS) if call}
_SEQUENCE_HEAD: Final = "{__SEROVAL_SEQUENCE__:!0,v:["


def _number(value: Any) -> str:
    """JS ``"" + n`` for a number field (ids, offsets, lengths, Number nodes)."""
    if type(value) is int and -_SAFE <= value <= _SAFE:
        return str(value)
    if value is None:
        return "undefined"
    return js_number(value)


@lru_cache(maxsize=8192)
def _property_prefix(key: str) -> str:
    """``key:`` as seroval writes an (already escaped) string key in an object literal."""
    if key == "__proto__":
        return '["__proto__"]:'
    if _key_kind(key) == KEY_OTHER:
        return '"' + key + '":'
    return key + ":"


@lru_cache(maxsize=8192)
def _key_kind(key: str) -> int:
    return key_kind(key)


class _PluginContext:
    """What a plugin's ``serialize`` gets: ``serialize(node)`` renders a child node."""

    __slots__ = ("_writer",)

    def __init__(self, writer: JSWriter) -> None:
        self._writer = writer

    def serialize(self, node: Node) -> str:
        return self._writer.text(node)


# -- the writer ---------------------------------------------------------------------------


class JSWriter:
    """One serialization pass: seroval's serializer context (vanilla or cross).

    ``marked`` holds the ids the parser saw more than once; the writer adds to it
    (as seroval's does: in streaming, later chunks see the marks of earlier ones).
    """

    __slots__ = (
        "assign_all",
        "assignments",
        "cross",
        "features",
        "flags",
        "marked",
        "names",
        "out",
        "plugins",
        "ref",
        "sentinels",
        "stack",
    )

    def __init__(
        self,
        *,
        cross: bool,
        features: int,
        marked: dict[Any, None],
        plugins: tuple[Plugin, ...] = (),
        assign_all: bool = False,
    ) -> None:
        self.cross = cross
        self.features = features
        self.marked = marked
        self.assign_all = assign_all
        self.plugins: dict[str, Plugin] = {}
        for plugin in plugins:
            self.plugins.setdefault(escape_string(plugin.tag), plugin)
        self.out: list[str] = []
        self.stack: list[Any] = []
        self.flags: list[str] = []
        self.assignments: list[Assignment] = []
        self.names: dict[Any, str] = {}
        self.sentinels: dict[str, None] = {}
        self.ref: Callable[[Any], str] = self._cross_ref if cross else self._vanilla_ref

    # -- names and marks -----------------------------------------------------------------

    def _vanilla_ref(self, node_id: Any) -> str:
        name = self.names.get(node_id)
        if name is None:
            name = self.names[node_id] = identifier(len(self.names))
        return name

    @staticmethod
    def _cross_ref(node_id: Any) -> str:
        if type(node_id) is int:
            return f"$R[{node_id}]"
        return "$R[" + _number(node_id) + "]"

    def mark(self, node_id: Any) -> None:
        self.marked[node_id] = None

    def assigned(self, node_id: Any, text: str) -> str:
        """seroval's ``assignIndexedValue``: ``ref=text`` when the node must be stored."""
        if self.assign_all or node_id in self.marked:
            return self.ref(node_id) + "=" + text
        return text

    def in_stack(self, node: Node) -> bool:
        """A reference to an ancestor still being written (its value does not exist yet)."""
        return node["t"] == 4 and node["i"] in self.stack

    def has_marked(self, node: Any) -> bool:
        """Whether ``node`` or anything inside it is read from more than one place."""
        marked = self.marked
        todo = [node]
        while todo:
            item = todo.pop()
            if type(item) is dict:
                node_id = item.get("i")
                if item.get("t") != 4 and type(node_id) in (int, float) and node_id in marked:
                    return True
                todo.extend(item.values())
            elif type(item) is list:
                todo.extend(item)
        return False

    def push_flag(self, flag: Any, node_id: Any) -> None:
        """Queue ``Object.freeze(x)`` & co.; the node gets its name now.

        Like seroval (``flag !== 0``), a missing or unknown flag in a hand-made
        tree is written as a call to ``undefined``.
        """
        if flag == 0 and type(flag) is not bool:
            return
        self.mark(node_id)
        call = "undefined" if type(flag) is bool else _FLAG_CALLS.get(flag, "undefined")
        self.flags.append(call + "(" + self.ref(node_id) + "),")

    def patches(self) -> str:
        """The merged global assignments followed by the flag calls."""
        return resolve_assignments(self.assignments) + "".join(self.flags)

    # -- queueing deferred assignments -----------------------------------------------------

    def index_assign(self, node_id: Any, index: str, value: str) -> None:
        self.assignments.append((_INDEX, self.ref(node_id) + "[" + index + "]", "", value))

    def key_assign(self, node_id: Any, key: str, value: str) -> None:
        """``h.key=V``, ``h[1]=V``, ``h["a-b"]=V`` or the ``__proto__`` defineProperty."""
        kind = _key_kind(key)
        if kind == KEY_IDENTIFIER:
            if key == "__proto__":
                self.assignments.append((_PROTO, self.ref(node_id), value, ""))
            else:
                self.assignments.append((_INDEX, self.ref(node_id) + "." + key, "", value))
        elif kind == KEY_NUMERIC:
            self.index_assign(node_id, key, value)
        else:
            self.index_assign(node_id, '"' + key + '"', value)

    def set_assign(self, node_id: Any, key: str, value: str) -> None:
        self.assignments.append((_SET, self.ref(node_id), key, value))

    # -- the walk -------------------------------------------------------------------------

    def text(self, node: Node) -> str:
        """Render ``node`` on its own and return its text (for values held in assignments)."""
        saved = self.out
        buffer: list[str] = []
        self.out = buffer
        try:
            self.write(node)
        finally:
            self.out = saved
        return "".join(buffer)

    def write(self, node: Node) -> None:
        """Append the text of ``node`` to the output."""
        t = node["t"]
        if t == 1:
            self.out.append('"' + node["s"] + '"')
        elif t == 0:
            self.out.append(_number(node["s"]))
        elif t == 4:
            self.out.append(self.ref(node["i"]))
        elif t == 2:
            self.out.append(CONSTANT_JS[node["s"]])
        elif t == 3:
            self.out.append(node["s"] + "n")
        elif t in _UNASSIGNED:
            _UNASSIGNED[t](self, node)
        else:
            out = self.out
            slot = len(out)
            out.append("")
            _ASSIGNABLE.get(t, JSWriter.unsupported)(self, node)
            node_id = node.get("i")
            if self.assign_all or node_id in self.marked:
                out[slot] = self.ref(node_id) + "="

    def unsupported(self, node: Node) -> None:
        raise SerovalUnsupportedNodeError(
            f"seroval cannot write a node of type {node.get('t')!r} as JS text here",
            node,
            step="serialize",
        )

    def _empty_since(self, start: int) -> bool:
        """Whether the node written from ``start`` rendered as nothing.

        Every node writes at least one non-empty piece, except a plugin whose
        ``serialize`` returned ``""``: its only piece is its (empty) ``h=`` slot.
        """
        out = self.out
        size = len(out)
        return size == start or (size == start + 1 and not out[start])

    def item(self, node: Node, separate: bool) -> bool:
        """Write a list item after a comma (when ``separate``); drop both if it renders empty."""
        out = self.out
        start = len(out)
        if separate:
            out.append(",")
        self.write(node)
        if self._empty_since(start + separate):
            del out[start:]
            return False
        return True

    def constructor(self, node: Node) -> None:
        """seroval's ``getConstructor``: a bare name, or ``(expr)`` to be called."""
        if node["t"] == 4:
            self.write(node)
        else:
            self.out.append("(")
            self.write(node)
            self.out.append(")")

    # -- arrays, objects, dictionaries --------------------------------------------------------

    def array(self, node: Node) -> None:
        """``[a,b]``; holes and deferred items are empty slots (a trailing one adds a comma)."""
        items = node["a"]
        out = self.out
        if not items:
            out.append("[]")
            return
        node_id = node.get("i")
        self.stack.append(node_id)
        separator = "["
        empty = False
        for index, item in enumerate(items):
            if not item:
                out.append(separator)
                empty = True
            elif item["t"] == 1:  # the common case, in one piece
                out.append(separator + '"' + item["s"] + '"')
                empty = False
            elif item["t"] == 4 and item["i"] in self.stack:
                out.append(separator)
                self.mark(node_id)
                self.index_assign(node_id, str(index), self.ref(item["i"]))
                empty = True
            else:
                out.append(separator)
                start = len(out)
                self.write(item)
                empty = self._empty_since(start)
            separator = ","
        self.stack.pop()
        flag = node.get("o")
        if flag != 0 or flag is False:
            self.push_flag(flag, node_id)
        out.append(",]" if empty else "]")

    def object(self, node: Node) -> None:
        flag = node.get("o")
        if flag != 0 or flag is False:
            self.push_flag(flag, node.get("i"))
        self.properties(node.get("i"), node["p"])

    def properties(self, node_id: Any, record: dict[str, Any]) -> bool:
        """Write ``{k:v,…}``; deferred entries are left out.  True when anything was written."""
        keys = record["k"]
        out = self.out
        values = record["v"]
        self.stack.append(node_id)
        separator = "{"
        for index, key in enumerate(keys):
            value = values[index]
            kind = value["t"]
            if type(key) is not str:
                out.append(separator + "[")
                self.write(key)
                out.append("]:")
                self.write(value)
            elif kind == 1:  # the common case, in one piece
                out.append(separator + _property_prefix(key) + '"' + value["s"] + '"')
            elif kind == 4 and value["i"] in self.stack:
                name = self.ref(value["i"])
                self.mark(node_id)
                self.key_assign(node_id, key, name)
                continue
            else:
                out.append(separator + _property_prefix(key))
                self.write(value)
            separator = ","
        self.stack.pop()
        if separator == "{":
            out.append("{}")
            return False
        out.append("}")
        return True

    def dictionary(self, node: Node, init: str) -> None:
        """A null-prototype object or an error: ``init`` plus its own properties.

        With ObjectAssign on (and no ``__proto__`` key) the properties go in an
        ``Object.assign(init,{…})``; otherwise each becomes an assignment inside
        ``(h=init,h.a=1,…,h)``, which needs the node named.
        """
        record = node.get("p")
        if record:
            node_id = node.get("i")
            out = self.out
            if self.features & Feature.OBJECT_ASSIGN and "__proto__" not in record["k"]:
                slot = len(out)
                out.append("")
                out.append(init)
                start = len(out)
                out.append(",")
                if self.properties(node_id, record):
                    out[slot] = "Object.assign("
                    out.append(")")
                else:
                    del out[start:]
                return
            self.mark(node_id)
            assignments = self.local_assignments(node_id, record)
            if assignments:
                out.append(
                    "(" + self.assigned(node_id, init) + "," + assignments + self.ref(node_id) + ")"
                )
                return
        self.out.append(init)

    def local_assignments(self, node_id: Any, record: dict[str, Any]) -> str:
        """Each property as an assignment; ancestors still go to the global queue."""
        keys = record["k"]
        if not keys:
            return ""
        values = record["v"]
        local: list[Assignment] = []
        self.stack.append(node_id)
        for index, key in enumerate(keys):
            value = values[index]
            parent = self.assignments
            if type(key) is str:
                text = self.text(value)
                if not self.in_stack(value):
                    self.assignments = local
                self.key_assign(node_id, key, text)
            else:
                stack = self.stack
                self.stack = []
                text = self.text(value)
                self.stack = stack
                self.assignments = local
                self.index_assign(node_id, self.text(key), text)
            self.assignments = parent
        self.stack.pop()
        return resolve_assignments(local, chain_values=False)

    def null_constructor(self, node: Node) -> None:
        self.push_flag(node.get("o"), node.get("i"))
        self.dictionary(node, "Object.create(null)")

    def error(self, node: Node) -> None:
        name = ERROR_CONSTRUCTOR_NAMES[node["s"]]
        self.dictionary(node, "new " + name + '("' + node["m"] + '")')

    def aggregate_error(self, node: Node) -> None:
        self.stack.append(node.get("i"))
        self.dictionary(node, 'new AggregateError([],"' + node["m"] + '")')
        self.stack.pop()

    # -- sets, maps, sequences ---------------------------------------------------------------

    def set(self, node: Node) -> None:
        out = self.out
        out.append("new Set")
        items = node["a"]
        if not items:
            return
        node_id = node.get("i")
        self.stack.append(node_id)
        start = len(out)
        out.append("([")
        wrote = False
        for item in items:
            if item["t"] == 4 and item["i"] in self.stack:
                self.mark(node_id)
                name = self.ref(item["i"])
                self.assignments.append((_ADD, self.ref(node_id), "", name))
            elif self.item(item, wrote):
                wrote = True
        self.stack.pop()
        if wrote:
            out.append("])")
        else:
            del out[start:]

    def map(self, node: Node) -> None:
        out = self.out
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
            self.stack.append(node_id)
            start = len(out)
            out.append("([")
            wrote = False
            for index, key in enumerate(keys):
                mark = len(out)
                if wrote:
                    out.append(",")
                self.map_entry(node_id, key, values[index], sentinel, names)
                if self._empty_since(mark + wrote):
                    del out[mark:]
                else:
                    wrote = True
            self.stack.pop()
            if wrote:
                out.append("])")
            else:
                del out[start:]
        if self.cross and sentinel["t"] == 26:
            # The first Map of a cross id space defines the sentinel for all later ones.
            self.mark(sentinel["i"])
            out[slot] = "(" + self.text(sentinel) + ","
            out.append(")")

    def sentinel(self, sentinel: Node, names: list[str]) -> str:
        """The Map sentinel's name (declared ``S=[]`` at the top in vanilla mode)."""
        if not names:
            names.append(self.ref(sentinel["i"]))
            if not self.cross:
                self.sentinels[names[0]] = None
        return names[0]

    def map_entry(
        self, node_id: Any, key: Node, value: Node, sentinel: Node, names: list[str]
    ) -> None:
        """``[k,v]``, or, when one side is an ancestor, a deferred ``.set(k,v)``.

        If the other side is a fresh node that something else reads too, it must be
        created in place (not inside the deferred call): it is written as
        ``(node,[S,S])``, an entry that is deleted again by ``.delete(S)``.
        """
        if self.in_stack(key):
            key_name = self.ref(key["i"])
            self.mark(node_id)
            if self.in_stack(value):
                self.set_assign(node_id, key_name, self.ref(value["i"]))
            elif self.needs_sentinel(value):
                self.inline_with_sentinel(value, sentinel, names)
                self.set_assign(node_id, key_name, self.ref(value["i"]))
                self.assignments.append((_DELETE, self.ref(node_id), names[0], ""))
            else:
                self.set_assign(node_id, key_name, self.detached(value))
        elif self.in_stack(value):
            value_name = self.ref(value["i"])
            self.mark(node_id)
            if self.needs_sentinel(key):
                self.inline_with_sentinel(key, sentinel, names)
                self.set_assign(node_id, self.ref(key["i"]), value_name)
                self.assignments.append((_DELETE, self.ref(node_id), names[0], ""))
            else:
                self.set_assign(node_id, self.detached(key), value_name)
        else:
            out = self.out
            out.append("[")
            self.write(key)
            out.append(",")
            self.write(value)
            out.append("]")

    def needs_sentinel(self, node: Node) -> bool:
        return node["t"] != 4 and node.get("i") is not None and self.has_marked(node)

    def inline_with_sentinel(self, node: Node, sentinel: Node, names: list[str]) -> None:
        self.mark(node["i"])
        name = self.sentinel(sentinel, names)
        self.out.append("(")
        self.write(node)
        self.out.append(",[" + name + "," + name + "])")

    def detached(self, node: Node) -> str:
        """The text of ``node`` written with an empty stack (it runs after its ancestors exist)."""
        stack = self.stack
        self.stack = []
        try:
            return self.text(node)
        finally:
            self.stack = stack

    def sequence(self, node: Node) -> None:
        """A captured iterator; a deferred item is *skipped*: later ones shift (seroval's bug)."""
        out = self.out
        out.append(_SEQUENCE_HEAD)
        items = node["a"]
        node_id = node.get("i")
        wrote = False
        if items:
            self.stack.append(node_id)
            for index, item in enumerate(items):
                if item["t"] == 4 and item["i"] in self.stack:
                    self.mark(node_id)
                    name = self.ref(item["i"])
                    target = self.ref(node_id) + ".v[" + str(index) + "]"
                    self.assignments.append((_INDEX, target, "", name))
                elif self.item(item, wrote):
                    wrote = True
            self.stack.pop()
        if wrote:
            out.append("],t:" + _number(node["s"]) + ",d:" + _number(node["l"]) + "}")
        else:
            out.append("],t:-1,d:0}")

    # -- scalars with an id -----------------------------------------------------------------

    def date(self, node: Node) -> None:
        self.out.append('new Date("' + escape_string(node["s"]) + '")')

    def regexp(self, node: Node) -> None:
        if not self.features & Feature.REGEXP:
            raise SerovalUnsupportedNodeError(
                "RegExp nodes are disabled (Feature.REGEXP)", node, step="serialize"
            )
        source: str = node["c"]
        if "\\x3C" in source:
            self.out.append('new RegExp("' + source + '","' + node["m"] + '")')
        else:
            self.out.append("/" + _unescape(source) + "/" + node["m"])

    def temporal(self, node: Node) -> None:
        if not self.features & Feature.TEMPORAL:
            raise SerovalUnsupportedNodeError(
                "Temporal nodes are disabled (Feature.TEMPORAL)", node, step="serialize"
            )
        kind = TEMPORAL_TYPE_NAMES[node["c"]]
        self.out.append("Temporal." + kind + '.from("' + escape_string(node["s"]) + '")')

    def symbol(self, node: Node) -> None:
        self.out.append(_SYMBOL_TEXTS[node["s"]])

    def reference(self, node: Node) -> None:
        self.out.append('__SEROVAL_REFS__.get("' + node["s"] + '")')

    def special(self, node: Node) -> None:
        self.out.append(_SPECIAL_TEXTS[node["s"]])

    def boxed(self, node: Node) -> None:
        self.out.append("Object(")
        self.write(node["f"])
        self.out.append(")")

    def array_buffer(self, node: Node) -> None:
        self.constructor(node["f"])
        self.out.append('("' + node["s"] + '")')

    def view(self, node: Node) -> None:
        kind = "DataView" if node["t"] == 20 else node["c"]
        self.out.append("new " + kind + "(")
        self.write(node["f"])
        self.out.append("," + _number(node.get("b")) + "," + _number(node.get("l")) + ")")

    def plugin(self, node: Node) -> None:
        tag = node.get("c")
        plugin = self.plugins.get(tag) if type(tag) is str else None
        if plugin is None:
            raise SerovalMissingPluginError(
                f"no plugin given for the tag {tag!r}", str(tag), step="serialize"
            )
        try:
            text = plugin.serialize(node["s"], _PluginContext(self))
        except SerovalError:
            raise
        except Exception as error:
            raise wrap_foreign(error, "serialize", f"plugin {plugin.tag!r}") from error
        if type(text) is not str:
            raise SerovalSerializationError(
                f"plugin {plugin.tag!r} returned {type(text).__name__}, not str"
            )
        if text:
            self.out.append(text)

    # -- promises, iterators, streams -----------------------------------------------------

    def vanilla_only(self, node: Node) -> None:
        """Streaming-only node types have no self-contained form."""
        if not self.cross:
            self.unsupported(node)

    def promise(self, node: Node) -> None:
        value = node["f"]
        fulfilled = bool(node["s"])
        call = "Promise.resolve" if fulfilled else "Promise.reject"
        if self.in_stack(value):
            name = self.ref(value["i"])
            tail = (
                "().then(()=>" + name + ")" if fulfilled else "().catch(()=>{throw " + name + "})"
            )
            self.out.append(call + tail)
            return
        self.stack.append(node.get("i"))
        self.out.append(call + "(")
        self.write(value)
        self.out.append(")")
        self.stack.pop()

    def promise_constructor(self, node: Node) -> None:
        self.vanilla_only(node)
        out = self.out
        out.append("(")
        slot = len(out)
        out.append("")
        self.constructor(node["f"])
        out.append("()")
        resolver = node.get("s")
        if self.assign_all or resolver in self.marked:
            out[slot] = self.ref(resolver) + "="
        out.append(").p")

    def promise_result(self, node: Node) -> None:
        self.vanilla_only(node)
        helper, value = node["a"]
        self.constructor(helper)
        self.out.append("(" + self.ref(node["i"]) + ",")
        self.write(value)
        self.out.append(")")

    def iterator_factory(self, node: Node) -> None:
        symbol = node["f"]
        out = self.out
        inline = symbol["t"] != 4
        if inline:
            self.mark(symbol["i"])
            out.append("(")
            self.write(symbol)
            out.append(",")
        out.append(self.assigned(node.get("i"), _ITERATOR_HEAD + self.ref(symbol["i"]) + ")"))
        if inline:
            out.append(")")

    def factory_instance(self, node: Node) -> None:
        factory, argument = node["a"]
        self.constructor(factory)
        self.out.append("(")
        self.write(argument)
        self.out.append(")")

    def async_iterator_factory(self, node: Node) -> None:
        promise, symbol = node["a"]
        out = self.out
        opened = False
        if promise["t"] != 4:
            self.mark(promise["i"])
            out.append("(")
            self.write(promise)
            opened = True
        if symbol["t"] != 4:
            self.mark(symbol["i"])
            out.append("," if opened else "(")
            self.write(symbol)
            opened = True
        if opened:
            out.append(",")
        names = self.ref(symbol["i"]) + "," + self.ref(promise["i"]) + ")"
        out.append(self.assigned(node.get("i"), _ASYNC_ITERATOR_HEAD + names))
        if opened:
            out.append(")")

    def stream_constructor(self, node: Node) -> None:
        events = node["a"]
        node_id = node.get("i")
        out = self.out
        if events:
            out.append("(")
        slot = len(out)
        out.append("")
        self.constructor(node["f"])
        out.append("(1)" if node.get("l") == 1 else "()")
        if self.assign_all or node_id in self.marked:
            out[slot] = self.ref(node_id) + "="
        if events:
            for event in events:
                out.append(",")
                self.write(event)
            out.append("," + self.ref(node_id) + ")")

    def stream_event(self, node: Node) -> None:
        method = _STREAM_METHODS[node["t"]]
        self.out.append(self.ref(node["i"]) + method)
        self.write(node["f"])
        self.out.append(")")

    # -- top level --------------------------------------------------------------------------

    def finish_vanilla(self, root: Node) -> str:
        """Wrap the root's text in the IIFE that declares the names and runs the patches."""
        result = "".join(self.out)
        root_id = root.get("i")
        if root_id is not None and self.names:
            patches = self.patches()
            body = result
            if patches:
                name = self.ref(root_id)
                head = "(" if result.startswith(name + "=") else "(" + name + "="
                body = head + result + "," + patches + name + ")"
            if self.sentinels:
                declarations = "".join(name + "=[]," for name in self.sentinels)
                body = "(" + declarations + body + ")"
            params = list(self.names.values())
            head = params[0] if len(params) == 1 else "(" + ",".join(params) + ")"
            if body.startswith("{"):
                body = "(" + body + ")"
            return "(" + head + "=>" + body + ")()"
        if root["t"] == 10:
            return "(" + result + ")"
        return result

    def finish_cross(self, root: Node, scope_id: str | None) -> str:
        """Append the patches and, with a scope id, wrap in ``($R=>…)($R["scope"])``."""
        result = "".join(self.out)
        root_id = root.get("i")
        if root_id is None:
            return result
        patches = self.patches()
        name = self.ref(root_id)
        body = result
        if patches:
            if not self.assign_all and not result.startswith(name + "="):
                body = name + "=" + result
            body = "(" + body + "," + patches + name + ")"
        if scope_id is None:
            if root["t"] == 10 and not patches:
                return "(" + body + ")"
            return body
        if body.startswith("{"):
            body = "(" + body + ")"
        return "($R=>" + body + ')($R["' + escape_string(scope_id) + '"])'


_STREAM_METHODS: Final = {32: ".next(", 33: ".throw(", 34: ".return("}

# Node types written as is, and types written through `assigned` (``ref=…`` when stored).
_UNASSIGNED: Final[dict[int, Callable[[JSWriter, Node], None]]] = {
    23: JSWriter.promise_result,
    24: JSWriter.promise_result,
    27: JSWriter.iterator_factory,
    28: JSWriter.factory_instance,
    29: JSWriter.async_iterator_factory,
    30: JSWriter.factory_instance,
    31: JSWriter.stream_constructor,
    32: JSWriter.stream_event,
    33: JSWriter.stream_event,
    34: JSWriter.stream_event,
}
_ASSIGNABLE: Final[dict[int, Callable[[JSWriter, Node], None]]] = {
    5: JSWriter.date,
    6: JSWriter.regexp,
    7: JSWriter.set,
    8: JSWriter.map,
    9: JSWriter.array,
    10: JSWriter.object,
    11: JSWriter.null_constructor,
    12: JSWriter.promise,
    13: JSWriter.error,
    14: JSWriter.aggregate_error,
    15: JSWriter.view,
    16: JSWriter.view,
    17: JSWriter.symbol,
    18: JSWriter.reference,
    19: JSWriter.array_buffer,
    20: JSWriter.view,
    21: JSWriter.boxed,
    22: JSWriter.promise_constructor,
    25: JSWriter.plugin,
    26: JSWriter.special,
    35: JSWriter.sequence,
    36: JSWriter.temporal,
}


def _run(writer: JSWriter, root: Node, levels: int, finish: Callable[[], str]) -> str:
    """Walk ``root`` with recursion head-room; foreign failures become serialization errors.

    The writer builds no reference cycles (only strings, lists and tuples), so the
    cyclic collector is paused: a pass would walk the whole fresh node tree for nothing.
    """
    try:
        with recursion_headroom(levels), gc_paused():
            writer.write(root)
            return finish()
    except SerovalError:
        raise
    except RecursionError:
        raise SerovalSerializationError(
            "the node tree nests too deeply to be written as JS text"
        ) from None
    except Exception as error:
        raise wrap_foreign(error, "serialize", "a malformed node tree") from error


def write_vanilla(
    root: Node,
    *,
    features: int,
    marked: dict[Any, None],
    plugins: tuple[Plugin, ...] = (),
    levels: int = WRITE_DEPTH,
) -> str:
    """seroval's ``serializeTopVanilla``: a self-contained JS expression for ``root``."""
    writer = JSWriter(cross=False, features=features, marked=marked, plugins=plugins)
    return _run(writer, root, levels, lambda: writer.finish_vanilla(root))


def write_cross(
    root: Node,
    *,
    features: int,
    marked: dict[Any, None],
    plugins: tuple[Plugin, ...] = (),
    scope_id: str | None = None,
    assign_shared_refs_only: bool = False,
    levels: int = WRITE_DEPTH,
) -> str:
    """seroval's ``serializeTopCross``: a ``$R[…]`` expression for ``root``."""
    writer = JSWriter(
        cross=True,
        features=features,
        marked=marked,
        plugins=plugins,
        assign_all=not assign_shared_refs_only,
    )
    return _run(writer, root, levels, lambda: writer.finish_cross(root, scope_id))
