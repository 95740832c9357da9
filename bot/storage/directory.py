"""Who and what there is: clusters, units, periods, leaders, members, groups, the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from bot.storage.models import (
    Answer,
    AuditEvent,
    Cluster,
    ClusterLeadership,
    ClusterUnit,
    GroupChat,
    Indicator,
    Membership,
    Period,
    PeriodCluster,
    Person,
    Submission,
    Unit,
    UnitLock,
    member_in,
)
from bot.storage.submissions import indicators_for

__all__ = [
    "CHAIR",
    "LEADER_COLUMNS",
    "VICE_CHAIR",
    "Member",
    "active_members",
    "admin_people",
    "awaits_file",
    "chaired_by",
    "clusters",
    "clusters_of_period",
    "groups_of_cluster",
    "leader_people",
    "leaders_of",
    "leadership",
    "periods",
    "periods_of_cluster",
    "person_by_handle",
    "recent_events",
    "unit_lock",
    "units_of_cluster",
]

CHAIR, VICE_CHAIR = "chair", "vice_chair"
LEADER_COLUMNS = {CHAIR: "chair_unit_id", VICE_CHAIR: "vice_chair_unit_id"}


@dataclass(frozen=True)
class Member:
    """A person's active role in a unit."""

    membership: Membership
    person: Person
    unit: Unit


def clusters(session: Session) -> list[Cluster]:
    """Every cluster, by code."""
    return list(session.exec(select(Cluster).order_by(col(Cluster.code))).all())


def units_of_cluster(session: Session, cluster_id: int, year: int | None = None) -> list[Unit]:
    """The cluster's units in set-up order (members in `year`, if given; else all it had)."""
    query = (
        select(Unit)
        .join(ClusterUnit, col(ClusterUnit.unit_id) == Unit.id)
        .where(ClusterUnit.cluster_id == cluster_id)
    )
    if year is not None:
        query = query.where(member_in(year))
    return list(session.exec(query.order_by(col(ClusterUnit.position), col(Unit.id))).all())


def periods(session: Session) -> list[Period]:
    """Every period, the latest deadline first."""
    return list(
        session.exec(select(Period).order_by(col(Period.deadline_at).desc(), col(Period.id)))
    )


def periods_of_cluster(session: Session, cluster_id: int) -> list[Period]:
    """The periods a cluster reports in, the latest deadline first."""
    return list(
        session.exec(
            select(Period)
            .join(PeriodCluster, col(PeriodCluster.period_id) == Period.id)
            .where(PeriodCluster.cluster_id == cluster_id)
            .order_by(col(Period.deadline_at).desc(), col(Period.id))
        ).all()
    )


def clusters_of_period(session: Session, period_id: int) -> list[Cluster]:
    """The clusters reporting in a period, by code."""
    return list(
        session.exec(
            select(Cluster)
            .join(PeriodCluster, col(PeriodCluster.cluster_id) == Cluster.id)
            .where(PeriodCluster.period_id == period_id)
            .order_by(col(Cluster.code))
        ).all()
    )


def leadership(session: Session, cluster_id: int, year: int) -> ClusterLeadership | None:
    """The chair and vice-chair units of a cluster for a year."""
    return session.exec(
        select(ClusterLeadership).where(
            ClusterLeadership.cluster_id == cluster_id, ClusterLeadership.year == year
        )
    ).first()


def leaders_of(session: Session, cluster_id: int, year: int) -> dict[str, Unit]:
    """`chair` / `vice_chair` -> unit, for the roles that are filled."""
    row = leadership(session, cluster_id, year)
    if row is None:
        return {}
    found = {}
    for role, column in LEADER_COLUMNS.items():
        unit_id = getattr(row, column)
        unit = session.get(Unit, unit_id) if unit_id is not None else None
        if unit is not None:
            found[role] = unit
    return found


def chaired_by(session: Session, person_id: int) -> frozenset[tuple[int, int]]:
    """(cluster id, year) for which the person's unit is chair or vice-chair."""
    units = select(Membership.unit_id).where(
        Membership.person_id == person_id, col(Membership.revoked_at).is_(None)
    )
    rows = session.exec(
        select(ClusterLeadership.cluster_id, ClusterLeadership.year).where(
            or_(
                col(ClusterLeadership.chair_unit_id).in_(units),
                col(ClusterLeadership.vice_chair_unit_id).in_(units),
            )
        )
    ).all()
    return frozenset((cluster_id, year) for cluster_id, year in rows)


def active_members(session: Session, unit_ids: list[int]) -> list[Member]:
    """The active members of these units, unit by unit, in the order they joined."""
    rows = session.exec(
        select(Membership, Person, Unit)
        .join(Person, col(Person.id) == Membership.person_id)
        .join(Unit, col(Unit.id) == Membership.unit_id)
        .where(col(Membership.unit_id).in_(unit_ids), col(Membership.revoked_at).is_(None))
        .order_by(col(Membership.unit_id), col(Membership.id))
    ).all()
    return [Member(membership, person, unit) for membership, person, unit in rows]


def leader_people(session: Session, *, since_year: int) -> list[Person]:
    """People of chair and vice-chair units from `since_year` on, for their command menus."""
    leaders = select(ClusterLeadership).where(ClusterLeadership.year >= since_year)
    unit_ids = set()
    for row in session.exec(leaders):
        unit_ids |= {row.chair_unit_id, row.vice_chair_unit_id} - {None}
    members = active_members(session, [unit_id for unit_id in unit_ids if unit_id is not None])
    return list({member.person.id: member.person for member in members}.values())


def admin_people(session: Session) -> list[Person]:
    """People made admins in the database (`thidua admin add`)."""
    return list(session.exec(select(Person).where(col(Person.is_admin))).all())


def person_by_handle(session: Session, handle: str) -> Person | None:
    """A person by Telegram id (`1001`) or username (`@lan`)."""
    handle = handle.strip()
    if handle.lstrip("-").isdigit():
        return session.exec(select(Person).where(Person.telegram_id == int(handle))).first()
    name = handle.removeprefix("@").lower()
    for person in session.exec(select(Person).where(col(Person.username).is_not(None))):
        if (person.username or "").lower() == name:
            return person
    return None


def groups_of_cluster(session: Session, cluster_id: int) -> list[GroupChat]:
    """The groups bound to a cluster that the bot can still reach."""
    return list(
        session.exec(
            select(GroupChat).where(
                GroupChat.cluster_id == cluster_id, col(GroupChat.unreachable_at).is_(None)
            )
        ).all()
    )


def awaits_file(session: Session, person: Person) -> bool:
    """Whether the person's open draft is asking for a file right now."""
    draft = session.get(Submission, person.active_submission_id or 0)
    if draft is None or draft.status != "draft":
        return False
    period = session.get(Period, draft.period_id)
    cluster = session.exec(
        select(ClusterUnit.cluster_id)
        .join(PeriodCluster, col(PeriodCluster.cluster_id) == ClusterUnit.cluster_id)
        .where(ClusterUnit.unit_id == draft.unit_id, PeriodCluster.period_id == draft.period_id)
    ).first()
    if period is None or cluster is None:
        return False
    indicators = indicators_for(session, cluster_id=cluster, year=period.year)
    answered = set(
        session.exec(select(Answer.indicator_id).where(Answer.submission_id == draft.id)).all()
    )
    # The same rule as the conversation: a pending step, an edited question, or the first gap.
    chosen = (draft.pending or {}).get("indicator_id") or draft.cursor_indicator_id
    current: Indicator | None = next((i for i in indicators if i.id == chosen), None)
    current = current or next((i for i in indicators if i.id not in answered), None)
    return current is not None and current.kind == "file"


def unit_lock(session: Session, *, period_id: int, unit_id: int) -> UnitLock | None:
    """An admin's lock or unlock of one unit in a period, if any."""
    return session.exec(
        select(UnitLock).where(UnitLock.period_id == period_id, UnitLock.unit_id == unit_id)
    ).first()


def recent_events(session: Session, *, unit_code: str, limit: int = 20) -> list[AuditEvent]:
    """The latest audit events about a unit: its own, and those keyed `…/<unit>/…`."""
    key = col(AuditEvent.entity_key)
    return list(
        session.exec(
            select(AuditEvent)
            .where(
                or_(
                    key == unit_code,
                    key.endswith(f"/{unit_code}"),
                    key.contains(f"/{unit_code}/"),
                )
            )
            .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
            .limit(limit)
        ).all()
    )
