"""``URL`` and ``URLSearchParams``: the types and their plugins.

seroval-plugins writes a URL as its ``href`` and search params as their
``toString()``, so both are text on the wire.  :class:`URL` keeps the href exactly
as given (it checks that it is an absolute URL but does not normalise it: httpx's
``URL`` would, and turns ``file:///x`` into ``file:/x``, which breaks byte-exact
round trips).  :class:`URLSearchParams` follows the WHATWG
``application/x-www-form-urlencoded`` rules, so ``str(params)`` is what JS's
``toString()`` gives.  An ``httpx.URL`` or ``httpx.QueryParams`` is accepted when
writing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Final
from urllib.parse import unquote_to_bytes

from ...protocol.model.plugins import PluginDeserializeContext, PluginSerializeContext
from .. import validators as v
from ._base import WebPlugin, call_arguments, httpx_class, import_httpx

__all__ = ["URL", "URLPlugin", "URLSearchParams", "URLSearchParamsPlugin"]

_ABSOLUTE: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\t\n\r]*", re.ASCII)
_SURROGATES: Final = re.compile("[\ud800-\udfff]")
_C0_AND_SPACE: Final = "".join(map(chr, range(0x21)))
_UNRESERVED: Final = frozenset(
    b"*-._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)


class URL:
    """An absolute URL, kept as its ``href`` text (what ``new URL(href).href`` gives in JS)."""

    __slots__ = ("href",)

    def __init__(self, href: object) -> None:
        text = href.href if isinstance(href, URL) else str(href)
        if _ABSOLUTE.fullmatch(text) is None or text != text.strip(_C0_AND_SPACE):
            raise ValueError(f"{text[:80]!r} is not an absolute URL")
        self.href: str = text

    def to_httpx(self) -> Any:
        """This URL as an ``httpx.URL`` (needs the ``http`` extra)."""
        return import_httpx().URL(self.href)

    def __str__(self) -> str:
        return self.href

    def __eq__(self, other: object) -> bool:
        return isinstance(other, URL) and other.href == self.href

    def __hash__(self) -> int:
        return hash(self.href)

    def __repr__(self) -> str:
        return f"URL({self.href!r})"


def _usv(text: str) -> str:
    """JS's USVString conversion: a lone surrogate becomes U+FFFD."""
    return _SURROGATES.sub("\ufffd", text)


def _encode(text: str) -> str:
    out: list[str] = []
    for byte in _usv(text).encode("utf-8"):
        if byte in _UNRESERVED:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def _decode(text: str) -> str:
    return unquote_to_bytes(text.replace("+", " ")).decode("utf-8", "replace")


class URLSearchParams:
    """An ordered list of name/value pairs with WHATWG's urlencoded parsing and writing."""

    __slots__ = ("_pairs",)

    def __init__(
        self,
        init: str
        | URLSearchParams
        | Mapping[str, str]
        | Iterable[tuple[str, str] | list[str]] = "",
    ) -> None:
        self._pairs: list[tuple[str, str]] = []
        if isinstance(init, str):
            self._parse(init[1:] if init.startswith("?") else init)
        elif isinstance(init, URLSearchParams):
            self._pairs = list(init._pairs)
        else:
            items = init.items() if isinstance(init, Mapping) else init
            for pair in items:
                name, value = pair
                self.append(name, value)

    def _parse(self, text: str) -> None:
        for part in _usv(text).split("&"):
            if part:
                name, _, value = part.partition("=")
                self._pairs.append((_decode(name), _decode(value)))

    def append(self, name: str, value: str) -> None:
        self._pairs.append((_usv(str(name)), _usv(str(value))))

    def delete(self, name: str) -> None:
        self._pairs = [pair for pair in self._pairs if pair[0] != name]

    def get(self, name: str) -> str | None:
        return next((value for key, value in self._pairs if key == name), None)

    def get_all(self, name: str) -> list[str]:
        return [value for key, value in self._pairs if key == name]

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self._pairs)

    def set(self, name: str, value: str) -> None:
        """Replace the first ``name`` pair (dropping the others), or append one."""
        pair = (_usv(str(name)), _usv(str(value)))
        index = next((i for i, (key, _) in enumerate(self._pairs) if key == pair[0]), None)
        if index is None:
            self._pairs.append(pair)
            return
        self._pairs[index] = pair
        self._pairs[index + 1 :] = [p for p in self._pairs[index + 1 :] if p[0] != pair[0]]

    def sort(self) -> None:
        """Stable sort by name in UTF-16 code unit order, as JS does."""
        self._pairs.sort(key=lambda pair: pair[0].encode("utf-16-be"))

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(list(self._pairs))

    def __len__(self) -> int:
        return len(self._pairs)

    def __str__(self) -> str:
        return "&".join(_encode(name) + "=" + _encode(value) for name, value in self._pairs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, URLSearchParams) and other._pairs == self._pairs

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"URLSearchParams({str(self)!r})"


def _href(value: object) -> str:
    return value.href if isinstance(value, URL) else str(value)


def _query(value: object) -> str:
    if isinstance(value, URLSearchParams):
        return str(value)
    return str(URLSearchParams(list(value.multi_items())))  # type: ignore[attr-defined]


def _one_value(arguments: list[Any]) -> dict[str, Any]:
    return {"value": call_arguments(arguments, 1)[0]}


class URLPlugin(WebPlugin):
    """``seroval-plugins/web/URL``: ``new URL(href)``."""

    tag = "seroval-plugins/web/URL"
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {"value": v.string}
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new URL": _one_value
    }

    def test(self, value: object) -> bool:
        other = httpx_class("URL")
        return isinstance(value, URL) or (other is not None and isinstance(value, other))

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        return {"value": _href(value)}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return "new URL(" + ctx.serialize(info["value"]) + ")"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> URL:
        return URL(ctx.deserialize(info["value"]))


class URLSearchParamsPlugin(WebPlugin):
    """``seroval-plugins/web/URLSearchParams``: ``new URLSearchParams(text)``."""

    tag = "seroval-plugins/web/URLSearchParams"
    validate: ClassVar[Mapping[str, Callable[[Any], bool]]] = {"value": v.string}
    js_calls: ClassVar[Mapping[str, Callable[[list[Any]], Mapping[str, Any]]]] = {
        "new URLSearchParams": _one_value
    }

    def test(self, value: object) -> bool:
        other = httpx_class("QueryParams")
        return isinstance(value, URLSearchParams) or (
            other is not None and isinstance(value, other)
        )

    def fields(self, value: Any, mode: str) -> Mapping[str, Any]:
        return {"value": _query(value)}

    def serialize(self, info: dict[str, Any], ctx: PluginSerializeContext) -> str:
        return "new URLSearchParams(" + ctx.serialize(info["value"]) + ")"

    def deserialize(self, info: dict[str, Any], ctx: PluginDeserializeContext) -> URLSearchParams:
        return URLSearchParams(ctx.deserialize(info["value"]))
