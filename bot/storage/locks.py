"""Where one unit stands in a period: the period's phase, with an admin's exception for it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.periods import Phase, phase
from bot.storage.models import Period, UnitLock

__all__ = ["LOCKED", "UNLOCKED", "unit_phase"]

LOCKED, UNLOCKED = "locked", "unlocked"


def unit_phase(session: Session, *, period: Period, unit_id: int, now: datetime) -> Phase:
    """The unit's phase at `now`: a unit locked early accepts nothing; one unlocked late
    (DHIS2's "lock exception") still submits, marked late."""
    base = phase(period, now)
    exception = session.exec(
        select(UnitLock.state).where(UnitLock.period_id == period.id, UnitLock.unit_id == unit_id)
    ).first()
    if exception == LOCKED:
        return Phase.LOCKED
    if exception == UNLOCKED and base is Phase.LOCKED:
        return Phase.LATE
    return base
