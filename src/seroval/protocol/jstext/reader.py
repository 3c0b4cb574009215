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

from typing import Any, Unpack

from ..collector import maybe_gc_paused
from ..model.options import ReadKeywords, ReadOptions
from ..model.plain import to_plain
from .cross import CrossDeserializer
from .evaluate import Run
from .native_text import NOT_HANDLED, native_deserialize
from .session import Session

__all__ = ["CrossDeserializer", "deserialize", "deserialize_with"]


def deserialize_with(options: ReadOptions, text: str) -> Any:
    """:func:`deserialize` with options built once.

    Raises :class:`~seroval.SerovalDeserializationError` for any text that is not
    seroval's output or breaks a limit: :class:`~seroval.SerovalSyntaxError` (it
    does not parse), :class:`~seroval.SerovalEvaluationError` (it parses but does
    something seroval's output never does), or the subclass naming a limit or
    check (:class:`~seroval.SerovalDepthLimitError`,
    :class:`~seroval.SerovalSizeLimitError`, a plugin's validation...), each with
    ``line``, ``column`` and ``offset``.  :class:`TypeError` if ``text`` is not a ``str``.
    """
    value = native_deserialize(options, text)
    if value is not NOT_HANDLED:
        return value
    session = Session(options)
    with maybe_gc_paused(options.pause_gc):  # over parsing and evaluating
        value = Run(session, text, session.parse(text, False), False).run()
    return to_plain(value) if options.plain else value


def deserialize(text: str, **options: Unpack[ReadKeywords]) -> Any:
    """seroval's ``deserialize`` for ``serialize`` output: the value, without ``eval``.

    Only seroval's output language is read (SPEC.md §8); anything else raises a
    :class:`~seroval.SerovalDeserializationError` located by line and column
    (``error.line``, ``error.column``), as :func:`deserialize_with` details.
    Plugins are reached only through the calls they declare in ``Plugin.js_calls``;
    ``__SEROVAL_REFS__.get`` reads only what the application registered with
    ``create_reference``.  ``disabled_features`` can refuse RegExp or Temporal
    values, as for ``from_json``.  The options are
    :class:`~seroval.protocol.model.options.ReadOptions`' (``plugins``,
    ``disabled_features``, ``depth_limit``, ``max_base64_length``, ``pause_gc``).
    Cross-mode text (``$R``) is read with :class:`CrossDeserializer`.  ``plain`` gives
    Python's own types where the content allows (:mod:`seroval.protocol.model.plain`).
    """
    return deserialize_with(ReadOptions(**options), text)
