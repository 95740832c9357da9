"""Queries behind reports: a period's clusters, units, indicators, targets and latest figures."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, Subquery, and_, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

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

__all__ = [
    "AnswerRow",
    "RevisionRow",
    "cluster_by_code",
    "cluster_units",
    "latest_answers",
    "latest_revisions",
    "period_by_code",
    "period_clusters",
    "pledge_indicators",
    "pledge_targets",
    "submission_log",
]

# Every query here is one statement for the whole period (or one cluster of it), never one per
# unit: a province is 3,321 units and its export must stay a handful of round trips. The big
# ones use SQLAlchemy's own select (sqlmodel's typed overloads stop at four columns).


@dataclass(frozen=True, slots=True)
class RevisionRow:
    """The columns of one submitted revision that a report shows, with the submitter's name."""

    submission_id: int
    unit_id: int
    revision: int
    submitted_at: datetime | None
    late: bool
    returned_at: datetime | None
    returned_reason: str | None
    submitted_by: str | None


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """The columns of one answer that a report shows (no ORM object: there may be 100,000)."""

    submission_id: int
    indicator_id: int
    value: str | None
    value_number: float | None
    skipped: bool
    explanation: str | None
    flags: list[str]
    file_name: str | None


def period_by_code(session: Session, code: str) -> Period | None:
    """The period with this code, if any."""
    return session.exec(select(Period).where(Period.code == code)).first()


def cluster_by_code(session: Session, code: str) -> Cluster | None:
    """The cluster with this code, if any."""
    return session.exec(select(Cluster).where(Cluster.code == code)).first()


def period_clusters(
    session: Session, *, period_id: int, cluster_id: int | None = None
) -> list[Cluster]:
    """The clusters that report in the period (or just the one asked for), in set-up order."""
    query = (
        select(Cluster)
        .join(PeriodCluster, col(PeriodCluster.cluster_id) == Cluster.id)
        .where(PeriodCluster.period_id == period_id)
        .order_by(col(PeriodCluster.id))
    )
    if cluster_id is not None:
        query = query.where(Cluster.id == cluster_id)
    return list(session.exec(query).all())


def cluster_units(
    session: Session, *, cluster_ids: Sequence[int], year: int
) -> list[tuple[int, Unit]]:
    """(cluster id, unit) for every member of the clusters in the year, in set-up order."""
    rows = session.exec(
        select(ClusterUnit.cluster_id, Unit)
        .join(Unit, col(Unit.id) == ClusterUnit.unit_id)
        .where(col(ClusterUnit.cluster_id).in_(cluster_ids), member_in(year))
        .order_by(col(ClusterUnit.cluster_id), col(ClusterUnit.position), col(Unit.id))
    ).all()
    return [(cluster_id, unit) for cluster_id, unit in rows]


def pledge_indicators(
    session: Session, *, cluster_ids: Sequence[int], year: int
) -> list[tuple[int, Indicator]]:
    """(cluster id, indicator) for the active indicators of the clusters' pledges, in order."""
    rows = session.exec(
        select(Pledge.cluster_id, Indicator)
        .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
        .where(col(Pledge.cluster_id).in_(cluster_ids), Pledge.year == year, col(Indicator.active))
        .order_by(col(Pledge.cluster_id), col(Indicator.position), col(Indicator.id))
    ).all()
    return [(cluster_id, indicator) for cluster_id, indicator in rows]


def pledge_targets(
    session: Session, *, cluster_ids: Sequence[int], year: int
) -> list[tuple[int, int, str]]:
    """(unit id, indicator id, canonical target) for the clusters' pledges of the year."""
    rows = _rows(
        session,
        sa_select(col(Target.unit_id), col(Target.indicator_id), col(Target.value))
        .join(Indicator, col(Indicator.id) == Target.indicator_id)
        .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
        .where(
            col(Pledge.cluster_id).in_(cluster_ids),
            col(Pledge.year) == year,
            col(Indicator.active),
        ),
    )
    return [(unit_id, indicator_id, value) for unit_id, indicator_id, value in rows]


def latest_revisions(
    session: Session, *, period_id: int, cluster_ids: Sequence[int]
) -> list[RevisionRow]:
    """Each member unit's newest submitted revision (returned or not), with who submitted it."""
    latest = _latest(period_id, cluster_ids)
    query = _revision_columns().join(latest, _is_latest(latest))
    return [RevisionRow(*row) for row in _rows(session, query.where(_in_period(period_id)))]


def latest_answers(
    session: Session, *, period_id: int, cluster_ids: Sequence[int]
) -> list[AnswerRow]:
    """The answers of every member unit's newest submitted revision in the period."""
    latest = _latest(period_id, cluster_ids)
    rows = _rows(
        session,
        sa_select(
            col(Answer.submission_id),
            col(Answer.indicator_id),
            col(Answer.value),
            col(Answer.value_number),
            col(Answer.skipped),
            col(Answer.explanation),
            # As text: decoding 100,000 JSON lists, nearly all empty, costs more than the query.
            type_coerce(col(Answer.flags), String),
            col(Answer.file_name),
        )
        .join(Submission, col(Submission.id) == Answer.submission_id)
        .join(latest, _is_latest(latest))
        .where(_in_period(period_id)),
    )
    return [
        AnswerRow(
            submission_id, indicator_id, value, number, skipped, explanation, _flags(flags), name
        )
        for submission_id, indicator_id, value, number, skipped, explanation, flags, name in rows
    ]


def submission_log(
    session: Session, *, period_id: int, cluster_ids: Sequence[int]
) -> list[RevisionRow]:
    """Every submitted revision of the member units, with who submitted it, oldest first."""
    query = (
        _revision_columns()
        .where(
            _in_period(period_id),
            col(Submission.status) == "submitted",
            col(Submission.unit_id).in_(_members(cluster_ids)),
        )
        .order_by(col(Submission.submitted_at), col(Submission.id))
    )
    return [RevisionRow(*row) for row in _rows(session, query)]


def _rows(session: Session, query: Any) -> Sequence[Any]:
    """Plain rows through the session's connection, without the ORM's per-row bookkeeping."""
    return session.connection().execute(query).all()


def _revision_columns() -> Any:
    return sa_select(
        col(Submission.id),
        col(Submission.unit_id),
        col(Submission.revision),
        col(Submission.submitted_at),
        col(Submission.late),
        col(Submission.returned_at),
        col(Submission.returned_reason),
        col(Person.full_name),
    ).join(Person, col(Person.id) == Submission.submitted_by_person_id, isouter=True)


def _in_period(period_id: int) -> Any:
    return col(Submission.period_id) == period_id


def _flags(stored: Any) -> list[str]:
    """The flags column read as text (SQLite) or already decoded (PostgreSQL's driver)."""
    if isinstance(stored, str):
        return [] if stored in ("[]", "null") else list(json.loads(stored))
    return list(stored or [])


def _members(cluster_ids: Sequence[int]) -> Any:
    """The unit ids of the clusters, as a subquery (no list of thousands of parameters)."""
    return select(ClusterUnit.unit_id).where(col(ClusterUnit.cluster_id).in_(cluster_ids))


def _latest(period_id: int, cluster_ids: Sequence[int]) -> Subquery:
    """unit_id -> the highest submitted revision in the period."""
    return (
        select(col(Submission.unit_id), func.max(Submission.revision).label("revision"))
        .where(
            Submission.period_id == period_id,
            Submission.status == "submitted",
            col(Submission.unit_id).in_(_members(cluster_ids)),
        )
        .group_by(col(Submission.unit_id))
        .subquery()
    )


def _is_latest(latest: Subquery) -> Any:
    return and_(
        col(Submission.unit_id) == latest.c.unit_id,
        col(Submission.revision) == latest.c.revision,
    )
