"""Nodes to Python values: seroval's ``fromJSON`` / ``fromCrossJSON``, hardened.

The input is untrusted.  Every field is type-checked before use, nothing in a
payload is ever used to look up an attribute, class or module (plugin tags and
reference ids are matched only against what the caller registered), and the
reader's limits are seroval's: nesting depth, base64 length, BigInt length, RegExp
size.  Anything wrong raises a :class:`~seroval.protocol.errors.SerovalError`
naming the problem and its place in the tree (``$.t.a[2].p.v[0]``); nothing else
escapes.  Object keys such as ``__proto__``, ``constructor`` or ``__class__`` are
plain ``dict`` keys.

Values are registered under their id before their children are read (so cycles
resolve), except for values built from their children (typed arrays, boxed
values, plugin values), which register after, as in seroval.

The reader is recursive, a few Python frames a level; past the thread's stack budget
(:mod:`seroval.protocol.stack`), arrays, objects, Sets and Maps are read in a loop
that takes no frames per level (:mod:`.read_loop`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from ..errors import (
    SerovalConflictedNodeIdError,
    SerovalDepthLimitError,
    SerovalError,
    SerovalMalformedNodeError,
    SerovalMissingReferenceError,
    SerovalUnsupportedNodeError,
    wrap_foreign,
)
from ..model.nodes import (
    LEAF_NODE_TYPES,
    T_CONSTANT,
    T_NUMBER,
    T_STRING,
    Node,
)
from ..model.options import DEFAULT_MAX_BASE64_LENGTH, ReadOptions
from ..model.references import ReadRefs
from ..model.strings import unescape_string
from ..model.values import (
    MAX_SAFE_INTEGER,
    JSSymbol,
    undefined,
)
from ..stack import MIN_EXTENSION, StackBudget
from .read_base import (
    MAX_REGEXP_PROPERTY_ESCAPES,
    MAX_REGEXP_SOURCE_LENGTH,
    VALID_SYMBOL_KEYS,
    PromiseResolver,
    describe,
    is_int,
    malformed,
)
from .read_loop import CONTAINERS, NOT_NESTED, read_nested
from .read_special import READERS
from .read_values import CONSTANT_VALUES

__all__ = [
    "DEFAULT_MAX_BASE64_LENGTH",
    "MAX_REGEXP_SOURCE_LENGTH",
    "Deserializer",
    "PromiseResolver",
    "ReadOptions",
]

#: An upper bound on the Python frames one nesting level of the reader uses (a
#: plugin's own hooks included), for :class:`~seroval.protocol.stack.StackBudget`.
FRAMES_PER_LEVEL: Final = 6


class Deserializer:
    """Reads node trees.  ``marked`` is the envelope's ``m`` (vanilla) or ``None`` (cross).

    ``pending``, when given, tracks the promise resolvers and streams still open
    (by identity, value as is), for a cross deserializer's ``pending`` and ``abort``.

    ``forward_references`` is for streamed records: seroval's stream mode can send a
    reference to an id that a *later* record defines (an id taken while a buffered
    stream event was parsed), and its reader reads such a reference as
    ``undefined``; so does this one then.  Elsewhere an unknown id is an error.

    ``single_consumer_streams`` reads every stream as a live one (buffered only
    until its first listener, then passed through): for a reader whose streams have
    exactly one consumer (an RPC client), so a long stream is not kept in memory.
    """

    def __init__(
        self,
        options: ReadOptions,
        features: int,
        refs: ReadRefs | None = None,
        marked: frozenset[int] | None = None,
        pending: dict[int, object] | None = None,
        forward_references: bool = False,
        single_consumer_streams: bool = False,
    ) -> None:
        self.refs = refs if refs is not None else ReadRefs()
        self.single_consumer_streams = single_consumer_streams
        self.values = self.refs.values
        self.types = self.refs.types
        self.marked = marked
        self.features = features
        self.depth_limit = options.depth_limit
        self.max_base64_length = options.max_base64_length
        self.plugins = options.plugins
        self.regexp_escapes = MAX_REGEXP_PROPERTY_ESCAPES
        self.pending = pending
        self.forward_references = forward_references
        # Ids of plugin nodes whose fields are being read: seroval registers a plugin
        # value only once it is built, so a field referring back to it reads undefined.
        self.building: set[int] = set()
        self.budget = StackBudget(FRAMES_PER_LEVEL)
        # Every id this read defines, stored or not (from_json stores only marked ids),
        # so that no id is defined twice; and the ids referred to before any node
        # defined them, which no later node may then define (read_rules.py).
        self.seen: set[int] = set()
        self.unresolved: set[int] = set()
        self.highest = max(self.values, default=-1)
        # The id of the stream whose constructor is replaying its events (its a).
        self.replaying = -1
        # The strictness rules (read_rules.py) apply to input, read through read_top.
        # The JS-text evaluator also calls read() directly on one-node trees it built
        # itself from text it has checked (ids 0.. naming its own values, -0 as a
        # number), and applies the same rules to the text; those reads are not strict.
        self.strict = False

    # -- entry ----------------------------------------------------------------------

    def read_top(self, node: object) -> Any:
        """Read a root node (one top-level call: resets the RegExp escape budget)."""
        self.regexp_escapes = MAX_REGEXP_PROPERTY_ESCAPES
        self.strict = True
        try:
            self.budget.start(0)
            value = self.read(node, 0)
            if self.unresolved and self.marked is not None:
                self.check_unwritten()
            return value
        except SerovalError:
            raise
        except RecursionError:
            raise SerovalDepthLimitError(
                self.depth_limit, step="deserialize", what="the node tree"
            ) from None
        except Exception as error:
            raise wrap_foreign(error, "deserialize", "reading a node") from error

    def read(self, node: Any, depth: int) -> Any:
        if depth > self.depth_limit:
            raise SerovalDepthLimitError(self.depth_limit, step="deserialize", what="the node tree")
        if type(node) is not dict:
            raise malformed(f"a node must be an object, not {describe(node)}", node)
        kind = node.get("t")
        if type(kind) is not int or not 0 <= kind < len(READERS):
            if type(kind) is int or kind is None:
                raise SerovalUnsupportedNodeError(
                    f"unknown node type {kind!r}", node, step="deserialize"
                )
            raise malformed(f"a node's t must be an integer, not {describe(kind)}", node)
        if depth >= self.budget.hand_over_at and kind not in LEAF_NODE_TYPES:
            # Past the budget, plain containers go on in a loop, the rest on what the
            # stack has left or a fresh one.
            if kind in CONTAINERS:
                free = self.budget.free_levels(depth)
                if free >= MIN_EXTENSION:
                    value = read_nested(self, node, kind, depth + 1, depth + free)
                    if value is not NOT_NESTED:
                        return value
            return self.budget.deeper(self.read, node, depth)
        return READERS[kind](self, node, depth + 1)

    def each(self, items: list[Any], depth: int, field: str) -> Iterator[Any]:
        """Read the nodes of list field ``field`` in order, locating errors by index."""
        for index, item in enumerate(items):
            try:
                value = self.read(item, depth)
            except SerovalError as error:
                error.at(field, index)
                raise
            yield value

    def child(self, node: Node, field: str, depth: int) -> Any:
        if field not in node:
            raise malformed(f"the node has no {field!r} field", node)
        try:
            return self.read(node[field], depth)
        except SerovalError as error:
            error.at(field)
            raise

    # -- ids --------------------------------------------------------------------------

    def node_id(self, node: Node) -> int:
        return self.claim(node.get("i"), node)

    def claim(self, node_id: Any, node: Node) -> int:
        """Check and take a fresh id: defined once, and not referred to before."""
        if type(node_id) is not int or node_id < 0:
            raise malformed(
                f"a node id must be a non-negative integer, not {describe(node_id)}", node
            )
        if node_id in self.values:
            raise SerovalConflictedNodeIdError(f"the id {node_id} is used by two nodes")
        if not self.strict:
            return node_id
        if node_id in self.seen:
            raise SerovalConflictedNodeIdError(f"the id {node_id} is used by two nodes")
        if node_id in self.unresolved and not self.forward_references:
            raise SerovalMissingReferenceError(
                f"a reference to id {node_id} came before the node defining it"
            )
        self.seen.add(node_id)
        if node_id > self.highest:
            self.highest = node_id
        return node_id

    def check_unwritten(self) -> None:
        """In ``from_json``, ids marked but never defined are OpaqueReferences.

        seroval hands out ids densely, and an OpaqueReference's id is never written,
        so each such id lies within the ids the payload defines plus the number of
        such ids; an id far beyond that was never handed out.
        """
        ceiling = self.highest + len(self.unresolved)
        for node_id in self.unresolved:
            if node_id > ceiling:
                raise SerovalMissingReferenceError(
                    f"a reference to id {node_id}, far beyond the ids this payload defines"
                )

    def assign(self, node_id: int, value: Any) -> Any:
        marked = self.marked
        if marked is None or node_id in marked:
            self.values[node_id] = value
        return value

    def register(self, node: Node, value: Any) -> Any:
        # node_id() and assign() inline: every object, array, Set and Map passes here.
        node_id = self.claim(node.get("i"), node)
        marked = self.marked
        if marked is None or node_id in marked:
            self.values[node_id] = value
        return value

    # -- helpers ----------------------------------------------------------------------

    def node_list(self, node: Node, field: str) -> list[Any]:
        items = node.get(field)
        if type(items) is not list:
            raise malformed(f"the node's {field!r} must be a list, not {describe(items)}", node)
        return items

    def record(self, node: Node, field: str) -> tuple[list[Any], list[Any]]:
        record = node.get(field)
        if type(record) is not dict:
            raise malformed(f"the node's {field!r} must be a {{k, v}} record", node)
        keys = record.get("k")
        values = record.get("v")
        if type(keys) is not list or type(values) is not list:
            raise malformed(f"the node's {field}.k and {field}.v must be lists", node)
        if len(keys) != len(values):
            raise malformed(f"the node's {field}.k and {field}.v differ in length", node)
        return keys, values

    def properties(self, node: Node, target: dict[Any, Any], depth: int) -> None:
        keys, values = self.record(node, "p")
        # Strings, safe integers, finite fractions and constants under string keys,
        # the commonest properties, are read here with read()'s and their readers'
        # checks but not their two calls; past the depth limit every value goes
        # through read(), which refuses it.
        inline = depth <= self.depth_limit
        read = self.read
        index = 0
        try:
            for index in range(len(keys)):
                key = keys[index]
                if type(key) is str:
                    item = values[index]
                    if inline and type(item) is dict and "i" not in item:
                        kind = item.get("t")
                        text = item.get("s")
                        if type(kind) is int:
                            if kind == T_STRING and type(text) is str:
                                target[unescape_string(key)] = unescape_string(text)
                                continue
                            if (
                                kind == T_NUMBER
                                and type(text) is int
                                and -MAX_SAFE_INTEGER <= text <= MAX_SAFE_INTEGER
                            ):
                                target[unescape_string(key)] = text
                                continue
                            if (
                                kind == T_NUMBER
                                and type(text) is float
                                and text - text == 0.0  # finite
                                and not text.is_integer()
                            ):
                                target[unescape_string(key)] = text
                                continue
                            if (
                                kind == T_CONSTANT
                                and type(text) is int
                                and 0 <= text < len(CONSTANT_VALUES)
                            ):
                                target[unescape_string(key)] = CONSTANT_VALUES[text]
                                continue
                    target[unescape_string(key)] = read(item, depth)
                    continue
                actual = self.read(key, depth)
                if type(actual) is str:
                    target[actual] = self.read(values[index], depth)
                elif type(actual) is JSSymbol:
                    if actual in VALID_SYMBOL_KEYS:
                        target[actual] = self.read(values[index], depth)
                elif actual is undefined:  # a forward reference: JS's key is "undefined"
                    target["undefined"] = self.read(values[index], depth)
                else:
                    raise malformed(
                        f"a property key must be a string or a symbol, not {describe(actual)}", key
                    )
        except SerovalError as error:
            error.at("p", "v", index)
            raise

    def flag(self, node: Node) -> int:
        flag = node.get("o", 0)
        if type(flag) is not int or not 0 <= flag <= 3:
            raise malformed(f"an object flag must be 0..3, not {describe(flag)}", node)
        return flag

    def text(self, node: Node, field: str) -> str:
        value = node.get(field)
        if type(value) is not str:
            raise malformed(f"the node's {field!r} must be a string, not {describe(value)}", node)
        return value


def read_marked(envelope: dict[str, Any]) -> frozenset[int]:
    """The envelope's ``m`` as a set of ids (seroval tolerates a missing ``m``)."""
    marked = envelope.get("m", [])
    if type(marked) is not list or not all(is_int(item) for item in marked):
        raise SerovalMalformedNodeError("the envelope's m must be a list of ids", envelope).at("m")
    return frozenset(marked)


def read_features(envelope: dict[str, Any], disabled_features: int) -> int:
    """``(f ?? 127) & ~disabled_features``, as seroval's ``fromJSON`` computes it."""
    features = envelope.get("f", 127)
    if type(features) is not int:
        raise SerovalMalformedNodeError("the envelope's f must be an integer", envelope).at("f")
    return features & ~disabled_features


def check_envelope(envelope: object) -> dict[str, Any]:
    if type(envelope) is not dict:
        raise SerovalMalformedNodeError(
            f"a to_json envelope must be an object, not {describe(envelope)}", envelope
        )
    if "t" not in envelope:
        raise SerovalMalformedNodeError("the envelope has no t (root node)", envelope)
    return envelope
