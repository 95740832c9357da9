"""Dates, times and durations shown the way the reader's locale writes them (Babel)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.units import format_unit

from bot.domain.i18n import babel_locale, gettext_for

__all__ = ["data_window", "format_day", "format_moment", "format_span", "format_time_left"]

# Vietnamese as officials write an amount of time ("3 giờ", not Babel's "3 tiếng").
_VI_UNITS = {"month": "tháng", "day": "ngày", "hour": "giờ", "minute": "phút"}
_TWO_DAYS = timedelta(days=2)
_TWO_MONTHS_IN_DAYS = 60

_PATTERNS = {"vi": "HH:mm 'ngày' d/M/yyyy", "en": "HH:mm, d MMM yyyy"}


@lru_cache(maxsize=1024)  # a tick writes one deadline into thousands of reminders
def format_moment(moment: datetime, timezone: str, locale: str) -> str:
    """`17:00 ngày 20/6/2026` in the period's timezone."""
    pattern = _PATTERNS.get(locale, _PATTERNS["vi"])
    return format_datetime(moment, pattern, tzinfo=ZoneInfo(timezone), locale=babel_locale(locale))


def format_day(day: date) -> str:
    """`15/12/2025`, as Vietnamese writes a day (and as the English catalogue keeps it)."""
    return f"{day.day}/{day.month}/{day.year}"


def data_window(start: date | None, end: date | None, locale: str) -> str | None:
    """`Số liệu tính từ 15/12/2025 đến 14/6/2026.`: the period the figures cover, if known."""
    if start is None or end is None:
        return None
    _ = gettext_for(locale)
    return _("Số liệu tính từ {start} đến {end}.").format(
        start=format_day(start), end=format_day(end)
    )


def format_time_left(left: timedelta, locale: str) -> str:
    """The remaining time as people say it: days up to two months (`19 ngày`), then months
    (`3 tháng`); hours and minutes under two days (`3 giờ`, `1 giờ 30 phút`, `20 phút`)."""
    left = max(left, timedelta(0))
    if left < _TWO_DAYS:
        minutes = int(left.total_seconds() // 60)
        hours, minutes = divmod(minutes, 60)
        parts = [_amount(hours, "hour", locale)] if hours else []
        if minutes or not hours:
            parts.append(_amount(minutes, "minute", locale))
        return " ".join(parts)
    days = round(left.total_seconds() / 86400)  # a deadline at 17:00 from 17:00: whole days
    if days < _TWO_MONTHS_IN_DAYS:
        return _amount(days, "day", locale)
    return _amount(round(days / 30), "month", locale)


def format_span(span: timedelta, locale: str) -> str:
    """A set length of time exactly, as a sentence says it: `7 ngày`, `1 ngày 12 giờ`."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    counts = (("day", days), ("hour", hours), ("minute", minutes))
    parts = [_amount(count, unit, locale) for unit, count in counts if count]
    return " ".join(parts) or _amount(0, "minute", locale)


def _amount(count: int, unit: str, locale: str) -> str:
    """`3 giờ`; other languages by Babel's own unit patterns (`3 hours`, `1 hour`)."""
    if locale == "vi":
        return f"{count} {_VI_UNITS[unit]}"
    return format_unit(count, f"duration-{unit}", locale=babel_locale(locale))
