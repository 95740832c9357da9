"""Scoring rows: a pledge's criteria and classes, self-scores, the chair's changes, approvals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.types import UTCDateTime, utcnow

__all__ = [
    "GROUP",
    "ApprovedScore",
    "ScoreApproval",
    "ScoreChange",
    "ScoringClass",
    "ScoringCriterion",
    "SelfScore",
]

# Scores and points are stored as canonical decimal text ("12.5"), like targets: never a float.
GROUP = "group"  # the `rule` of a criterion that groups others


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime)


class ScoringCriterion(SQLModel, table=True):
    """A group or a leaf of a pledge's scoring table (bảng chấm điểm), in the table's order."""

    __table_args__ = (UniqueConstraint("pledge_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    pledge_id: int = Field(foreign_key="pledge.id", index=True)
    # A group's code, or a leaf's: its own code or its indicator's.
    key: str = Field(max_length=64)
    parent_key: str | None = Field(default=None, max_length=64)
    position: int
    title: str
    rule: str = Field(max_length=16)  # "group", or a leaf's rule (bot.domain.scoring.RULES)
    max_points: str | None = None  # None: a group of bonuses and penalties only
    indicator_id: int | None = Field(default=None, foreign_key="indicator.id")
    points: dict[str, str] = Field(default_factory=dict, sa_type=JSON)  # choice: option -> points
    rate: str | None = None  # per, bonus, penalty: points per occurrence


class ScoringClass(SQLModel, table=True):
    """A classification (xếp loại) of a pledge's scoring table and the lowest total reaching it."""

    __table_args__ = (UniqueConstraint("pledge_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    pledge_id: int = Field(foreign_key="pledge.id", index=True)
    name: str = Field(max_length=64)
    threshold: str


class SelfScore(SQLModel, table=True):
    """The score a unit gives itself on a people-scored criterion, in one revision."""

    __table_args__ = (UniqueConstraint("submission_id", "cluster_id", "criterion_key"),)
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    # A unit in two clusters answers two pledges, whose criteria may share a key.
    cluster_id: int = Field(foreign_key="cluster.id")
    criterion_key: str = Field(max_length=64)
    value: str
    answered_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime = _created()


class ScoreChange(SQLModel, table=True):
    """The chair's change of a unit's score on one criterion; the latest one counts."""

    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    cluster_id: int = Field(foreign_key="cluster.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    criterion_key: str = Field(max_length=64)
    value: str
    reason: str
    changed_by: str = Field(max_length=64)
    changed_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    changed_at: datetime = _created()
    # The unit's answer to the change (giải trình), which the chair sees.
    explanation: str | None = None
    explained_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    explained_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ScoreApproval(SQLModel, table=True):
    """An admin's approval of a cluster's scores for a period: `locked`, or `unlocked` again."""

    __table_args__ = (UniqueConstraint("period_id", "cluster_id"),)
    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    cluster_id: int = Field(foreign_key="cluster.id")
    state: str = Field(max_length=16)
    set_by: str = Field(max_length=64)
    set_at: datetime = _created()


class ApprovedScore(SQLModel, table=True):
    """A unit's score on one criterion as it was approved and locked (điểm duyệt)."""

    __table_args__ = (UniqueConstraint("approval_id", "unit_id", "criterion_key"),)
    id: int | None = Field(default=None, primary_key=True)
    approval_id: int = Field(foreign_key="scoreapproval.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    criterion_key: str = Field(max_length=64)
    value: str
