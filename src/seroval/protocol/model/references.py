"""Identity tables: the global ``create_reference`` registry, and ``refs`` for cross mode.

:func:`create_reference` is seroval's isomorphic reference: a value known to both
ends by a string id (a function, a class, a singleton).  It is written as a
Reference node holding only the id; the reader looks the id up in *its* registry,
which only the application populates, so a payload can never name arbitrary code.

:class:`WriteRefs` and :class:`ReadRefs` are the ``refs`` that cross mode shares
between calls (``to_cross_json``/``cross_serialize`` and ``from_cross_json``), so a
later chunk can point at a value sent in an earlier one.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ..errors import SerovalMissingReferenceForIdError

__all__ = ["ReadRefs", "WriteRefs", "create_reference", "get_reference", "reference_id_of"]

T = TypeVar("T")

_BY_ID: dict[str, Any] = {}
_BY_IDENTITY: dict[int, tuple[str, Any]] = {}


def create_reference(reference_id: str, value: T) -> T:
    """Register ``value`` under ``reference_id`` for both writing and reading; return it.

    Raises ``TypeError`` when ``reference_id`` is not a ``str`` (a programming error,
    not a wire error).
    """
    if not isinstance(reference_id, str):
        raise TypeError("a reference id must be a str")
    _BY_ID[reference_id] = value
    _BY_IDENTITY[id(value)] = (reference_id, value)
    return value


def get_reference(reference_id: str) -> Any:
    """The value registered under ``reference_id``; a typed error when there is none."""
    try:
        return _BY_ID[reference_id]
    except KeyError:
        raise SerovalMissingReferenceForIdError(
            f"no value is registered under reference id {reference_id!r}", reference_id
        ) from None


def reference_id_of(value: object) -> str | None:
    """The id ``value`` was registered under, or ``None``."""
    if not _BY_IDENTITY:
        return None
    entry = _BY_IDENTITY.get(id(value))
    return entry[0] if entry is not None and entry[1] is value else None


class WriteRefs:
    """Value identity to node id, for the writing side.

    Ids are allocated densely from 0; the table keeps every value alive so that an
    ``id()`` cannot be reused by another object while it is in use.  Pass one
    instance to successive cross-mode calls to share references between them.
    """

    __slots__ = ("_ids", "_values")

    def __init__(self) -> None:
        self._ids: dict[int, int] = {}
        self._values: list[object] = []

    def __len__(self) -> int:
        return len(self._values)

    def get(self, value: object) -> int | None:
        return self._ids.get(id(value))

    def add(self, value: object) -> int:
        node_id = len(self._values)
        self._ids[id(value)] = node_id
        self._values.append(value)
        return node_id

    def rollback(self, size: int) -> None:
        """Forget the ids from ``size`` on (a failed parse emits none of them)."""
        for value in self._values[size:]:
            del self._ids[id(value)]
        del self._values[size:]


class ReadRefs:
    """Node id to value, for the reading side, plus the node type of promise/stream ids.

    ``types`` lets later records check that a promise or stream event targets a real
    promise or stream (seroval's fix for CVE-2026-59940).  Pass one instance to
    successive ``from_cross_json`` calls.
    """

    __slots__ = ("types", "values")

    def __init__(self) -> None:
        self.values: dict[int, Any] = {}
        self.types: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.values)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.values

    def __getitem__(self, node_id: int) -> Any:
        return self.values[node_id]
