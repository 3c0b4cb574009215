"""Value to JSON text and JSON text to value in one call: the fused forms.

``to_json_text(value)`` is ``dumps_json(to_json(value))`` and
``from_json_text(text)`` is ``from_json(loads_json(text))``, byte for byte and
error for error; the cross forms likewise.  With the native core (see
:mod:`.backend`) they skip the intermediate node dicts: the Rust walker writes
the text straight from the value, and reads values straight from the text,
handing every value or node outside its fast path (and, with plugins, every
value a plugin could take) to the pure-Python walkers with the same refs.
Without the core they are the pure composition above.
"""

from __future__ import annotations

from typing import Any, Unpack

from ..model.options import ReadKeywords, ReadOptions, WriteKeywords, WriteOptions
from ..model.plain import to_plain
from ..model.references import ReadRefs, WriteRefs
from . import backend
from .api import from_cross_json_with, from_json_with, to_cross_json_with, to_json_with
from .json_text import dumps_json, loads_json
from .native_glue import NOT_HANDLED, native_read, native_write

__all__ = [
    "from_cross_json_text",
    "from_cross_json_text_with",
    "from_json_text",
    "from_json_text_with",
    "to_cross_json_text",
    "to_cross_json_text_with",
    "to_json_text",
    "to_json_text_with",
]


def to_json_text_with(options: WriteOptions, value: object) -> str:
    """:func:`to_json_text` with options built once."""
    native = backend.native_module()
    if native is not None:
        return native_write(native, options, value, None, envelope=True)
    return dumps_json(to_json_with(options, value))


def to_cross_json_text_with(
    options: WriteOptions, value: object, *, refs: WriteRefs | None = None
) -> str:
    """:func:`to_cross_json_text` with options built once."""
    native = backend.native_module()
    if native is not None:
        return native_write(native, options, value, refs, envelope=False)
    return dumps_json(to_cross_json_with(options, value, refs=refs))


def from_json_text_with(options: ReadOptions, text: str | bytes | bytearray) -> Any:
    """:func:`from_json_text` with options built once."""
    native = backend.native_module()
    if native is not None:
        value = native_read(native, options, text, envelope=True)
        if value is not NOT_HANDLED:
            return to_plain(value) if options.plain else value  # as from_json_with does
    return from_json_with(options, loads_json(text))


def from_cross_json_text_with(
    options: ReadOptions,
    text: str | bytes | bytearray,
    *,
    refs: ReadRefs | None = None,
    features: int | None = None,
) -> Any:
    """:func:`from_cross_json_text` with options built once."""
    native = backend.native_module()
    if native is not None:
        value = native_read(native, options, text, envelope=False, refs=refs, features=features)
        if value is not NOT_HANDLED:
            return to_plain(value) if options.plain and refs is None else value
    return from_cross_json_with(options, loads_json(text), refs=refs, features=features)


def to_json_text(value: object, **options: Unpack[WriteKeywords]) -> str:
    """``dumps_json(to_json(value))`` in one call: the envelope's exact JSON text.

    Takes :func:`~seroval.to_json`'s options and raises what it raises.
    """
    return to_json_text_with(WriteOptions(**options), value)


def to_cross_json_text(
    value: object, *, refs: WriteRefs | None = None, **options: Unpack[WriteKeywords]
) -> str:
    """``dumps_json(to_cross_json(value, refs=refs))`` in one call.

    Raises what :func:`~seroval.to_cross_json` raises: a
    :class:`~seroval.SerovalSerializationError` for a value that cannot be written.
    """
    return to_cross_json_text_with(WriteOptions(**options), value, refs=refs)


def from_json_text(text: str | bytes | bytearray, **options: Unpack[ReadKeywords]) -> Any:
    """``from_json(loads_json(text))`` in one call (bytes must be UTF-8).

    Takes :func:`~seroval.from_json`'s options and raises what it and
    :func:`~seroval.loads_json` raise: a :class:`~seroval.SerovalDeserializationError`.
    """
    return from_json_text_with(ReadOptions(**options), text)


def from_cross_json_text(
    text: str | bytes | bytearray,
    *,
    refs: ReadRefs | None = None,
    features: int | None = None,
    **options: Unpack[ReadKeywords],
) -> Any:
    """``from_cross_json(loads_json(text), refs=refs, features=features)`` in one call.

    Raises what :func:`~seroval.from_cross_json` and :func:`~seroval.loads_json`
    raise: a :class:`~seroval.SerovalDeserializationError`.
    """
    return from_cross_json_text_with(ReadOptions(**options), text, refs=refs, features=features)
