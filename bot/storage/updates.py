"""Exactly-once handling of Telegram updates, which are delivered again after a crash."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete

from bot.storage.models import HandledUpdate
from bot.storage.received import ReceivedUpdate
from bot.storage.types import utcnow

__all__ = ["claim_update", "forget_old_updates"]

_TABLE: Any = HandledUpdate.__table__  # type: ignore[attr-defined]
# One statement that both checks and marks (both dialects have ON CONFLICT), built once:
# every step runs it, and the ORM's get-then-flush cost two statements and a unit of work.
_CLAIM = {
    name: insert(_TABLE)
    .values(
        update_id=bindparam("update_id"),
        handled_at=bindparam("handled_at"),
        reply=bindparam("reply"),
    )
    .on_conflict_do_nothing(index_elements=["update_id"])
    # An INSERT's result closes its cursor at once; psycopg then forgets the row count.
    .execution_options(preserve_rowcount=True)
    for name, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}


def claim_update(session: Session, update_id: int, *, reply: str | None = None) -> bool:
    """Mark the update handled in this transaction, keeping the reply its step made until it
    is known to have been sent; False if it already was handled."""
    statement = _CLAIM[session.get_bind().dialect.name]
    # A Core statement does not flush the session: the step's own changes are written at
    # commit, in this same transaction, or rolled back with it when the update is a repeat.
    result = session.connection().execute(
        statement, {"update_id": update_id, "handled_at": utcnow(), "reply": reply}
    )
    return bool(result.rowcount == 1)


def forget_old_updates(
    session: Session, *, now: datetime, keep: timedelta = timedelta(days=2)
) -> None:
    """Drop marks older than any redelivery Telegram would make (it keeps updates 24 hours),
    and updates kept on arrival that long ago whose handling never finished (a webhook worker
    killed mid-step whose update went to another): nobody will hand them in again."""
    session.exec(delete(HandledUpdate).where(col(HandledUpdate.handled_at) < now - keep))
    session.exec(delete(ReceivedUpdate).where(col(ReceivedUpdate.received_at) < now - keep))
