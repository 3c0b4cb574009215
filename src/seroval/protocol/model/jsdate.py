"""JS ``Date``: milliseconds since the epoch, including the ones ``datetime`` cannot hold."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Final, TypeVar

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


# ---------------------------------------------------------------------------
# Dates

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS: Final = timedelta(milliseconds=1)
MAX_DATE_MS: Final = 8.64e15
_MIN_DATETIME_MS: Final = (datetime(1, 1, 1, tzinfo=UTC) - _EPOCH) // _ONE_MS
_MAX_DATETIME_MS: Final = (
    datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC) - _EPOCH
) // _ONE_MS


def _days_to_civil(days: int) -> tuple[int, int, int]:
    """Proleptic Gregorian (year, month, day) for a day count from 1970-01-01."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a proleptic Gregorian date (any year)."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    mp = month - 3 if month > 2 else month + 9
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def iso_from_ms(ms: int) -> str:
    """``Date.prototype.toISOString`` for a valid time value in milliseconds."""
    days, rest = divmod(ms, 86_400_000)
    year, month, day = _days_to_civil(days)
    hours, rest = divmod(rest, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    if 0 <= year <= 9999:
        year_text = f"{year:04d}"
    else:
        year_text = ("+" if year > 0 else "-") + f"{abs(year):06d}"
    return (
        f"{year_text}-{month:02d}-{day:02d}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}Z"
    )


def ms_from_datetime(value: datetime) -> int:
    """Milliseconds since the epoch for an aware datetime, sub-millisecond part floored."""
    return (value - _EPOCH) // _ONE_MS


def datetime_from_ms(ms: int) -> datetime | None:
    """An aware UTC datetime for a time value, or ``None`` when Python cannot hold it."""
    if _MIN_DATETIME_MS <= ms <= _MAX_DATETIME_MS:
        return _EPOCH + timedelta(milliseconds=ms)
    return None


class JSDate:
    """A JS Date that ``datetime`` cannot hold: invalid, or outside years 1-9999.

    ``time`` is the JS time value in milliseconds since the epoch, or ``nan`` for an
    invalid date.  Valid dates within datetime's range read back as aware
    ``datetime`` objects instead.
    """

    __slots__ = ("time",)

    def __init__(self, time: float) -> None:
        if time != time or abs(time) > MAX_DATE_MS:
            self.time = math.nan
        else:
            self.time = float(math.trunc(time)) + 0.0

    @property
    def is_valid(self) -> bool:
        return self.time == self.time

    def iso(self) -> str:
        """``toISOString()``, or ``""`` for an invalid date (seroval's encoding)."""
        return iso_from_ms(int(self.time)) if self.is_valid else ""

    def to_datetime(self) -> datetime:
        """The aware UTC datetime; ``ValueError`` when invalid or out of datetime's range."""
        result = datetime_from_ms(int(self.time)) if self.is_valid else None
        if result is None:
            raise ValueError(f"{self!r} cannot be represented as a datetime")
        return result

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JSDate):
            return NotImplemented
        return self.time == other.time or (not self.is_valid and not other.is_valid)

    def __hash__(self) -> int:
        return hash(("JSDate", self.time if self.is_valid else None))

    def __repr__(self) -> str:
        return f"JSDate({self.iso()!r})" if self.is_valid else "JSDate(invalid)"
