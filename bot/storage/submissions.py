"""Queries behind a submission: what to ask a unit, its drafts, answers and revisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, delete, func, select

from bot.storage.audit import record_event
from bot.storage.models import (
    Answer,
    Cluster,
    ClusterLeadership,
    ClusterUnit,
    Indicator,
    Period,
    PeriodCluster,
    Person,
    Pledge,
    Submission,
    Target,
    Unit,
)
from bot.storage.types import require_id, utcnow

__all__ = [
    "answers_of",
    "chair_unit",
    "cluster_of_unit",
    "delete_answers",
    "draft_of",
    "indicators_for",
    "last_values",
    "latest_submitted",
    "periods_of_unit",
    "save_answer",
    "start_draft",
    "submit_draft",
    "targets_for",
]


def periods_of_unit(session: Session, unit_id: int) -> list[tuple[Period, Cluster]]:
    """Every period in which the unit reports, with the cluster it reports in, oldest first."""
    rows = session.exec(
        select(Period, Cluster)
        .join(PeriodCluster, col(PeriodCluster.period_id) == Period.id)
        .join(Cluster, col(Cluster.id) == PeriodCluster.cluster_id)
        .join(ClusterUnit, col(ClusterUnit.cluster_id) == Cluster.id)
        .where(ClusterUnit.unit_id == unit_id)
        .order_by(col(Period.deadline_at), col(Period.id))
    ).all()
    return [(period, cluster) for period, cluster in rows]


def cluster_of_unit(session: Session, unit_id: int) -> Cluster | None:
    """The cluster a unit belongs to (the first listed, if several)."""
    return session.exec(
        select(Cluster)
        .join(ClusterUnit, col(ClusterUnit.cluster_id) == Cluster.id)
        .where(ClusterUnit.unit_id == unit_id)
        .order_by(col(ClusterUnit.id))
    ).first()


def chair_unit(session: Session, cluster_id: int, year: int) -> Unit | None:
    """The chair unit (Cụm trưởng) of a cluster for a year, if known."""
    return session.exec(
        select(Unit)
        .join(ClusterLeadership, col(ClusterLeadership.chair_unit_id) == Unit.id)
        .where(ClusterLeadership.cluster_id == cluster_id, ClusterLeadership.year == year)
    ).first()


def indicators_for(session: Session, *, cluster_id: int, year: int) -> list[Indicator]:
    """The active indicators of the cluster's pledge for the year, in the order asked."""
    return list(
        session.exec(
            select(Indicator)
            .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
            .where(Pledge.cluster_id == cluster_id, Pledge.year == year, col(Indicator.active))
            .order_by(col(Indicator.position))
        ).all()
    )


def targets_for(session: Session, *, unit_id: int, indicator_ids: list[int]) -> dict[int, str]:
    """Indicator id -> the unit's target (canonical text)."""
    rows = session.exec(
        select(Target.indicator_id, Target.value).where(
            Target.unit_id == unit_id, col(Target.indicator_id).in_(indicator_ids)
        )
    ).all()
    return dict(rows)


def last_values(session: Session, *, unit_id: int, before: Period) -> dict[str, str]:
    """Indicator code -> the unit's value in its latest earlier submitted period."""
    rows = session.exec(
        select(Indicator.code, Answer.value, Period.deadline_at, Submission.revision)
        .join(Answer, col(Answer.indicator_id) == Indicator.id)
        .join(Submission, col(Submission.id) == Answer.submission_id)
        .join(Period, col(Period.id) == Submission.period_id)
        .where(
            Submission.unit_id == unit_id,
            Submission.status == "submitted",
            col(Period.deadline_at) < before.deadline_at,
            col(Answer.value).is_not(None),
        )
        .order_by(col(Period.deadline_at), col(Submission.revision))
    ).all()
    # Later rows overwrite earlier ones: the newest period and revision win.
    return {code: value for code, value, _deadline, _revision in rows if value is not None}


def latest_submitted(session: Session, *, period_id: int, unit_id: int) -> Submission | None:
    """The unit's newest submitted revision for the period."""
    return session.exec(
        select(Submission)
        .where(
            Submission.period_id == period_id,
            Submission.unit_id == unit_id,
            Submission.status == "submitted",
        )
        .order_by(col(Submission.revision).desc())
    ).first()


def draft_of(session: Session, *, period_id: int, unit_id: int) -> Submission | None:
    """The unit's draft for the period, if one is in progress."""
    return session.exec(
        select(Submission).where(
            Submission.period_id == period_id,
            Submission.unit_id == unit_id,
            Submission.status == "draft",
        )
    ).first()


def start_draft(session: Session, *, period_id: int, unit_id: int, person: Person) -> Submission:
    """A new draft: the next revision, prefilled with the last submitted answers if any."""
    top = session.exec(
        select(func.max(Submission.revision)).where(
            Submission.period_id == period_id, Submission.unit_id == unit_id
        )
    ).one()
    draft = Submission(
        period_id=period_id,
        unit_id=unit_id,
        revision=(top or 0) + 1,
        status="draft",
        started_by_person_id=person.id,
    )
    session.add(draft)
    session.flush()
    previous = latest_submitted(session, period_id=period_id, unit_id=unit_id)
    if previous is not None:
        for answer in answers_of(session, previous.id or 0).values():
            copied = answer.model_dump(exclude={"id", "submission_id"})
            session.add(Answer(**copied, submission_id=require_id(draft)))
        session.flush()
    return draft


def answers_of(session: Session, submission_id: int) -> dict[int, Answer]:
    """Indicator id -> answer, for one submission or draft."""
    rows = session.exec(select(Answer).where(Answer.submission_id == submission_id)).all()
    return {answer.indicator_id: answer for answer in rows}


def delete_answers(session: Session, submission_id: int) -> None:
    """Empty a draft, to start over."""
    session.exec(delete(Answer).where(col(Answer.submission_id) == submission_id))


def save_answer(
    session: Session, *, draft: Submission, indicator_id: int, person: Person, **values: Any
) -> Answer:
    """Create or replace the draft's answer to one indicator."""
    answer = session.exec(
        select(Answer).where(Answer.submission_id == draft.id, Answer.indicator_id == indicator_id)
    ).first()
    fields = {
        "raw_text": None,
        "value": None,
        "value_number": None,
        "skipped": False,
        "flags": [],
        "explanation": None,
        "file_id": None,
        "file_name": None,
        "file_size": None,
        **values,
    }
    if answer is None:
        answer = Answer(submission_id=require_id(draft), indicator_id=indicator_id, **fields)
    else:
        for name, value in fields.items():
            setattr(answer, name, value)
    answer.answered_by_person_id = person.id
    answer.answered_at = utcnow()
    session.add(answer)
    session.flush()
    return answer


def submit_draft(
    session: Session, *, draft: Submission, person: Person, unit: Unit, now: datetime, late: bool
) -> bool:
    """Turn the draft into a submitted revision, once, and audit it; False if already done."""
    # A conditional update: two focal points pressing «Xác nhận» together submit once.
    result = session.execute(
        update(Submission)
        .where(col(Submission.id) == draft.id, col(Submission.status) == "draft")
        .values(
            status="submitted",
            submitted_at=now,
            submitted_by_person_id=person.id,
            late=late,
            cursor_indicator_id=None,
            pending=None,
        )
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(draft)
    record_event(
        session,
        actor=f"telegram:{person.telegram_id}",
        action="submission.submitted",
        entity="unit",
        entity_key=unit.code,
        after={"period_id": draft.period_id, "revision": draft.revision, "late": late},
    )
    session.flush()
    return True
