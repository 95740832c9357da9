"""What a unit is asked: the periods and clusters it reports in, its chair, the pledge's
indicators, its targets and its last values."""

from __future__ import annotations

from sqlalchemy import and_, bindparam
from sqlmodel import Session, col, select

from bot.storage.models import (
    Answer,
    Cluster,
    ClusterLeadership,
    ClusterUnit,
    Indicator,
    Period,
    PeriodCluster,
    Pledge,
    Submission,
    Target,
    Unit,
    UnitLock,
    member_in,
)

__all__ = [
    "chair_unit",
    "cluster_in_period",
    "cluster_of_unit",
    "indicators_for",
    "last_values",
    "periods_of_unit",
    "targets_for",
]

_PERIODS_OF_UNIT = (
    select(Period, Cluster, UnitLock.state)
    .join(PeriodCluster, col(PeriodCluster.period_id) == Period.id)
    .join(Cluster, col(Cluster.id) == PeriodCluster.cluster_id)
    .join(ClusterUnit, col(ClusterUnit.cluster_id) == Cluster.id)
    # At most one exception per period and unit (unique): no row is repeated.
    .outerjoin(
        UnitLock,
        and_(col(UnitLock.period_id) == Period.id, col(UnitLock.unit_id) == ClusterUnit.unit_id),
    )
    # A unit reports in the periods of the years it is a member (a merged unit's old
    # communes keep their past periods, and leave the later ones).
    .where(col(ClusterUnit.unit_id) == bindparam("unit_id"), member_in(Period.year))
    .order_by(col(Period.deadline_at), col(Period.id))
)


def cluster_in_period(session: Session, *, period_id: int, unit_id: int) -> Cluster | None:
    """The cluster in which the unit reports in the period."""
    return session.exec(
        select(Cluster)
        .join(PeriodCluster, col(PeriodCluster.cluster_id) == Cluster.id)
        .join(ClusterUnit, col(ClusterUnit.cluster_id) == Cluster.id)
        .join(Period, col(Period.id) == PeriodCluster.period_id)
        .where(
            PeriodCluster.period_id == period_id,
            ClusterUnit.unit_id == unit_id,
            member_in(Period.year),
        )
        .order_by(col(ClusterUnit.id))
    ).first()


def periods_of_unit(session: Session, unit_id: int) -> list[tuple[Period, Cluster, str | None]]:
    """Every period in which the unit reports, with the cluster it reports in and an admin's
    lock exception for the unit (`UnitLock.state`), oldest first."""
    rows = session.execute(_PERIODS_OF_UNIT, {"unit_id": unit_id}).all()
    return [(period, cluster, lock) for period, cluster, lock in rows]


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
