"""Where a reporting period stands at a given moment: upcoming, open, late or locked."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

__all__ = ["PeriodTimes", "Phase", "lock_at", "phase"]


class Phase(StrEnum):
    UPCOMING = "upcoming"  # not open yet
    OPEN = "open"  # before the deadline
    LATE = "late"  # after the deadline, still accepted and marked late
    LOCKED = "locked"  # khóa sổ: nothing accepted


class PeriodTimes(Protocol):
    opens_at: datetime
    deadline_at: datetime
    lock_after_minutes: int
    state: str


def lock_at(period: PeriodTimes) -> datetime:
    """When the period locks by itself: `lock_after` past the deadline."""
    return period.deadline_at + timedelta(minutes=period.lock_after_minutes)


def phase(period: PeriodTimes, now: datetime) -> Phase:
    """The phase at `now`; an admin's explicit open or lock wins over the timetable."""
    if period.state == "locked":
        return Phase.LOCKED
    if now < period.opens_at and period.state != "open":
        return Phase.UPCOMING
    if now < period.deadline_at:
        return Phase.OPEN
    if now < lock_at(period) or period.state == "open":
        return Phase.LATE
    return Phase.LOCKED
