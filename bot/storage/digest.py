"""What came in between two moments, for the chair's daily digest: submissions, returns,
unusual figures with their explanations, registrations; and who leads a cluster."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.storage.conference_tables import Registration
from bot.storage.models import Answer, ClusterLeadership, Indicator, Submission

__all__ = [
    "Unusual",
    "leader_unit_ids",
    "registrations_between",
    "returned_between",
    "submitted_between",
    "unusual_answers",
]


@dataclass(frozen=True)
class Unusual:
    """An answer the unit confirmed as unusual, and what it wrote about it."""

    unit_id: int
    indicator: str
    value: str
    explanation: str


def submitted_between(
    session: Session, *, period_id: int, unit_ids: Sequence[int], since: datetime, until: datetime
) -> list[Submission]:
    """Revisions submitted after `since`, up to `until`, oldest first."""
    query = select(Submission).where(
        Submission.period_id == period_id,
        col(Submission.unit_id).in_(unit_ids),
        Submission.status == "submitted",
        col(Submission.submitted_at) > since,
        col(Submission.submitted_at) <= until,
    )
    return list(session.exec(query.order_by(col(Submission.submitted_at), col(Submission.id))))


def returned_between(
    session: Session, *, period_id: int, unit_ids: Sequence[int], since: datetime, until: datetime
) -> list[Submission]:
    """Revisions the chair returned for correction in the window."""
    query = select(Submission).where(
        Submission.period_id == period_id,
        col(Submission.unit_id).in_(unit_ids),
        col(Submission.returned_at) > since,
        col(Submission.returned_at) <= until,
    )
    return list(session.exec(query.order_by(col(Submission.returned_at), col(Submission.id))))


def unusual_answers(session: Session, submissions: Sequence[Submission]) -> list[Unusual]:
    """The unusual figures of these revisions (flagged when the unit confirmed them)."""
    units = {s.id: s.unit_id for s in submissions}
    if not units:
        return []
    rows = session.exec(
        select(Answer, Indicator)
        .join(Indicator, col(Indicator.id) == Answer.indicator_id)
        .where(col(Answer.submission_id).in_(list(units)))
        .order_by(col(Answer.submission_id), col(Indicator.position), col(Indicator.id))
    ).all()
    return [
        Unusual(
            unit_id=units[answer.submission_id],
            indicator=indicator.name,
            value=answer.raw_text or answer.value or "",
            explanation=answer.explanation or "",
        )
        for answer, indicator in rows
        if "unusual" in (answer.flags or [])
    ]


def registrations_between(
    session: Session, *, conference_id: int, since: datetime, until: datetime
) -> list[Registration]:
    """Answers to the invitation confirmed in the window, oldest first."""
    query = select(Registration).where(
        Registration.conference_id == conference_id,
        col(Registration.confirmed_at) > since,
        col(Registration.confirmed_at) <= until,
    )
    return list(session.exec(query.order_by(col(Registration.confirmed_at))))


def leader_unit_ids(session: Session, *, cluster_id: int, years: Sequence[int]) -> list[int]:
    """The chair and vice-chair units of the cluster for these years."""
    rows = session.exec(
        select(ClusterLeadership).where(
            ClusterLeadership.cluster_id == cluster_id, col(ClusterLeadership.year).in_(years)
        )
    ).all()
    found = [unit for row in rows for unit in (row.chair_unit_id, row.vice_chair_unit_id)]
    return sorted({unit for unit in found if unit is not None})
