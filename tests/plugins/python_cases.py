"""Sample classes and values for the Python-type plugin tests (shared with the JS tests)."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import pathlib
import uuid
from typing import Any

import pydantic

from seroval.plugins import python


class Color(enum.Enum):
    RED = 1
    GREEN = "g"
    BLUE = (1, 2)  # a tuple value travels as an array


class Perm(enum.Flag):
    R = 1
    W = 2
    X = 4
    HUGE = 2**60  # past 2**53: a BigInt on the wire


@dataclasses.dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str = dataclasses.field(default="", init=False)


@dataclasses.dataclass
class Line:
    start: Point
    end: Point
    tags: list[str] = dataclasses.field(default_factory=list)


class User(pydantic.BaseModel):
    name: str
    joined: datetime.datetime
    home: Point | None = None
    perms: Perm = Perm(0)


PLUGINS = python.plugins(Color, Perm, Point, Line, User)

UTC = datetime.UTC
JOINED = datetime.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)

#: name -> a value each plugin must carry both ways.
CASES: dict[str, Any] = {
    "decimal": decimal.Decimal("-1.50E+3"),
    "decimal_places": decimal.Decimal("19.990"),
    "decimal_nan": decimal.Decimal("NaN"),
    "decimal_neg_zero": decimal.Decimal("-0"),
    "decimal_inf": decimal.Decimal("-Infinity"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "posix_pure": pathlib.PurePosixPath("a/b c/ü.txt"),
    "posix_concrete": pathlib.PosixPath("/tmp/x"),
    "windows": pathlib.PureWindowsPath(r"C:\Users\a b"),
    "enum_int": Color.RED,
    "enum_str": Color.GREEN,
    "enum_tuple": Color.BLUE,
    "flag": Perm.R | Perm.X,
    "flag_empty": Perm(0),
    "flag_huge": Perm.HUGE | Perm.W,
    "dataclass": Point(1.5, -2),
    "nested_dataclass": Line(Point(0, 0), Point(3, 4), ["a"]),
    "model": User(name="ada", joined=JOINED, home=Point(1, 2), perms=Perm.R),
    "mixed": {
        "ids": [uuid.UUID(int=1), uuid.UUID(int=2)],
        "price": decimal.Decimal("9.99"),
        "color": Color.RED,
    },
}
