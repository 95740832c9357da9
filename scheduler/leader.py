"""One sender at a time: the scheduler that holds the database's lock plans and sends.

Any number of scheduler processes (`thidua scheduler`, or embedded in `thidua run`) may run
against one database; Telegram's limits are per bot, so only one of them may send. On
PostgreSQL the lock is a session-level advisory lock held on a connection of its own: when
the leader dies, PostgreSQL ends its session and frees the lock, and a standby that asks
again takes over. On an SQLite file it is an exclusive `flock` on a file beside the database,
which the kernel frees when the process dies. An in-memory database has one process anyway.
"""

from __future__ import annotations

import fcntl
import logging
from contextlib import suppress
from pathlib import Path
from typing import IO, Any, Protocol

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

__all__ = ["Leadership", "leadership_for"]

log = logging.getLogger(__name__)

# Advisory locks are scoped to the database, not the schema: the key names the schema too,
# so that deployments (or test runs) in two schemas of one database each have a sender.
_LOCK_KEY = "hashtext('thidua-sender:' || current_schema())"


class Leadership(Protocol):
    """Who may send: `hold()` tries to become (or stay) the leader; `release()` gives it up."""

    def hold(self) -> bool: ...

    def release(self) -> None: ...


class AlwaysLeader:
    """An in-memory database: nobody else can share it."""

    def hold(self) -> bool:
        return True

    def release(self) -> None:
        return None


class AdvisoryLock:
    """PostgreSQL: `pg_try_advisory_lock` on a connection kept for as long as we lead."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    def hold(self) -> bool:
        """Check that our session (and so the lock) is alive, or try to take the lock."""
        try:
            if self._connection is not None:
                self._connection.execute(text("SELECT 1"))
                return True
            return self._try_lock()
        except DBAPIError as error:
            # A dropped connection ends our session, and the lock with it: stand by.
            log.warning("the sender's lock connection failed; standing by: %s", error.orig)
            self._forget()
            return False

    def _try_lock(self) -> bool:
        connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        taken = connection.execute(text(f"SELECT pg_try_advisory_lock({_LOCK_KEY})")).scalar()
        if taken:
            self._connection = connection
            return True
        connection.close()
        return False

    def release(self) -> None:
        if self._connection is not None:
            with suppress(DBAPIError):  # the session is gone, and the lock with it
                self._connection.execute(text(f"SELECT pg_advisory_unlock({_LOCK_KEY})"))
            self._forget()

    def _forget(self) -> None:
        if self._connection is not None:
            # A connection that failed is useless to the pool: drop it, do not return it.
            self._connection.invalidate()
            self._connection.close()
        self._connection = None


class FileLock:
    """An SQLite file: an exclusive, non-blocking `flock` on `<database>.sender.lock`."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._file: IO[Any] | None = None

    def hold(self) -> bool:
        if self._file is not None:
            return True
        handle = self._path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def leadership_for(engine: Engine) -> Leadership:
    """The kind of lock that fits this engine's database."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    database = engine.url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        return FileLock(Path(f"{database}.sender.lock"))
    return AlwaysLeader()
