"""Sender processes killed with SIGKILL, and two senders on one PostgreSQL: each message once."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.fake_telegram import FakeTelegram
from bot.storage import session_scope
from bot.storage.models import OutboxMessage
from bot.storage.outbox import SENDING, SENT, enqueue
from tests.support.workers import stop, wait_until

ROOT = Path(__file__).parents[2]
SCALE = 10.0
REMINDERS = 1000
LEASE = 10.0  # seconds before a crashed sender's claimed messages go again


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(limits_scale=SCALE) as server:
        yield server


def start_sender(
    database_url: str, fake: FakeTelegram, log: Path, *, lease: float
) -> subprocess.Popen[bytes]:
    """A sender process; after a crash, its claimed messages wait `lease` seconds."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.outbox_sender",
                database_url,
                fake.base_url,
                fake.token,
                str(SCALE),
                str(lease),
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=output,
            stderr=output,
        )


def queue_reminders(engine: Engine) -> None:
    with session_scope(engine) as session:
        for n in range(REMINDERS):
            enqueue(session, key=f"remind:{n}", chat_id=10_000 + n, payload={"text": f"nhắc {n}"})


def count(engine: Engine, status: str) -> int:
    with session_scope(engine) as session:
        return session.exec(
            select(func.count(col(OutboxMessage.id))).where(OutboxMessage.status == status)
        ).one()


def deliveries(fake: FakeTelegram) -> collections.Counter[str]:
    return collections.Counter(message["text"] for message in fake.sent_messages())


def test_a_sender_killed_part_way_repeats_at_most_what_was_in_flight(
    engine: Engine, database_url: str, fake: FakeTelegram, tmp_path: Path
) -> None:
    queue_reminders(engine)
    # A send slower than half the lease is of unknown outcome and goes again; on a loaded
    # machine that happens without any crash, so the lease is long enough to leave it out.
    first = start_sender(database_url, fake, tmp_path / "sender.log", lease=LEASE)
    try:
        assert fake.wait_for(lambda: len(fake.sent_messages()) >= 300, timeout=60)
    finally:
        stop(first, signal.SIGKILL)
    in_flight = count(engine, SENDING)
    assert count(engine, SENT) < REMINDERS
    second = start_sender(database_url, fake, tmp_path / "sender.log", lease=LEASE)
    try:
        assert fake.wait_for(lambda: len(deliveries(fake)) == REMINDERS, timeout=120)
        assert wait_until(lambda: count(engine, SENT) == REMINDERS, timeout=30)
    finally:
        stop(second)
    received = deliveries(fake)
    assert set(received) == {f"nhắc {n}" for n in range(REMINDERS)}
    repeated = sum(times - 1 for times in received.values())
    # Only a message sent but not yet recorded when the process died can go twice.
    assert repeated <= in_flight
    assert fake.limit_violations == 0, fake.limit_violation_details


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_senders_on_one_postgresql_send_each_message_once(
    engine: Engine, database_url: str, fake: FakeTelegram, tmp_path: Path
) -> None:
    url = database_url
    queue_reminders(engine)
    senders = [start_sender(url, fake, tmp_path / f"sender{n}.log", lease=30.0) for n in (1, 2)]
    try:
        assert wait_until(lambda: count(engine, SENT) == REMINDERS, timeout=120)
    finally:
        for sender in senders:
            stop(sender)
    received = deliveries(fake)
    assert len(received) == REMINDERS
    assert set(received.values()) == {1}
    logs = [(tmp_path / f"sender{n}.log").read_text() for n in (1, 2)]
    assert all("Traceback" not in log for log in logs), logs
