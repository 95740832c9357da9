"""Who has submitted in a period: each unit of a cluster, submitted, late, returned or missing."""

from __future__ import annotations

from collections.abc import Sequence
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
    member_in,
)

__all__ = [
    "LATE",
    "MISSING",
    "RETURNED",
    "SUBMITTED",
    "UnitProgress",
    "period_progress",
    "unit_progress",
]

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
    return period_progress(session, period=period, cluster_ids=[cluster_id])[cluster_id]


def period_progress(
    session: Session, *, period: Period, cluster_ids: Sequence[int]
) -> dict[int, list[UnitProgress]]:
    """`unit_progress` of several clusters in four queries (a tick asks for all at once)."""
    # Columns, not `Unit` objects: a national tick reads thousands of units every minute.
    members: dict[int, list[tuple[int, str, str]]] = {cluster_id: [] for cluster_id in cluster_ids}
    for cluster_id, unit_id, code, name in session.exec(
        select(ClusterUnit.cluster_id, Unit.id, Unit.code, Unit.name)
        .join(Unit, col(ClusterUnit.unit_id) == Unit.id)
        .where(col(ClusterUnit.cluster_id).in_(cluster_ids), member_in(period.year))
        .order_by(col(ClusterUnit.position), col(Unit.id))
    ).all():
        members[cluster_id].append((unit_id or 0, code, name))
    unit_ids = [unit[0] for units in members.values() for unit in units]
    totals = dict(
        session.exec(
            select(Pledge.cluster_id, func.count(col(Indicator.id)))
            .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
            .where(
                col(Pledge.cluster_id).in_(cluster_ids),
                Pledge.year == period.year,
                col(Indicator.active),
            )
            .group_by(col(Pledge.cluster_id))
        ).all()
    )
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
    return {
        cluster_id: [_progress(unit, latest, drafted, totals.get(cluster_id, 0)) for unit in units]
        for cluster_id, units in members.items()
    }


def _progress(
    unit: tuple[int, str, str],
    latest_of: dict[int, Submission],
    drafted: dict[int, int],
    total: int,
) -> UnitProgress:
    unit_id, code, name = unit
    latest, answered = latest_of.get(unit_id), drafted.get(unit_id, 0)
    if latest is None:
        state = MISSING
    elif latest.returned_at is not None:
        state = RETURNED
    else:
        state = LATE if latest.late else SUBMITTED
    return UnitProgress(
        unit_id=unit_id,
        code=code,
        name=name,
        state=state,
        revision=latest.revision if latest else None,
        submitted_at=latest.submitted_at if latest else None,
        answered=answered,
        total=total,
    )
