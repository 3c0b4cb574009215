"""Reading seroval's JS text without ``eval``: JS's meaning, Python values.

:func:`deserialize` reads what ``serialize`` writes, and :class:`CrossDeserializer`
reads what ``crossSerialize`` and the streaming serializers write, one chunk at a
time.  The text is parsed by :mod:`seroval.protocol.jstext.parser` (which refuses anything
outside seroval's output language) and then *evaluated* by the small interpreter
here, which gives every construct the meaning JS gives it: a property assigned
after an object literal comes after the literal's keys, a Map entry set later comes
later, ``Object.freeze`` applies where the text calls it, a promise's ``.then``
callback reads its variable once the whole text has run, and so on.

Values are the same Python values :func:`~seroval.protocol.tree.api.from_json` gives.
Leaf values are built *by* the node reader (:mod:`seroval.protocol.tree.deserialize`):
each number, BigInt, Date, RegExp, ArrayBuffer, typed array, boxed value, Temporal
value and plugin value is turned into the node seroval would have written and read
with it, so every check and limit (BigInt and RegExp size, base64 length, typed
array bounds, plugin validators, feature flags) is the same code.  Containers
(objects, arrays, Maps, Sets, errors) are built here, since JS evaluation order is
exactly what this module adds.

Safety rests on a few rules, each refusing with a located error:

* only values this reader created can be changed (by assignment, ``Object.assign``,
  ``.set``/``.add``/``.delete``, a stream's ``.next``...), never a value the
  application registered with ``create_reference`` or a plugin returned;
* seroval's helper functions (and the promise resolvers and iterator factories they
  return) are internal: they can be called in seroval's call shapes but never
  become part of the value, so nothing callable ever reaches the caller;
* ``__proto__`` is only ever an own property (a prototype change is refused);
* a promise never settles to another promise (no thenable assimilation);
* nesting is bounded, and so is the work a text can repeat without writing it out
  again (copies of a value held in a variable, holes past an array's end): time
  stays linear in the text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Final

from ..errors import (
    SerovalAbortedError,
    SerovalDepthLimitError,
    SerovalError,
    SerovalEvaluationError,
    SerovalSizeLimitError,
    wrap_foreign,
)
from ..model.containers import JSAsyncIterable, as_async_iterable
from ..model.features import enabled_features
from ..model.nodes import BIGINT_TYPED_ARRAYS, ERROR_CONSTRUCTOR_NAMES, Integrity, Node
from ..model.options import DEFAULT_DEPTH_LIMIT, DEFAULT_MAX_BASE64_LENGTH, ReadOptions
from ..model.plain import to_plain
from ..model.plugins import Plugin, resolve_plugins
from ..model.references import ReadRefs, get_reference
from ..model.stream import Stream
from ..model.strings import escape_string, is_array_index, js_number, js_property_order
from ..model.values import (
    JSAggregateError,
    JSArray,
    JSError,
    JSErrorType,
    JSMap,
    JSObject,
    JSPromise,
    JSSet,
    JSSymbol,
    Sequence,
    escape_regexp_source,
    hole,
    undefined,
)
from ..recursion import gc_paused, recursion_headroom
from ..tree.deserialize import MAX_REGEXP_SOURCE_LENGTH, Deserializer, PromiseResolver
from .parser import (
    PLUGIN_HELPER_CALLS,
    ArrayLiteral,
    Assign,
    BigIntLiteral,
    Call,
    Comma,
    DefineProperty,
    Expr,
    HelperKind,
    HelperText,
    Literal,
    Member,
    MethodCall,
    New,
    NumberLiteral,
    ObjectCall,
    ObjectLiteral,
    PluginCall,
    Program,
    PromiseDeferred,
    PromiseSettled,
    ReferenceGet,
    RegExpLiteral,
    ResolverPromise,
    SequenceValues,
    SignalRead,
    Slot,
    TemporalFrom,
    Variable,
    WellKnownSymbol,
    attach_location,
    line_column,
    parse_program,
)

__all__ = ["CrossDeserializer", "deserialize"]

#: The work budget of a text, in elements, is twice its length plus this.  Work is
#: whatever a text can repeat without writing it out again: elements copied from a
#: value held in a variable (``new Map(h)``, ``Object.assign(t,h)``, a sequence
#: drained), characters decoded or escaped from such a string (``(AB)(h)``,
#: ``new RegExp(h)``), holes made when an array grows past its end.  seroval's own
#: text stays far below it; a text that reuses one big value over and over, which
#: would take time quadratic in its length, is refused instead.
WORK_SLACK: Final = 1024

_JS_OBJECTS: Final = (JSObject, JSAsyncIterable)

_KEPT_SYMBOLS: Final = frozenset(
    {
        JSSymbol.ASYNC_ITERATOR,
        JSSymbol.IS_CONCAT_SPREADABLE,
        JSSymbol.TO_STRING_TAG,
        JSSymbol.ITERATOR,
    }
)
_ERROR_TYPES: Final = {
    name: JSErrorType(index) for index, name in enumerate(ERROR_CONSTRUCTOR_NAMES)
}


# ---------------------------------------------------------------------------
# Internal values: what helpers return.  They never become part of a result.


class _Helper:
    """One of seroval's helper functions (its text was matched)."""

    __slots__ = ("kind",)

    def __init__(self, kind: HelperKind) -> None:
        self.kind = kind


class _IteratorFactory:
    """What the iterator helper returns once given ``Symbol.iterator``."""

    __slots__ = ()


class _IteratorInstance:
    """An iterator factory applied to a sequence record; the value of a ``[Symbol.iterator]``."""

    __slots__ = ("record", "sequence")

    def __init__(self, record: dict[Any, Any]) -> None:
        self.record = record
        self.sequence = Sequence([], -1, -1)  # filled once the text has run


class _AsyncIteratorFactory:
    """What the async iterator helper returns once given its symbol and promise helper."""

    __slots__ = ()


class _AsyncIteratorInstance:
    """An async iterator factory applied to a stream; the value of ``[Symbol.asyncIterator]``."""

    __slots__ = ("stream",)

    def __init__(self, stream: Stream) -> None:
        self.stream = stream


class _Controller:
    """What the AbortController factory helper returns: its ``.signal`` is the value."""

    __slots__ = ("args",)

    def __init__(self, args: list[Any]) -> None:
        self.args = args


_INTERNAL: Final = frozenset(
    {
        _Helper,
        _IteratorFactory,
        _IteratorInstance,
        _AsyncIteratorFactory,
        _AsyncIteratorInstance,
        PromiseResolver,  # what the promise-constructor helper returns: .p is its promise
        _Controller,
    }
)
# The node types ``ReadRefs.types`` records for slots, so that node records can
# settle promises and feed streams that JS text made (and the other way round).
_SLOT_TYPES: Final[dict[type, int]] = {PromiseResolver: 22, Stream: 31}
_HELPERS: Final = {kind: _Helper(kind) for kind in HelperKind}


class _Target:
    """An evaluated assignment target: a variable, a ``$R`` slot or an object's property."""

    __slots__ = ("holder", "key", "kind", "pos")

    def __init__(self, kind: str, holder: Any, key: Any, pos: int) -> None:
        self.kind = kind
        self.holder = holder
        self.key = key
        self.pos = pos


# ---------------------------------------------------------------------------
# The session: what one reader keeps between texts


class _Session:
    """Options and the state shared by every text one reader evaluates."""

    def __init__(
        self,
        plugins: Iterable[Plugin],
        depth_limit: int,
        max_base64_length: int,
        disabled_features: int,
    ) -> None:
        self.options = ReadOptions(
            plugins=resolve_plugins(plugins),
            depth_limit=depth_limit,
            max_base64_length=max_base64_length,
        )
        self.features = enabled_features(disabled_features)
        self.plugin_calls = _plugin_calls(self.options.plugins)
        self.plugin_names = frozenset(self.plugin_calls)
        # Value depth is bounded by depth_limit; bracket nesting (several brackets per
        # value level in seroval's text) by this, so the parser's stack stays bounded.
        self.max_nesting = 4 * self.options.depth_limit + 64
        self.owned: dict[int, object] = {}
        self.table = ReadRefs()
        self.scopes: dict[str, ReadRefs] = {}
        self.pending: dict[int, object] = {}
        self.failed = False
        self.aborted = False

    def read(self, text: str, *, cross: bool) -> Any:
        with gc_paused():  # the tree and the values are built in one go
            return _Run(self, text, self.parse(text, cross), cross).run()

    def parse(self, text: str, cross: bool) -> Program:
        return parse_program(
            text, cross=cross, max_nesting=self.max_nesting, plugin_calls=self.plugin_names
        )

    def own(self, value: Any) -> Any:
        """Record that this reader made ``value``, so that the text may change it."""
        self.owned[id(value)] = value
        return value

    def owns(self, value: object) -> bool:
        return self.owned.get(id(value)) is value


def _plugin_calls(
    plugins: tuple[Plugin, ...],
) -> dict[str, tuple[Plugin, Callable[[list[Any]], Mapping[str, Any]]]]:
    """Call name to (plugin, field builder); the first plugin to declare a name wins."""
    calls: dict[str, tuple[Plugin, Callable[[list[Any]], Mapping[str, Any]]]] = {}
    for plugin in plugins:
        for name, builder in plugin.js_calls.items():
            calls.setdefault(name, (plugin, builder))
    return calls


# ---------------------------------------------------------------------------
# One run: evaluating one text


class _Run:
    """Evaluates one parsed text against a session."""

    def __init__(self, session: _Session, text: str, program: Program, cross: bool) -> None:
        self.session = session
        self.text = text
        self.program = program
        self.cross = cross
        self.variables: dict[str, Any] = dict.fromkeys(program.params or (), undefined)
        self.table: ReadRefs | None = None
        self.depth_limit = session.options.depth_limit
        self.leaf_reader = Deserializer(session.options, session.features, marked=frozenset())
        self.budget = 2 * len(text) + WORK_SLACK
        self.iterators: list[tuple[_IteratorInstance, int]] = []
        self.deferred: list[tuple[JSPromise, PromiseDeferred, ReadRefs | None]] = []
        self.reorder: dict[int, dict[Any, Any]] = {}

    # -- entry ---------------------------------------------------------------------

    def run(self) -> Any:
        try:
            with recursion_headroom(self.session.max_nesting):
                value = self.program_value()
                self.finish()
        except SerovalError:
            raise
        except RecursionError:
            raise SerovalDepthLimitError(
                self.depth_limit, step="deserialize", what="the JS text"
            ) from None
        except Exception as error:
            raise wrap_foreign(error, "deserialize", "reading JS text") from error
        return value

    def program_value(self) -> Any:
        program = self.program
        if program.header is not None:
            if program.header:
                self.session.scopes[program.header] = ReadRefs()  # the header resets it
            return undefined
        if program.scope is not None:
            self.table = self.session.scopes.setdefault(program.scope, ReadRefs())
        elif self.cross:
            self.table = self.session.table
        assert program.body is not None
        value = self.evaluate(program.body, 0)
        if self.cross and type(value) in _INTERNAL:
            # A settling chunk's patched form ends with its target, the resolver.
            return undefined
        return self.user(value, program.body.pos)

    def finish(self) -> None:
        """What JS does after the text ran: callbacks, then what re-serializing reads."""
        for instance, pos in self.iterators:
            self.drain(instance, pos)
        for promise, deferred, table in self.deferred:
            self.settle_deferred(promise, deferred, table)
        for container in self.reorder.values():
            _js_order(container)

    # -- errors and checks -------------------------------------------------------------

    def error(self, pos: int, message: str) -> SerovalEvaluationError:
        line, column = line_column(self.text, pos)
        return SerovalEvaluationError(message, line=line, column=column, offset=pos)

    def user(self, value: Any, pos: int) -> Any:
        """``value`` where it becomes part of the result: internal values are refused."""
        if type(value) in _INTERNAL:
            raise self.error(pos, "a seroval helper function cannot be part of the value")
        return value

    def settled(self, value: Any, pos: int) -> Any:
        """A promise's value: like :meth:`user`, and never a thenable (no assimilation)."""
        if isinstance(value, Awaitable):
            raise self.error(pos, "a promise cannot settle to another promise")
        return self.user(value, pos)

    def owned(self, value: Any, pos: int, what: str) -> Any:
        if not self.session.owns(value):
            raise self.error(pos, f"only values this text created can be {what}")
        return value

    def spend(self, count: int, pos: int) -> None:
        """Charge ``count`` units of work the text causes without writing them (see WORK_SLACK)."""
        self.budget -= count
        if self.budget < 0:
            error = SerovalSizeLimitError(
                "the text makes more copies, holes or decoded characters than its length "
                f"allows ({2 * len(self.text) + WORK_SLACK})"
            )
            attach_location(error, self.text, pos)
            raise error

    # -- evaluation ---------------------------------------------------------------------

    def evaluate(self, expr: Expr, depth: int) -> Any:
        if depth > self.depth_limit:
            error = SerovalDepthLimitError(
                self.depth_limit, step="deserialize", what="the JS text's value"
            )
            attach_location(error, self.text, expr.pos)
            raise error
        try:
            return _EVALUATORS[type(expr)](self, expr, depth)
        except SerovalError as error:
            attach_location(error, self.text, expr.pos)
            raise

    def arguments(self, args: list[Expr], depth: int) -> list[Any]:
        return [self.evaluate(arg, depth + 1) for arg in args]

    def leaf(self, node: Node, depth: int, *values: Any) -> Any:
        """Read one node with the node reader; ``values`` are ids 0, 1, ... it may refer to."""
        reader = self.leaf_reader
        reader.values.update(enumerate(values))
        try:
            return reader.read(node, depth)
        except SerovalError:
            raise
        except Exception as error:  # e.g. int()'s digit limit, as read_top wraps it
            raise wrap_foreign(error, "deserialize", "reading a value") from error
        finally:
            reader.values.clear()

    # -- literals -------------------------------------------------------------------------

    def literal(self, expr: Literal, depth: int) -> Any:
        return expr.value

    def number(self, expr: NumberLiteral, depth: int) -> Any:
        return self.leaf({"t": 0, "s": expr.value}, depth)

    def bigint(self, expr: BigIntLiteral, depth: int) -> Any:
        return self.leaf({"t": 3, "s": expr.digits}, depth)

    def regexp(self, expr: RegExpLiteral, depth: int) -> Any:
        return self.regexp_value(expr.source, expr.flags, depth)

    def regexp_value(self, source: str, flags: str, depth: int) -> Any:
        return self.leaf({"t": 6, "i": 0, "c": escape_string(source), "m": flags}, depth)

    def array(self, expr: ArrayLiteral, depth: int) -> Any:
        result: list[Any] = self.session.own(JSArray() if expr.tracked else [])
        inner = depth if expr.structural else depth + 1
        for item in expr.items:
            if item is None:
                result.append(hole)
            else:
                result.append(self.user(self.evaluate(item, inner), item.pos))
        return result

    def object(self, expr: ObjectLiteral, depth: int) -> Any:
        result: dict[Any, Any] = self.session.own(JSObject() if expr.tracked else {})
        inner = depth if expr.structural else depth + 1
        for prop in expr.properties:
            key = self.literal_key(prop.key, prop.pos, inner)
            value = self.evaluate(prop.value, inner)
            self.store(result, key, value, prop.pos, define=True)
        if JSSymbol.ASYNC_ITERATOR in result:
            # Nothing can refer to a literal before it is made, so it may be replaced.
            made = as_async_iterable(result)
            if made is not result:
                self.session.own(made)
                if self.reorder.pop(id(result), None) is not None:
                    self.reorder[id(made)] = made
            return made
        return result

    def literal_key(self, key: str | Expr, pos: int, depth: int) -> str | JSSymbol:
        """A written key as is, or a computed ``[key]`` evaluated and made a property key."""
        if isinstance(key, str):
            return key
        return self.property_key(self.evaluate(key, depth), pos)

    # -- names, slots, assignment ------------------------------------------------------------

    def variable(self, expr: Variable, depth: int) -> Any:
        return self.variables[expr.name]

    def slot(self, expr: Slot, depth: int) -> Any:
        assert self.table is not None  # slots are only parsed in cross mode
        return self.table.values.get(expr.index, undefined)

    def comma(self, expr: Comma, depth: int) -> Any:
        value: Any = undefined
        for item in expr.items:
            value = self.evaluate(item, depth)
        return value

    def assign(self, expr: Assign, depth: int) -> Any:
        """``a=b=v``: targets are evaluated left to right, then ``v``, then stored right to left."""
        targets = [self.target(target, depth) for target in expr.targets]
        value = self.evaluate(expr.value, depth)
        for target in reversed(targets):
            self.put(target, value)
        return value

    def target(self, expr: Expr, depth: int) -> _Target:
        if type(expr) is Variable:
            return _Target("var", self.variables, expr.name, expr.pos)
        if type(expr) is Slot:
            return _Target("slot", self.table, expr.index, expr.pos)
        assert type(expr) is Member
        holder: Any  # a sequence record's item list, or any value JS text made
        if type(expr.base) is SequenceValues:
            holder = self.sequence_items(expr.base, depth)
        else:
            holder = self.evaluate(expr.base, depth)
        return _Target("property", holder, self.literal_key(expr.key, expr.pos, depth), expr.pos)

    def put(self, target: _Target, value: Any) -> None:
        if target.kind == "var":
            target.holder[target.key] = value
        elif target.kind == "slot":
            target.holder.values[target.key] = value
            kind = _SLOT_TYPES.get(type(value))
            if kind is not None:
                target.holder.types[target.key] = kind
        else:
            self.store(target.holder, target.key, value, target.pos)

    def sequence_items(self, expr: SequenceValues, depth: int) -> list[Any]:
        """``record.v`` for ``record.v[i]=x``: the item list of a sequence record."""
        record = self.evaluate(expr.base, depth)
        if type(record) is not dict or record.get("__SEROVAL_SEQUENCE__") is not True:
            raise self.error(expr.pos, "only a sequence record's .v can be assigned into")
        items = record.get("v")
        if type(items) is not list:
            raise self.error(expr.pos, "a sequence record's v must be an array")
        return self.owned(items, expr.pos, "changed")  # type: ignore[no-any-return]

    def property_key(self, value: Any, pos: int) -> str | JSSymbol:
        """JS ToPropertyKey for the keys seroval writes: strings, numbers and symbols."""
        kind = type(value)
        if kind is str or kind is JSSymbol:
            return value  # type: ignore[no-any-return]
        if kind is int or kind is float:
            return js_number(value)
        if value is undefined:  # $R[i] before a later chunk assigns it
            return "undefined"
        raise self.error(pos, "a property key must be a string, a number or a symbol")

    # -- properties: JS [[Set]] and [[DefineOwnProperty]] --------------------------------------

    def store(
        self,
        target: Any,
        key: str | JSSymbol,
        value: Any,
        pos: int,
        *,
        define: bool = False,
        strict: bool = False,
    ) -> None:
        """Set (or, with ``define``, define) property ``key`` of ``target`` as JS would.

        A write that the target's integrity forbids is ignored, as in JS's sloppy
        mode, unless ``define`` or ``strict`` (``Object.assign``) makes JS throw.
        """
        self.owned(target, pos, "changed")
        value = self.property_value(key, value, pos)
        kind = type(target)
        if kind is dict or kind is JSObject or kind is JSAsyncIterable:
            self.store_object(target, key, value, pos, define, strict)
        elif kind is list or kind is JSArray:
            self.store_array(target, key, value, pos, define, strict)
        elif isinstance(target, JSError):
            self.store_error(target, key, value, pos, define)
        else:
            raise self.error(pos, f"cannot set properties on a {kind.__name__}")

    def property_value(self, key: str | JSSymbol, value: Any, pos: int) -> Any:
        """An iterator factory under its symbol becomes its Sequence (or Stream); else a value."""
        kind = type(value)
        if kind is _IteratorInstance and key is JSSymbol.ITERATOR:
            return value.sequence
        if kind is _AsyncIteratorInstance and key is JSSymbol.ASYNC_ITERATOR:
            return value.stream
        return self.user(value, pos)

    def writable(self, level: Integrity, exists: bool, define: bool, loud: bool, pos: int) -> bool:
        """Whether an integrity level allows the write; a refused write raises if ``loud``."""
        allowed = level is Integrity.NONE or (
            exists and level is not Integrity.FROZEN and not (define and level >= Integrity.SEALED)
        )
        if not allowed and loud:
            raise self.error(pos, "the object is frozen, sealed or not extensible")
        return allowed

    def store_object(
        self,
        target: dict[Any, Any],
        key: str | JSSymbol,
        value: Any,
        pos: int,
        define: bool,
        strict: bool,
    ) -> None:
        null_prototype = type(target) in _JS_OBJECTS and target.null_prototype  # type: ignore[attr-defined]
        if key == "__proto__" and not define and not null_prototype:
            raise self.error(pos, "assigning __proto__ would change the prototype")
        if type(key) is JSSymbol and key not in _KEPT_SYMBOLS:
            return  # seroval keeps only these four symbol keys
        level = target.integrity if type(target) in _JS_OBJECTS else Integrity.NONE  # type: ignore[attr-defined]
        exists = key in target
        if not self.writable(level, exists, define, define or strict, pos):
            return
        if not exists and target and type(key) is str and is_array_index(key):
            self.reorder[id(target)] = target
        target[key] = value
        if key is JSSymbol.ASYNC_ITERATOR and type(target) is JSObject:
            as_async_iterable(target)  # in place: `async for` reads its stream

    def store_array(
        self,
        target: list[Any],
        key: str | JSSymbol,
        value: Any,
        pos: int,
        define: bool,
        strict: bool,
    ) -> None:
        if type(key) is not str or not is_array_index(key):
            if key == "length":
                raise self.error(pos, "assigning an array's length is not part of seroval's output")
            return  # seroval keeps no other properties of an array
        index = int(key)
        level = target.integrity if type(target) is JSArray else Integrity.NONE
        exists = index < len(target) and target[index] is not hole
        if not self.writable(level, exists, define, define or strict, pos):
            return
        if index >= len(target):
            self.spend(index - len(target), pos)
            target.extend([hole] * (index - len(target) + 1))
        target[index] = value

    def store_error(
        self, target: JSError, key: str | JSSymbol, value: Any, pos: int, define: bool
    ) -> None:
        if key == "__proto__" and not define:
            raise self.error(pos, "assigning __proto__ would change the prototype")
        if type(key) is not str:
            return  # seroval reads an error's string-keyed own properties only
        if key == "message":
            if type(value) is not str:
                raise self.error(pos, "an error's message must be a string")
            target.message = value
            return
        props = target.properties
        if key == "stack" and key not in props:
            # V8 gives every error an own `stack` when it is made: assigning one later
            # keeps that first place.
            items = list(props.items())
            props.clear()
            props["stack"] = value
            props.update(items)
            return
        if key not in props and props and is_array_index(key):
            self.reorder[id(props)] = props
        props[key] = value

    # -- calls -----------------------------------------------------------------------------

    def helper(self, expr: HelperText, depth: int) -> Any:
        return _HELPERS[expr.kind]

    def call(self, expr: Call, depth: int) -> Any:
        callee = self.evaluate(expr.callee, depth)
        args = self.arguments(expr.args, depth)
        kind = type(callee)
        if kind is _Helper:
            return _HELPER_CALLS[callee.kind](self, args, expr.pos, depth)
        if kind is _IteratorFactory:
            return self.iterator_instance(args, expr.pos)
        if kind is _AsyncIteratorFactory:
            return self.async_iterator_instance(args, expr.pos)
        raise self.error(expr.pos, "only seroval's helper functions can be called")

    def expect_arguments(self, args: list[Any], low: int, high: int, pos: int) -> None:
        if not low <= len(args) <= high:
            raise self.error(pos, f"this call takes {low}-{high} argument(s), not {len(args)}")

    def call_array_buffer(self, args: list[Any], pos: int, depth: int) -> Any:
        self.expect_arguments(args, 1, 1, pos)
        if type(args[0]) is not str:
            raise self.error(pos, "the ArrayBuffer helper takes a base64 string")
        self.spend(len(args[0]), pos)
        return self.leaf({"t": 19, "i": 0, "s": escape_string(args[0])}, depth)

    def call_promise_constructor(self, args: list[Any], pos: int, depth: int) -> Any:
        self.expect_arguments(args, 0, 0, pos)
        resolver = PromiseResolver()
        self.session.pending[id(resolver)] = resolver
        return resolver

    def call_promise_settle(self, args: list[Any], pos: int, depth: int, fulfilled: bool) -> Any:
        self.expect_arguments(args, 2, 2, pos)
        resolver, data = args
        if type(resolver) is not PromiseResolver:
            raise self.error(pos, "a promise can only be settled through its resolver")
        resolver.promise.settle(fulfilled, self.settled(data, pos))
        self.session.pending.pop(id(resolver), None)
        return undefined

    def call_promise_success(self, args: list[Any], pos: int, depth: int) -> Any:
        return self.call_promise_settle(args, pos, depth, True)

    def call_promise_failure(self, args: list[Any], pos: int, depth: int) -> Any:
        return self.call_promise_settle(args, pos, depth, False)

    def call_stream(self, args: list[Any], pos: int, depth: int) -> Any:
        self.expect_arguments(args, 0, 1, pos)
        if args and args[0] != 1:
            raise self.error(pos, "the stream helper takes no argument or 1 (live)")
        return self.new_stream(1 if args else None)

    def call_legacy_stream(self, args: list[Any], pos: int, depth: int) -> Any:
        self.expect_arguments(args, 0, 1, pos)
        return self.new_stream(None)  # before 1.7 the helper had no live flag

    def new_stream(self, live: int | None) -> Stream:
        stream = self.session.own(Stream(live))
        self.session.pending[id(stream)] = stream
        return stream  # type: ignore[no-any-return]

    def call_iterator_factory(self, args: list[Any], pos: int, depth: int) -> Any:
        self.expect_arguments(args, 1, 1, pos)
        if args[0] is not JSSymbol.ITERATOR:
            raise self.error(pos, "the iterator helper is given Symbol.iterator")
        return _IteratorFactory()

    def call_async_iterator_factory(self, args: list[Any], pos: int, depth: int) -> Any:
        self.expect_arguments(args, 2, 2, pos)
        symbol, make_promise = args
        if (
            symbol is not JSSymbol.ASYNC_ITERATOR
            or make_promise is not _HELPERS[HelperKind.PROMISE_CONSTRUCTOR]
        ):
            raise self.error(
                pos,
                "the async iterator helper is given Symbol.asyncIterator and the promise helper",
            )
        return _AsyncIteratorFactory()

    def iterator_instance(self, args: list[Any], pos: int) -> Any:
        self.expect_arguments(args, 1, 1, pos)
        record = args[0]
        if type(record) is not dict or record.get("__SEROVAL_SEQUENCE__") is not True:
            raise self.error(pos, "an iterator factory takes a sequence record")
        instance = _IteratorInstance(self.owned(record, pos, "iterated"))
        self.iterators.append((instance, pos))
        return instance

    def async_iterator_instance(self, args: list[Any], pos: int) -> Any:
        self.expect_arguments(args, 1, 1, pos)
        stream = args[0]
        if type(stream) is not Stream:
            raise self.error(pos, "an async iterator factory takes a stream")
        return _AsyncIteratorInstance(self.owned(stream, pos, "iterated"))

    def drain(self, instance: _IteratorInstance, pos: int) -> None:
        """What re-serializing reads from the iterator: the iterator helper's steps, replayed."""
        record = instance.record
        items: Any = record.get("v")
        throw_at, done_at = record.get("t"), record.get("d")
        if type(items) not in (list, JSArray) or type(throw_at) is not int:
            raise self.error(pos, "a sequence record needs an array v and integers t and d")
        if type(done_at) is not int:
            raise self.error(pos, "a sequence record needs an array v and integers t and d")
        values: list[Any] = []
        sequence = instance.sequence
        sequence.throw_at = -1
        if done_at < 0:
            values.append(undefined)  # the first next() is already past the end
        else:
            last = min(done_at, throw_at) if throw_at >= 0 else done_at
            self.spend(last + 1, pos)
            for index in range(last + 1):
                item = items[index] if index < len(items) else undefined
                values.append(undefined if item is hole else item)
            if last == throw_at:
                sequence.throw_at = last
        sequence.values = values
        sequence.done_at = len(values) - 1

    def method_call(self, expr: MethodCall, depth: int) -> Any:
        target = self.evaluate(expr.target, depth)
        args = self.arguments(expr.args, depth)
        return _METHOD_CALLS[expr.method](self, target, args, expr.pos)

    def collection(self, target: Any, kind: type[Any], pos: int, method: str) -> Any:
        if type(target) is not kind:
            raise self.error(pos, f".{method}() is only called on a {kind.__name__[2:]}")
        return self.owned(target, pos, "changed")

    def method_set(self, target: Any, args: list[Any], pos: int) -> Any:
        self.expect_arguments(args, 2, 2, pos)
        collection = self.collection(target, JSMap, pos, "set")
        collection[self.user(args[0], pos)] = self.user(args[1], pos)
        return target

    def method_add(self, target: Any, args: list[Any], pos: int) -> Any:
        self.expect_arguments(args, 1, 1, pos)
        self.collection(target, JSSet, pos, "add").add(self.user(args[0], pos))
        return target

    def method_delete(self, target: Any, args: list[Any], pos: int) -> Any:
        self.expect_arguments(args, 1, 1, pos)
        kind = JSSet if type(target) is JSSet else JSMap
        collection = self.collection(target, kind, pos, "delete")
        present = args[0] in collection
        if present and kind is JSSet:
            collection.discard(args[0])
        elif present:
            del collection[args[0]]
        return present

    def method_next(self, target: Any, args: list[Any], pos: int) -> Any:
        return self.method_stream(target, args, pos, "next")

    def method_throw(self, target: Any, args: list[Any], pos: int) -> Any:
        return self.method_stream(target, args, pos, "throw")

    def method_return(self, target: Any, args: list[Any], pos: int) -> Any:
        return self.method_stream(target, args, pos, "return")

    def method_stream(self, target: Any, args: list[Any], pos: int, event: str) -> Any:
        self.expect_arguments(args, 0, 1, pos)
        if type(target) is not Stream:
            raise self.error(pos, f".{event}() is only called on a stream")
        stream: Stream = self.owned(target, pos, "fed")
        value = self.user(args[0], pos) if args else undefined
        if event == "next":
            stream.next(value)
        else:
            (stream.throw if event == "throw" else stream.return_)(value)
            self.session.pending.pop(id(stream), None)
        return undefined

    # -- constructors and globals ---------------------------------------------------------------

    def new(self, expr: New, depth: int) -> Any:
        args = self.arguments(expr.args or [], depth)
        name = expr.name
        if name in _ERROR_TYPES:
            message = self.text_argument(args[0], expr.pos)
            return self.session.own(JSError(message, type=_ERROR_TYPES[name]))
        return _CONSTRUCTORS[name](self, name, args, expr.pos, depth)

    def text_argument(self, value: Any, pos: int) -> str:
        if type(value) is not str:
            raise self.error(pos, "this argument must be a string")
        return value

    def entries(self, value: Any, pos: int, pairs: bool) -> list[Any]:
        """The items of a Map/Set constructor's argument (``new Map([[k,v]])``)."""
        if value is undefined:
            return []
        if type(value) not in (list, JSArray):
            raise self.error(pos, "a Map or Set is built from an array")
        self.spend(len(value), pos)
        items = [undefined if item is hole else item for item in value]
        if pairs and any(type(item) not in (list, JSArray) for item in items):
            raise self.error(pos, "a Map is built from [key, value] arrays")
        return items

    def new_map(self, name: str, args: list[Any], pos: int, depth: int) -> Any:
        result: JSMap[Any, Any] = self.session.own(JSMap())
        for entry in self.entries(args[0] if args else undefined, pos, True):
            key, value = (*entry, undefined, undefined)[:2]
            result[self.user(undefined if key is hole else key, pos)] = self.user(
                undefined if value is hole else value, pos
            )
        return result

    def new_set(self, name: str, args: list[Any], pos: int, depth: int) -> Any:
        result: JSSet[Any] = self.session.own(JSSet())
        for item in self.entries(args[0] if args else undefined, pos, False):
            result.add(self.user(item, pos))
        return result

    def new_date(self, name: str, args: list[Any], pos: int, depth: int) -> Any:
        text = self.text_argument(args[0], pos)
        self.spend(len(text), pos)
        return self.leaf({"t": 5, "i": 0, "s": text}, depth)

    def new_regexp(self, name: str, args: list[Any], pos: int, depth: int) -> Any:
        source = self.text_argument(args[0], pos)
        self.spend(len(source), pos)
        if len(source) <= MAX_REGEXP_SOURCE_LENGTH:  # else the node reader refuses it
            source = escape_regexp_source(source)
        flags = self.text_argument(args[1], pos) if len(args) > 1 else ""
        return self.regexp_value(source, flags, depth)

    def new_aggregate_error(self, name: str, args: list[Any], pos: int, depth: int) -> Any:
        errors = self.session.own(self.entries(args[0], pos, False))
        return self.session.own(JSAggregateError(errors, self.text_argument(args[1], pos)))

    def new_view(self, name: str, args: list[Any], pos: int, depth: int) -> Any:
        """``new Uint8Array(buffer,offset,length)`` / ``new DataView(...)``, read as their nodes."""
        buffer, offset, length = (self.user(arg, pos) for arg in args)
        node: Node = {"t": 20, "i": 1}
        if name != "DataView":
            node = {"t": 16 if name in BIGINT_TYPED_ARRAYS else 15, "i": 1, "c": name}
        node.update({"f": {"t": 4, "i": 0}, "b": offset, "l": length})
        return self.leaf(node, depth, buffer)

    def object_call(self, expr: ObjectCall, depth: int) -> Any:
        args = self.arguments(expr.args, depth)
        return _OBJECT_CALLS[expr.name](self, args, expr.pos, depth)

    def object_box(self, args: list[Any], pos: int, depth: int) -> Any:
        value = self.leaf({"t": 21, "i": 1, "f": {"t": 4, "i": 0}}, depth, self.user(args[0], pos))
        if type(value) is dict and not value:
            self.session.own(value)  # Object(null) and Object(undefined) make a new object
        return value

    def object_create(self, args: list[Any], pos: int, depth: int) -> Any:
        return self.session.own(JSObject(null_prototype=True))

    def object_assign(self, args: list[Any], pos: int, depth: int) -> Any:
        target, source = args
        if type(source) not in (dict, JSObject, JSAsyncIterable):
            raise self.error(pos, "Object.assign copies from an object")
        self.spend(len(source), pos)
        strings = [key for key in source if type(key) is str]
        symbols = [key for key in source if type(key) is JSSymbol]
        for key in js_property_order(strings) + symbols:
            self.store(target, key, source[key], pos, define=False, strict=True)
        return target

    def object_freeze(self, args: list[Any], pos: int, depth: int) -> Any:
        return self.object_integrity(args[0], pos, Integrity.FROZEN)

    def object_seal(self, args: list[Any], pos: int, depth: int) -> Any:
        return self.object_integrity(args[0], pos, Integrity.SEALED)

    def object_prevent_extensions(self, args: list[Any], pos: int, depth: int) -> Any:
        return self.object_integrity(args[0], pos, Integrity.NON_EXTENSIBLE)

    def object_integrity(self, value: Any, pos: int, level: Integrity) -> Any:
        """``Object.freeze/seal/preventExtensions``: the integrity only ever goes up."""
        kind = type(value)
        if kind is JSObject or kind is JSArray or kind is JSAsyncIterable:
            self.owned(value, pos, "frozen")
            value.integrity = max(value.integrity, level)
        elif kind in (dict, list):
            raise self.error(
                pos, "this object was made in an earlier text and cannot be frozen now"
            )
        elif kind in (str, int, float, bool) or value is None or value is undefined:
            pass  # JS returns a primitive unchanged
        else:
            raise self.error(pos, f"seroval does not freeze a {kind.__name__}")
        return value

    def define_property(self, expr: DefineProperty, depth: int) -> Any:
        target = self.evaluate(expr.target, depth + 1)
        key = self.property_key(self.evaluate(expr.key, depth + 1), expr.pos)
        value = self.evaluate(expr.value, depth + 1)
        self.store(target, key, value, expr.pos, define=True)
        return target

    def symbol(self, expr: WellKnownSymbol, depth: int) -> Any:
        return expr.symbol

    def reference(self, expr: ReferenceGet, depth: int) -> Any:
        return get_reference(expr.reference_id)

    def temporal(self, expr: TemporalFrom, depth: int) -> Any:
        return self.leaf({"t": 36, "i": 0, "s": expr.text, "c": expr.type_index}, depth)

    def resolver_promise(self, expr: ResolverPromise, depth: int) -> Any:
        resolver = self.evaluate(expr.base, depth)
        if type(resolver) is not PromiseResolver:
            raise self.error(expr.pos, "only a promise resolver has a readable .p")
        return resolver.promise

    def promise_settled(self, expr: PromiseSettled, depth: int) -> Any:
        value = undefined if expr.value is None else self.evaluate(expr.value, depth + 1)
        value = self.settled(value, expr.pos)
        return JSPromise.resolve(value) if expr.fulfilled else JSPromise.reject(value)

    def promise_deferred(self, expr: PromiseDeferred, depth: int) -> Any:
        promise = JSPromise()
        self.deferred.append((promise, expr, self.table))
        return promise

    def settle_deferred(
        self, promise: JSPromise, expr: PromiseDeferred, table: ReadRefs | None
    ) -> None:
        source = expr.source
        if type(source) is Variable:
            value = self.variables[source.name]
        else:
            assert type(source) is Slot
            assert table is not None
            value = table.values.get(source.index, undefined)
        promise.settle(expr.fulfilled, self.settled(value, source.pos))

    def plugin(self, expr: PluginCall, depth: int) -> Any:
        args = [self.user(value, expr.pos) for value in self.arguments(expr.args, depth)]
        return self.plugin_value(expr.name, args, expr.pos, depth)

    def plugin_value(self, call: str, args: list[Any], pos: int, depth: int) -> Any:
        """The value of the plugin call named ``call`` (in ``js_calls``) with ``args``."""
        found = self.session.plugin_calls.get(call)
        if found is None:
            raise self.error(pos, f"no plugin given reads the call {call}")
        plugin, builder = found
        try:
            fields = dict(builder(args))
        except Exception as error:
            raise wrap_foreign(error, "deserialize", f"the plugin {plugin.tag!r}") from error
        names = list(fields)
        info = {name: {"t": 4, "i": index} for index, name in enumerate(names)}
        node = {"t": 25, "i": len(names), "s": info, "c": escape_string(plugin.tag)}
        values = [self.user(fields[name], pos) for name in names]
        return self.leaf(node, depth, *values)

    def call_form_data_factory(self, args: list[Any], pos: int, depth: int) -> Any:
        call = PLUGIN_HELPER_CALLS[HelperKind.FORM_DATA_FACTORY]
        return self.plugin_value(call, [self.user(arg, pos) for arg in args], pos, depth)

    def call_readable_stream_factory(self, args: list[Any], pos: int, depth: int) -> Any:
        call = PLUGIN_HELPER_CALLS[HelperKind.READABLE_STREAM_FACTORY]
        return self.plugin_value(call, [self.user(arg, pos) for arg in args], pos, depth)

    def call_abort_controller_factory(self, args: list[Any], pos: int, depth: int) -> Any:
        """The controller, whose ``.signal`` (:meth:`signal_read`) is the plugin value."""
        return _Controller([self.user(arg, pos) for arg in args])

    def signal_read(self, expr: SignalRead, depth: int) -> Any:
        controller = self.evaluate(expr.base, depth)
        if type(controller) is not _Controller:
            raise self.error(expr.pos, "only the AbortController factory's result has a .signal")
        name = PLUGIN_HELPER_CALLS[HelperKind.ABORT_CONTROLLER_FACTORY]
        return self.plugin_value(name, controller.args, expr.pos, depth)

    def not_a_value(self, expr: Expr, depth: int) -> Any:
        raise self.error(expr.pos, "reading a property is not part of seroval's output")


def _js_order(container: dict[Any, Any]) -> None:
    """Put array-index keys first, ascending, as JS lists own properties (in place)."""
    strings = [key for key in container if type(key) is str]
    ordered = js_property_order(strings) + [key for key in container if type(key) is not str]
    if ordered != list(container):
        items = [(key, container[key]) for key in ordered]
        container.clear()
        container.update(items)


_EVALUATORS: Final[dict[type[Expr], Callable[[_Run, Any, int], Any]]] = {
    Literal: _Run.literal,
    NumberLiteral: _Run.number,
    BigIntLiteral: _Run.bigint,
    RegExpLiteral: _Run.regexp,
    ArrayLiteral: _Run.array,
    ObjectLiteral: _Run.object,
    Variable: _Run.variable,
    Slot: _Run.slot,
    Comma: _Run.comma,
    Assign: _Run.assign,
    HelperText: _Run.helper,
    Call: _Run.call,
    MethodCall: _Run.method_call,
    New: _Run.new,
    ObjectCall: _Run.object_call,
    DefineProperty: _Run.define_property,
    WellKnownSymbol: _Run.symbol,
    ReferenceGet: _Run.reference,
    TemporalFrom: _Run.temporal,
    ResolverPromise: _Run.resolver_promise,
    PromiseSettled: _Run.promise_settled,
    PromiseDeferred: _Run.promise_deferred,
    PluginCall: _Run.plugin,
    SignalRead: _Run.signal_read,
    Member: _Run.not_a_value,
    SequenceValues: _Run.not_a_value,
}

_HELPER_CALLS: Final[dict[HelperKind, Callable[[_Run, list[Any], int, int], Any]]] = {
    HelperKind.ARRAY_BUFFER: _Run.call_array_buffer,
    HelperKind.PROMISE_CONSTRUCTOR: _Run.call_promise_constructor,
    HelperKind.PROMISE_SUCCESS: _Run.call_promise_success,
    HelperKind.PROMISE_FAILURE: _Run.call_promise_failure,
    HelperKind.STREAM: _Run.call_stream,
    HelperKind.STREAM_LEGACY: _Run.call_legacy_stream,
    HelperKind.ITERATOR_FACTORY: _Run.call_iterator_factory,
    HelperKind.ASYNC_ITERATOR_FACTORY: _Run.call_async_iterator_factory,
    HelperKind.FORM_DATA_FACTORY: _Run.call_form_data_factory,
    HelperKind.READABLE_STREAM_FACTORY: _Run.call_readable_stream_factory,
    HelperKind.ABORT_CONTROLLER_FACTORY: _Run.call_abort_controller_factory,
}

_METHOD_CALLS: Final[dict[str, Callable[[_Run, Any, list[Any], int], Any]]] = {
    "set": _Run.method_set,
    "add": _Run.method_add,
    "delete": _Run.method_delete,
    "next": _Run.method_next,
    "throw": _Run.method_throw,
    "return": _Run.method_return,
}

_CONSTRUCTORS: Final[dict[str, Callable[[_Run, str, list[Any], int, int], Any]]] = {
    "Map": _Run.new_map,
    "Set": _Run.new_set,
    "Date": _Run.new_date,
    "RegExp": _Run.new_regexp,
    "AggregateError": _Run.new_aggregate_error,
    "DataView": _Run.new_view,
    **dict.fromkeys(
        ("Int8Array", "Int16Array", "Int32Array", "Uint8Array", "Uint8ClampedArray"), _Run.new_view
    ),
    **dict.fromkeys(("Uint16Array", "Uint32Array", "Float32Array", "Float64Array"), _Run.new_view),
    **dict.fromkeys(("BigInt64Array", "BigUint64Array"), _Run.new_view),
}

_OBJECT_CALLS: Final[dict[str, Callable[[_Run, list[Any], int, int], Any]]] = {
    "box": _Run.object_box,
    "create": _Run.object_create,
    "assign": _Run.object_assign,
    "freeze": _Run.object_freeze,
    "seal": _Run.object_seal,
    "preventExtensions": _Run.object_prevent_extensions,
}


# ---------------------------------------------------------------------------
# Public API


def deserialize(
    text: str,
    *,
    plugins: Iterable[Plugin] = (),
    depth_limit: int = DEFAULT_DEPTH_LIMIT,
    max_base64_length: int = DEFAULT_MAX_BASE64_LENGTH,
    disabled_features: int = 0,
    plain: bool = False,
) -> Any:
    """seroval's ``deserialize`` for ``serialize`` output: the value, without ``eval``.

    Only seroval's output language is read (SPEC.md §8);
    anything else raises a :class:`~seroval.protocol.errors.SerovalError` located by
    line and column (``error.line``, ``error.column``).  Plugins are reached only through the
    calls they declare in ``Plugin.js_calls``; ``__SEROVAL_REFS__.get`` reads only what
    the application registered with ``create_reference``.  ``disabled_features`` can
    refuse RegExp or Temporal values, as for ``from_json``.  Cross-mode text (``$R``)
    is read with :class:`CrossDeserializer`.  ``plain`` gives Python's own types where
    the content allows (:mod:`seroval.protocol.model.plain`).
    """
    session = _Session(plugins, depth_limit, max_base64_length, disabled_features)
    value = session.read(text, cross=False)
    return to_plain(value) if plain else value


class CrossDeserializer:
    """seroval's ``createCrossDeserializer``, for JS chunks and node records alike.

    It reads what the streaming serializers send, one piece at a time, as a page
    would: :meth:`feed` takes cross-mode JS text (``crossSerialize`` and streamed
    chunks), :meth:`deserialize` takes node records (``toCrossJSON`` and streamed
    records).  Both share one ``$R`` table, so a piece can refer to values,
    promises and streams from earlier pieces, settle those promises and feed those
    streams, whichever form made them.  Promises come out as
    :class:`~seroval.protocol.model.values.JSPromise` (awaitable; pending until a later
    piece settles them), streams as :class:`~seroval.protocol.model.stream.Stream`
    (``async for``), async iterables as a dict whose ``Symbol.asyncIterator`` key
    holds their stream.  :attr:`pending` counts the promises and streams still
    open; :meth:`abort` rejects and ends all of them.

    ``$R`` (and every ``$R["scope"]`` array) lives in this object.  The header
    statements (``self.$R=self.$R||[]`` and ``(self.$R=self.$R||{})["id"]=[]``)
    are accepted but optional: the unscoped ``$R`` exists from the start, and a
    scope is created the first time a ``($R=>...)($R["id"])`` chunk uses it (a
    scoped header resets it, as in JS).  Node records go to the unscoped table, or
    to ``scope_id``'s.

    A chunk gives the value of its expression.  When that is one of seroval's
    internal records (a chunk that settles a promise ends with its resolver) it
    gives ``undefined``: internal records never leave the reader.  JS text may
    change only values JS text made (and feed streams either form made).

    A chunk that does not parse changes nothing.  A piece that fails while being
    read may have been applied in part, so the reader then rejects what is
    pending with the error and refuses further input
    (:class:`~seroval.protocol.errors.SerovalAbortedError`), as after
    :meth:`abort`.
    """

    def __init__(
        self,
        *,
        plugins: Iterable[Plugin] = (),
        depth_limit: int = DEFAULT_DEPTH_LIMIT,
        max_base64_length: int = DEFAULT_MAX_BASE64_LENGTH,
        disabled_features: int = 0,
    ) -> None:
        self._session = _Session(plugins, depth_limit, max_base64_length, disabled_features)

    def _check(self) -> _Session:
        session = self._session
        if session.aborted:
            raise SerovalAbortedError("the reader was aborted; it takes no more input")
        if session.failed:
            raise SerovalAbortedError("an earlier chunk failed; this reader takes no more input")
        return session

    def _failed(self, session: _Session, error: BaseException) -> None:
        session.failed = True
        self._reject_pending(error)

    def feed(self, text: str) -> Any:
        """Evaluate one chunk; return its value (``undefined`` for a header or an event)."""
        session = self._check()
        with gc_paused():
            program = session.parse(text, True)
            try:
                return _Run(session, text, program, True).run()
            except BaseException as error:
                self._failed(session, error)
                raise

    def deserialize(self, node: object, *, scope_id: str | None = None) -> Any:
        """Read one node record (a root or a later record); return its value.

        A later record (a promise settlement, a stream event) gives ``undefined``.
        """
        session = self._check()
        table = session.table
        if scope_id is not None:
            table = session.scopes.setdefault(scope_id, ReadRefs())
        before = set(session.pending)
        reader = Deserializer(
            session.options,
            session.features,
            refs=table,
            pending=session.pending,
            forward_references=True,
        )
        try:
            value = reader.read_top(node)
        except BaseException as error:
            self._failed(session, error)
            raise
        for key in set(session.pending) - before:
            session.own(session.pending[key])  # later JS chunks may feed these streams
        return value

    def abort(self, reason: Any = undefined) -> None:
        """Reject every pending promise and throw ``reason`` into every open stream.

        The reader takes no more input afterwards.  As in seroval, the first error a
        stream listener raises is raised here, after all were told.
        """
        session = self._session
        session.aborted = True
        self._reject_pending(reason)

    def _reject_pending(self, reason: Any) -> None:
        session = self._session
        pending, session.pending = session.pending, {}
        errors: list[Exception] = []
        for item in pending.values():
            try:
                if type(item) is PromiseResolver:
                    item.promise.settle(False, reason)
                elif type(item) is Stream:
                    item.throw(reason)
            except Exception as error:
                errors.append(error)
        if errors:
            raise errors[0]

    def value(self, index: int, *, scope_id: str | None = None) -> Any:
        """``$R[index]`` (of ``$R[scope_id]`` when given); ``undefined`` if never assigned."""
        table = self._session.table if scope_id is None else self._session.scopes.get(scope_id)
        value = undefined if table is None else table.values.get(index, undefined)
        return undefined if type(value) in _INTERNAL else value

    @property
    def pending(self) -> int:
        """How many promises and streams made so far are still unsettled or open."""
        return len(self._session.pending)
