"""Updates kept as they arrive, before Telegram is told they did, until their handling is over.

Long polling confirms an update with the next `getUpdates` offset. Kept here first, an update
a killed process never finished is still known at the next start, which handles it again
(`claim_update` makes that safe) or sends the reply its step kept (`HandledUpdate.reply`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Text, bindparam, column, table, update
from sqlalchemy import delete as core_delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel, col, delete, select

from bot.storage.types import UTCDateTime, utcnow

__all__ = ["ReceivedUpdate", "forget_finished", "keep_received", "kept_reply", "to_replay"]


class ReceivedUpdate(SQLModel, table=True):
    """An update as Telegram sent it (its JSON), kept until its handling has finished."""

    __tablename__ = "received_update"

    update_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    payload: str = Field(sa_type=Text)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    replays: int = 0  # starts that handled it again: one that kills the process is given up


_TABLE: Any = ReceivedUpdate.__table__  # type: ignore[attr-defined]
# Telegram sends an unconfirmed update again: keeping it twice is keeping it once.
_KEEP = {
    name: insert(_TABLE)
    .values(
        update_id=bindparam("update_id"),
        payload=bindparam("payload"),
        received_at=bindparam("received_at"),
    )
    .on_conflict_do_nothing(index_elements=["update_id"])
    for name, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}


def keep_received(session: Session, updates: Iterable[tuple[int, str]]) -> None:
    """Keep each (update id, JSON) not kept yet."""
    rows = [
        {"update_id": update_id, "payload": payload, "received_at": utcnow()}
        for update_id, payload in updates
    ]
    if rows:
        session.connection().execute(_KEEP[session.get_bind().dialect.name], rows)


def to_replay(session: Session, *, most: int) -> tuple[list[tuple[int, str]], list[int]]:
    """The kept updates whose handling never finished, oldest first, each counted as handled
    again once more; and the ids of those given up after `most` starts (then dropped)."""
    rows = session.exec(select(ReceivedUpdate).order_by(col(ReceivedUpdate.update_id))).all()
    again = [row for row in rows if row.replays < most]
    given_up = [row.update_id for row in rows if row.replays >= most]
    if again:
        session.execute(
            update(ReceivedUpdate)
            .where(col(ReceivedUpdate.update_id).in_([row.update_id for row in again]))
            .values(replays=col(ReceivedUpdate.replays) + 1)
        )
    if given_up:
        session.exec(delete(ReceivedUpdate).where(col(ReceivedUpdate.update_id).in_(given_up)))
    return [(row.update_id, row.payload) for row in again], given_up


_RECEIVED = ReceivedUpdate.__table__  # type: ignore[attr-defined]
_FORGET_RECEIVED = core_delete(_RECEIVED).where(
    _RECEIVED.c.update_id.in_(bindparam("ids", expanding=True))
)
# `HandledUpdate` by its table's name: bot/storage/models.py imports this module.
_HANDLED = table("handledupdate", column("update_id", BigInteger), column("reply", Text))
_FORGET_REPLIES = (
    update(_HANDLED)
    .where(_HANDLED.c.update_id.in_(bindparam("ids", expanding=True)))
    .values(reply=None)
)


def forget_finished(
    session: Session, *, finished: Collection[int], answered: Collection[int]
) -> None:
    """Drop the updates whose handling finished, and the replies known to have been sent."""
    # Core statements built once: the ORM's bulk path and building each statement cost more
    # CPU than running them, after every batch of updates.
    if finished:
        session.execute(_FORGET_RECEIVED, {"ids": list(finished)})
    if answered:
        session.execute(_FORGET_REPLIES, {"ids": list(answered)})


def kept_reply(session: Session, update_id: int) -> str | None:
    """The reply a handled update's step kept, unless it is known to have been sent."""
    from bot.storage.models import HandledUpdate

    return session.exec(
        select(HandledUpdate.reply).where(col(HandledUpdate.update_id) == update_id)
    ).first()
