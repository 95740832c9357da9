"""What came in between two moments, for the chair's daily digest: submissions, returns,
unusual figures with their explanations, registrations; who leads a cluster; and who is in the
middle of answering questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from bot.storage.conference_tables import Registration
from bot.storage.models import Answer, ClusterLeadership, Indicator, Person, Submission
from bot.storage.pledge_tables import TargetAnswer, TargetRegistration
from bot.storage.types import require_id

__all__ = [
    "Unusual",
    "answering_since",
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
    session: Session,
    *,
    period_id: int,
    unit_ids: Sequence[int] | None,
    since: datetime,
    until: datetime,
) -> list[Submission]:
    """Revisions submitted after `since`, up to `until`, oldest first (None: of every unit)."""
    window = _between(session, Submission.submitted_at, period_id, unit_ids, since, until)
    return [row for row in window if row.status == "submitted"]


def returned_between(
    session: Session,
    *,
    period_id: int,
    unit_ids: Sequence[int] | None,
    since: datetime,
    until: datetime,
) -> list[Submission]:
    """Revisions the chair returned for correction in the window (None: of every unit)."""
    return _between(session, Submission.returned_at, period_id, unit_ids, since, until)


def _between(
    session: Session,
    moment: Any,
    period_id: int,
    unit_ids: Sequence[int] | None,
    since: datetime,
    until: datetime,
) -> list[Submission]:
    """The units' revisions for the period whose `moment` falls after `since`, up to `until`."""
    query = select(Submission).where(
        Submission.period_id == period_id, col(moment) > since, col(moment) <= until
    )
    if unit_ids is not None:
        query = query.where(col(Submission.unit_id).in_(unit_ids))
    return list(session.exec(query.order_by(col(moment), col(Submission.id))))


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


def answering_since(session: Session, *, person_ids: Sequence[int], since: datetime) -> set[int]:
    """The people whose active draft (figures or targets) was started or answered after `since`:
    a conversation in progress, not one left for later."""
    people = session.exec(select(Person).where(col(Person.id).in_(person_ids))).all()
    return {require_id(p) for p in people if (last := _last_step(session, p)) and last >= since}


def _last_step(session: Session, person: Person) -> datetime | None:
    """When the person's active draft was last answered (or started, before its first answer)."""
    draft: Submission | TargetRegistration | None
    if person.active_submission_id is not None:
        draft = session.get(Submission, person.active_submission_id)
        answered = select(func.max(Answer.answered_at)).where(
            Answer.submission_id == person.active_submission_id
        )
    elif person.active_registration_id is not None:
        draft = session.get(TargetRegistration, person.active_registration_id)
        answered = select(func.max(TargetAnswer.answered_at)).where(
            TargetAnswer.registration_id == person.active_registration_id
        )
    else:
        return None
    if draft is None or draft.status != "draft":
        return None
    last: datetime | None = session.exec(answered).one()
    return max(draft.created_at, last) if last is not None else draft.created_at
