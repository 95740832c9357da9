"""Who a notice goes to: a period's clusters, their reachable groups, members and chairs."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.storage.models import (
    Cluster,
    ClusterLeadership,
    GroupChat,
    Membership,
    PeriodCluster,
    Person,
)

__all__ = [
    "chair_people",
    "clusters_of",
    "groups_of",
    "groups_of_clusters",
    "members",
    "members_of_units",
]


def clusters_of(session: Session, period_id: int) -> list[Cluster]:
    """The clusters taking part in the period."""
    return list(
        session.exec(
            select(Cluster)
            .join(PeriodCluster, col(PeriodCluster.cluster_id) == Cluster.id)
            .where(PeriodCluster.period_id == period_id)
            .order_by(col(Cluster.id))
        ).all()
    )


def groups_of(session: Session, cluster_id: int) -> list[GroupChat]:
    """The cluster's bound groups that can still be reached."""
    return list(
        session.exec(
            select(GroupChat).where(
                GroupChat.cluster_id == cluster_id, col(GroupChat.unreachable_at).is_(None)
            )
        ).all()
    )


def groups_of_clusters(session: Session, cluster_ids: list[int]) -> dict[int, list[GroupChat]]:
    """`groups_of` several clusters in one query: cluster id -> its reachable groups."""
    found: dict[int, list[GroupChat]] = {}
    for group in session.exec(
        select(GroupChat).where(
            col(GroupChat.cluster_id).in_(cluster_ids), col(GroupChat.unreachable_at).is_(None)
        )
    ).all():
        found.setdefault(group.cluster_id or 0, []).append(group)
    return found


def members(session: Session, unit_id: int) -> list[Person]:
    """The unit's active members who can still be reached."""
    return list(
        session.exec(
            select(Person)
            .join(Membership, col(Membership.person_id) == Person.id)
            .where(
                Membership.unit_id == unit_id,
                col(Membership.revoked_at).is_(None),
                col(Person.unreachable_at).is_(None),
            )
            .order_by(col(Person.id))
        ).all()
    )


def members_of_units(session: Session, unit_ids: list[int]) -> dict[int, list[Person]]:
    """`members` of several units in one query: unit id -> its reachable people."""
    if not unit_ids:
        return {}
    rows = session.exec(
        select(Membership.unit_id, Person)
        .join(Person, col(Membership.person_id) == Person.id)
        .where(
            col(Membership.unit_id).in_(unit_ids),
            col(Membership.revoked_at).is_(None),
            col(Person.unreachable_at).is_(None),
        )
        .order_by(col(Person.id))
    ).all()
    people: dict[int, list[Person]] = {}
    for unit_id, person in rows:
        people.setdefault(unit_id, []).append(person)
    return people


def chair_people(session: Session, cluster_id: int, year: int) -> list[Person]:
    """The members of the cluster's chair unit for the year."""
    chair = session.exec(
        select(ClusterLeadership.chair_unit_id).where(
            ClusterLeadership.cluster_id == cluster_id, ClusterLeadership.year == year
        )
    ).first()
    return members(session, chair) if chair is not None else []
