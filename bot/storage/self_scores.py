"""The self-scores of a submission: the people-scored criteria asked, and the scores kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, bindparam, insert
from sqlmodel import Session, col, delete, select

from bot.domain.scoring import PEOPLE
from bot.storage.models import Pledge
from bot.storage.scoring_tables import ScoringCriterion, SelfScore

__all__ = ["copy_self_scores", "delete_self_scores", "people_criteria", "self_scores_of"]


def people_criteria(session: Session, *, cluster_id: int, year: int) -> list[ScoringCriterion]:
    """The leaves of the cluster's scoring table for the year that the unit scores itself."""
    return list(
        session.exec(
            select(ScoringCriterion)
            .join(Pledge, col(Pledge.id) == ScoringCriterion.pledge_id)
            .where(
                Pledge.cluster_id == cluster_id,
                Pledge.year == year,
                ScoringCriterion.rule == PEOPLE,
            )
            .order_by(col(ScoringCriterion.position))
        ).all()
    )


def self_scores_of(session: Session, *, submission_id: int, cluster_id: int) -> list[SelfScore]:
    """The scores a revision (a draft or not) gives itself in one cluster."""
    return list(
        session.exec(
            select(SelfScore).where(
                SelfScore.submission_id == submission_id, SelfScore.cluster_id == cluster_id
            )
        ).all()
    )


def _copy() -> Any:
    """The self-scores of one revision copied to another, inside the database (built once)."""
    table = SelfScore.__table__  # type: ignore[attr-defined]
    copied = [c for c in table.columns if c.name not in ("id", "submission_id")]
    return insert(table).from_select(
        ["submission_id", *(c.name for c in copied)],
        select(bindparam("to_id", type_=Integer), *copied).where(
            table.c.submission_id == bindparam("from_id")
        ),
    )


_COPY = _copy()


def copy_self_scores(session: Session, *, from_id: int, to_id: int) -> None:
    """A new revision starts with the previous revision's self-scores, as with its figures."""
    session.execute(_COPY, {"from_id": from_id, "to_id": to_id})


def delete_self_scores(session: Session, *, submission_id: int) -> None:
    """Empty a draft's self-scores, to start over."""
    session.exec(delete(SelfScore).where(col(SelfScore.submission_id) == submission_id))
