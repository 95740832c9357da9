"""The outbox sender when Telegram is slow or failing: once per chat, within the limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from telegram import Bot

from bot.edge.transport import make_request
from bot.fake_telegram import FakeTelegram
from bot.storage import session_scope
from bot.storage.models import OutboxMessage
from bot.storage.outbox import FAILED, PENDING, SENT, enqueue
from scheduler.sender import MAX_ATTEMPTS, Limits, Sender, retry_delay

SCALE = 10.0  # Telegram's limits ten times faster: the rules, in a tenth of the time
READ_TIMEOUT = 0.3  # the client's usual read timeout, shorter than the stalls below


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(limits_scale=SCALE) as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    request = make_request("aiohttp", pool_size=64, read_timeout=READ_TIMEOUT)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as client:
        yield client


def sender(bot: Bot, engine: Engine, **options: object) -> Sender:
    settings: dict[str, object] = {"lease": 30, "idle_poll": 0.05, "backoff": 0.05}
    limits = Limits(rate=30, scale=SCALE)
    return Sender(bot, engine, limits=limits, **(settings | options))  # type: ignore[arg-type]


def queue(engine: Engine, chats: range) -> None:
    with session_scope(engine) as session:
        for chat in chats:
            enqueue(session, key=f"nhac:{chat}", chat_id=chat, payload={"text": f"nhắc {chat}"})


def rows(engine: Engine) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


async def run_until(running: Sender, done: Callable[[], bool], timeout: float = 30.0) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(running.run(stop))
    try:
        async with asyncio.timeout(timeout):
            while not await asyncio.to_thread(done):
                await asyncio.sleep(0.05)
    finally:
        stop.set()
        await task


def settled(engine: Engine) -> Callable[[], bool]:
    return lambda: all(row.status in (SENT, FAILED) for row in rows(engine))


def deliveries(fake: FakeTelegram, chats: range) -> dict[int, int]:
    return {chat: len(fake.sent_messages(chat)) for chat in chats}


async def test_a_fan_out_held_past_the_read_timeout_reaches_each_chat_once(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    chats = range(3000, 3040)
    fake.stall_next("sendMessage", seconds=1.0, times=len(chats))
    queue(engine, chats)
    await run_until(sender(bot, engine), settled(engine))
    assert deliveries(fake, chats) == {chat: 1 for chat in chats}
    assert {(row.status, row.attempts) for row in rows(engine)} == {(SENT, 1)}
    assert fake.limit_violations == 0, fake.limit_violation_details


async def test_mixed_faults_leave_nobody_unreminded_and_break_no_limit(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    chats = range(4000, 4060)
    fake.fail_next("sendMessage", status=502, description="Bad Gateway", times=15)
    fake.stall_next("sendMessage", seconds=0.8, times=20)
    queue(engine, chats)
    await run_until(sender(bot, engine), settled(engine))
    assert {row.status for row in rows(engine)} == {SENT}
    assert deliveries(fake, chats) == {chat: 1 for chat in chats}
    assert fake.limit_violations == 0, fake.limit_violation_details


async def test_a_message_failing_many_times_is_still_sent_with_capped_gaps(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    fake.fail_next("sendMessage", status=500, description="Internal Server Error", times=14)
    queue(engine, range(5000, 5001))
    await run_until(sender(bot, engine, max_backoff=0.1), settled(engine))
    [row] = rows(engine)
    assert (row.status, row.attempts) == (SENT, 15)


def test_the_back_off_doubles_up_to_its_cap_and_not_beyond() -> None:
    delays = [retry_delay(attempt, first=2.0, most=30.0) for attempt in range(1, MAX_ATTEMPTS)]
    assert delays[:6] == [2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert max(delays) == 30.0
    assert sum(delays) > 15 * 60  # still trying after a quarter of an hour of faults


async def test_a_send_of_unknown_outcome_waits_the_chats_interval_before_going_again(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    """The sender's clock stands still: the retry's due time says how long it waits."""
    queue(engine, range(6000, 6001))
    frozen = datetime.now(UTC)  # after the message was queued: it is due
    limits = Limits(rate=30, scale=0.5)  # a chat's interval of two seconds
    patient = Sender(
        bot, engine, limits=limits, lease=30, idle_poll=0.05, backoff=0.05,
        send_timeout=0.2, clock=lambda: frozen,
    )  # fmt: skip
    fake.stall_next("sendMessage", seconds=0.6)
    await run_until(
        patient, lambda: rows(engine)[0].status == PENDING and bool(fake.calls_to("sendMessage"))
    )
    [row] = rows(engine)
    assert row.attempts == 1 and "unknown" in (row.last_error or "")
    assert row.not_before - frozen >= timedelta(seconds=2.0)
