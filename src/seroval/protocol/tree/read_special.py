"""Node readers for what seroval builds at run time: plugin values, promise
constructors and settlements, iterator factories, streams and their events,
sequences, Temporal values; and :data:`READERS`, the table indexed by node type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ..errors import (
    SerovalError,
    SerovalMissingInstanceError,
    SerovalMissingPluginError,
    SerovalPluginValidationError,
    SerovalUnsupportedNodeError,
    wrap_foreign,
)
from ..model.features import Feature
from ..model.nodes import (
    T_AGGREGATE_ERROR,
    T_ARRAY,
    T_ARRAY_BUFFER,
    T_ASYNC_ITERATOR_FACTORY,
    T_ASYNC_ITERATOR_FACTORY_INSTANCE,
    T_BIGINT,
    T_BIGINT_TYPED_ARRAY,
    T_BOXED,
    T_CONSTANT,
    T_DATA_VIEW,
    T_DATE,
    T_ERROR,
    T_INDEXED_VALUE,
    T_ITERATOR_FACTORY,
    T_ITERATOR_FACTORY_INSTANCE,
    T_MAP,
    T_NULL_CONSTRUCTOR,
    T_NUMBER,
    T_OBJECT,
    T_PLUGIN,
    T_PROMISE,
    T_PROMISE_CONSTRUCTOR,
    T_PROMISE_FAILURE,
    T_PROMISE_SUCCESS,
    T_REFERENCE,
    T_REGEXP,
    T_SEQUENCE,
    T_SET,
    T_SPECIAL_REFERENCE,
    T_STREAM_CONSTRUCTOR,
    T_STREAM_NEXT,
    T_STREAM_RETURN,
    T_STREAM_THROW,
    T_STRING,
    T_TEMPORAL,
    T_TYPED_ARRAY,
    T_WK_SYMBOL,
    Node,
    NodeType,
)
from ..model.plugins import Plugin
from ..model.stream import Stream
from ..model.strings import unescape_string
from ..model.values import (
    JSPromise,
    JSSequence,
    TemporalType,
    undefined,
)
from ..temporal.text import temporal_value

if TYPE_CHECKING:
    from .deserialize import Deserializer

from .read_base import (
    PromiseResolver,
    malformed,
)
from .read_rules import InternalRecord
from .read_values import (
    _aggregate_error,
    _array,
    _array_buffer,
    _bigint,
    _boxed,
    _constant,
    _data_view,
    _date,
    _error,
    _indexed_value,
    _is_thenable,
    _map,
    _number,
    _object,
    _promise,
    _reference,
    _regexp,
    _set,
    _string,
    _typed_array,
    _unresolved,
    _wk_symbol,
    special_slot,
)


def _plugin(reader: Deserializer, node: Node, depth: int) -> Any:
    tag = unescape_string(reader.text(node, "c"))
    for plugin in reader.plugins:
        if plugin.tag == tag:
            break
    else:
        raise SerovalMissingPluginError(f"no plugin for the tag {tag!r}", tag, step="deserialize")
    info = node.get("s")
    if type(info) is not dict:
        raise malformed("a plugin node's s must be an object of fields", node)
    context = _PluginReadContext(reader, depth, plugin, info)
    node_id = node.get("i")
    building = type(node_id) is int and node_id not in reader.building
    if building:
        reader.building.add(node_id)  # type: ignore[arg-type]
    try:
        value = plugin.deserialize(info, context)
    except SerovalError as error:
        error.at("s")
        raise
    except Exception as error:
        raise wrap_foreign(error, "deserialize", f"the plugin {tag!r}") from error
    finally:
        if building:
            reader.building.discard(node_id)
    return reader.register(node, value)


class _PluginReadContext:
    __slots__ = ("_checks", "_depth", "_reader", "_tag")

    def __init__(self, reader: Deserializer, depth: int, plugin: Plugin, info: dict[str, Any]):
        self._reader = reader
        self._depth = depth
        self._tag = plugin.tag
        self._checks = [(info.get(field), field, check) for field, check in plugin.validate.items()]

    def deserialize(self, node: Node) -> Any:
        value = self._reader.read(node, self._depth)
        for field_node, field, check in self._checks:
            if field_node is node and not check(value):
                raise SerovalPluginValidationError(
                    f"the {self._tag!r} plugin's field {field!r} failed validation",
                    self._tag,
                    field,
                )
        return value


def _cross_only(reader: Deserializer, node: Node, what: str) -> None:
    if reader.marked is not None:
        raise malformed(f"{what} is only legal in cross mode, never in from_json", node)


def _record_only(reader: Deserializer, node: Node, depth: int, what: str) -> None:
    """Promise settlements and stream events are streamed records of their own."""
    _cross_only(reader, node, what)
    if depth != 1:
        raise malformed(f"{what} is a record of its own, never inside another node", node)


def _promise_constructor(reader: Deserializer, node: Node, depth: int) -> Any:
    _cross_only(reader, node, "a promise constructor")
    resolver_id = node.get("s")
    if type(resolver_id) is not int or resolver_id < 0:
        raise malformed("a promise constructor's s must be a resolver id", node)
    promise_id = reader.node_id(node)
    reader.claim(resolver_id, node)
    resolver = PromiseResolver()
    reader.assign(resolver_id, resolver)
    reader.types[resolver_id] = T_PROMISE_CONSTRUCTOR
    if reader.pending is not None:
        reader.pending[id(resolver)] = resolver
    special_slot(reader, node, node.get("f"), ("f",))
    return reader.assign(promise_id, resolver.promise)


def _promise_settlement(reader: Deserializer, node: Node, depth: int) -> Any:
    target_id = node.get("i")
    resolver = reader.values.get(target_id) if type(target_id) is int else None
    if resolver is None:
        raise SerovalMissingInstanceError(f"no promise is waiting under id {target_id!r}")
    is_resolver = type(resolver) is PromiseResolver
    if reader.types.get(target_id) != T_PROMISE_CONSTRUCTOR or not is_resolver:  # type: ignore[arg-type]
        raise malformed(f"the id {target_id} is not a promise resolver", node)
    _record_only(reader, node, depth, "a promise settlement")
    if resolver.promise.status is not JSPromise.PENDING:
        raise malformed(f"the promise of resolver {target_id} has settled already", node)
    items = reader.node_list(node, "a")
    if len(items) != 2:
        raise malformed("a promise settlement's a must hold two nodes", node)
    special_slot(reader, node, items[0], ("a", 0))
    try:
        value = reader.read(items[1], depth)
    except SerovalError as error:
        error.at("a", 1)
        raise
    if _is_thenable(value):
        raise malformed("a promise cannot settle to another promise", node)
    resolver.promise.settle(node["t"] == T_PROMISE_SUCCESS, value)
    if reader.pending is not None:
        reader.pending.pop(id(resolver), None)
    return undefined


def _factory(reader: Deserializer, node: Any, depth: int, kind: int) -> None:
    """An iterator factory instance's ``a[0]``: its factory, fresh or referred to.

    The factory is a marker with no value of its own; its id names an internal
    record that only another instance's ``a[0]`` may refer to.
    """
    node_type = node.get("t") if type(node) is dict else None
    if node_type == T_INDEXED_VALUE:
        target = node.get("i")
        record = reader.values.get(target) if type(target) is int else None
        if type(record) is InternalRecord and record.kind == kind:
            return
        if record is None and type(target) is int and reader.forward_references:
            _unresolved(reader, target)  # defined by a later record
            return
        raise malformed(f"the id {target!r} is not an iterator factory", node)
    if node_type != kind:
        raise malformed(f"an iterator factory instance's a[0] must be a factory (t {kind})", node)
    node_id = reader.node_id(node)
    if kind == T_ITERATOR_FACTORY:
        reader.child(node, "f", depth)
    else:
        items = reader.node_list(node, "a")
        if len(items) != 2:
            raise malformed("an async iterator factory's a must hold two nodes", node)
        special_slot(reader, node, items[0], ("a", 0))
        try:
            reader.read(items[1], depth)
        except SerovalError as error:
            error.at("a", 1)
            raise
    reader.assign(node_id, InternalRecord(kind))
    reader.types[node_id] = kind


def _factory_pair(reader: Deserializer, node: Node, depth: int, factory: int, source: int) -> Any:
    items = reader.node_list(node, "a")
    if len(items) != 2:
        raise malformed("an iterator factory instance's a must hold two nodes", node)
    try:
        _factory(reader, items[0], depth + 1, factory)
    except SerovalError as error:
        error.at("a", 0)
        raise
    inner = items[1]
    if type(inner) is not dict or inner.get("t") != source:
        raise malformed(
            f"an iterator factory instance's a[1] must be a fresh "
            f"{'sequence' if source == T_SEQUENCE else 'stream'} node (t {source})",
            node,
        )
    try:
        value = reader.read(inner, depth)
    except SerovalError as error:
        error.at("a", 1)
        raise
    return value, inner


def _iterator_factory_instance(reader: Deserializer, node: Node, depth: int) -> Any:
    source, inner = _factory_pair(reader, node, depth, T_ITERATOR_FACTORY, T_SEQUENCE)
    if type(source) is not JSSequence:
        raise malformed("an iterator factory must wrap a sequence", node)
    # The sequence belongs to the iterator: nothing else may refer to it.
    reader.types[inner["i"]] = T_ITERATOR_FACTORY_INSTANCE
    return source


def _async_iterator_factory_instance(reader: Deserializer, node: Node, depth: int) -> Any:
    source, _ = _factory_pair(reader, node, depth, T_ASYNC_ITERATOR_FACTORY, T_STREAM_CONSTRUCTOR)
    if type(source) is not Stream:
        raise malformed("an async iterator factory must wrap a stream", node)
    return source


def _stream_constructor(reader: Deserializer, node: Node, depth: int) -> Any:
    node_id = reader.node_id(node)
    live = node.get("l") == 1 or reader.single_consumer_streams
    stream = reader.assign(node_id, Stream(1 if live else None))
    reader.types[node_id] = T_STREAM_CONSTRUCTOR
    if reader.pending is not None:
        reader.pending[id(stream)] = stream
    special_slot(reader, node, node.get("f"), ("f",))
    items = reader.node_list(node, "a")
    for index, item in enumerate(items):
        if (
            type(item) is not dict
            or item.get("t") not in _STREAM_EVENTS
            or item.get("i") != node_id
        ):
            raise malformed(
                "a stream constructor's a holds only events of that same stream", node
            ).at("a", index)
    outer, reader.replaying = reader.replaying, node_id
    try:
        for _ in reader.each(items, depth, "a"):
            pass
    finally:
        reader.replaying = outer
    return stream


_STREAM_EVENTS: Final = frozenset({T_STREAM_NEXT, T_STREAM_THROW, T_STREAM_RETURN})


def _stream_event(reader: Deserializer, node: Node, depth: int) -> Any:
    target_id = node.get("i")
    stream = reader.values.get(target_id) if type(target_id) is int else None
    if stream is None:
        raise SerovalMissingInstanceError(f"no stream is open under id {target_id!r}")
    if reader.types.get(target_id) != T_STREAM_CONSTRUCTOR or type(stream) is not Stream:  # type: ignore[arg-type]
        raise malformed(f"the id {target_id} is not a stream", node)
    if reader.replaying != target_id:
        _record_only(reader, node, depth, "a stream event")
    value = reader.child(node, "f", depth)
    kind = node["t"]
    if kind == T_STREAM_NEXT:
        stream.next(value)
    else:
        (stream.throw if kind == T_STREAM_THROW else stream.return_)(value)
        if reader.pending is not None:
            reader.pending.pop(id(stream), None)
    return undefined


def _sequence(reader: Deserializer, node: Node, depth: int) -> Any:
    items = reader.node_list(node, "a")
    throw_at: Any = node.get("s")
    done_at: Any = node.get("l")
    size = len(items)
    for index in (throw_at, done_at):
        if type(index) is not int or not -1 <= index < size:
            raise malformed("a sequence's s and l must be indices into a (or -1)", node)
    node_id = reader.node_id(node)
    result = reader.assign(node_id, JSSequence([], throw_at, done_at))
    reader.types[node_id] = T_SEQUENCE
    result.values.extend(reader.each(items, depth, "a"))
    return result


def _temporal(reader: Deserializer, node: Node, depth: int) -> Any:
    if not reader.features & Feature.TEMPORAL:
        raise SerovalUnsupportedNodeError(
            "Temporal nodes are disabled (Feature.TEMPORAL)", node, step="deserialize"
        )
    kind = node.get("c")
    if type(kind) is not int or not 0 <= kind <= 7:
        raise malformed(f"unknown Temporal type {kind!r}", node)
    return reader.register(node, temporal_value(TemporalType(kind), reader.text(node, "s")))


def _not_a_value(reader: Deserializer, node: Node, depth: int) -> Any:
    raise SerovalUnsupportedNodeError(
        f"a node of type {node['t']} is not a value", node, step="deserialize"
    )


_READER_TABLE: Final[dict[int, Any]] = {
    T_NUMBER: _number,
    T_STRING: _string,
    T_CONSTANT: _constant,
    T_BIGINT: _bigint,
    T_INDEXED_VALUE: _indexed_value,
    T_DATE: _date,
    T_REGEXP: _regexp,
    T_SET: _set,
    T_MAP: _map,
    T_ARRAY: _array,
    T_OBJECT: _object,
    T_NULL_CONSTRUCTOR: _object,
    T_PROMISE: _promise,
    T_ERROR: _error,
    T_AGGREGATE_ERROR: _aggregate_error,
    T_TYPED_ARRAY: _typed_array,
    T_BIGINT_TYPED_ARRAY: _typed_array,
    T_WK_SYMBOL: _wk_symbol,
    T_REFERENCE: _reference,
    T_ARRAY_BUFFER: _array_buffer,
    T_DATA_VIEW: _data_view,
    T_BOXED: _boxed,
    T_PROMISE_CONSTRUCTOR: _promise_constructor,
    T_PROMISE_SUCCESS: _promise_settlement,
    T_PROMISE_FAILURE: _promise_settlement,
    T_PLUGIN: _plugin,
    # SpecialReference: only ever a placeholder inside other nodes
    T_SPECIAL_REFERENCE: _not_a_value,
    # Iterator factories: only ever an iterator factory instance's a[0]
    T_ITERATOR_FACTORY: _not_a_value,
    T_ITERATOR_FACTORY_INSTANCE: _iterator_factory_instance,
    T_ASYNC_ITERATOR_FACTORY: _not_a_value,
    T_ASYNC_ITERATOR_FACTORY_INSTANCE: _async_iterator_factory_instance,
    T_STREAM_CONSTRUCTOR: _stream_constructor,
    T_STREAM_NEXT: _stream_event,
    T_STREAM_THROW: _stream_event,
    T_STREAM_RETURN: _stream_event,
    T_SEQUENCE: _sequence,
    T_TEMPORAL: _temporal,
}

# Indexed by node type: a tuple lookup is the hot path's cheapest dispatch.
READERS: Final = tuple(_READER_TABLE[node_type] for node_type in NodeType)
