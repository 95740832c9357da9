"""Queries behind a targets registration: its window, each unit's drafts, answers, revisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, delete, select

from bot.storage.audit import record_event
from bot.storage.models import (
    Answer,
    Cluster,
    ClusterUnit,
    Indicator,
    Period,
    PeriodCluster,
    Person,
    Pledge,
    Submission,
    Target,
    Unit,
    member_in,
)
from bot.storage.pledge_tables import PledgeWindow, TargetAnswer, TargetRegistration
from bot.storage.submissions import blank_answer, write_answer
from bot.storage.types import require_id

__all__ = [
    "TARGET_KINDS",
    "delete_target_answers",
    "open_window",
    "openings_for_unit",
    "pledge_of",
    "registrations_of",
    "results_of",
    "return_registration",
    "save_target_answer",
    "sign_registration",
    "start_registration",
    "submit_registration",
    "target_answers_of",
    "target_indicators",
    "targets_of",
    "window_of",
]

TARGET_KINDS = ("number", "percent", "ratio")  # the indicators a unit sets a target for


def pledge_of(session: Session, *, cluster_id: int, year: int) -> Pledge | None:
    """The cluster's pledge for the year."""
    return session.exec(
        select(Pledge).where(Pledge.cluster_id == cluster_id, Pledge.year == year)
    ).first()


def window_of(session: Session, pledge_id: int) -> PledgeWindow | None:
    """The pledge's registration window, if one was set up or opened."""
    return session.exec(select(PledgeWindow).where(PledgeWindow.pledge_id == pledge_id)).first()


def open_window(
    session: Session, *, pledge: Pledge, opens_at: datetime, deadline_at: datetime, actor: str
) -> PledgeWindow:
    """Open the pledge's registration now (an admin's or the chair's `/pledge`), audited."""
    window = window_of(session, require_id(pledge))
    before = None if window is None else {"state": window.state, "opens_at": window.opens_at}
    window = window or PledgeWindow(
        pledge_id=require_id(pledge), opens_at=opens_at, deadline_at=deadline_at
    )
    window.opens_at, window.deadline_at = min(window.opens_at, opens_at), deadline_at
    window.state, window.opened_by = "open", actor
    session.add(window)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="pledge.open",
        entity="pledge",
        entity_key=str(pledge.id),
        before=None if before is None else {k: str(v) for k, v in before.items()},
        after={"deadline_at": deadline_at.isoformat(), "year": pledge.year},
    )
    return window


def openings_for_unit(session: Session, unit_id: int) -> list[tuple[Pledge, PledgeWindow, Cluster]]:
    """Every pledge of the unit's clusters with a registration window not signed yet."""
    rows = session.exec(
        select(Pledge, PledgeWindow, Cluster)
        .join(PledgeWindow, col(PledgeWindow.pledge_id) == Pledge.id)
        .join(Cluster, col(Cluster.id) == Pledge.cluster_id)
        .join(ClusterUnit, col(ClusterUnit.cluster_id) == Cluster.id)
        .where(
            ClusterUnit.unit_id == unit_id,
            col(PledgeWindow.signed_at).is_(None),
            member_in(Pledge.year),  # a unit merged away signs no later pledge
        )
        .order_by(col(Pledge.year), col(Pledge.id))
    ).all()
    return [(pledge, window, cluster) for pledge, window, cluster in rows]


def target_indicators(session: Session, pledge_id: int) -> list[Indicator]:
    """The pledge's active indicators that take a target, in the order asked."""
    return list(
        session.exec(
            select(Indicator)
            .where(
                Indicator.pledge_id == pledge_id,
                col(Indicator.active),
                col(Indicator.kind).in_(TARGET_KINDS),
            )
            .order_by(col(Indicator.position))
        ).all()
    )


def targets_of(session: Session, *, cluster_id: int, year: int, unit_id: int) -> dict[str, str]:
    """Indicator code -> the unit's target in the cluster's pledge for the year."""
    rows = session.exec(
        select(Indicator.code, Target.value)
        .join(Target, col(Target.indicator_id) == Indicator.id)
        .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
        .where(Pledge.cluster_id == cluster_id, Pledge.year == year, Target.unit_id == unit_id)
    ).all()
    return dict(rows)


def results_of(session: Session, *, cluster_id: int, year: int, unit_id: int) -> dict[str, str]:
    """Indicator code -> the unit's latest submitted figure in the cluster's periods of the year."""
    rows = session.exec(
        select(Indicator.code, Answer.value)
        .join(Answer, col(Answer.indicator_id) == Indicator.id)
        .join(Submission, col(Submission.id) == Answer.submission_id)
        .join(Period, col(Period.id) == Submission.period_id)
        .join(PeriodCluster, col(PeriodCluster.period_id) == Period.id)
        .where(
            PeriodCluster.cluster_id == cluster_id,
            Period.year == year,
            Submission.unit_id == unit_id,
            Submission.status == "submitted",
            col(Answer.value).is_not(None),
        )
        .order_by(col(Period.deadline_at), col(Submission.revision))
    ).all()
    # Later rows overwrite earlier ones: the latest period and revision win.
    return {code: value for code, value in rows if value is not None}


def registrations_of(session: Session, *, pledge_id: int, unit_id: int) -> list[TargetRegistration]:
    """Every revision of the unit's registration for the pledge, its draft too, oldest first."""
    return list(
        session.exec(
            select(TargetRegistration)
            .where(TargetRegistration.pledge_id == pledge_id, TargetRegistration.unit_id == unit_id)
            .order_by(col(TargetRegistration.revision))
        ).all()
    )


def start_registration(
    session: Session,
    *,
    pledge_id: int,
    unit_id: int,
    person: Person,
    revisions: list[TargetRegistration],
) -> tuple[TargetRegistration, dict[int, TargetAnswer]]:
    """A new draft: the next revision, with the answers of the last registered one copied."""
    draft = TargetRegistration(
        pledge_id=pledge_id,
        unit_id=unit_id,
        revision=max((r.revision for r in revisions), default=0) + 1,
        started_by_person_id=person.id,
    )
    session.add(draft)
    session.flush()
    registered = [r for r in revisions if r.status == "submitted"]
    if not registered:
        return draft, {}
    previous = max(registered, key=lambda r: r.revision)
    copied = {}
    for answer in target_answers_of(session, require_id(previous)).values():
        values = answer.model_dump(exclude={"id", "registration_id"})
        copy = TargetAnswer(registration_id=require_id(draft), **values)
        session.add(copy)
        copied[copy.indicator_id] = copy
    session.flush()
    return draft, copied


def target_answers_of(session: Session, registration_id: int) -> dict[int, TargetAnswer]:
    """Indicator id -> answer, for one registration or draft."""
    rows = session.exec(
        select(TargetAnswer).where(TargetAnswer.registration_id == registration_id)
    ).all()
    return {answer.indicator_id: answer for answer in rows}


def delete_target_answers(session: Session, registration_id: int) -> None:
    """Empty a draft, to start over."""
    session.exec(delete(TargetAnswer).where(col(TargetAnswer.registration_id) == registration_id))


def save_target_answer(
    session: Session,
    *,
    draft: TargetRegistration,
    indicator_id: int,
    person: Person,
    answers: dict[int, TargetAnswer],
    **values: Any,
) -> TargetAnswer:
    """Create or replace the draft's target for one indicator (written now)."""
    fields = blank_answer(files=False) | {
        name: value for name, value in values.items() if not name.startswith("file_")
    }
    owner = {"registration_id": require_id(draft), "indicator_id": indicator_id}
    answer = answers.get(indicator_id)
    return write_answer(session, answer, TargetAnswer, owner=owner, person=person, fields=fields)


def submit_registration(
    session: Session, *, draft: TargetRegistration, person: Person, unit: Unit, now: datetime
) -> bool:
    """Register the draft's targets, once, and audit it; False if already done."""
    values: dict[str, Any] = {
        "status": "submitted",
        "submitted_at": now,
        "submitted_by_person_id": person.id,
        "cursor_indicator_id": None,
        "pending": None,
    }
    result = session.execute(
        update(TargetRegistration)
        .where(col(TargetRegistration.id) == draft.id, col(TargetRegistration.status) == "draft")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False  # two focal points pressed together: registered once
    for name, value in values.items():
        set_committed_value(draft, name, value)
    _audit(session, person, "pledge.registered", unit, draft, {"revision": draft.revision})
    return True


def return_registration(
    session: Session,
    *,
    registration: TargetRegistration,
    unit: Unit,
    reason: str,
    by: Person,
    now: datetime,
) -> None:
    """The chair sends a registered revision back with a reason; the unit registers again."""
    registration.returned_reason, registration.returned_at = reason, now
    registration.returned_by_person_id = by.id
    session.add(registration)
    after = {"revision": registration.revision, "reason": reason}
    _audit(session, by, "pledge.returned", unit, registration, after)
    session.flush()


def sign_registration(
    session: Session, *, registration: TargetRegistration, person: Person, unit: Unit, now: datetime
) -> bool:
    """The unit's focal point signs its registered targets (ký giao ước); False if signed."""
    if registration.signed_at is not None:
        return False
    registration.signed_at, registration.signed_by_person_id = now, person.id
    session.add(registration)
    _audit(
        session, person, "pledge.signed", unit, registration, {"revision": registration.revision}
    )
    session.flush()
    return True


def _audit(
    session: Session,
    person: Person,
    action: str,
    unit: Unit,
    registration: TargetRegistration,
    after: dict[str, Any],
) -> None:
    record_event(
        session,
        actor=f"telegram:{person.telegram_id}",
        action=action,
        entity="unit",
        entity_key=unit.code,
        after={"pledge_id": registration.pledge_id, **after},
    )
