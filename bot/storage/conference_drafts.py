"""A conference being set up in the chat: each answer kept as it is given, until it is saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, Session, SQLModel, col, select

from bot.storage.types import UTCDateTime, utcnow

__all__ = ["ConferenceDraft", "drafts_of", "start_draft"]


class ConferenceDraft(SQLModel, table=True):
    """A chair's or admin's answers so far (`starts`, `place`, `rsvp_by`, `delegates`)."""

    __tablename__ = "conference_draft"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    cluster_id: int = Field(foreign_key="cluster.id")
    kind: str = Field(max_length=16)  # so-ket, tong-ket, phat-dong, other
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def start_draft(
    session: Session, *, person_id: int, cluster_id: int, kind: str, now: datetime
) -> ConferenceDraft:
    """A new draft; the person's earlier unfinished drafts for the cluster are dropped."""
    for old in drafts_of(session, person_id=person_id, cluster_id=cluster_id):
        session.delete(old)
    draft = ConferenceDraft(person_id=person_id, cluster_id=cluster_id, kind=kind, created_at=now)
    session.add(draft)
    session.flush()
    return draft


def drafts_of(session: Session, *, person_id: int, cluster_id: int) -> list[ConferenceDraft]:
    query = select(ConferenceDraft).where(
        ConferenceDraft.person_id == person_id, ConferenceDraft.cluster_id == cluster_id
    )
    return list(session.exec(query.order_by(col(ConferenceDraft.id))))
