"""seroval's ``createCrossDeserializer``: one ``$R`` for JS chunks and node records alike."""

from __future__ import annotations

from typing import Any, Unpack

from ..collector import maybe_gc_paused
from ..errors import SerovalAbortedError
from ..model.options import ReadKeywords, ReadOptions
from ..model.references import ReadRefs
from ..model.stream import Stream
from ..model.values import undefined
from ..tree.deserialize import Deserializer, PromiseResolver
from .evaluate import Run
from .internal import INTERNAL
from .session import Session

__all__ = ["CrossDeserializer"]


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
    open; :meth:`abort` rejects and ends all of them.  With ``single_consumer_streams``
    the streams node records make keep no replay buffer once a listener took them
    (each has one consumer, as in an RPC client).

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

    The options are those of :func:`~seroval.deserialize`, as keywords or as one
    :class:`~seroval.protocol.model.options.ReadOptions` built once (``options=``),
    not both (:class:`TypeError`).  ``plain`` does not apply here: a later piece
    may refer to any value an earlier one gave, which must stay the object it was.
    :meth:`feed` and :meth:`deserialize` raise a
    :class:`~seroval.SerovalDeserializationError` for bad input (then the reader is
    aborted: later calls raise :class:`~seroval.SerovalAbortedError`).
    """

    def __init__(
        self,
        *,
        options: ReadOptions | None = None,
        single_consumer_streams: bool = False,
        **keywords: Unpack[ReadKeywords],
    ) -> None:
        if options is None:
            options = ReadOptions(**keywords)
        elif keywords:
            raise TypeError("pass the options either as options= or as keywords, not both")
        self._session = Session(options)
        self._single_consumer_streams = single_consumer_streams

    def _check(self) -> Session:
        session = self._session
        if session.aborted:
            raise SerovalAbortedError("the reader was aborted; it takes no more input")
        if session.failed:
            raise SerovalAbortedError("an earlier chunk failed; this reader takes no more input")
        return session

    def _failed(self, session: Session, error: BaseException) -> None:
        session.failed = True
        self._reject_pending(error)

    def feed(self, text: str) -> Any:
        """Evaluate one chunk; return its value (``undefined`` for a header or an event).

        Raises what :func:`~seroval.deserialize` raises for bad text (a
        :class:`~seroval.SerovalDeserializationError` with its line and column),
        and :class:`~seroval.SerovalAbortedError` once the reader was aborted or an
        earlier piece failed.
        """
        session = self._check()
        with maybe_gc_paused(session.options.pause_gc):
            program = session.parse(text, True)
            try:
                return Run(session, text, program, True).run()
            except BaseException as error:
                self._failed(session, error)
                raise

    def deserialize(self, node: object, *, scope_id: str | None = None) -> Any:
        """Read one node record (a root or a later record); return its value.

        A later record (a promise settlement, a stream event) gives ``undefined``.
        Raises what :func:`~seroval.from_cross_json` raises for a bad node (a
        :class:`~seroval.SerovalDeserializationError` with its path), and
        :class:`~seroval.SerovalAbortedError` once the reader was aborted or an
        earlier piece failed.
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
            single_consumer_streams=self._single_consumer_streams,
        )
        try:
            with maybe_gc_paused(session.options.pause_gc):
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
        return undefined if type(value) in INTERNAL else value

    @property
    def pending(self) -> int:
        """How many promises and streams made so far are still unsettled or open."""
        return len(self._session.pending)
