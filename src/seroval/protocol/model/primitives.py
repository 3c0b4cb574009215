"""JS primitives Python lacks: ``undefined``, array holes, BigInt, well-known symbols,
and boxed primitives (``Object(1)``)."""

from __future__ import annotations

from enum import Enum
from typing import Final, Generic, TypeVar

from .nodes import (
    SYMBOL_NAMES,
)

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


MAX_SAFE_INTEGER: Final = 2**53 - 1


class Undefined:
    """JS ``undefined``.  There is one instance, :data:`undefined`; it is falsy."""

    __slots__ = ()
    _instance: Undefined | None = None

    def __new__(cls) -> Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "undefined"

    def __reduce__(self) -> str:
        return "undefined"


undefined: Final = Undefined()


class Hole:
    """An array hole (a missing index in a sparse JS array).  One instance, :data:`hole`."""

    __slots__ = ()
    _instance: Hole | None = None

    def __new__(cls) -> Hole:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "hole"

    def __reduce__(self) -> str:
        return "hole"


hole: Final = Hole()


class JSBigInt(int):
    """A JS BigInt.  An ``int`` that stays a BigInt on the wire even when it is small.

    Plain Python ints within +-(2**53 - 1) become JS numbers; beyond that they become
    BigInts anyway.  Arithmetic gives plain ints, as for any ``int`` subclass.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        try:
            return f"JSBigInt({int(self)})"
        except ValueError:  # past sys.get_int_max_str_digits(); BigInts go to 10,000
            return f"JSBigInt(<about {int(self.bit_length() * 0.30103)} digits>)"


class JSSymbol(Enum):
    """The 13 well-known JS symbols.  The value is the WKSymbol node's ``s``."""

    ASYNC_ITERATOR = 0
    HAS_INSTANCE = 1
    IS_CONCAT_SPREADABLE = 2
    ITERATOR = 3
    MATCH = 4
    MATCH_ALL = 5
    REPLACE = 6
    SEARCH = 7
    SPECIES = 8
    SPLIT = 9
    TO_PRIMITIVE = 10
    TO_STRING_TAG = 11
    UNSCOPABLES = 12

    @property
    def js_name(self) -> str:
        """The JS expression for the symbol, such as ``Symbol.iterator``."""
        return "Symbol." + SYMBOL_NAMES[self.value]

    def __repr__(self) -> str:
        return self.js_name


# ---------------------------------------------------------------------------
# Boxed primitives, binary data, Temporal, sequences, opaque references


class JSBoxed(Generic[T]):
    """A boxed primitive: ``Object(1)``, ``Object("s")``, ``Object(false)``, ``Object(1n)``."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSBoxed):
            return NotImplemented
        return type(self.value) is type(other.value) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JSBoxed({self.value!r})"
