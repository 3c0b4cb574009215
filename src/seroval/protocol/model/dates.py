"""Reading JS date strings: the ECMAScript Date Time String Format.

seroval writes dates with ``toISOString`` (or ``""`` for an invalid date) and JS
reads them with ``new Date(string)``.  We accept the standard format that
``new Date`` must accept (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, optionally followed
by ``THH:mm``, ``:ss``, ``.sss`` and ``Z`` or ``+HH:mm``; six-digit signed years).
Anything else is an invalid date.  Two documented differences from V8: V8's looser
legacy formats (``"Jan 1 2020"``) are invalid here, and a date-time without an
offset is read as UTC (JS would use the machine's local time zone).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

from .values import MAX_DATE_MS, JSDate, datetime_from_ms, days_from_civil

__all__ = ["date_from_iso", "parse_date_time_string"]

_DATE_TIME: Final = re.compile(
    r"(?P<year>[+-]\d{6}|\d{4})"
    r"(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?",
    re.ASCII,
)
_MONTH_DAYS: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def parse_date_time_string(text: str) -> float:
    """The JS time value (ms since the epoch) for ``text``, or ``nan`` if it is invalid."""
    match = _DATE_TIME.fullmatch(text)
    if match is None or match["year"] == "-000000":
        return float("nan")
    year = int(match["year"])
    month = int(match["month"] or 1)
    day = int(match["day"] or 1)
    hour = int(match["hour"] or 0)
    minute = int(match["minute"] or 0)
    second = int(match["second"] or 0)
    millis = int((match["fraction"] or "0")[:3].ljust(3, "0"))
    if not 1 <= month <= 12:
        return float("nan")
    limit = _MONTH_DAYS[month - 1] if month != 2 or _leap(year) else 28
    if not 1 <= day <= limit or minute > 59 or second > 59:
        return float("nan")
    if hour > 24 or (hour == 24 and (minute or second or millis)):
        return float("nan")
    offset = 0
    zone = match["zone"]
    if zone and zone != "Z":
        zone_hours, zone_minutes = int(zone[1:3]), int(zone[4:6])
        if zone_hours > 23 or zone_minutes > 59:
            return float("nan")
        offset = (zone_hours * 60 + zone_minutes) * (1 if zone[0] == "+" else -1)
    days = days_from_civil(year, month, day)
    ms = ((days * 24 + hour) * 60 + minute - offset) * 60_000 + second * 1000 + millis
    if abs(ms) > MAX_DATE_MS:
        return float("nan")
    return float(ms)


def date_from_iso(text: str) -> datetime | JSDate:
    """``new Date(text)`` as a Python value: an aware datetime when it fits, else a JSDate."""
    ms = parse_date_time_string(text)
    if ms != ms:
        return JSDate(ms)
    value = datetime_from_ms(int(ms))
    return value if value is not None else JSDate(ms)
