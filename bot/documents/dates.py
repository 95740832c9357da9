"""Dates and times as official documents write them (Decree 30/2020: leading zeros)."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date

from bot.documents.model import Dated
from bot.domain.i18n import babel_locale, gettext_for, normalize_locale

__all__ = ["clock", "date_line", "day_and_month", "long_date", "weekday"]

_BLANK = "\u00a0" * 6  # room for the clerk to write the day and the month by hand
_NO_PLACE = "……"


def day_and_month(day: date) -> tuple[str, str]:
    """`05`, `01`: a day below 10 and the months January and February take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}", month


def long_date(dated: Dated, locale: str) -> str:
    """`ngày 05 tháng 01 năm 2026`, or `ngày … tháng … năm 2026` with blanks for a year alone."""
    _ = gettext_for(locale)
    if isinstance(dated, int):
        day, month, year = _BLANK, _BLANK, dated
    else:
        (day, month), year = day_and_month(dated), dated.year
    return _("ngày {day} tháng {month} năm {year}").format(day=day, month=month, year=year)


def date_line(place_name: str, dated: Dated, locale: str) -> str:
    """`Kon Tum, ngày 05 tháng 01 năm 2026`: the place and date at the top right."""
    _ = gettext_for(locale)
    return _("{place}, {date}").format(place=place_name or _NO_PLACE, date=long_date(dated, locale))


def clock(moment: datetime, locale: str) -> str:
    """`14 giờ 00 phút`."""
    _ = gettext_for(locale)
    return _("{hour} giờ {minute} phút").format(
        hour=f"{moment.hour:02d}", minute=f"{moment.minute:02d}"
    )


def weekday(day: date, locale: str) -> str:
    """`thứ sáu`, `chủ nhật`: the day of the week inside a sentence (English: `Friday`)."""
    name = format_date(day, "EEEE", locale=babel_locale(locale))
    return name.lower() if normalize_locale(locale) == "vi" else name
