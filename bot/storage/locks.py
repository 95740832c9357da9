"""Where one unit stands in a period: the period's phase, with an admin's exception for it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from bot.domain.periods import Phase, phase
from bot.storage.models import Period, UnitLock

__all__ = ["LOCKED", "UNLOCKED", "phase_with", "unit_phase"]

LOCKED, UNLOCKED = "locked", "unlocked"

# Most steps ask this: the statement is built once.
_EXCEPTION = select(UnitLock.state).where(
    col(UnitLock.period_id) == bindparam("period_id"),
    col(UnitLock.unit_id) == bindparam("unit_id"),
)


def unit_phase(session: Session, *, period: Period, unit_id: int, now: datetime) -> Phase:
    """The unit's phase at `now`: a unit locked early accepts nothing; one unlocked late
    (DHIS2's "lock exception") still submits, marked late."""
    exception = session.exec(
        _EXCEPTION, params={"period_id": period.id, "unit_id": unit_id}
    ).first()
    return phase_with(period, exception, now)


def phase_with(period: Period, exception: str | None, now: datetime) -> Phase:
    """The unit's phase at `now`, given the admin's exception for it (`UnitLock.state`)."""
    base = phase(period, now)
    if exception == LOCKED:
        return Phase.LOCKED
    if exception == UNLOCKED and base is Phase.LOCKED:
        return Phase.LATE
    return base
