"""Dates, times and durations shown the way the reader's locale writes them (Babel)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta

from bot.domain.i18n import babel_locale

__all__ = ["format_moment", "format_time_left"]

_PATTERNS = {"vi": "HH:mm 'ngày' d/M/yyyy", "en": "HH:mm, d MMM yyyy"}


def format_moment(moment: datetime, timezone: str, locale: str) -> str:
    """`17:00 ngày 20/6/2026` in the period's timezone."""
    pattern = _PATTERNS.get(locale, _PATTERNS["vi"])
    return format_datetime(moment, pattern, tzinfo=ZoneInfo(timezone), locale=babel_locale(locale))


def format_time_left(left: timedelta, locale: str) -> str:
    """`3 ngày`, `5 giờ`: the remaining time, rounded the way people say it."""
    return format_timedelta(left, threshold=1.2, locale=babel_locale(locale))
