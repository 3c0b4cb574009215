"""JS ``RegExp``: source and flags as JS holds them, and Python ``re`` patterns translated."""

from __future__ import annotations

from typing import Any, Final, TypeVar

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


# ---------------------------------------------------------------------------
# RegExp

_REGEXP_FLAG_ORDER: Final = "dgimsuvy"


class JSRegExp:
    """A JS regular expression, kept as text: it is never compiled here.

    ``source`` is what JS's ``RegExp.prototype.source`` returns; ``flags`` is put in
    JS's canonical order.  :meth:`from_pattern` converts a Python ``re.Pattern``.
    """

    __slots__ = ("flags", "source")

    def __init__(self, source: str, flags: str = "") -> None:
        if not isinstance(source, str) or not isinstance(flags, str):
            raise TypeError("JSRegExp source and flags must be str")
        if any(flag not in _REGEXP_FLAG_ORDER for flag in flags) or len(set(flags)) != len(flags):
            raise ValueError(f"invalid RegExp flags {flags!r}")
        if "u" in flags and "v" in flags:
            raise ValueError("RegExp flags cannot hold both 'u' and 'v'")
        self.source = source
        self.flags = "".join(flag for flag in _REGEXP_FLAG_ORDER if flag in flags)

    @classmethod
    def from_pattern(cls, pattern: Any) -> JSRegExp:
        """Convert a compiled Python ``re.Pattern`` with flags JS also has (I, M, S)."""
        import re

        if not isinstance(pattern.pattern, str):
            raise TypeError("only str patterns have a JS equivalent")
        supported = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE
        if pattern.flags & ~supported:
            raise ValueError("pattern uses flags with no JS equivalent (only I, M and S map)")
        flags = ""
        if pattern.flags & re.IGNORECASE:
            flags += "i"
        if pattern.flags & re.MULTILINE:
            flags += "m"
        if pattern.flags & re.DOTALL:
            flags += "s"
        return cls(escape_regexp_source(pattern.pattern), flags)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSRegExp):
            return NotImplemented
        return (self.source, self.flags) == (other.source, other.flags)

    def __hash__(self) -> int:
        return hash((self.source, self.flags))

    def __repr__(self) -> str:
        return f"JSRegExp({self.source!r}, {self.flags!r})"


def escape_regexp_source(pattern: str) -> str:
    """What JS's ``source`` getter gives for a pattern: ``/`` and line breaks escaped."""
    if not pattern:
        return "(?:)"
    out: list[str] = []
    in_class = False
    escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
            continue
        if char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == "/" and not in_class:
            out.append("\\/")
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\u2028":
            out.append("\\u2028")
        elif char == "\u2029":
            out.append("\\u2029")
        else:
            out.append(char)
    return "".join(out)
