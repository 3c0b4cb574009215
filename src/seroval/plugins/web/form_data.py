"""``FormData``: ordered form entries, and its plugin with the factory helper plugin.

seroval-plugins writes a FormData as a call of a helper function that appends each
``[name, value]`` entry (``(FACTORY)([["a","1"]])``); the helper is a plugin node
of its own (``seroval-plugins/web/FormDataFactory``), so a second FormData calls
the first one's helper by reference.  Entry values are strings or Files (a Blob is
turned into a File named "blob" when appended, as JS does), which seroval writes
with the File plugin (``FormDataPlugin`` extends it) or, earlier in the list, the
Blob plugin.  In JS the Blob entries keep a FormData out of sync and stream mode;
Python can write them in every mode (see :mod:`.blob`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Final

from ...protocol.jstext.helpers import FORM_DATA_FACTORY
from ...protocol.model.plugins import PluginDeserializeContext, PluginSerializeContext
from ._base import Factory, WebPlugin, call_arguments
from .blob import Blob, File, FilePlugin
from .url import _usv

__all__ = ["FORM_DATA_FACTORY_MARKER", "FormData", "FormDataFactoryPlugin", "FormDataPlugin"]

FormDataValue = str | File
FORM_DATA_FACTORY_MARKER: Final = Factory("FormDataFactory")


def _entry_value(value: object, filename: str | None) -> FormDataValue:
    """The XHR spec's "create an entry": strings as they are, Blobs become Files."""
    if isinstance(value, Blob):
        if isinstance(value, File) and filename is None:
            return value
        modified = value.last_modified if isinstance(value, File) else time.time_ns() // 10**6
        name = filename if filename is not None else "blob"
        return File([value], name, type=value.type, last_modified=modified)
    if isinstance(value, str):
        return _usv(value)
    raise TypeError(f"a FormData value is a str or a Blob, not {type(value).__name__}")


class FormData:
    """An ordered list of ``(name, str | File)`` entries (JS ``FormData``)."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Iterable[tuple[str, str | Blob]] | None = None) -> None:
        self._entries: list[tuple[str, FormDataValue]] = []
        for name, value in entries or ():
            self.append(name, value)

    def append(self, name: str, value: str | Blob, filename: str | None = None) -> None:
        self._entries.append((_usv(str(name)), _entry_value(value, filename)))

    def set(self, name: str, value: str | Blob, filename: str | None = None) -> None:
        """Replace the first ``name`` entry (dropping the others), or append one."""
        entry = (_usv(str(name)), _entry_value(value, filename))
        index = next((i for i, (k, _) in enumerate(self._entries) if k == entry[0]), None)
        if index is None:
            self._entries.append(entry)
            return
        self._entries[index] = entry
        tail = self._entries[index + 1 :]
        self._entries[index + 1 :] = [pair for pair in tail if pair[0] != entry[0]]

    def delete(self, name: str) -> None:
        self._entries = [entry for entry in self._entries if entry[0] != name]

    def get(self, name: str) -> FormDataValue | None:
        return next((value for key, value in self._entries if key == name), None)

    def get_all(self, name: str) -> list[FormDataValue]:
        return [value for key, value in self._entries if key == name]

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self._entries)

    def items(self) -> list[tuple[str, FormDataValue]]:
        return list(self._entries)

    def __iter__(self) -> Iterator[tuple[str, FormDataValue]]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FormData) and other._entries == self._entries

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FormData({self._entries!r})"


def _form_entries(value: object) -> bool:
    """seroval-plugins' ``FormDataInit`` check: ``[string, string | Blob]`` arrays."""
    return isinstance(value, list) and all(
        isinstance(entry, list)
        and len(entry) == 2
        and isinstance(entry[0], str)
        and isinstance(entry[1], (str, Blob))
        for entry in value
    )


def _entries_call(arguments: list[Any]) -> dict[str, Any]:
    return {"entries": call_arguments(arguments, 1)[0]}


class FormDataFactoryPlugin(WebPlugin):
    """``seroval-plugins/web/FormDataFactory``: the helper function text itself."""

    tag = "seroval-plugins/web/FormDataFactory"
    skip_plain_objects: ClassVar[bool] = False

    def test(self, value: object) -> bool:
        return value is FORM_DATA_FACTORY_MARKER

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        return {}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return FORM_DATA_FACTORY

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Factory:
        return FORM_DATA_FACTORY_MARKER


class FormDataPlugin(WebPlugin):
    """``seroval-plugins/web/FormData``: ``(FACTORY)([[name, value], ...])``."""

    tag = "seroval-plugins/web/FormData"
    extends = (FilePlugin(), FormDataFactoryPlugin())
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {"entries": _form_entries}
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        FormDataFactoryPlugin.tag: _entries_call  # a call of the factory's helper text
    }

    def test(self, value: object) -> bool:
        return isinstance(value, FormData)

    def fields(self, value: FormData, mode: str) -> Mapping[str, Any]:
        entries = [[name, item] for name, item in value.items()]
        return {"factory": FORM_DATA_FACTORY_MARKER, "entries": entries}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        factory, entries = ctx.serialize(info["factory"]), ctx.serialize(info["entries"])
        return "(" + factory + ")(" + entries + ")"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> FormData:
        return FormData((name, item) for name, item in ctx.deserialize(info["entries"]))
