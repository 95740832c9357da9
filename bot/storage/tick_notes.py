"""Notes the tick leaves for later ticks: under a key, "looked, nothing more to do today"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Session, SQLModel, col, select

from bot.storage.types import UTCDateTime, utcnow

__all__ = ["TickNote", "note", "noted"]

_CHUNK = 500  # keys per IN (…): well within every database's limit on parameters


class TickNote(SQLModel, table=True):
    """A key the tick has finished with (e.g. a cluster's digests of one day)."""

    __tablename__ = "tick_note"

    key: str = Field(max_length=200, primary_key=True)
    noted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


_TABLE: Any = TickNote.__table__  # type: ignore[attr-defined]


def noted(session: Session, keys: list[str]) -> set[str]:
    """Which of `keys` are noted, a few hundred per query."""
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        found.update(session.exec(select(TickNote.key).where(col(TickNote.key).in_(chunk))))
    return found


def note(session: Session, keys: list[str]) -> None:
    """Note `keys` in one statement; noting one twice (two schedulers, a tick run again) is
    noting it once."""
    if not keys:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(_TABLE).on_conflict_do_nothing(index_elements=["key"])
    session.connection().execute(statement, [{"key": key, "noted_at": utcnow()} for key in keys])
