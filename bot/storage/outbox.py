"""The outbox: messages to send, each once, claimed by one sender at a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from bot.storage.models import OutboxMessage
from bot.storage.types import utcnow

__all__ = [
    "FAILED",
    "PENDING",
    "SENDING",
    "SENT",
    "claim",
    "enqueue",
    "enqueue_many",
    "mark_failed",
    "mark_retry",
    "mark_sent",
    "message_by_key",
    "put_back",
    "queued_keys",
]

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
_TABLE: Any = OutboxMessage.__table__  # type: ignore[attr-defined]


def enqueue(
    session: Session,
    *,
    key: str,
    chat_id: int,
    payload: dict[str, Any],
    method: str = "sendMessage",
    not_before: datetime | None = None,
) -> bool:
    """Queue one message under `key`; False if a message with that key exists already.

    The key makes a tick that runs twice, or two schedulers, queue each message once.
    """
    values = outbox_row(
        key=key, chat_id=chat_id, payload=payload, method=method, not_before=not_before
    )
    statement = _insert_new(session).values(**values).returning(col(OutboxMessage.id))
    return session.execute(statement).first() is not None


def outbox_row(
    *,
    key: str,
    chat_id: int,
    payload: dict[str, Any],
    method: str = "sendMessage",
    not_before: datetime | None = None,
) -> dict[str, Any]:
    """The columns of a message to queue."""
    return {
        "key": key,
        "chat_id": chat_id,
        "method": method,
        "payload": payload,
        "status": PENDING,
        "attempts": 0,
        "not_before": not_before or utcnow(),
        "created_at": utcnow(),
    }


def enqueue_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Queue many messages (`outbox_row`s) in one statement; a key queued before is skipped."""
    if rows:
        # On the table, not the model: thousands of rows skip the ORM's bulk bookkeeping.
        session.connection().execute(_insert_new(session, _TABLE), rows)


def queued_keys(session: Session, prefix: str) -> set[str]:
    """Every key queued under `prefix`, in one query (a tick asks once, not per message)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = col(OutboxMessage.key).like(f"{escaped}%", escape="\\")
    return set(session.exec(select(OutboxMessage.key).where(pattern)).all())


def _insert_new(session: Session, table: Any = OutboxMessage) -> Any:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing(index_elements=["key"])


def message_by_key(session: Session, key: str) -> OutboxMessage | None:
    """The message queued under `key`, if any."""
    return session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).first()


def claim(
    session: Session, *, now: datetime, lease: timedelta, limit: int, skip_chats: set[int]
) -> list[OutboxMessage]:
    """Take up to `limit` due messages, the oldest of each chat first, for `lease`.

    A claimed message is `sending` until marked; if its sender dies, the lease runs out and
    another sender takes it again, so at most the messages in flight are ever repeated.
    """
    unsent = col(OutboxMessage.status).in_((PENDING, SENDING))
    # Only the oldest unsent message of each chat may go: each chat's messages stay in order.
    heads = select(func.min(OutboxMessage.id)).where(unsent).group_by(col(OutboxMessage.chat_id))
    query = (
        select(OutboxMessage)
        .where(col(OutboxMessage.id).in_(heads.scalar_subquery()))
        .where(col(OutboxMessage.not_before) <= now)
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    )
    if skip_chats:
        query = query.where(col(OutboxMessage.chat_id).not_in(skip_chats))
    if session.get_bind().dialect.name == "postgresql":
        # Two senders on one database never take the same row.
        query = query.with_for_update(skip_locked=True)
    taken = list(session.exec(query).all())
    for message in taken:
        message.status = SENDING
        message.attempts += 1
        message.not_before = now + lease
        session.add(message)
    session.flush()
    return taken


def mark_sent(
    session: Session, message_id: int, *, now: datetime, telegram_message_id: int | None
) -> None:
    """Record that Telegram accepted the message."""
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id)
        .values(status=SENT, sent_at=now, telegram_message_id=telegram_message_id, last_error=None)
    )


def mark_retry(session: Session, message_id: int, *, not_before: datetime, error: str) -> None:
    """Put the message back to wait until `not_before`."""
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id)
        .values(status=PENDING, not_before=not_before, last_error=error[:500])
    )


def put_back(session: Session, message_id: int, *, not_before: datetime) -> None:
    """Return a claimed message unsent and uncounted, to be taken again from `not_before`."""
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id)
        .values(status=PENDING, not_before=not_before, attempts=col(OutboxMessage.attempts) - 1)
    )


def mark_failed(session: Session, message_id: int, *, error: str) -> None:
    """Give the message up for good (the chat is unreachable, or the request is wrong)."""
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id)
        .values(status=FAILED, last_error=error[:500])
    )
