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
from typing import Any, Final

from ..errors import (
    SerovalError,
    SerovalSerializationError,
    SerovalUnsupportedNodeError,
    wrap_foreign,
)
from ..model.nodes import (
    CONSTANT_JS,
    OBJECT_FLAG_JS,
    T_BIGINT,
    T_CONSTANT,
    T_INDEXED_VALUE,
    T_NUMBER,
    T_OBJECT,
    T_STRING,
    Node,
)
from ..model.plugins import Plugin
from ..model.strings import KEY_IDENTIFIER, KEY_NUMERIC, escape_string
from ..stack import MIN_EXTENSION, StackBudget
from .spelling import (
    INDEX,
    PROTO,
    SET,
    Assignment,
    cached_key_kind,
    identifier,
    number_text,
    resolve_assignments,
)
from .write_async import ASYNC_ASSIGNABLE, ASYNC_UNASSIGNED
from .write_containers import CONTAINER_WRITERS
from .write_loop import LOOPED, write_nested
from .write_scalars import SCALAR_WRITERS

__all__ = [
    "FRAMES_PER_LEVEL",
    "WRITE_DEPTH",
    "JSWriter",
    "NodeWriter",
    "identifier",
    "resolve_assignments",
    "write_cross",
    "write_vanilla",
]

WRITE_DEPTH: Final = 4096
"""Node nesting the writer supports for trees of unknown depth (seroval on V8 manages ~1900)."""

#: An upper bound on the Python frames one level of node nesting takes in the writer
#: (an error's properties written one by one are the longest path, a plugin's
#: ``serialize`` adds its own), for :class:`~seroval.protocol.stack.StackBudget`.
FRAMES_PER_LEVEL: Final = 8

_FLAG_CALLS: Final = {flag: call for flag, call in enumerate(OBJECT_FLAG_JS) if call}


class JSWriter:
    """One serialization pass: seroval's serializer context (vanilla or cross).

    ``marked`` holds the ids the parser saw more than once; the writer adds to it
    (as seroval's does: in streaming, later chunks see the marks of earlier ones).
    """

    __slots__ = (
        "assign_all",
        "assignments",
        "budget",
        "cross",
        "depth",
        "features",
        "flags",
        "marked",
        "max_depth",
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
        max_depth: int = WRITE_DEPTH,
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
        # Nodes being written, innermost last: at most max_depth; past what this
        # thread's stack holds, the walk continues on a fresh one (protocol.stack).
        self.depth = 0
        self.max_depth = max_depth
        self.budget = StackBudget(FRAMES_PER_LEVEL)

    def _vanilla_ref(self, node_id: Any) -> str:
        name = self.names.get(node_id)
        if name is None:
            name = self.names[node_id] = identifier(len(self.names))
        return name

    @staticmethod
    def _cross_ref(node_id: Any) -> str:
        if type(node_id) is int:
            return f"$R[{node_id}]"
        return "$R[" + number_text(node_id) + "]"

    def mark(self, node_id: Any) -> None:
        self.marked[node_id] = None

    def assigned(self, node_id: Any, text: str) -> str:
        """seroval's ``assignIndexedValue``: ``ref=text`` when the node must be stored."""
        if self.assign_all or node_id in self.marked:
            return self.ref(node_id) + "=" + text
        return text

    def in_stack(self, node: Node) -> bool:
        """A reference to an ancestor still being written (its value does not exist yet)."""
        return node["t"] == T_INDEXED_VALUE and node["i"] in self.stack

    def has_marked(self, node: Any) -> bool:
        """Whether ``node`` or anything inside it is read from more than one place."""
        marked = self.marked
        todo = [node]
        while todo:
            item = todo.pop()
            if type(item) is dict:
                node_id = item.get("i")
                if (
                    item.get("t") != T_INDEXED_VALUE
                    and type(node_id) in (int, float)
                    and node_id in marked
                ):
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

    def index_assign(self, node_id: Any, index: str, value: str) -> None:
        self.assignments.append((INDEX, self.ref(node_id) + "[" + index + "]", "", value))

    def key_assign(self, node_id: Any, key: str, value: str) -> None:
        """``h.key=V``, ``h[1]=V``, ``h["a-b"]=V`` or the ``__proto__`` defineProperty."""
        kind = cached_key_kind(key)
        if kind == KEY_IDENTIFIER:
            if key == "__proto__":
                self.assignments.append((PROTO, self.ref(node_id), value, ""))
            else:
                self.assignments.append((INDEX, self.ref(node_id) + "." + key, "", value))
        elif kind == KEY_NUMERIC:
            self.index_assign(node_id, key, value)
        else:
            self.index_assign(node_id, '"' + key + '"', value)

    def set_assign(self, node_id: Any, key: str, value: str) -> None:
        self.assignments.append((SET, self.ref(node_id), key, value))

    def text(self, node: Node) -> str:
        """Render ``node`` on its own and return its text (for values held in assignments)."""
        saved = self.out
        depth = self.depth
        buffer: list[str] = []
        self.out = buffer
        try:
            self.write(node)
        finally:
            self.out = saved
            self.depth = depth
        return "".join(buffer)

    def write(self, node: Node) -> None:
        """Append the text of ``node`` to the output."""
        t = node["t"]
        if t == T_STRING:
            self.out.append('"' + node["s"] + '"')
        elif t == T_NUMBER:
            self.out.append(number_text(node["s"]))
        elif t == T_INDEXED_VALUE:
            self.out.append(self.ref(node["i"]))
        elif t == T_CONSTANT:
            self.out.append(CONSTANT_JS[node["s"]])
        elif t == T_BIGINT:
            self.out.append(node["s"] + "n")
        else:
            depth = self.depth
            if depth >= self.max_depth:
                raise SerovalSerializationError(
                    "the node tree nests too deeply to be written as JS text"
                )
            if depth >= self.budget.hand_over_at:
                # Past the budget, arrays and objects go on in a loop, the rest on
                # what the stack has left or a fresh one.
                if t in LOOPED:
                    free = self.budget.free_levels(depth)
                    if free >= MIN_EXTENSION:
                        write_nested(self, node, depth + free)
                        return
                self.budget.deeper(self._write_at, node, depth)
                return
            self.depth = depth + 1
            if t in _UNASSIGNED:
                _UNASSIGNED[t](self, node)
            else:
                out = self.out
                slot = len(out)
                out.append("")
                _ASSIGNABLE.get(t, JSWriter.unsupported)(self, node)
                node_id = node.get("i")
                if self.assign_all or node_id in self.marked:
                    out[slot] = self.ref(node_id) + "="
            # Not restored on an error: the walk ends, or text() (where a plugin
            # could catch it) restores it.
            self.depth = depth

    def _write_at(self, node: Node, depth: int) -> None:
        """:meth:`write` for :meth:`~seroval.protocol.stack.StackBudget.deeper`."""
        self.write(node)

    def unsupported(self, node: Node) -> None:
        raise SerovalUnsupportedNodeError(
            f"seroval cannot write a node of type {node.get('t')!r} as JS text here",
            node,
            step="serialize",
        )

    def empty_since(self, start: int) -> bool:
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
        if self.empty_since(start + separate):
            del out[start:]
            return False
        return True

    def constructor(self, node: Node) -> None:
        """seroval's ``getConstructor``: a bare name, or ``(expr)`` to be called."""
        if node["t"] == T_INDEXED_VALUE:
            self.write(node)
        else:
            self.out.append("(")
            self.write(node)
            self.out.append(")")

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
        if root["t"] == T_OBJECT:
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
            if root["t"] == T_OBJECT and not patches:
                return "(" + body + ")"
            return body
        if body.startswith("{"):
            body = "(" + body + ")"
        return "($R=>" + body + ')($R["' + escape_string(scope_id) + '"])'


#: What writes one node type: ``(writer, node) -> None``, appending to ``writer.out``.
NodeWriter = Callable[[JSWriter, Node], None]

# Node types written as is, and types written through `assigned` (``ref=…`` when stored).
_UNASSIGNED: Final[dict[int, NodeWriter]] = ASYNC_UNASSIGNED
_ASSIGNABLE: Final[dict[int, NodeWriter]] = {
    **CONTAINER_WRITERS,
    **SCALAR_WRITERS,
    **ASYNC_ASSIGNABLE,
}


# The types write_loop.py writes past the stack budget, with the writers of
# write_containers that it follows step by step.
assert all(_ASSIGNABLE.get(t) is CONTAINER_WRITERS.get(t) for t in LOOPED)


def _run(writer: JSWriter, root: Node, finish: Callable[[], str]) -> str:
    """Walk ``root``; foreign failures (a malformed tree) become serialization errors."""
    try:
        writer.budget.start(writer.depth)
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
    """seroval's ``serializeTopVanilla``: a self-contained JS expression for ``root``.

    ``levels`` is the deepest node nesting written.  Raises
    :class:`~seroval.SerovalSerializationError` (a subclass where one names the
    problem: an unsupported node type, a missing plugin) for a tree that cannot be
    written, including one nested deeper than ``levels``.
    """
    writer = JSWriter(
        cross=False, features=features, marked=marked, plugins=plugins, max_depth=levels
    )
    return _run(writer, root, lambda: writer.finish_vanilla(root))


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
    """seroval's ``serializeTopCross``: a ``$R[…]`` expression for ``root``.

    ``levels`` and the errors raised are those of :func:`write_vanilla`.
    """
    writer = JSWriter(
        cross=True,
        features=features,
        marked=marked,
        plugins=plugins,
        assign_all=not assign_shared_refs_only,
        max_depth=levels,
    )
    return _run(writer, root, lambda: writer.finish_cross(root, scope_id))
