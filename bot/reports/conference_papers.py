"""A stored conference as its papers name it: the invitation and the minutes, ready to write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.documents import (
    AgendaItem,
    Attendance,
    Conference,
    Delegate,
    Invitation,
    Minutes,
    Participant,
    VoteTally,
    invitation_docx,
    invitation_file_name,
    minutes_docx,
    minutes_file_name,
)
from bot.reports.draft import letterhead_of
from bot.storage import conference_tables as stored
from bot.storage.conferences import (
    AttendanceCount,
    RegistrationState,
    UnitRegistration,
    agenda_of,
    attendance_counts,
    registration_states,
    votes_of,
)
from bot.storage.models import Cluster, ClusterUnit, Unit
from bot.storage.types import require_id
from bot.storage.vote_results import vote_tallies
from bot.storage.votes import CLOSED

__all__ = [
    "INVITATION_RENDER",
    "invitation_draft",
    "invitation_render",
    "minutes_draft",
    "minutes_of",
    "named",
    "paper_conference",
    "unheld_tallies",
]


def named(text: str | None) -> Participant:
    """`Nguyễn Văn An, Chủ tịch UBND xã` as a name and a position; None: nobody yet."""
    if not text:
        return Participant()
    name, _comma, position = text.partition(",")
    return Participant(name.strip(), position.strip())


def paper_conference(session: Session, conference: stored.Conference) -> Conference:
    """The conference with its cluster's letterhead (its own place name first), local times."""
    cluster = session.get(Cluster, conference.cluster_id)
    assert cluster is not None  # a conference belongs to a cluster (foreign key)
    units = _unit_names(session, conference.cluster_id)
    zone = ZoneInfo(conference.timezone)
    host = session.get(Unit, conference.host_unit_id) if conference.host_unit_id else None
    return Conference(
        code=conference.code,
        name=conference.name,
        kind=conference.kind,
        cluster_name=cluster.name,
        letterhead=letterhead_of(cluster, place_name=conference.place_name),
        starts=_local(conference.starts_at, zone),
        place=conference.place,
        host=host.name if host else "",
        ends=_local(conference.ends_at, zone) if conference.ends_at else None,
        agenda=_agenda(session, conference, units),
        units=tuple(units.values()),
        rsvp_by=_local(conference.rsvp_by, zone),
        delegates_per_unit=conference.max_delegates,
    )


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The wall-clock time at the conference's place, as its papers write it."""
    return moment.astimezone(zone).replace(tzinfo=None)


def _unit_names(session: Session, cluster_id: int) -> dict[int, str]:
    """Unit id -> name, the cluster's members in the set-up's order."""
    query = (
        select(Unit.id, Unit.name)
        .join(ClusterUnit, col(ClusterUnit.unit_id) == Unit.id)
        .where(ClusterUnit.cluster_id == cluster_id)
        .order_by(col(ClusterUnit.position))
    )
    return {unit_id: name for unit_id, name in session.exec(query) if unit_id is not None}


def _agenda(
    session: Session, conference: stored.Conference, names: dict[int, str]
) -> tuple[AgendaItem, ...]:
    """The items in order, presenting units by name (the cluster's own units)."""
    entries = agenda_of(session, conference_id=require_id(conference))
    return tuple(
        AgendaItem(
            entry.title,
            entry.at or "",
            names.get(entry.presenter_unit_id, "") if entry.presenter_unit_id else "",
            vote=entry.kind == "vote",
        )
        for entry in entries
    )


def minutes_of(session: Session, conference: stored.Conference) -> Minutes:
    """What the minutes write: attendance, chair and secretary, the votes as counted."""
    return Minutes(
        conference=paper_conference(session, conference),
        attendance=_attendance(session, conference),
        chaired_by=named(conference.chaired_by),
        secretary=named(conference.minutes_by),
        votes=_tallies(session, conference),
    )


def _tallies(session: Session, conference: stored.Conference) -> tuple[VoteTally, ...]:
    """Each vote in order: its count once closed (the vote code's), else its conditions."""
    counts = attendance_counts(session, conference=conference)
    counted: dict[str, list[VoteTally]] = {}
    for tally in vote_tallies(session, require_id(conference)):  # closed votes, in order
        counted.setdefault(tally.title, []).append(tally)
    tallies = []
    for vote in votes_of(session, conference_id=require_id(conference)):
        done = counted.get(vote.title) if vote.state == CLOSED else None
        tallies.append(done.pop(0) if done else unheld_tallies([vote], counts)[0])
    return tuple(tallies)


def _attendance(session: Session, conference: stored.Conference) -> tuple[Attendance, ...]:
    """Each member unit as marked; a unit that declined the invitation is excused."""
    rows = session.exec(
        select(stored.Attendance).where(stored.Attendance.conference_id == conference.id)
    )
    marked = {row.unit_id: row for row in rows}
    return tuple(
        _unit_attendance(unit, marked.get(unit.unit_id))
        for unit in registration_states(session, conference=conference)
    )


def _unit_attendance(unit: UnitRegistration, row: stored.Attendance | None) -> Attendance:
    declined = unit.state is RegistrationState.NOT_ATTENDING
    if row is None and declined:
        return Attendance(unit.unit_name, "excused", reason=unit.reason or "")
    if row is None:
        return Attendance(unit.unit_name, "unknown")
    if row.status == "present":
        return Attendance(unit.unit_name, "present", delegates=_delegates(unit))
    if row.status == "excused":
        return Attendance(unit.unit_name, "excused", reason=row.reason or unit.reason or "")
    return Attendance(unit.unit_name, "absent")


def _delegates(unit: UnitRegistration) -> tuple[Delegate, ...]:
    """Those checked in, or else the delegation as registered."""
    came = [d for d in unit.delegates if d.present] or list(unit.delegates)
    return tuple(Delegate(d.full_name, d.job_title, head=d.role == "head") for d in came)


def unheld_tallies(
    votes: Sequence[stored.ConferenceVote], counts: AttendanceCount
) -> tuple[VoteTally, ...]:
    """Votes not held yet: their conditions without a count."""
    return tuple(
        VoteTally(
            title=vote.title,
            rows=(),
            units_total=counts.members,
            units_present=counts.present,
            ballots=0,
            threshold=vote.threshold,
            base="all" if vote.base == "all" else "present",
            quorum=vote.quorum,
            quorum_met=False,
            secret=vote.secret,
            held=False,
        )
        for vote in votes
    )


def minutes_draft(
    session: Session, *, conference: stored.Conference, locale: str = "vi"
) -> tuple[str, bytes]:
    """The file name for people and the .docx of the conference's minutes."""
    content = minutes_docx(minutes_of(session, conference), locale=locale)
    return minutes_file_name(conference.code), content


def invitation_draft(
    session: Session, *, conference: stored.Conference, locale: str = "vi"
) -> tuple[str, bytes]:
    """The file name for people and the .docx of the invitation, dated the day it goes out."""
    paper = paper_conference(session, conference)
    dated = conference.invite_at.astimezone(ZoneInfo(conference.timezone)).date()
    content = invitation_docx(Invitation(paper, dated), locale=locale)
    return invitation_file_name(conference.code), content


INVITATION_RENDER = "invitation"


def invitation_render(conference_id: int, locale: str) -> dict[str, Any]:
    """The `_render` of a `sendDocument` outbox message attaching the giấy mời: the sender
    writes it when it sends (scheduler/render.py), so it shows the conference as it is then."""
    return {"kind": INVITATION_RENDER, "conference_id": conference_id, "locale": locale}
