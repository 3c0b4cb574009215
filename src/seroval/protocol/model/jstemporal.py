"""Temporal values held as their ISO text when Python's date and time types cannot hold them."""

from __future__ import annotations

from enum import IntEnum
from typing import TypeVar

from .nodes import (
    TEMPORAL_TYPE_NAMES,
)

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class TemporalType(IntEnum):
    """The eight Temporal classes; the value is a Temporal node's ``c``."""

    INSTANT = 0
    DURATION = 1
    PLAIN_DATE = 2
    PLAIN_DATE_TIME = 3
    PLAIN_MONTH_DAY = 4
    PLAIN_TIME = 5
    PLAIN_YEAR_MONTH = 6
    ZONED_DATE_TIME = 7

    @property
    def js_name(self) -> str:
        return TEMPORAL_TYPE_NAMES[self.value]


class JSTemporal:
    """A ``Temporal.*`` value, kept as its class and its ``toString()`` text."""

    __slots__ = ("text", "type")

    def __init__(self, type: TemporalType, text: str) -> None:
        self.type = TemporalType(type)
        self.text = text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSTemporal):
            return NotImplemented
        return (self.type, self.text) == (other.type, other.text)

    def __hash__(self) -> int:
        return hash((self.type, self.text))

    def __repr__(self) -> str:
        return f"JSTemporal({self.type.js_name}, {self.text!r})"
