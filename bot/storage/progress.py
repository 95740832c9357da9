"""Who has submitted in a period: each unit of a cluster, submitted, late, returned or missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from bot.storage.models import (
    Answer,
    ClusterUnit,
    Indicator,
    Period,
    Pledge,
    Submission,
    Unit,
)

__all__ = ["LATE", "MISSING", "RETURNED", "SUBMITTED", "UnitProgress", "unit_progress"]

SUBMITTED, LATE, RETURNED, MISSING = "submitted", "late", "returned", "missing"


@dataclass(frozen=True)
class UnitProgress:
    """One unit's state in a period, and how far its draft has got."""

    unit_id: int
    code: str
    name: str
    state: str
    revision: int | None = None
    submitted_at: datetime | None = None
    answered: int = 0  # answers in the draft being written, if any
    total: int = 0  # questions the unit is asked

    @property
    def owes(self) -> bool:
        """Whether the unit still has to submit (nothing yet, or returned for correction)."""
        return self.state in (MISSING, RETURNED)


def unit_progress(session: Session, *, period: Period, cluster_id: int) -> list[UnitProgress]:
    """Every unit of the cluster in set-up order, with its state in the period."""
    units = session.exec(
        select(Unit)
        .join(ClusterUnit, col(ClusterUnit.unit_id) == Unit.id)
        .where(ClusterUnit.cluster_id == cluster_id)
        .order_by(col(ClusterUnit.position), col(Unit.id))
    ).all()
    unit_ids = [unit.id for unit in units]
    total = session.exec(
        select(func.count(col(Indicator.id)))
        .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
        .where(Pledge.cluster_id == cluster_id, Pledge.year == period.year, col(Indicator.active))
    ).one()
    latest: dict[int, Submission] = {}
    for submission in session.exec(
        select(Submission)
        .where(
            Submission.period_id == period.id,
            col(Submission.unit_id).in_(unit_ids),
            Submission.status == "submitted",
        )
        .order_by(col(Submission.revision))
    ).all():
        latest[submission.unit_id] = submission  # the highest revision comes last
    drafted = dict(
        session.exec(
            select(Submission.unit_id, func.count(col(Answer.id)))
            .join(Answer, col(Answer.submission_id) == Submission.id, isouter=True)
            .where(
                Submission.period_id == period.id,
                col(Submission.unit_id).in_(unit_ids),
                Submission.status == "draft",
            )
            .group_by(col(Submission.unit_id))
        ).all()
    )
    return [
        _progress(unit, latest.get(unit.id or 0), drafted.get(unit.id or 0, 0), total)
        for unit in units
    ]


def _progress(unit: Unit, latest: Submission | None, answered: int, total: int) -> UnitProgress:
    if latest is None:
        state = MISSING
    elif latest.returned_at is not None:
        state = RETURNED
    else:
        state = LATE if latest.late else SUBMITTED
    return UnitProgress(
        unit_id=unit.id or 0,
        code=unit.code,
        name=unit.name,
        state=state,
        revision=latest.revision if latest else None,
        submitted_at=latest.submitted_at if latest else None,
        answered=answered,
        total=total,
    )
