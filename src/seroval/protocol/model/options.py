"""The writers' and readers' options, checked and resolved once.

Every serializing entry point takes the same keyword arguments (plugins, disabled
features, limits, the naive-datetime zone, tracebacks), and so does every reading
one.  These objects hold them after validation (plugins resolved, features
computed), so a :class:`seroval.Serializer` or :class:`seroval.Deserializer` built
once per deployment pays for that once; the free functions build one per call.
They are immutable: one can be shared by any number of threads and calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo
from typing import Final, TypedDict

from .features import enabled_features
from .plugins import Plugin, resolve_plugins

__all__ = [
    "DEFAULT_DEPTH_LIMIT",
    "DEFAULT_MAX_BASE64_LENGTH",
    "ReadKeywords",
    "ReadOptions",
    "WriteKeywords",
    "WriteOptions",
]

#: seroval's default ``depthLimit``; ``0`` also means this, as in seroval.
DEFAULT_DEPTH_LIMIT: Final = 1000

#: The longest base64 text of one ArrayBuffer the readers accept (about 750 kB).
DEFAULT_MAX_BASE64_LENGTH: Final = 1_000_000


def _non_negative(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a non-negative int, not {value!r}")
    return value


class WriteKeywords(TypedDict, total=False):
    """The keyword arguments every writer takes (see :class:`WriteOptions`)."""

    disabled_features: int
    plugins: Iterable[Plugin] | None
    depth_limit: int
    naive_timezone: tzinfo | None
    include_tracebacks: bool
    pause_gc: bool


class ReadKeywords(TypedDict, total=False):
    """The keyword arguments every reader takes (see :class:`ReadOptions`)."""

    plugins: Iterable[Plugin] | None
    disabled_features: int
    depth_limit: int
    max_base64_length: int
    pause_gc: bool
    plain: bool


class WriteOptions:
    """What every writer takes: seroval's options in snake_case, and ours.

    ``naive_timezone`` is the zone assumed for naive datetimes (otherwise they are
    refused); ``include_tracebacks`` sends Python exceptions' tracebacks as their
    ``stack`` (off by default: they leak server internals); ``pause_gc`` switches
    the cyclic garbage collector off while a call builds its output (see
    :func:`seroval.protocol.collector.gc_paused`: it is process-wide, so it is off
    by default).
    """

    __slots__ = (
        "depth_limit",
        "disabled_features",
        "features",
        "include_tracebacks",
        "naive_timezone",
        "pause_gc",
        "plugins",
    )

    def __init__(
        self,
        *,
        disabled_features: int = 0,
        plugins: Iterable[Plugin] | None = (),
        depth_limit: int = DEFAULT_DEPTH_LIMIT,
        naive_timezone: tzinfo | None = None,
        include_tracebacks: bool = False,
        pause_gc: bool = False,
    ) -> None:
        self.disabled_features = disabled_features
        self.features = enabled_features(disabled_features)
        self.plugins = resolve_plugins(plugins)
        self.depth_limit = _non_negative("depth_limit", depth_limit) or DEFAULT_DEPTH_LIMIT
        if naive_timezone is not None and not isinstance(naive_timezone, tzinfo):
            raise TypeError(f"naive_timezone must be a tzinfo, not {naive_timezone!r}")
        self.naive_timezone = naive_timezone
        self.include_tracebacks = bool(include_tracebacks)
        self.pause_gc = bool(pause_gc)

    def __repr__(self) -> str:
        return (
            f"WriteOptions(disabled_features={self.disabled_features}, "
            f"plugins={len(self.plugins)}, depth_limit={self.depth_limit})"
        )


class ReadOptions:
    """What every reader takes: plugins, disabled features and the reader's limits.

    ``plain`` gives Python's own types (``set``, ``dict``, ``bytes``, ``list``) where
    the content allows, instead of ``JSSet``, ``JSMap``, a ``Uint8Array`` and JS
    iterables (see :mod:`seroval.protocol.model.plain`).  It applies to the readers
    of self-contained payloads: ``from_json``, ``deserialize``, and ``from_cross_json``
    without shared ``refs`` (a value shared with later payloads keeps its JS type).
    """

    __slots__ = (
        "depth_limit",
        "disabled_features",
        "max_base64_length",
        "pause_gc",
        "plain",
        "plugins",
    )

    def __init__(
        self,
        *,
        plugins: Iterable[Plugin] | None = (),
        disabled_features: int = 0,
        depth_limit: int = DEFAULT_DEPTH_LIMIT,
        max_base64_length: int = DEFAULT_MAX_BASE64_LENGTH,
        pause_gc: bool = False,
        plain: bool = False,
    ) -> None:
        self.plugins = resolve_plugins(plugins)
        self.plain = bool(plain)
        self.disabled_features = disabled_features
        enabled_features(disabled_features)  # validates the mask
        self.depth_limit = _non_negative("depth_limit", depth_limit) or DEFAULT_DEPTH_LIMIT
        self.max_base64_length = _non_negative("max_base64_length", max_base64_length)
        self.pause_gc = bool(pause_gc)

    def __repr__(self) -> str:
        return (
            f"ReadOptions(disabled_features={self.disabled_features}, "
            f"plugins={len(self.plugins)}, depth_limit={self.depth_limit})"
        )
