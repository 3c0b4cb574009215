"""Temporal values (node t:36) as Python's own date and time types, losslessly.

A Temporal node carries a class and the value's ``toString()`` text.  Python has a
natural type for six of the eight classes, so those are what the readers return
and the writers accept:

==================  ==========================================================
Temporal class      Python value, and the text written
==================  ==========================================================
``PlainDate``       ``datetime.date``: ``2020-01-31``
``PlainTime``       naive ``datetime.time``: ``12:30:00.5``
``Duration``        ``datetime.timedelta``: ``-P1DT2H3M4.5S``
``PlainDateTime``   :class:`PlainDateTime` (a naive ``datetime``):
                    ``2020-01-31T12:30:00``
``Instant``         :class:`Instant` (an aware ``datetime``, UTC):
                    ``2020-01-31T12:30:00Z``
``ZonedDateTime``   :class:`ZonedDateTime` (an aware ``datetime`` whose zone
                    has an id: ``ZoneInfo``, UTC or a whole-minute fixed
                    offset): ``2020-01-31T12:30:00+01:00[Europe/Paris]``
==================  ==========================================================

The three ``datetime`` subclasses exist because a plain ``datetime`` already means
a JS ``Date`` (aware) or is refused (naive, unless ``naive_timezone=`` is given);
they carry no data of their own, so arithmetic and ``replace`` keep working.

The mapping is lossless by construction: a text is turned into a Python value only
when writing that value gives the very same text back; every other text (a
nanosecond fraction, a calendar annotation, a year outside 1..9999, a duration with
years or months or not in timedelta's days/hours/minutes/seconds shape such as
``PT90M``, and all ``PlainMonthDay`` and ``PlainYearMonth`` values) reads as
:class:`~seroval.protocol.model.values.JSTemporal`, which writes its text unchanged.
:func:`as_python` converts such a value to the nearest Python value when a lossy
answer is good enough.

The texts follow the Temporal specification's ``toString()`` with default
options, as checked against the oracle (``@js-temporal/polyfill`` under seroval
1.8.1): seconds always shown, a fraction only when non-zero and without trailing
zeros, offsets rounded half away from zero to whole minutes.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo

from ..model.values import JSTemporal, TemporalType

__all__ = [
    "Instant",
    "PlainDateTime",
    "ZonedDateTime",
    "as_python",
    "temporal_text",
    "temporal_value",
]


class PlainDateTime(datetime):
    """A Temporal ``PlainDateTime``: a naive ``datetime`` that is a wall-clock reading."""

    __slots__ = ()


class Instant(datetime):
    """A Temporal ``Instant``: an aware ``datetime`` (written in UTC)."""

    __slots__ = ()


class ZonedDateTime(datetime):
    """A Temporal ``ZonedDateTime``: an aware ``datetime`` in a zone that has an id.

    The zone is a ``zoneinfo.ZoneInfo`` (its key is the id), ``timezone.utc`` (id
    ``UTC``) or a fixed ``timezone`` offset of whole minutes (id ``+05:30``).
    """

    __slots__ = ()


_MICROSECOND: Final = timedelta(microseconds=1)
_MINUTE_US: Final = 60_000_000
_DAY_US: Final = 86_400_000_000
_ZONE_ID: Final = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*", re.ASCII)
_OFFSET_ID: Final = re.compile(r"([+-])(\d{2}):(\d{2})", re.ASCII)
_MAX_ZONE_ID: Final = 64

# -- writing ----------------------------------------------------------------------------


def _fraction(microsecond: int) -> str:
    return "." + f"{microsecond:06d}".rstrip("0") if microsecond else ""


def _date_text(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _time_text(value: time | datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}{_fraction(value.microsecond)}"


def _wall_text(value: datetime) -> str:
    return _date_text(value) + "T" + _time_text(value)


def _offset_text(offset: timedelta) -> str:
    """``±HH:MM`` of an offset rounded half away from zero to whole minutes."""
    micros = offset // _MICROSECOND
    minutes, rest = divmod(abs(micros), _MINUTE_US)
    if 2 * rest >= _MINUTE_US:
        minutes += 1
    sign = "-" if micros < 0 and minutes else "+"
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _zone_id(zone: tzinfo | None) -> str:
    if isinstance(zone, ZoneInfo):
        return zone.key
    if zone is UTC:
        return "UTC"
    if isinstance(zone, timezone):
        offset = zone.utcoffset(None)
        if offset % timedelta(minutes=1):
            raise ValueError("a fixed-offset zone needs whole minutes to have a Temporal id")
        return _offset_text(offset)
    raise ValueError(
        "a ZonedDateTime needs a zoneinfo.ZoneInfo, timezone.utc or a fixed timezone "
        f"offset, not {type(zone).__name__}"
    )


def _duration_text(value: timedelta) -> str:
    micros = value // _MICROSECOND
    sign = "-" if micros < 0 else ""
    days, rest = divmod(abs(micros), _DAY_US)
    seconds, microsecond = divmod(rest, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    time_part = (
        (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
        + (f"{seconds}{_fraction(microsecond)}S" if seconds or microsecond else "")
    )
    if not days and not time_part:
        return "PT0S"
    return sign + "P" + (f"{days}D" if days else "") + (f"T{time_part}" if time_part else "")


def _instant_text(value: datetime) -> str:
    return _wall_text(value.astimezone(UTC)) + "Z"


def _zoned_text(value: datetime) -> str:
    offset = value.utcoffset()
    assert offset is not None  # callers check that the value is aware
    return _wall_text(value) + _offset_text(offset) + "[" + _zone_id(value.tzinfo) + "]"


def temporal_text(value: object) -> tuple[TemporalType, str] | None:
    """The Temporal class and text a Python value is written as, or ``None``.

    Raises ``ValueError`` for a value of a Temporal type that has no Temporal form
    (an aware ``time``, a naive :class:`Instant`, a zone without an id...).
    """
    kind = type(value)
    if kind is date:
        return TemporalType.PLAIN_DATE, _date_text(value)  # type: ignore[arg-type]
    if kind is timedelta:
        return TemporalType.DURATION, _duration_text(value)  # type: ignore[arg-type]
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise ValueError("an aware time has no Temporal counterpart (PlainTime is naive)")
        return TemporalType.PLAIN_TIME, _time_text(value)
    if isinstance(value, PlainDateTime):
        if value.tzinfo is not None:
            raise ValueError("a PlainDateTime is a naive datetime")
        return TemporalType.PLAIN_DATE_TIME, _wall_text(value)
    if isinstance(value, (Instant, ZonedDateTime)):
        if value.utcoffset() is None:
            raise ValueError(f"an {type(value).__name__} must be an aware datetime")
        if isinstance(value, Instant):
            return TemporalType.INSTANT, _instant_text(value)
        return TemporalType.ZONED_DATE_TIME, _zoned_text(value)
    if isinstance(value, timedelta):
        return TemporalType.DURATION, _duration_text(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return TemporalType.PLAIN_DATE, _date_text(value)
    return None


# -- reading ----------------------------------------------------------------------------

_DATE: Final = r"(\d{4})-(\d{2})-(\d{2})"
_TIME: Final = r"(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?"
_PATTERNS: Final = {
    TemporalType.PLAIN_DATE: re.compile(_DATE, re.ASCII),
    TemporalType.PLAIN_TIME: re.compile(_TIME, re.ASCII),
    TemporalType.PLAIN_DATE_TIME: re.compile(_DATE + "T" + _TIME, re.ASCII),
    TemporalType.INSTANT: re.compile(_DATE + "T" + _TIME + "Z", re.ASCII),
    TemporalType.ZONED_DATE_TIME: re.compile(
        _DATE + "T" + _TIME + r"[+-]\d{2}:\d{2}\[([^\]]{1," + str(_MAX_ZONE_ID) + r"})\]", re.ASCII
    ),
    TemporalType.DURATION: re.compile(
        r"(-?)P(?:(\d{1,9})D)?(?:T(?:(\d{1,2})H)?(?:(\d{1,2})M)?(?:(\d{1,2})(?:\.(\d{1,6}))?S)?)?",
        re.ASCII,
    ),
}


def _micro(digits: str | None) -> int:
    return int((digits or "0").ljust(6, "0"))


def _time_fields(groups: tuple[str | None, ...]) -> tuple[int, int, int, int]:
    hour, minute, second, fraction = groups
    return int(hour or 0), int(minute or 0), int(second or 0), _micro(fraction)


def _zone(zone_id: str) -> tzinfo | None:
    """The Python zone for a Temporal zone id, or ``None`` if Python has none by that id."""
    if zone_id == "UTC":
        return UTC
    offset = _OFFSET_ID.fullmatch(zone_id)
    if offset is not None:
        sign, hours, minutes = offset.groups()
        span = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-span if sign == "-" else span) if span < timedelta(days=1) else None
    if _ZONE_ID.fullmatch(zone_id) is None:  # no dots: no path tricks, no non-zone files
        return None
    try:
        return ZoneInfo(zone_id)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _parse(kind: TemporalType, text: str) -> Any:
    """A candidate Python value for a text of the canonical shape, or ``None``."""
    match = _PATTERNS[kind].fullmatch(text) if kind in _PATTERNS else None
    if match is None:
        return None
    groups = match.groups()
    if kind is TemporalType.DURATION:
        sign, days, hours, minutes, seconds, fraction = groups
        span = timedelta(
            days=int(days or 0),
            hours=int(hours or 0),
            minutes=int(minutes or 0),
            seconds=int(seconds or 0),
            microseconds=_micro(fraction),
        )
        return -span if sign else span
    if kind is TemporalType.PLAIN_TIME:
        return time(*_time_fields(groups))
    day = date(int(groups[0]), int(groups[1]), int(groups[2]))
    if kind is TemporalType.PLAIN_DATE:
        return day
    fields = (day.year, day.month, day.day, *_time_fields(groups[3:7]))
    if kind is TemporalType.PLAIN_DATE_TIME:
        return PlainDateTime(*fields)
    if kind is TemporalType.INSTANT:
        return Instant(*fields, tzinfo=UTC)
    zone = _zone(str(groups[7]))
    if zone is None:
        return None
    for fold in (0, 1):  # the offset in the text tells which of a repeated hour
        candidate = ZonedDateTime(*fields, tzinfo=zone, fold=fold)
        if _zoned_text(candidate) == text:
            return candidate
    return None


def temporal_value(kind: TemporalType, text: str) -> Any:
    """What the readers return for a Temporal node: a Python value, or a JSTemporal.

    The Python value is returned only when writing it gives ``text`` back exactly,
    so reading and writing again always gives the identical node.
    """
    try:
        value = _parse(kind, text)
        if value is not None and temporal_text(value) == (kind, text):
            return value
    except (ValueError, OverflowError):
        pass
    return JSTemporal(kind, text)


# -- lossy conversion -------------------------------------------------------------------

_LOOSE_DATE: Final = r"([+-]\d{6}|\d{4})-(\d{2})-(\d{2})"
_LOOSE_TIME: Final = r"(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
_ANNOTATIONS: Final = r"((?:\[[^\]]*\])*)"
_LOOSE: Final = re.compile(
    _LOOSE_DATE
    + "(?:T"
    + _LOOSE_TIME
    + r"(Z|[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?)?"
    + _ANNOTATIONS,
    re.ASCII,
)
_LOOSE_TIME_ONLY: Final = re.compile(_LOOSE_TIME, re.ASCII)
_LOOSE_DURATION: Final = re.compile(
    r"([+-]?)P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
    r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,9}))?S)?)?",
    re.ASCII,
)


def as_python(value: JSTemporal) -> date | time | datetime | timedelta:
    """The nearest Python value to a Temporal value Python has no exact type for.

    Nanoseconds are truncated to microseconds, a calendar annotation is dropped
    (Temporal texts always give the ISO date), weeks are 7 days.  Raises
    ``ValueError`` for ``PlainMonthDay`` and ``PlainYearMonth``, for durations with
    years or months, and for dates outside years 1..9999.
    """
    kind, text = value.type, value.text
    if kind is TemporalType.DURATION:
        return _loose_duration(text)
    if kind is TemporalType.PLAIN_TIME:
        match = _LOOSE_TIME_ONLY.fullmatch(text.split("[", 1)[0])
        if match is None:
            raise ValueError(f"{text!r} is not a PlainTime text")
        return time(*_time_fields(_truncate(match.groups())))
    if kind in (TemporalType.PLAIN_MONTH_DAY, TemporalType.PLAIN_YEAR_MONTH):
        raise ValueError(f"Python has no type for a Temporal {kind.js_name}")
    match = _LOOSE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a Temporal {kind.js_name} text")
    year, month, day_, hour, minute, second, fraction, offset, annotations = match.groups()
    day = date(int(year), int(month), int(day_))
    if kind is TemporalType.PLAIN_DATE:
        return day
    clock = _time_fields(_truncate((hour, minute, second, fraction)))
    fields = (day.year, day.month, day.day, *clock)
    if kind is TemporalType.PLAIN_DATE_TIME:
        return PlainDateTime(*fields)
    if kind is TemporalType.INSTANT:
        if offset is None:
            raise ValueError(f"{text!r} has no offset")
        return Instant(*fields, tzinfo=_loose_offset(offset)).astimezone(UTC)
    zone_id = (annotations or "[").strip("[]").split("][", 1)[0]
    zone = _zone(zone_id)
    if zone is None or offset is None:
        raise ValueError(f"the zone of {text!r} is unknown to Python")
    return ZonedDateTime(*fields, tzinfo=_loose_offset(offset)).astimezone(zone)


def _truncate(groups: tuple[str | None, ...]) -> tuple[str | None, ...]:
    hour, minute, second, fraction = groups
    return hour, minute, second, (fraction or "")[:6] or None


def _loose_offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    seconds = float(text[7:]) if len(text) > 6 else 0.0
    return timezone(sign * timedelta(hours=hours, minutes=minutes, seconds=seconds))


def _loose_duration(text: str) -> timedelta:
    match = _LOOSE_DURATION.fullmatch(text)
    if match is None or text.rstrip("T").endswith("P"):
        raise ValueError(f"{text!r} is not a Duration text")
    sign, years, months, weeks, days, hours, minutes, seconds, fraction = match.groups()
    if years or months:
        raise ValueError(f"{text!r} has years or months, which timedelta cannot hold")
    span = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
        microseconds=_micro((fraction or "")[:6] or None),
    )
    return -span if sign == "-" else span
