"""One person's turn at a time across processes: a PostgreSQL advisory lock per person.

Several `thidua run --webhook` workers share one database, and an officer's consecutive
updates may reach different ones. Each turn holds a session-level advisory lock keyed by the
person's Telegram id from before its step reads the draft until after its reply is sent. The
locks of one process are all held by one connection of its own (`Locker`), so a turn waiting
for Telegram holds no connection of the pool: a lock is asked with `pg_try_advisory_lock` and
asked again a moment later when taken, never waited for on that shared connection.

A person's updates are applied in Telegram's order (update ids). Each is kept as it arrives
(`received_update`, bot/edge/webhook.py), and a turn that finds an older update of the same
person kept but not handled yet lets the lock go and asks again a moment later: the older one
goes first; a webhook worker also applies an update no sooner than `SETTLE` after it arrived,
so that an older one posted to another worker at nearly the same moment is kept by then, even
on a busy machine. An older update that arrives only after a newer one was applied (held up on its
way for longer than the gap between the two) is applied then, as a message sent at that moment
would be; one kept more than `STALE` ago, or waited for longer than `MOST_WAIT`, is no longer
waited for (its process died: Telegram posts it again). A process that dies ends its locker's
session, and PostgreSQL frees its locks with it.

Telegram's one message a second per chat is the deployment's, not a process's: the outbox
sender (scheduler/sender.py) takes the same lock before a private message and keeps it until a
second after Telegram answered, so a turn's reply never follows a reminder closer than that;
a turn that sent its reply notes when (`ChatReply`, in the same round trip as its release), so
a reminder waits until a second after the reply before it goes.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.engine import Engine
from sqlmodel import Field, SQLModel

from bot.storage.types import UTCDateTime, utcnow

__all__ = ["MOST_WAIT", "SETTLE", "STALE", "ChatReply", "Locker"]

log = logging.getLogger(__name__)

STALE = timedelta(seconds=30)
MOST_WAIT = 5.0  # seconds
# A webhook worker applies an update no sooner than this after it arrived: an older update of
# the same person posted to another worker just before may not be kept there yet.
SETTLE = 0.15  # seconds
_AGAIN = 0.01  # seconds between two asks while the person's lock or an older update is busy

# Advisory locks are per database: the key names the schema too (as scheduler/leader.py's),
# and a 64-bit hash keeps two people from sharing a key.
_KEY = "hashtextextended('thidua-person:' || current_schema(), %(telegram_id)s)"
# The lock, and whether an older update of the person is in flight, in one round trip; the
# sender is read from the kept JSON: the table holds only updates in flight, a few rows.
_TRY = (
    f"SELECT pg_try_advisory_lock({_KEY}), EXISTS (SELECT 1 FROM received_update r"
    " WHERE r.update_id < %(update_id)s AND r.received_at > %(since)s"
    " AND NOT EXISTS (SELECT 1 FROM handledupdate h WHERE h.update_id = r.update_id)"
    " AND coalesce(r.payload::jsonb #>> '{message,from,id}',"
    " r.payload::jsonb #>> '{callback_query,from,id}',"
    " r.payload::jsonb #>> '{edited_message,from,id}') = %(sender)s)"
)
_UNLOCK = f"SELECT pg_advisory_unlock({_KEY})"
# Finished (the person's newer updates wait for that) and, once sent, its kept reply forgotten
# (the same update posted to another worker is then answered by nothing there) and the moment
# of the reply noted for the outbox sender, in one go.
_UTC = "(now() AT TIME ZONE 'UTC')"  # naive UTC, as every moment is stored (UTCDateTime)
_FINISHED = (
    "WITH finished AS (DELETE FROM received_update WHERE update_id = %(update_id)s),"
    f" replied AS (INSERT INTO chat_reply (chat_id, replied_at) SELECT %(telegram_id)s, {_UTC}"
    " WHERE %(sent)s ON CONFLICT (chat_id) DO UPDATE SET replied_at = excluded.replied_at)"
    " UPDATE handledupdate SET reply = NULL WHERE update_id = %(update_id)s AND %(sent)s"
)
# The outbox sender's side: the person's lock, and how long ago (seconds) their last reply went.
_GATE = (
    f"SELECT pg_try_advisory_lock({_KEY}), (SELECT extract(epoch FROM {_UTC} - replied_at)"
    " FROM chat_reply WHERE chat_id = %(telegram_id)s)"
)
# An update kept as it arrives (as bot/storage/received.py keeps them), on the same connection:
# no pool to wait for, one round trip, so that it is known before the person's next one is.
_ARRIVED = (
    "INSERT INTO received_update (update_id, payload, received_at, replays)"
    " VALUES (%(update_id)s, %(payload)s, %(received_at)s, 0) ON CONFLICT (update_id) DO NOTHING"
)


class ChatReply(SQLModel, table=True):
    """When a turn's reply last went to a private chat (PostgreSQL deployments)."""

    __tablename__ = "chat_reply"

    chat_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    replied_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Locker:
    """The connection that holds this process's people's locks, one statement at a time."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._mutex = threading.Lock()
        self._raw: Any = None
        self._held: set[int] = set()

    def hold(self, telegram_id: int, update_id: int, *, settle: float = 0.0) -> None:
        """Take the person's lock for `update_id`, once no other turn of theirs holds it and
        their older updates in flight have been handled (or `MOST_WAIT` has passed); not
        before `settle` (a monotonic time) if given, when older ones may still be arriving."""
        params = {"telegram_id": telegram_id, "update_id": update_id, "sender": str(telegram_id)}
        deadline = time.monotonic() + MOST_WAIT
        while True:
            if self._take_here(telegram_id):
                try:
                    taken, older = self._run(_TRY, {**params, "since": utcnow() - STALE})
                    now = time.monotonic()
                    if taken and (now > deadline or (not older and now >= settle)):
                        return
                    if taken:
                        self._run(_UNLOCK, params)
                except BaseException:
                    self._let_go_here(telegram_id)
                    raise
                self._let_go_here(telegram_id)
            time.sleep(_AGAIN)

    def _take_here(self, telegram_id: int) -> bool:
        """This process's claim on the person: the locker's one session holds a lock any
        number of times (PostgreSQL's are re-entrant), so its turns exclude each other here."""
        with self._mutex:
            if telegram_id in self._held:
                return False
            self._held.add(telegram_id)
            return True

    def _let_go_here(self, telegram_id: int) -> None:
        with self._mutex:
            self._held.discard(telegram_id)

    def arrived(self, update_id: int, payload: str) -> None:
        """Keep an update as it arrives, so that the person's newer updates wait for it."""
        params = {"update_id": update_id, "payload": payload, "received_at": utcnow()}
        self._run(_ARRIVED, params, rows=False)

    def release(self, telegram_id: int, *, update_id: int, sent: bool) -> None:
        """Note the update finished (and its reply sent), then let the person's next turn go."""
        try:
            params = {"update_id": update_id, "sent": sent, "telegram_id": telegram_id}
            self._run(_FINISHED, params, rows=False)
            self._run(_UNLOCK, {"telegram_id": telegram_id})
        finally:
            self._let_go_here(telegram_id)

    def gate(self, telegram_id: int) -> float | None:
        """The person's lock for a message from outside a turn (the outbox sender), unless a
        turn holds it (None); then the seconds since their last reply (infinite: none)."""
        taken, since = self._run(_GATE, {"telegram_id": telegram_id})
        if not taken:
            return None
        return float("inf") if since is None else float(since)

    def ungate(self, telegram_id: int) -> None:
        """Let the person's lock go after `gate`."""
        self._run(_UNLOCK, {"telegram_id": telegram_id})

    def close(self) -> None:
        with self._mutex:
            if self._raw is not None:
                self._raw.close()
                self._raw = None

    def _run(self, statement: str, params: dict[str, Any], *, rows: bool = True) -> Any:
        """One statement in its own transaction; a dropped connection is opened again once,
        its locks gone with its session (a database restart: turns in flight lose theirs)."""
        with self._mutex:
            for attempt in (1, 2):
                try:
                    cursor = self._connection().execute(statement, params)
                    return cursor.fetchone() if rows else None
                except Exception:
                    if attempt == 2 or not self._dropped():
                        raise
                    log.warning("the people's lock connection dropped; opening another")
                    self._raw.close()
                    self._raw = None

    def _connection(self) -> Any:
        if self._raw is None:
            # A driver connection of its own, outside the pool, each statement committed.
            pooled = self._engine.raw_connection()
            pooled.detach()
            self._raw = pooled.dbapi_connection
            self._raw.autocommit = True
        return self._raw

    def _dropped(self) -> bool:
        return self._raw is not None and (self._raw.closed or getattr(self._raw, "broken", False))
