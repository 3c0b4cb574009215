"""``Headers``: the fetch API's header list, and its plugin.

seroval-plugins writes a ``Headers`` as the pairs JS iteration gives: names
lowercased and sorted, values of one name joined with ``", "`` (except
``set-cookie``, one pair per cookie).  :class:`Headers` keeps the fetch rules
(name and value checks, value whitespace trimming, that iteration order), so the
pairs a Python ``Headers`` writes are the pairs the same headers give in JS.
httpx's ``Headers`` keeps insertion order and checks nothing, so it is accepted
when writing (converted on the way) but not used for reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Final

from ...protocol.model.plugins import PluginDeserializeContext, PluginSerializeContext
from .. import validators as v
from ._base import WebPlugin, call_arguments, httpx_class, import_httpx

__all__ = ["Headers", "HeadersPlugin"]

_TOKEN: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", re.ASCII)
_HTTP_WHITESPACE: Final = " \t\n\r"
_BAD_VALUE: Final = re.compile("[\x00\n\r\u0100-\U0010ffff]")


def _checked(name: str, value: str) -> tuple[str, str]:
    if not isinstance(name, str) or _TOKEN.fullmatch(name) is None:
        raise TypeError(f"{name!r} is not a valid header name")
    if not isinstance(value, str):
        raise TypeError(f"the value of header {name!r} must be a str")
    value = value.strip(_HTTP_WHITESPACE)
    if _BAD_VALUE.search(value) is not None:
        raise TypeError(f"{value[:80]!r} is not a valid value for header {name!r}")
    return name.lower(), value


class Headers:
    """A fetch ``Headers`` list: case-insensitive names, fetch's checks and iteration order."""

    __slots__ = ("_list",)

    def __init__(self, init: object = None) -> None:
        """``init``: Headers, a mapping, or (name, value) pairs (httpx's Headers too)."""
        self._list: list[tuple[str, str]] = []
        if init is None:
            return
        if isinstance(init, Headers):
            self._list = list(init._list)
            return
        other = httpx_class("Headers")
        if other is not None and isinstance(init, other):
            init = init.multi_items()  # type: ignore[attr-defined]
        items = init.items() if isinstance(init, Mapping) else init
        if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
            raise TypeError("Headers takes a mapping or an iterable of (name, value) pairs")
        for pair in items:
            if isinstance(pair, (str, bytes)) or len(pair) != 2:
                raise TypeError("each header must be a (name, value) pair")
            self.append(*pair)

    def append(self, name: str, value: str) -> None:
        self._list.append(_checked(name, value))

    def set(self, name: str, value: str) -> None:
        """Replace every ``name`` header with one, where the first one was (or at the end)."""
        key, value = _checked(name, value)
        index = next((i for i, (k, _) in enumerate(self._list) if k == key), len(self._list))
        rest = [pair for pair in self._list[index:] if pair[0] != key]
        self._list[index:] = [(key, value), *rest]

    def delete(self, name: str) -> None:
        key = name.lower()
        self._list = [pair for pair in self._list if pair[0] != key]

    def get(self, name: str) -> str | None:
        """All values of ``name`` joined with ``", "``, or ``None``."""
        values = [value for key, value in self._list if key == name.lower()]
        return ", ".join(values) if values else None

    def get_set_cookie(self) -> list[str]:
        return [value for key, value in self._list if key == "set-cookie"]

    def has(self, name: str) -> bool:
        return any(key == name.lower() for key, _ in self._list)

    def items(self) -> list[tuple[str, str]]:
        """The pairs JS iteration gives: sorted names, values combined, cookies apart."""
        result: list[tuple[str, str]] = []
        for name in sorted({key for key, _ in self._list}):
            if name == "set-cookie":
                result.extend((name, value) for value in self.get_set_cookie())
            else:
                combined = self.get(name)
                assert combined is not None
                result.append((name, combined))
        return result

    def raw(self) -> list[tuple[str, str]]:
        """The pairs in the order they were added (names lowercased)."""
        return list(self._list)

    def to_httpx(self) -> Any:
        """These headers as ``httpx.Headers`` (needs the ``http`` extra)."""
        return import_httpx().Headers(self._list)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.items())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Headers) and other.items() == self.items()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Headers({self.items()!r})"


def _pairs(value: object) -> bool:
    """seroval-plugins' ``HeadersInit`` check: an array of ``[string, string]`` arrays."""
    return isinstance(value, list) and all(
        isinstance(pair, list) and len(pair) == 2 and v.string(pair[0]) and v.string(pair[1])
        for pair in value
    )


def _value(arguments: list[Any]) -> dict[str, Any]:
    return {"value": call_arguments(arguments, 1)[0]}


class HeadersPlugin(WebPlugin):
    """``seroval-plugins/web/Headers``: ``new Headers([[name, value], ...])``."""

    tag = "seroval-plugins/web/Headers"
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {"value": _pairs}
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new Headers": _value
    }

    def test(self, value: object) -> bool:
        other = httpx_class("Headers")
        return isinstance(value, Headers) or (other is not None and isinstance(value, other))

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        headers = value if isinstance(value, Headers) else Headers(value)
        return {"value": [[name, item] for name, item in headers.items()]}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return "new Headers(" + ctx.serialize(info["value"]) + ")"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> Headers:
        return Headers([(name, item) for name, item in ctx.deserialize(info["value"])])
