"""Vote rows: an opened vote, who may vote, who has voted, and the ballots kept apart from them.

Secrecy lives in the shapes: a secret vote's `Ballot` has a random id, the vote, the receipt
code and the choices, and nothing else (no unit, no person, no time); "this unit has voted"
is a `VoteParticipation` row. On SQLite the ballot table has no rowid, whose order would
follow the order of voting; the ballots of a vote are written again in a random order with
each new one (bot/storage/votes.py), so neither the rows' order nor PostgreSQL's `xmin`
points at the ballot a given transaction added.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.types import UTCDateTime, utcnow

__all__ = ["Ballot", "VoteEligible", "VoteOpening", "VoteParticipation"]


class VoteOpening(SQLModel, table=True):
    """A vote once opened: the turnout it counts against, the ballot's order, the result."""

    __tablename__ = "vote_opening"
    vote_id: int = Field(
        foreign_key="conferencevote.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    members: int  # the cluster's units when it opened
    present: int  # the units present then: each of them may vote
    # The ballot's options in order, as {"code", "rank", "total"}: unit codes in ranking order
    # where the cluster is scored (rank and total shown beside them), or the three stances.
    options: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    opened_by: str = Field(default="", max_length=64)
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_by: str | None = Field(default=None, max_length=64)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The count as published when it closed, kept for the minutes and `thidua votes`.
    result: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class VoteEligible(SQLModel, table=True):
    """A unit that may vote: present when the vote opened."""

    __tablename__ = "vote_eligible"
    vote_id: int = Field(foreign_key="conferencevote.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)


class VoteParticipation(SQLModel, table=True):
    """A unit has voted (once: the unique key decides between two presses at once).

    For an open vote the unit's choices are here too, since they are published with it."""

    __tablename__ = "vote_participation"
    __table_args__ = (UniqueConstraint("vote_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    vote_id: int = Field(foreign_key="conferencevote.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    voted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    choices: list[str] | None = Field(default=None, sa_type=JSON)  # open votes only
    receipt: str | None = Field(default=None, max_length=32)  # open votes only


class Ballot(SQLModel, table=True):
    """A secret vote's ballot: nothing in it says whose it is or when it was cast."""

    __tablename__ = "ballot"
    # No rowid on SQLite: rows are kept in the order of their random ids.
    __table_args__ = (UniqueConstraint("receipt"), {"sqlite_with_rowid": False})
    id: str = Field(primary_key=True, max_length=32)  # secrets.token_hex(16), new at each rewrite
    vote_id: int = Field(foreign_key="conferencevote.id", index=True)
    receipt: str = Field(max_length=32)  # secrets.token_hex(8): 64 bits, shown to the voter
    choices: list[str] = Field(default_factory=list, sa_type=JSON)
