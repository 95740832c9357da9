"""What a period owes its cluster at a moment: announcement, reminders, board, summary (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.periods import PeriodTimes, Phase, phase

__all__ = [
    "Due",
    "QuietHours",
    "ScheduledPeriod",
    "board_day",
    "due_now",
    "overdue_day",
    "parse_quiet_hours",
    "quiet_until",
    "reminder_offset",
]

DAY = timedelta(days=1)


class ScheduledPeriod(PeriodTimes, Protocol):
    """A period's times as the scheduler reads them."""

    reminder_offsets: list[int]
    digest_time: str | None


@dataclass(frozen=True)
class QuietHours:
    """Hours without private reminders, such as 21:00–07:00 (may cross midnight)."""

    start: time
    end: time

    def contains(self, clock: time) -> bool:
        """Whether a wall-clock time falls in the quiet hours."""
        if self.start <= self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end


def parse_quiet_hours(text: str | None) -> QuietHours | None:
    """`21:00-07:00` as quiet hours; empty or equal ends switch them off."""
    if not text or not text.strip():
        return None
    start_text, _, end_text = text.replace(" ", "").partition("-")
    start, end = time.fromisoformat(_padded(start_text)), time.fromisoformat(_padded(end_text))
    return None if start == end else QuietHours(start, end)


def _padded(clock: str) -> str:
    hours, _, minutes = clock.partition(":")
    return f"{int(hours):02d}:{int(minutes or 0):02d}"


def quiet_until(now: datetime, *, tz: ZoneInfo, quiet: QuietHours | None) -> datetime | None:
    """When the quiet hours around `now` end, or None if `now` is not in them."""
    if quiet is None:
        return None
    local = now.astimezone(tz)
    if not quiet.contains(local.time()):
        return None
    end = datetime.combine(local.date(), quiet.end, tzinfo=tz)
    return end if end > local else end + DAY


def reminder_offset(period: ScheduledPeriod, now: datetime) -> int | None:
    """The latest reminder offset (minutes before the deadline) that has come, while open.

    Only the latest counts: after a night of quiet hours or a restart, a unit gets one
    reminder, not every one it missed.
    """
    if phase(period, now) is not Phase.OPEN:
        return None
    come = [
        offset
        for offset in period.reminder_offsets
        if period.opens_at <= period.deadline_at - timedelta(minutes=offset) <= now
    ]
    return min(come) if come else None


def overdue_day(period: PeriodTimes, now: datetime) -> int | None:
    """Days since the deadline (0 on the first day) while late units may still submit."""
    if now < period.deadline_at or phase(period, now) is not Phase.LATE:
        return None
    return (now - period.deadline_at) // DAY


def board_day(period: ScheduledPeriod, now: datetime, *, tz: ZoneInfo) -> date | None:
    """The local day whose board is due: the digest time has passed on an open day."""
    if not period.digest_time or phase(period, now) is not Phase.OPEN:
        return None
    local = now.astimezone(tz)
    digest = datetime.combine(local.date(), time.fromisoformat(period.digest_time), tzinfo=tz)
    if local < digest or digest < period.opens_at:
        return None
    return local.date()


@dataclass(frozen=True)
class Due:
    """Everything due for one period and cluster at one moment."""

    announce: bool = False
    reminder_offset: int | None = None  # private reminders and the group's list of missing units
    overdue_day: int | None = None  # private overdue reminders and the chair's list
    board_day: date | None = None
    summary: bool = False
    private_quiet_until: datetime | None = None  # private messages wait until then

    @property
    def private_allowed(self) -> bool:
        return self.private_quiet_until is None


def due_now(
    period: ScheduledPeriod,
    now: datetime,
    *,
    tz: ZoneInfo,
    quiet: QuietHours | None,
    all_submitted: bool,
) -> Due:
    """What is due now; the outbox keys make asking twice harmless."""
    stage = phase(period, now)
    if stage in (Phase.UPCOMING, Phase.LOCKED):
        return Due()
    return Due(
        announce=stage is Phase.OPEN,
        reminder_offset=reminder_offset(period, now),
        overdue_day=overdue_day(period, now),
        board_day=board_day(period, now, tz=tz),
        # At the deadline, or earlier when every unit is in, while figures can still change.
        summary=stage is Phase.LATE or all_submitted,
        private_quiet_until=quiet_until(now, tz=tz, quiet=quiet),
    )
