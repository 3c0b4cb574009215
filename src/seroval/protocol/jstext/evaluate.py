"""Evaluating one parsed text: JS's meaning for seroval's output, without ``eval``.

:class:`Run` holds one text's state (its variables, its ``$R`` table, its work
budget, what runs after the text: iterator drains, deferred promise callbacks,
key reordering) and the checks every construct shares.  Each kind of
expression has one small function, found in :data:`_EVALUATORS` by the
expression's class: literals and assignments (:mod:`.eval_values`), calls
(:mod:`.eval_calls`), constructors and globals (:mod:`.eval_builtins`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final

from ..errors import (
    SerovalDepthLimitError,
    SerovalError,
    SerovalEvaluationError,
    SerovalSizeLimitError,
    wrap_foreign,
)
from ..model.nodes import Node
from ..model.references import ReadRefs
from ..model.strings import js_property_order
from ..model.values import JSPromise, undefined
from ..stack import StackBudget
from ..tree.deserialize import Deserializer
from .eval_builtins import BUILTIN_EVALUATORS, settle_deferred
from .eval_calls import CALL_EVALUATORS, drain
from .eval_values import VALUE_EVALUATORS
from .internal import INTERNAL, IteratorInstance
from .lexer import attach_location, line_column
from .session import Session
from .syntax import (
    BigIntLiteral,
    Expr,
    Literal,
    NumberLiteral,
    Program,
    PromiseDeferred,
    ReferenceGet,
    RegExpLiteral,
    Slot,
    Variable,
    WellKnownSymbol,
)

__all__ = ["FRAMES_PER_LEVEL", "WORK_SLACK", "Evaluator", "Run"]

#: The work budget of a text, in elements, is twice its length plus this.  Work is
#: whatever a text can repeat without writing it out again: elements copied from a
#: value held in a variable (``new Map(h)``, ``Object.assign(t,h)``, a sequence
#: drained), characters decoded or escaped from such a string (``(AB)(h)``,
#: ``new RegExp(h)``), holes made when an array grows past its end.  seroval's own
#: text stays far below it; a text that reuses one big value over and over, which
#: would take time quadratic in its length, is refused instead.
WORK_SLACK: Final = 1024

#: An upper bound on the Python frames between two nested :meth:`Run.evaluate` calls
#: (an assignment into a sequence record's ``.v[i]`` is the longest path), for
#: :class:`~seroval.protocol.stack.StackBudget`.
FRAMES_PER_LEVEL: Final = 6

#: Expressions whose value needs no other expression evaluated: out of stack budget,
#: they are evaluated where they are instead of on a fresh thread.
_LEAF_EXPRESSIONS: Final = frozenset(
    {
        Literal,
        NumberLiteral,
        BigIntLiteral,
        RegExpLiteral,
        Variable,
        Slot,
        WellKnownSymbol,
        ReferenceGet,
    }
)


class Run:
    """Evaluates one parsed text against a session."""

    def __init__(self, session: Session, text: str, program: Program, cross: bool) -> None:
        self.session = session
        self.text = text
        self.program = program
        self.cross = cross
        self.variables: dict[str, Any] = dict.fromkeys(program.params or (), undefined)
        self.table: ReadRefs | None = None
        self.depth_limit = session.options.depth_limit
        self.leaf_reader = Deserializer(session.options, session.features, marked=frozenset())
        self.budget = 2 * len(text) + WORK_SLACK
        self.iterators: list[tuple[IteratorInstance, int]] = []
        self.deferred: list[tuple[JSPromise, PromiseDeferred, ReadRefs | None]] = []
        self.reorder: dict[int, dict[Any, Any]] = {}
        # Nested evaluate() calls on the stack: the walk hands over to a fresh
        # thread past what this thread's stack holds (see protocol.stack).
        self.level = 0
        self.stack = StackBudget(FRAMES_PER_LEVEL)

    def run(self) -> Any:
        try:
            self.stack.start(self.level)
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
        if self.cross and type(value) in INTERNAL:
            # A settling chunk's patched form ends with its target, the resolver.
            return undefined
        return self.user(value, program.body.pos)

    def finish(self) -> None:
        """What JS does after the text ran: callbacks, then what re-serializing reads."""
        for instance, pos in self.iterators:
            drain(self, instance, pos)
        for promise, deferred, table in self.deferred:
            settle_deferred(self, promise, deferred, table)
        for container in self.reorder.values():
            _js_order(container)

    def error(self, pos: int, message: str) -> SerovalEvaluationError:
        line, column = line_column(self.text, pos)
        return SerovalEvaluationError(message, line=line, column=column, offset=pos)

    def user(self, value: Any, pos: int) -> Any:
        """``value`` where it becomes part of the result: internal values are refused."""
        if type(value) in INTERNAL:
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

    def evaluate(self, expr: Expr, depth: int) -> Any:
        if depth > self.depth_limit:
            error = SerovalDepthLimitError(
                self.depth_limit, step="deserialize", what="the JS text's value"
            )
            attach_location(error, self.text, expr.pos)
            raise error
        level = self.level
        if level >= self.stack.hand_over_at and type(expr) not in _LEAF_EXPRESSIONS:
            return self.stack.deeper(lambda item, _: self.evaluate(item, depth), expr, level)
        self.level = level + 1
        try:
            value = _EVALUATORS[type(expr)](self, expr, depth)
        except SerovalError as error:
            attach_location(error, self.text, expr.pos)
            raise
        # Not restored on an error: nothing catches one and evaluates on; the run ends.
        self.level = level
        return value

    def arguments(self, args: list[Expr], depth: int) -> list[Any]:
        values = []  # a loop, not a comprehension: one frame less a level
        for arg in args:
            values.append(self.evaluate(arg, depth + 1))
        return values

    def leaf(self, node: Node, depth: int, *values: Any) -> Any:
        """Read one node with the node reader; ``values`` are ids 0, 1, ... it may refer to."""
        reader = self.leaf_reader
        # The node reader goes on with the frames this thread has left for the walk.
        free_frames = (self.stack.hand_over_at - self.level) * FRAMES_PER_LEVEL
        reader.budget.hand_over_at = depth + free_frames // reader.budget.frames_per_level
        reader.values.update(enumerate(values))
        try:
            return reader.read(node, depth)
        except SerovalError:
            raise
        except Exception as error:  # e.g. int()'s digit limit, as read_top wraps it
            raise wrap_foreign(error, "deserialize", "reading a value") from error
        finally:
            reader.values.clear()


def _js_order(container: dict[Any, Any]) -> None:
    """Put array-index keys first, ascending, as JS lists own properties (in place)."""
    strings = [key for key in container if type(key) is str]
    ordered = js_property_order(strings) + [key for key in container if type(key) is not str]
    if ordered != list(container):
        items = [(key, container[key]) for key in ordered]
        container.clear()
        container.update(items)


#: What evaluates one kind of expression: ``(run, expr, depth) -> value``.
Evaluator = Callable[[Run, Any, int], Any]

_EVALUATORS: Final[dict[type[Expr], Evaluator]] = {
    **VALUE_EVALUATORS,
    **CALL_EVALUATORS,
    **BUILTIN_EVALUATORS,
}
