"""Check-in at a conference: a unit's member marks the unit present and themself a delegate."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, func, select

from bot.storage.audit import record_event
from bot.storage.conference_tables import Attendance, Conference, Delegate, Registration
from bot.storage.conferences import DelegateEntry, confirm_registration, set_attendance
from bot.storage.models import ClusterUnit, Membership, Person, Unit
from bot.storage.types import require_id

__all__ = ["Presence", "attendance_of", "mark_present", "units_of_person_in"]


class Presence(StrEnum):
    """What a press of «Có mặt» changed."""

    UNIT = "unit"  # the unit was not marked present before
    PERSON = "person"  # the unit was present; this person joins its delegates present
    SAME = "same"  # both were recorded already


def units_of_person_in(session: Session, *, person_id: int, cluster_id: int) -> list[Unit]:
    """The cluster's units the person is an active member of, in the set-up's order."""
    query = (
        select(Unit)
        .join(Membership, col(Membership.unit_id) == Unit.id)
        .join(ClusterUnit, col(ClusterUnit.unit_id) == Unit.id)
        .where(
            Membership.person_id == person_id,
            col(Membership.revoked_at).is_(None),
            ClusterUnit.cluster_id == cluster_id,
        )
        .order_by(col(ClusterUnit.position))
    )
    return list(session.exec(query).unique())


def attendance_of(session: Session, *, conference: Conference) -> dict[int, Attendance]:
    """Unit id -> what is recorded about it (present, absent, excused)."""
    query = select(Attendance).where(Attendance.conference_id == conference.id)
    return {row.unit_id: row for row in session.exec(query)}


def mark_present(
    session: Session,
    *,
    conference: Conference,
    unit: Unit,
    person: Person,
    actor: str,
    now: datetime,
) -> Presence:
    """The unit present, the person among its delegates present; pressing again changes nothing."""
    unit_id = require_id(unit)
    row = attendance_of(session, conference=conference).get(unit_id)
    unit_was_present = row is not None and row.status == "present"
    if not unit_was_present:
        set_attendance(
            session,
            conference=conference,
            unit_id=unit_id,
            status="present",
            person_id=person.id,
            actor=actor,
            now=now,
        )
    delegate = _delegate_for(session, conference, unit_id, person, actor, now)
    if delegate.present and unit_was_present:
        return Presence.SAME
    delegate.present, delegate.person_id = True, person.id
    session.add(delegate)
    record_event(
        session,
        actor=actor,
        action="conference.checkin",
        entity="attendance",
        entity_key=f"{conference.code}/{unit.code}",
        after={"delegate": delegate.full_name},
    )
    session.flush()
    return Presence.UNIT if not unit_was_present else Presence.PERSON


def _delegate_for(
    session: Session,
    conference: Conference,
    unit_id: int,
    person: Person,
    actor: str,
    now: datetime,
) -> Delegate:
    """The person's row among the unit's delegates: theirs, one of their name, or a new one."""
    registration = _attending(session, conference, unit_id)
    if registration is None:
        # Not registered (or said no) and came all the same: the check-in is the answer.
        registration = confirm_registration(
            session,
            conference=conference,
            unit_id=unit_id,
            attends=True,
            delegates=[DelegateEntry(person.full_name or str(person.telegram_id))],
            person_id=person.id,
            actor=actor,
            now=now,
        )
    delegates = list(
        session.exec(
            select(Delegate)
            .where(Delegate.registration_id == registration.id)
            .order_by(col(Delegate.position))
        )
    )
    mine = next((d for d in delegates if d.person_id == person.id), None)
    named = next((d for d in delegates if d.person_id is None and _same(d.full_name, person)), None)
    return mine or named or _walk_in(session, require_id(registration), person)


def _attending(session: Session, conference: Conference, unit_id: int) -> Registration | None:
    """The unit's latest confirmed registration, if it says the unit attends."""
    latest = session.exec(
        select(Registration)
        .where(
            Registration.conference_id == conference.id,
            Registration.unit_id == unit_id,
            col(Registration.confirmed_at).is_not(None),
        )
        .order_by(col(Registration.revision).desc())
    ).first()
    return latest if latest is not None and latest.attends else None


def _same(full_name: str, person: Person) -> bool:
    """The same name in either order: a delegation types "Lan Nguyễn", Telegram or /profile
    gives "Nguyễn Lan"; each word once, case and Unicode form aside."""

    def words(text: str) -> list[str]:
        return sorted(unicodedata.normalize("NFC", text).casefold().split())

    return bool(person.full_name) and words(full_name) == words(person.full_name)


def _walk_in(session: Session, registration_id: int, person: Person) -> Delegate:
    """A delegate added at the door, after those registered."""
    top = session.exec(
        select(func.max(Delegate.position)).where(Delegate.registration_id == registration_id)
    ).one()
    return Delegate(
        registration_id=registration_id,
        position=(top if top is not None else -1) + 1,
        full_name=(person.full_name or str(person.telegram_id))[:200],
        role="member",
    )
