"""What every node reader shares: the reader's limits, the promise resolver record,
and the small checks that build a :class:`SerovalMalformedNodeError`.
"""

from __future__ import annotations

import re
from typing import Final

from ..errors import (
    SerovalMalformedNodeError,
)
from ..model.values import (
    JSPromise,
    JSSymbol,
)
from .read_rules import InternalRecord

MAX_REGEXP_SOURCE_LENGTH: Final = 20_000
MAX_REGEXP_PROPERTY_ESCAPES: Final = 32

VALID_SYMBOL_KEYS: Final = frozenset(
    {
        JSSymbol.ASYNC_ITERATOR,
        JSSymbol.IS_CONCAT_SPREADABLE,
        JSSymbol.TO_STRING_TAG,
        JSSymbol.ITERATOR,
    }
)
_PROPERTY_ESCAPE: Final = re.compile(r"\\[pP]\{")
_ASCII_SPACES: Final = ("\t", "\n", "\f", "\r", " ")
_ASCII_WHITESPACE: Final = re.compile(r"[\t\n\f\r ]+")


def malformed(message: str, node: object = None) -> SerovalMalformedNodeError:
    return SerovalMalformedNodeError(message, node)


def is_int(value: object) -> bool:
    return type(value) is int


class PromiseResolver:
    """The record a streamed promise's later settlement targets (seroval's resolver).

    Node records and JS text make the same kind, so either can settle a promise the
    other created; it never becomes part of a value.
    """

    __slots__ = ("promise",)

    def __init__(self) -> None:
        self.promise = JSPromise()


def describe(value: object) -> str:
    if value is None:
        return "null/absent"
    name = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }
    return name.get(type(value), type(value).__name__)


#: The types of reader-internal records; a value reference may not reach one.
INTERNAL_RECORDS: Final = frozenset({PromiseResolver, InternalRecord})
