"""Conferences as the bot reads them: due ones, who answered, delegates, who is present."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from bot.domain.tally import Turnout
from bot.storage.audit import record_event
from bot.storage.conference_tables import (
    AgendaEntry,
    Attendance,
    Conference,
    ConferenceVote,
    Delegate,
    Registration,
)
from bot.storage.models import ClusterUnit, Period, Unit, member_in
from bot.storage.types import require_id

__all__ = [
    "ATTENDANCE_STATUSES",
    "AttendanceCount",
    "DelegateEntry",
    "DelegateRow",
    "RegistrationState",
    "UnitRegistration",
    "agenda_of",
    "attendance_counts",
    "conference_by_code",
    "conference_units",
    "conference_year",
    "conferences_of",
    "confirm_registration",
    "delegates_list",
    "due_conferences",
    "registration_states",
    "set_attendance",
    "votes_of",
]

HEAD, MEMBER = "head", "member"
ATTENDANCE_STATUSES = ("present", "absent", "excused")  # có mặt, vắng mặt, vắng có lý do


class RegistrationState(StrEnum):
    """A unit's answer to the invitation, by its latest confirmed registration."""

    ATTENDING = "attending"
    NOT_ATTENDING = "not_attending"
    NONE = "none"  # not answered (a draft does not count)


@dataclass(frozen=True)
class DelegateEntry:
    """A delegate as typed: full name and position (chức vụ); the role comes from the order."""

    full_name: str
    job_title: str = ""
    role: str = MEMBER
    present: bool = False


@dataclass(frozen=True)
class UnitRegistration:
    """Where one unit of the cluster stands with the invitation."""

    unit_id: int
    unit_code: str
    unit_name: str
    state: RegistrationState
    reason: str | None = None
    confirmed_at: datetime | None = None
    revision: int | None = None
    delegates: tuple[DelegateEntry, ...] = ()

    @property
    def answered(self) -> bool:
        return self.state is not RegistrationState.NONE

    @property
    def head(self) -> DelegateEntry | None:
        """The head of delegation (trưởng đoàn), when the unit attends."""
        return next((d for d in self.delegates if d.role == HEAD), None)


@dataclass(frozen=True)
class DelegateRow:
    """One line of the list of delegates (danh sách đại biểu)."""

    unit_code: str
    unit_name: str
    full_name: str
    job_title: str
    role: str
    present: bool


@dataclass(frozen=True)
class AttendanceCount:
    """How many of the cluster's units are present, absent, excused or not marked yet."""

    members: int
    present: int = 0
    absent: int = 0
    excused: int = 0

    @property
    def unmarked(self) -> int:
        return self.members - self.present - self.absent - self.excused

    @property
    def turnout(self) -> Turnout:
        """What a vote's quorum and base are counted from."""
        return Turnout(members=self.members, present=self.present)


def conferences_of(session: Session, *, cluster_id: int) -> list[Conference]:
    """A cluster's conferences, soonest first."""
    query = select(Conference).where(Conference.cluster_id == cluster_id)
    return list(session.exec(query.order_by(col(Conference.starts_at), col(Conference.id))))


def conference_by_code(session: Session, *, code: str) -> Conference | None:
    return session.exec(select(Conference).where(Conference.code == code)).first()


def due_conferences(session: Session, *, now: datetime) -> list[Conference]:
    """Scheduled conferences between their invitation and their start: something may be due."""
    query = select(Conference).where(
        Conference.state == "scheduled", Conference.invite_at <= now, Conference.starts_at > now
    )
    return list(session.exec(query.order_by(col(Conference.starts_at), col(Conference.id))))


def agenda_of(session: Session, *, conference_id: int) -> list[AgendaEntry]:
    query = select(AgendaEntry).where(AgendaEntry.conference_id == conference_id)
    return list(session.exec(query.order_by(col(AgendaEntry.position))))


def votes_of(session: Session, *, conference_id: int) -> list[ConferenceVote]:
    query = select(ConferenceVote).where(ConferenceVote.conference_id == conference_id)
    return list(session.exec(query.order_by(col(ConferenceVote.position))))


def conference_year(session: Session, conference: Conference) -> int:
    """The year a conference reviews: its period's, else the local year it is held in."""
    period = session.get(Period, conference.period_id) if conference.period_id else None
    if period is not None:
        return period.year
    return conference.starts_at.astimezone(ZoneInfo(conference.timezone)).year


def conference_units(session: Session, conference: Conference) -> list[Unit]:
    """The units of the conference's cluster in its year, in the set-up's order: a unit
    merged away or gone to another cluster before that year is not called, counted or asked."""
    query = (
        select(Unit)
        .join(ClusterUnit, col(ClusterUnit.unit_id) == Unit.id)
        .where(ClusterUnit.cluster_id == conference.cluster_id)
        .where(member_in(conference_year(session, conference)))
        .order_by(col(ClusterUnit.position), col(Unit.id))
    )
    return list(session.exec(query))


def _latest_confirmed(session: Session, conference_id: int) -> dict[int, Registration]:
    """Unit id -> its latest confirmed registration; earlier ones stay for the record."""
    query = select(Registration).where(
        Registration.conference_id == conference_id, col(Registration.confirmed_at).is_not(None)
    )
    latest: dict[int, Registration] = {}
    for row in session.exec(query.order_by(col(Registration.revision))):
        latest[row.unit_id] = row
    return latest


def _delegates(session: Session, registration_ids: Sequence[int]) -> dict[int, list[Delegate]]:
    query = select(Delegate).where(col(Delegate.registration_id).in_(registration_ids))
    by_registration: dict[int, list[Delegate]] = {}
    for row in session.exec(query.order_by(col(Delegate.position))):
        by_registration.setdefault(row.registration_id, []).append(row)
    return by_registration


def registration_states(session: Session, *, conference: Conference) -> list[UnitRegistration]:
    """Every unit of the conference's cluster, in the set-up's order, with its answer."""
    latest = _latest_confirmed(session, require_id(conference))
    delegates = _delegates(session, [require_id(row) for row in latest.values()])
    return [
        _state_of(unit, latest.get(require_id(unit)), delegates)
        for unit in conference_units(session, conference)
    ]


def _state_of(
    unit: Unit, row: Registration | None, delegates: dict[int, list[Delegate]]
) -> UnitRegistration:
    if row is None:
        return UnitRegistration(require_id(unit), unit.code, unit.name, RegistrationState.NONE)
    entries = tuple(
        DelegateEntry(d.full_name, d.job_title, d.role, d.present)
        for d in delegates.get(require_id(row), [])
    )
    return UnitRegistration(
        unit_id=require_id(unit),
        unit_code=unit.code,
        unit_name=unit.name,
        state=RegistrationState.ATTENDING if row.attends else RegistrationState.NOT_ATTENDING,
        reason=row.reason,
        confirmed_at=row.confirmed_at,
        revision=row.revision,
        delegates=entries,
    )


def delegates_list(session: Session, *, conference: Conference) -> list[DelegateRow]:
    """The delegates of every attending unit, units in the set-up's order, heads first."""
    return [
        DelegateRow(unit.unit_code, unit.unit_name, d.full_name, d.job_title, d.role, d.present)
        for unit in registration_states(session, conference=conference)
        if unit.state is RegistrationState.ATTENDING
        for d in unit.delegates
    ]


def attendance_counts(session: Session, *, conference: Conference) -> AttendanceCount:
    """Present, absent and excused units among the cluster's members."""
    members = [require_id(unit) for unit in conference_units(session, conference)]
    query = (
        select(Attendance.status, func.count())
        .where(Attendance.conference_id == conference.id, col(Attendance.unit_id).in_(members))
        .group_by(col(Attendance.status))
    )
    counts = dict(session.exec(query).all())
    return AttendanceCount(
        members=len(members),
        present=counts.get("present", 0),
        absent=counts.get("absent", 0),
        excused=counts.get("excused", 0),
    )


def confirm_registration(
    session: Session,
    *,
    conference: Conference,
    unit_id: int,
    attends: bool,
    delegates: Sequence[DelegateEntry] = (),
    reason: str | None = None,
    person_id: int | None = None,
    actor: str,
    now: datetime,
) -> Registration:
    """A new confirmed revision of the unit's answer (the head of delegation listed first);
    earlier revisions are kept. The conversation checks the input before it gets here."""
    if attends and not 1 <= len(delegates) <= conference.max_delegates:
        raise ValueError(f"an attending unit sends 1 to {conference.max_delegates} delegates")
    if not attends and delegates:
        raise ValueError("a unit that does not attend sends no delegates")
    row = Registration(
        conference_id=require_id(conference),
        unit_id=unit_id,
        revision=_next_revision(session, require_id(conference), unit_id),
        attends=attends,
        reason=None if attends else reason,
        started_by_person_id=person_id,
        confirmed_by_person_id=person_id,
        confirmed_by=actor,
        created_at=now,
        confirmed_at=now,
    )
    session.add(row)
    session.flush()
    for position, entry in enumerate(delegates):
        session.add(_delegate(require_id(row), position, entry))
    record_event(
        session,
        actor=actor,
        action="conference.register",
        entity="registration",
        entity_key=f"{conference.code}/{_unit_code(session, unit_id)}",
        after={
            "revision": row.revision,
            "attends": attends,
            "reason": row.reason,
            "delegates": [[d.full_name, d.job_title] for d in delegates],
        },
    )
    return row


def _next_revision(session: Session, conference_id: int, unit_id: int) -> int:
    latest = session.exec(
        select(func.max(Registration.revision)).where(
            Registration.conference_id == conference_id, Registration.unit_id == unit_id
        )
    ).one()
    return (latest or 0) + 1


def _delegate(registration_id: int, position: int, entry: DelegateEntry) -> Delegate:
    """The first listed is the head of delegation (trưởng đoàn)."""
    return Delegate(
        registration_id=registration_id,
        position=position,
        full_name=entry.full_name,
        job_title=entry.job_title,
        role=HEAD if position == 0 else MEMBER,
    )


def set_attendance(
    session: Session,
    *,
    conference: Conference,
    unit_id: int,
    status: str,
    reason: str | None = None,
    person_id: int | None = None,
    actor: str,
    now: datetime,
) -> Attendance:
    """Mark a unit present, absent or excused (with a reason); the change is audited."""
    if status not in ATTENDANCE_STATUSES:
        raise ValueError(f"attendance is one of {ATTENDANCE_STATUSES}, not {status!r}")
    row = session.exec(
        select(Attendance).where(
            Attendance.conference_id == conference.id, Attendance.unit_id == unit_id
        )
    ).first()
    before = None if row is None else {"status": row.status, "reason": row.reason}
    if row is None:
        row = Attendance(conference_id=require_id(conference), unit_id=unit_id, status=status)
        session.add(row)
    row.status, row.reason = status, reason
    row.set_by_person_id, row.set_by, row.set_at = person_id, actor, now
    record_event(
        session,
        actor=actor,
        action="conference.attendance",
        entity="attendance",
        entity_key=f"{conference.code}/{_unit_code(session, unit_id)}",
        before=before,
        after={"status": status, "reason": reason},
    )
    session.flush()
    return row


def _unit_code(session: Session, unit_id: int) -> str:
    unit = session.get(Unit, unit_id)
    return unit.code if unit else str(unit_id)
