"""A day and time typed the Vietnamese way, `10/7/2026 14:00`, read in a timezone (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.agenda import parse_clock
from bot.domain.i18n import gettext_for

__all__ = ["MomentParse", "parse_moment"]

_DAY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?:\s+|\s*[,;]\s*|$)")


@dataclass(frozen=True)
class MomentParse:
    """The moment read (aware, in UTC), or a Vietnamese sentence saying what is wrong."""

    moment: datetime | None = None
    problem: str | None = None


def parse_moment(text: str, *, timezone: str, locale: str) -> MomentParse:
    """`d/m/yyyy hh:mm` (also `-` or `.` between the numbers, `14h30`) in `timezone`."""
    _ = gettext_for(locale)
    example = _("Viết ngày giờ dạng ngày/tháng/năm giờ:phút, ví dụ 10/7/2026 14:00.")
    match = _DAY.match(text.strip())
    if match is None:
        return MomentParse(problem=example)
    try:
        day = date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        shown = f"{match[1]}/{match[2]}/{match[3]}"
        return MomentParse(problem=_("Ngày {day} không có thật.").format(day=shown))
    rest = text.strip()[match.end() :].strip()
    if not rest:
        return MomentParse(problem=_("Thiếu giờ: viết thêm giờ:phút, ví dụ 10/7/2026 14:00."))
    clock = parse_clock(rest)
    if clock is None:
        return MomentParse(problem=example)
    local = datetime.combine(day, time.fromisoformat(clock), tzinfo=ZoneInfo(timezone))
    return MomentParse(moment=local.astimezone(UTC))
