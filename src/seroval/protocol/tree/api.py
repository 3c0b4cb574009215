"""The node-tree API: ``to_json`` / ``from_json`` and the cross-reference forms.

``to_json`` returns seroval's envelope ``{"t": root, "f": features, "m": marked}``
as plain Python data; :func:`~seroval.protocol.tree.json_text.dumps_json` turns it into
the exact text JS ``JSON.stringify`` gives.  The cross forms return and take the
bare root node and share ``refs`` across calls, so later payloads can point at
values sent earlier.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo
from typing import Any

from ..errors import SerovalError
from ..model.features import enabled_features
from ..model.nodes import Node
from ..model.options import (
    DEFAULT_DEPTH_LIMIT,
    DEFAULT_MAX_BASE64_LENGTH,
    ReadOptions,
    WriteOptions,
)
from ..model.plugins import Plugin, resolve_plugins
from ..model.references import ReadRefs, WriteRefs
from .deserialize import (
    Deserializer,
    check_envelope,
    read_features,
    read_marked,
)
from .parse import Parser, parse_top

__all__ = ["from_cross_json", "from_json", "to_cross_json", "to_json"]


def to_json(
    value: object,
    *,
    disabled_features: int = 0,
    plugins: Iterable[Plugin] = (),
    depth_limit: int = DEFAULT_DEPTH_LIMIT,
    naive_timezone: tzinfo | None = None,
    include_tracebacks: bool = False,
) -> dict[str, Any]:
    """seroval's ``toJSON``: the ``{"t", "f", "m"}`` envelope for ``value``.

    ``naive_timezone`` is the zone to assume for naive datetimes (otherwise they
    are refused); ``include_tracebacks`` sends Python exceptions' tracebacks as
    their ``stack`` (off by default: they leak server internals).
    """
    options = WriteOptions(
        disabled_features=disabled_features,
        plugins=plugins,
        depth_limit=depth_limit,
        naive_timezone=naive_timezone,
        include_tracebacks=include_tracebacks,
    )
    parser = Parser(options)
    root = parse_top(parser, value)
    return {"t": root, "f": options.features, "m": list(parser.marked)}


def to_cross_json(
    value: object,
    *,
    refs: WriteRefs | None = None,
    disabled_features: int = 0,
    plugins: Iterable[Plugin] = (),
    depth_limit: int = DEFAULT_DEPTH_LIMIT,
    naive_timezone: tzinfo | None = None,
    include_tracebacks: bool = False,
) -> Node:
    """seroval's ``toCrossJSON``: the bare root node; ids continue across calls sharing ``refs``."""
    options = WriteOptions(
        disabled_features=disabled_features,
        plugins=plugins,
        depth_limit=depth_limit,
        naive_timezone=naive_timezone,
        include_tracebacks=include_tracebacks,
    )
    return parse_top(Parser(options, refs), value)


def from_json(
    envelope: object,
    *,
    plugins: Iterable[Plugin] = (),
    disabled_features: int = 0,
    depth_limit: int = DEFAULT_DEPTH_LIMIT,
    max_base64_length: int = DEFAULT_MAX_BASE64_LENGTH,
) -> Any:
    """seroval's ``fromJSON``: the value described by a ``to_json`` envelope.

    Features are ``(envelope["f"] or 127) & ~disabled_features``; only ids listed in
    ``envelope["m"]`` are registered for references, as in seroval.
    """
    options = ReadOptions(
        plugins=resolve_plugins(plugins),
        depth_limit=depth_limit,
        max_base64_length=max_base64_length,
    )
    try:
        checked = check_envelope(envelope)
        features = read_features(checked, disabled_features)
        marked = read_marked(checked)
    except SerovalError:
        raise
    reader = Deserializer(options, features, marked=marked)
    try:
        return reader.read_top(checked["t"])
    except SerovalError as error:
        error.at("t")
        raise


def from_cross_json(
    node: object,
    *,
    refs: ReadRefs | None = None,
    plugins: Iterable[Plugin] = (),
    features: int | None = None,
    disabled_features: int = 0,
    depth_limit: int = DEFAULT_DEPTH_LIMIT,
    max_base64_length: int = DEFAULT_MAX_BASE64_LENGTH,
) -> Any:
    """seroval's ``fromCrossJSON``: read a bare node, registering every id in ``refs``.

    Pass the same ``refs`` to successive calls to resolve references between them.
    """
    options = ReadOptions(
        plugins=resolve_plugins(plugins),
        depth_limit=depth_limit,
        max_base64_length=max_base64_length,
    )
    enabled = features if features is not None else enabled_features(disabled_features)
    reader = Deserializer(options, enabled, refs=refs)
    return reader.read_top(node)
