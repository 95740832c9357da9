"""One person's turn at a time across processes: a PostgreSQL advisory lock per person.

Several `thidua run --webhook` workers share one database, and an officer's consecutive
updates may reach different ones. Each turn holds a session-level advisory lock keyed by the
person's Telegram id on a connection of its own, from before its step reads the draft until
after its reply is sent; the step's own session runs on that connection.

A person's updates are applied in Telegram's order (update ids). Each is kept as it arrives
(`received_update`, bot/edge/webhook.py), and a turn that takes the lock while an older update
of the same person has arrived but is not handled yet lets the lock go and asks again a moment
later: the older one, waiting for the lock, goes first. An older update that arrives only after
a newer one was applied (held up on its way for longer than the gap between the two) is
applied then, as a message sent at that moment would be; one kept more than `STALE` ago, or
waited for longer than `MOST_WAIT`, is no longer waited for (its process died: Telegram posts
it again). A process that dies holding a lock ends its session, and PostgreSQL frees the lock.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from sqlalchemy import bindparam, delete, text, update
from sqlalchemy.engine import Connection, Engine

from bot.storage.models import HandledUpdate
from bot.storage.received import ReceivedUpdate
from bot.storage.types import utcnow

__all__ = ["hold_person", "release_person"]

log = logging.getLogger(__name__)

# Advisory locks are per database: the key names the schema too (as scheduler/leader.py's),
# and a 64-bit hash keeps two people from sharing a key.
_KEY = "hashtextextended('thidua-person:' || current_schema(), :telegram_id)"
_LOCK = text(f"SELECT pg_advisory_lock({_KEY})")
_UNLOCK = text(f"SELECT pg_advisory_unlock({_KEY})")
STALE = timedelta(seconds=30)
MOST_WAIT = 5.0  # seconds
_AGAIN = 0.02  # seconds between two tries while an older update goes first
# The sender is read from the kept JSON: the table holds only updates in flight, a few rows.
_OLDER = text(
    "SELECT 1 FROM received_update r WHERE r.update_id < :update_id AND r.received_at > :since"
    " AND NOT EXISTS (SELECT 1 FROM handledupdate h WHERE h.update_id = r.update_id)"
    " AND coalesce(r.payload::jsonb #>> '{message,from,id}',"
    " r.payload::jsonb #>> '{callback_query,from,id}',"
    " r.payload::jsonb #>> '{edited_message,from,id}') = :sender LIMIT 1"
)
_FINISHED = delete(ReceivedUpdate).where(
    ReceivedUpdate.update_id == bindparam("finished_id")  # type: ignore[arg-type]
)
_SENT = (
    update(HandledUpdate)
    .where(HandledUpdate.update_id == bindparam("sent_id"))  # type: ignore[arg-type]
    .values(reply=None)
)


def hold_person(engine: Engine, telegram_id: int, update_id: int) -> Connection:
    """A connection holding the person's lock for `update_id`, once the turns that asked
    before, and those of the person's older updates in flight, have ended."""
    connection = engine.connect()
    key = {"telegram_id": telegram_id}
    older = {"update_id": update_id, "sender": str(telegram_id)}
    deadline = time.monotonic() + MOST_WAIT
    try:
        while True:
            connection.execute(_LOCK, key)
            waiting = connection.execute(_OLDER, {**older, "since": utcnow() - STALE}).first()
            connection.commit()  # a session-level lock outlives the transaction that took it
            if waiting is None or time.monotonic() > deadline:
                return connection
            connection.execute(_UNLOCK, key)
            connection.commit()
            time.sleep(_AGAIN)
    except BaseException:
        connection.invalidate()  # whatever state it is in, it holds no lock once dropped
        connection.close()
        raise


def release_person(connection: Connection, telegram_id: int, *, update_id: int, sent: bool) -> None:
    """Let the person's next turn go. First the update is known finished (the person's newer
    updates wait for that) and, once `sent`, its kept reply forgotten: the same update posted
    to another worker meanwhile is then answered by nothing there (the ledger tells later)."""
    try:
        connection.rollback()  # a step that failed may have left its transaction open
        connection.execute(_FINISHED, {"finished_id": update_id})
        if sent:
            connection.execute(_SENT, {"sent_id": update_id})
        connection.commit()
        connection.execute(_UNLOCK, {"telegram_id": telegram_id})
        connection.commit()
    except Exception:
        # A connection that cannot unlock is dropped: its session ends, and the lock with it.
        log.warning("could not release a person's turn; dropping its connection", exc_info=True)
        connection.invalidate()
    finally:
        connection.close()
