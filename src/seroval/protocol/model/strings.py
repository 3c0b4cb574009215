"""JS string escaping, JS number formatting and JS property-key rules.

seroval stores strings in nodes already escaped for a JS string literal, with a
minimal escape set (ten characters; everything else, lone surrogates included, is
raw).  Numbers follow ECMAScript ``Number::toString``, which differs from Python's
``repr`` in where it switches to exponent form.  Keys follow JS own-property order:
array-index keys first, ascending, then insertion order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

__all__ = [
    "escape_string",
    "is_array_index",
    "js_number",
    "js_property_order",
    "key_kind",
    "unescape_string",
]

_ESCAPES: Final = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\b": "\\b",
    "\t": "\\t",
    "\f": "\\f",
    "<": "\\x3C",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_ESCAPE_TABLE: Final = str.maketrans(_ESCAPES)
_NEEDS_ESCAPE: Final = re.compile('["\\\\\n\r\b\t\f<\u2028\u2029]')
_needs_escape = _NEEDS_ESCAPE.search


# Short strings recur (object keys above all): their escaped form is remembered.
# The cache stops growing when full, so no input can make it large.
_ESCAPED: Final[dict[str, str]] = {}
_ESCAPED_MAX_ENTRIES: Final = 4096
_ESCAPED_MAX_LENGTH: Final = 40


def escape_string(value: str) -> str:
    """Escape ``value`` the way seroval does for the body of a ``"..."`` JS literal."""
    escaped = _ESCAPED.get(value)
    if escaped is not None:
        return escaped
    escaped = value if _needs_escape(value) is None else value.translate(_ESCAPE_TABLE)
    if len(value) <= _ESCAPED_MAX_LENGTH and len(_ESCAPED) < _ESCAPED_MAX_ENTRIES:
        _ESCAPED[value] = escaped
    return escaped


_UNESCAPES: Final = {
    "\\\\": "\\",
    '\\"': '"',
    "\\n": "\n",
    "\\r": "\r",
    "\\b": "\b",
    "\\t": "\t",
    "\\f": "\f",
    "\\x3C": "<",
    "\\u2028": "\u2028",
    "\\u2029": "\u2029",
}
_UNESCAPE: Final = re.compile(r'\\(?:[\\"nrbtf]|x3C|u202[89])')


def unescape_string(value: str) -> str:
    """Undo :func:`escape_string`; unknown backslash sequences stay verbatim, as in seroval."""
    if "\\" not in value:
        return value
    return _UNESCAPE.sub(lambda m: _UNESCAPES[m.group()], value)


_INF: Final = float("inf")
_NEG_INF: Final = float("-inf")


def js_number(value: float) -> str:
    """Format a number exactly as ECMAScript ``Number::toString`` (radix 10) does."""
    try:
        number = float(value)
    except OverflowError:  # an int beyond the float range: Number(int) is +-Infinity
        number = float("inf") if value > 0 else float("-inf")
    if number != number:
        return "NaN"
    if number == 0:
        return "0"
    if number in (_INF, _NEG_INF):
        return "Infinity" if number > 0 else "-Infinity"
    text = repr(number)
    sign = ""
    if text[0] == "-":
        sign = "-"
        text = text[1:]
    mantissa, _, exp_text = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = whole + frac
    exponent = (int(exp_text) if exp_text else 0) - len(frac)
    stripped = digits.lstrip("0")
    trimmed = stripped.rstrip("0")
    exponent += len(stripped) - len(trimmed)
    digits = trimmed
    k = len(digits)
    n = k + exponent  # value == 0.<digits> * 10**n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    body = digits[0] + ("." + digits[1:] if k > 1 else "")
    return sign + body + "e" + ("+" if e >= 0 else "-") + str(abs(e))


_IDENTIFIER: Final = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")

KEY_OTHER: Final = 0
KEY_IDENTIFIER: Final = 1
KEY_NUMERIC: Final = 2


def key_kind(key: str) -> int:
    """How seroval writes a property key in JS text: quoted, identifier, or numeric literal.

    Numeric means the key starts with a digit and survives ``String(Number(key))``
    unchanged (so ``1.5`` and ``1e+21`` are bare, ``01`` and ``1e3`` are quoted), or is
    exactly ``Infinity``.
    """
    if key and "0" <= key[0] <= "9":
        if not key.isascii():
            return KEY_OTHER
        try:
            number = float(key)
        except ValueError:
            return KEY_OTHER
        return KEY_NUMERIC if js_number(number) == key else KEY_OTHER
    if key == "Infinity":
        return KEY_NUMERIC
    return KEY_IDENTIFIER if _IDENTIFIER.match(key) else KEY_OTHER


_MAX_ARRAY_INDEX: Final = 4294967294  # 2**32 - 2


def is_array_index(key: str) -> bool:
    """True when ``key`` is an array index (canonical decimal below 2**32 - 1)."""
    if not key or len(key) > 10 or not ("0" <= key[0] <= "9"):
        return False
    if not (key.isascii() and key.isdigit()):
        return False
    if key[0] == "0" and len(key) > 1:
        return False
    return int(key) <= _MAX_ARRAY_INDEX


def js_property_order(keys: Iterable[str]) -> list[str]:
    """Order string keys as JS lists own properties: array indices ascending, then the rest."""
    indices: list[tuple[int, str]] = []
    rest: list[str] = []
    for key in keys:
        if is_array_index(key):
            indices.append((int(key), key))
        else:
            rest.append(key)
    if not indices:
        return rest
    indices.sort()
    return [key for _, key in indices] + rest
