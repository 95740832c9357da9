"""Engines and sessions: SQLite (WAL, foreign keys on) or PostgreSQL from one URL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

__all__ = ["make_engine", "once_more_if_disconnected", "session_scope"]

T = TypeVar("T")


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for `url`; an SQLite file's folder is created and the file set up for WAL."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # No pre-ping: it costs a round trip and its CPU at every checkout, that is every step.
        # Connections are renewed after 5 minutes, before a server or firewall drops them as
        # idle; one dropped anyway (a server restart) is found by the step that uses it,
        # which `once_more_if_disconnected` runs again on a fresh connection, and SQLAlchemy
        # then replaces every older connection of the pool.
        return create_engine(url, **{"pool_recycle": 300, **options})
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # The bot answers from the event loop while the scheduler writes: wait for the lock
    # instead of failing with "database is locked".
    engine = create_engine(url, connect_args={"timeout": 30}, **options)
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session committed on success and rolled back on error."""
    with _writer_turn(engine), Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


_sqlite_locks: dict[int, threading.RLock] = {}


def _writer_turn(engine: Engine) -> AbstractContextManager[object]:
    """On SQLite, one unit of work at a time per process; elsewhere, no wait."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    # SQLite has one writer anyway; queueing here is fair and prompt, while its busy
    # handler makes waiting threads sleep in steps of up to 100 ms.
    return _sqlite_locks.setdefault(id(engine), threading.RLock())


def once_more_if_disconnected(work: Callable[[], T]) -> T:
    """Run a unit of work; if its connection had dropped (a database restart), run it again.

    The failed attempt rolled back as a whole, so running it again cannot do anything twice.
    """
    try:
        return work()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        return work()
