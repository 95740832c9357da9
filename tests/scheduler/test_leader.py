"""One sender at a time: the sender's lock, and two real schedulers with the leader killed."""

from __future__ import annotations

import collections
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.fake_telegram import FakeTelegram
from bot.storage import make_engine, session_scope
from bot.storage.outbox import enqueue
from scheduler.leader import AdvisoryLock, FileLock, leadership_for
from tests.support.bot_process import bot_env
from tests.support.workers import start_scheduler, stop, wait_until

MESSAGES = 240
LEADS = "this scheduler now plans and sends"


def test_only_one_file_lock_holder_until_it_lets_go(tmp_path: Path) -> None:
    first, second = FileLock(tmp_path / "db.sender.lock"), FileLock(tmp_path / "db.sender.lock")
    assert first.hold()
    assert first.hold()  # the leader keeps it
    assert not second.hold()
    first.release()
    assert second.hold()
    second.release()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_only_one_advisory_lock_holder_and_a_dropped_session_frees_it(engine: Engine) -> None:
    other = make_engine(str(engine.url.render_as_string(hide_password=False)))
    first, second = AdvisoryLock(engine), AdvisoryLock(other)
    try:
        assert first.hold()
        assert not second.hold()
        # The leader's session dies (a crash, a network cut): PostgreSQL frees its lock.
        leader = first_backend(first)
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": leader})
        assert not first.hold()  # it notices, and stands by
        assert second.hold()
        assert not first.hold()
    finally:
        first.release()
        second.release()
        other.dispose()


def first_backend(lock: AdvisoryLock) -> int:
    """The server process behind the lock's own connection (and no one else's)."""
    connection = lock._connection
    assert connection is not None
    return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_schemas_of_one_database_each_have_their_own_sender(
    engine: Engine, database_url: str
) -> None:
    plain = make_engine(database_url.split("?")[0])  # the database's default schema
    mine, theirs = AdvisoryLock(engine), AdvisoryLock(plain)
    try:
        assert mine.hold()
        assert theirs.hold()
    finally:
        mine.release()
        theirs.release()
        plain.dispose()


def test_an_in_memory_database_is_always_its_own_leader() -> None:
    engine = make_engine("sqlite://")
    assert leadership_for(engine).hold()
    engine.dispose()


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:  # Telegram's real limits: 30/s overall, 1/s per chat
        yield server


def quick_standby(fake: FakeTelegram, database_url: str) -> dict[str, str]:
    """A scheduler's environment: a standby asks every 0.3 s, a claimed message is leased 2 s."""
    quick = {"THIDUA_LEADER_POLL": "0.3", "THIDUA_OUTBOX_LEASE": "2", "THIDUA_QUIET_HOURS": ""}
    return bot_env(fake, database_url) | quick


def test_a_standby_scheduler_takes_over_and_the_limits_hold_across_both(
    engine: Engine, database_url: str, fake: FakeTelegram, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        for n in range(MESSAGES):
            enqueue(session, key=f"remind:{n}", chat_id=20_000 + n, payload={"text": f"nhắc {n}"})
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    processes = [start_scheduler(quick_standby(fake, database_url), log) for log in logs]
    try:
        assert wait_until(lambda: any(LEADS in log.read_text() for log in logs), timeout=30)
        leader = next(n for n, log in enumerate(logs) if LEADS in log.read_text())
        assert fake.wait_for(lambda: len(fake.sent_messages()) >= MESSAGES // 3, timeout=60)
        processes[leader].send_signal(signal.SIGKILL)
        processes[leader].wait(timeout=30)
        standby = 1 - leader
        assert wait_until(lambda: LEADS in logs[standby].read_text(), timeout=30)
        assert fake.wait_for(
            lambda: len({m["text"] for m in fake.sent_messages()}) == MESSAGES, timeout=90
        ), logs[standby].read_text()[-2000:]
    finally:
        for process in processes:
            stop(process)
    received = collections.Counter(message["text"] for message in fake.sent_messages())
    assert set(received) == {f"nhắc {n}" for n in range(MESSAGES)}
    # Only what the killed leader had in flight may go twice.
    assert sum(times - 1 for times in received.values()) <= 30
    # Two senders each keeping 30/s would have broken Telegram's overall limit.
    assert fake.limit_violations == 0, fake.limit_violation_details
    assert all(fake.token not in log.read_text() for log in logs)
