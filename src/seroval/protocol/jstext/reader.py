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

from collections.abc import Iterable
from typing import Any

from ..collector import maybe_gc_paused
from ..model.options import DEFAULT_DEPTH_LIMIT, DEFAULT_MAX_BASE64_LENGTH
from ..model.plugins import Plugin
from .cross import CrossDeserializer
from .evaluate import Run
from .session import Session

__all__ = ["CrossDeserializer", "deserialize"]


def deserialize(
    text: str,
    *,
    plugins: Iterable[Plugin] = (),
    depth_limit: int = DEFAULT_DEPTH_LIMIT,
    max_base64_length: int = DEFAULT_MAX_BASE64_LENGTH,
    disabled_features: int = 0,
) -> Any:
    """seroval's ``deserialize`` for ``serialize`` output: the value, without ``eval``.

    Only seroval's output language is read (SPEC.md §8);
    anything else raises a :class:`~seroval.protocol.errors.SerovalError` located by
    line and column (``error.line``, ``error.column``).  Plugins are reached only through the
    calls they declare in ``Plugin.js_calls``; ``__SEROVAL_REFS__.get`` reads only what
    the application registered with ``create_reference``.  ``disabled_features`` can
    refuse RegExp or Temporal values, as for ``from_json``.  Cross-mode text (``$R``)
    is read with :class:`CrossDeserializer`.
    """
    session = Session(plugins, depth_limit, max_base64_length, disabled_features)
    with maybe_gc_paused(session.options.pause_gc):  # over parsing and evaluating
        return Run(session, text, session.parse(text, False), False).run()
