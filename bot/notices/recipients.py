"""Who a notice goes to: a period's clusters, their reachable groups, members and chairs."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from sqlmodel import Session, col, select

from bot.storage.models import (
    Cluster,
    ClusterLeadership,
    GroupChat,
    Membership,
    PeriodCluster,
    Person,
)

_CHUNK = 500  # ids per IN (…): well within every database's limit on parameters

__all__ = [
    "Reachable",
    "Reached",
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


class Reached(NamedTuple):
    """What a private message needs of a person: a tick writes to thousands."""

    id: int
    telegram_id: int
    language: str | None


def members_of_units(session: Session, unit_ids: list[int]) -> dict[int, list[Reached]]:
    """`members` of several units, a few hundred per query: unit id -> its reachable people."""
    people: dict[int, list[Reached]] = {}
    for start in range(0, len(unit_ids), _CHUNK):
        rows = session.exec(
            select(Membership.unit_id, Person.id, Person.telegram_id, Person.language)
            .join(Person, col(Membership.person_id) == Person.id)
            .where(
                col(Membership.unit_id).in_(unit_ids[start : start + _CHUNK]),
                col(Membership.revoked_at).is_(None),
                col(Person.unreachable_at).is_(None),
            )
            .order_by(col(Person.id))
        ).all()
        for unit_id, person_id, telegram_id, language in rows:
            people.setdefault(unit_id, []).append(Reached(person_id or 0, telegram_id, language))
    return people


def chair_people(session: Session, cluster_id: int, year: int) -> list[Person]:
    """The members of the cluster's chair unit for the year."""
    chair = session.exec(
        select(ClusterLeadership.chair_unit_id).where(
            ClusterLeadership.cluster_id == cluster_id, ClusterLeadership.year == year
        )
    ).first()
    return members(session, chair) if chair is not None else []


class Reachable:
    """The people a period's tick writes to in private: the owing units' members and each
    cluster's chair people, each read for every cluster in one go the first time one is
    asked for (a query per cluster is seconds of a national tick)."""

    def __init__(
        self, session: Session, *, unit_ids: Collection[int], cluster_ids: list[int], year: int
    ) -> None:
        self.session, self.year = session, year
        self._unit_ids, self._cluster_ids = sorted(unit_ids), cluster_ids
        self._people: dict[int, list[Reached]] | None = None
        self._chairs: dict[int, list[Reached]] | None = None

    def of_unit(self, unit_id: int) -> list[Reached]:
        """`members` of one of the units given."""
        if self._people is None:
            self._people = members_of_units(self.session, self._unit_ids)
        return self._people.get(unit_id, [])

    def chairs(self, cluster_id: int) -> list[Reached]:
        """`chair_people` of one of the clusters given, for the year."""
        if self._chairs is None:
            chairs: dict[int, int] = {}
            for start in range(0, len(self._cluster_ids), _CHUNK):
                rows = self.session.exec(
                    select(ClusterLeadership.cluster_id, ClusterLeadership.chair_unit_id).where(
                        col(ClusterLeadership.cluster_id).in_(
                            self._cluster_ids[start : start + _CHUNK]
                        ),
                        ClusterLeadership.year == self.year,
                    )
                ).all()
                chairs.update((cluster, unit) for cluster, unit in rows if unit is not None)
            people = members_of_units(self.session, sorted(set(chairs.values())))
            self._chairs = {cluster: people.get(unit, []) for cluster, unit in chairs.items()}
        return self._chairs.get(cluster_id, [])
