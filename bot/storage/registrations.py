"""A unit's registration draft (đăng ký đại biểu), saved step by step, and its confirmation.

A draft is a `Registration` with revision 0 and no `confirmed_at`: one per conference and
unit (the table's unique key), shared by the unit's focal points. Its delegates are
`Delegate` rows from the first name typed; confirming gives the draft the next revision, so
the latest confirmed answer stands and every earlier one is kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, func, select

from bot.storage.audit import record_event
from bot.storage.conference_tables import Conference, Delegate, Registration
from bot.storage.conferences import (
    HEAD,
    MEMBER,
    RegistrationState,
    UnitRegistration,
    registration_states,
)
from bot.storage.models import ClusterUnit, Unit
from bot.storage.types import require_id

__all__ = [
    "DRAFT_REVISION",
    "add_delegate",
    "answer_of",
    "clear_draft",
    "confirm_draft",
    "delegates_of",
    "draft_of",
    "held_by",
    "invited",
    "open_draft",
]

DRAFT_REVISION = 0


def invited(
    session: Session, *, unit_ids: list[int], now: datetime
) -> list[tuple[Conference, Unit]]:
    """The conferences whose invitation has gone out to these units and that have not begun."""
    if not unit_ids:
        return []
    query = (
        select(Conference, Unit)
        .join(ClusterUnit, col(ClusterUnit.cluster_id) == Conference.cluster_id)
        .join(Unit, col(Unit.id) == ClusterUnit.unit_id)
        .where(
            col(ClusterUnit.unit_id).in_(unit_ids),
            Conference.state == "scheduled",
            col(Conference.invite_at) <= now,
            col(Conference.starts_at) > now,
        )
        .order_by(col(Conference.starts_at), col(Conference.id), col(ClusterUnit.position))
    )
    return [(conference, unit) for conference, unit in session.exec(query).all()]


def draft_of(session: Session, *, conference_id: int, unit_id: int) -> Registration | None:
    """The unit's draft for the conference, if one is open."""
    return session.exec(
        select(Registration).where(
            Registration.conference_id == conference_id,
            Registration.unit_id == unit_id,
            Registration.revision == DRAFT_REVISION,
            col(Registration.confirmed_at).is_(None),
        )
    ).first()


def open_draft(
    session: Session,
    *,
    conference: Conference,
    unit_id: int,
    pending: dict[str, Any],
    now: datetime,
) -> Registration:
    """The unit's draft, created with `pending` when there is none (two focal points at once
    share one)."""
    ident = require_id(conference)
    existing = draft_of(session, conference_id=ident, unit_id=unit_id)
    if existing is not None:
        return existing
    row = Registration(
        conference_id=ident,
        unit_id=unit_id,
        revision=DRAFT_REVISION,
        pending=pending,
        started_by_person_id=pending.get("holder"),
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another focal point of the unit opened it a moment ago
        found = draft_of(session, conference_id=ident, unit_id=unit_id)
        assert found is not None
        return found
    return row


def held_by(session: Session, *, person_id: int) -> Registration | None:
    """The open draft whose questions the person is answering now (`pending["holder"]`)."""
    query = select(Registration).where(
        Registration.revision == DRAFT_REVISION,
        col(Registration.confirmed_at).is_(None),
        col(Registration.pending)["holder"].as_integer() == person_id,
    )
    return session.exec(query.order_by(col(Registration.id).desc())).first()


def delegates_of(session: Session, registration_id: int) -> list[Delegate]:
    """A registration's delegates, the head of delegation first."""
    query = select(Delegate).where(Delegate.registration_id == registration_id)
    return list(session.exec(query.order_by(col(Delegate.position))).all())


def add_delegate(session: Session, draft: Registration, full_name: str) -> Delegate:
    """The next delegate of the draft, by name; the first is the head of delegation."""
    position = session.exec(select(func.count()).where(Delegate.registration_id == draft.id)).one()
    delegate = Delegate(
        registration_id=require_id(draft),
        position=position,
        full_name=full_name,
        role=HEAD if position == 0 else MEMBER,
    )
    session.add(delegate)
    session.flush()
    return delegate


def clear_draft(session: Session, draft: Registration) -> None:
    """Forget what the draft says, to answer again from the first question."""
    session.execute(delete(Delegate).where(col(Delegate.registration_id) == draft.id))
    draft.attends, draft.reason = None, None
    session.add(draft)


def answer_of(session: Session, *, conference: Conference, unit_id: int) -> UnitRegistration | None:
    """The unit's latest confirmed answer to the invitation, if it has given one."""
    for unit in registration_states(session, conference=conference):
        if unit.unit_id == unit_id:
            return unit if unit.state is not RegistrationState.NONE else None
    return None


def confirm_draft(
    session: Session,
    *,
    draft: Registration,
    conference: Conference,
    person_id: int,
    actor: str,
    now: datetime,
) -> Registration:
    """The draft becomes the unit's next confirmed revision; the change is audited."""
    before = answer_of(session, conference=conference, unit_id=draft.unit_id)
    latest = session.exec(
        select(func.max(Registration.revision)).where(
            Registration.conference_id == draft.conference_id,
            Registration.unit_id == draft.unit_id,
        )
    ).one()
    draft.revision = (latest or 0) + 1
    draft.confirmed_at, draft.confirmed_by_person_id, draft.confirmed_by = now, person_id, actor
    draft.pending = None
    session.add(draft)
    delegates = delegates_of(session, require_id(draft))
    unit = session.get(Unit, draft.unit_id)
    record_event(
        session,
        actor=actor,
        action="conference.register",
        entity="registration",
        entity_key=f"{conference.code}/{unit.code if unit else draft.unit_id}",
        before=None if before is None else {"revision": before.revision},
        after={
            "revision": draft.revision,
            "attends": draft.attends,
            "reason": draft.reason,
            "delegates": [[d.full_name, d.job_title] for d in delegates],
        },
    )
    session.flush()
    return draft
