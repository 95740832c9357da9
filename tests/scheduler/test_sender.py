"""The outbox sender against the HTTP fake Bot API: limits, 429, 5xx, timeouts, 403."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from telegram import Bot

from bot.edge.transport import make_request
from bot.fake_telegram import FakeTelegram
from bot.storage import session_scope
from bot.storage.models import GroupChat, OutboxMessage, Person
from bot.storage.outbox import FAILED, PENDING, SENT, enqueue
from bot.storage.person_turns import Locker
from scheduler.sender import Limits, Sender

SCALE = 10.0  # limits ten times faster than Telegram's: the rules, in a tenth of the time
ADMIN = 9001


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(limits_scale=SCALE) as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    request = make_request("aiohttp", pool_size=32, read_timeout=0.5)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as client:
        yield client


def make_sender(bot: Bot, engine: Engine) -> Sender:
    return Sender(
        bot,
        engine,
        limits=Limits(rate=30, scale=SCALE),
        lease=30,
        admins=frozenset({ADMIN}),
        idle_poll=0.05,
        backoff=0.05,
    )


def queue(engine: Engine, *messages: tuple[str, int, str]) -> None:
    with session_scope(engine) as session:
        for key, chat_id, text in messages:
            enqueue(session, key=key, chat_id=chat_id, payload={"text": text})


def rows(engine: Engine) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        return list(session.exec(query).all())


async def send_until(sender: Sender, done: Callable[[], bool], timeout: float = 20.0) -> None:
    """Run the sender until `done()` (checked against the database) or fail after `timeout`."""
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    try:
        async with asyncio.timeout(timeout):
            while not await asyncio.to_thread(done):
                await asyncio.sleep(0.05)
    finally:
        stop.set()
        await running


async def until_settled(engine: Engine, timeout: float = 20.0) -> None:
    """Until every message is sent or given up (a sender runs meanwhile)."""
    async with asyncio.timeout(timeout):
        while not await asyncio.to_thread(all_settled(engine)):
            await asyncio.sleep(0.05)


def all_settled(engine: Engine) -> Callable[[], bool]:
    return lambda: all(row.status in (SENT, FAILED) for row in rows(engine))


async def test_every_message_goes_once_in_order_within_every_limit(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    queue(engine, *[(f"solo:{n}", 2000 + n, f"tin {n}") for n in range(60)])
    queue(engine, *[(f"one-chat:{n}", 7, f"lần {n}") for n in range(4)])
    queue(engine, *[(f"group:{n}", -100, f"nhóm {n}") for n in range(25)])
    await send_until(make_sender(bot, engine), all_settled(engine))
    assert {row.status for row in rows(engine)} == {SENT}
    assert all(row.telegram_message_id for row in rows(engine))
    assert [m["text"] for m in fake.sent_messages(7)] == [f"lần {n}" for n in range(4)]
    assert [m["text"] for m in fake.sent_messages(-100)] == [f"nhóm {n}" for n in range(25)]
    assert len(fake.sent_messages()) == 89
    assert fake.limit_violations == 0, fake.limit_violation_details


async def test_a_429_is_honoured_for_the_whole_bot(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    fake.fail_next("sendMessage", status=429, description="Too Many Requests", retry_after=1)
    queue(engine, ("first", 11, "một"))
    stop = asyncio.Event()
    running = asyncio.create_task(make_sender(bot, engine).run(stop))
    refused = await asyncio.to_thread(
        lambda: fake.wait_for(lambda: bool(fake.calls_to("sendMessage")))
    )
    assert refused
    await asyncio.sleep(0.1)
    queue(engine, ("second", 12, "hai"))  # another chat, queued while the bot must wait
    try:
        await until_settled(engine)
    finally:
        stop.set()
        await running
    first, second = rows(engine)
    assert first.status == second.status == SENT
    assert first.attempts == 2
    refusal, *accepted = fake.calls_to("sendMessage")
    assert refusal.status == 429
    assert len(accepted) == 2
    # Nothing went out, to any chat, during the second Telegram asked for.
    assert all(call.at - refusal.at >= 1.0 for call in accepted)


async def test_server_errors_and_timeouts_are_retried_with_backoff(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    fake.fail_next("sendMessage", status=500, description="Internal Server Error", times=2)
    queue(engine, ("flaky", 21, "lỗi máy chủ"))
    await send_until(make_sender(bot, engine), all_settled(engine))
    (row,) = rows(engine)
    assert (row.status, row.attempts) == (SENT, 3)
    assert [m["text"] for m in fake.sent_messages(21)] == ["lỗi máy chủ"]

    fake.stall_next("sendMessage", seconds=1.5)
    queue(engine, ("slow", 22, "chậm"))
    impatient = make_sender(bot, engine)
    impatient.send_timeout = 0.5  # shorter than the stall: the outcome is unknown
    await send_until(impatient, all_settled(engine))
    slow = rows(engine)[-1]
    # Timed out once, then sent; on a loaded machine a retry may time out too.
    assert slow.status == SENT and slow.attempts >= 2
    # A timed-out request may still have arrived: Telegram can show it twice, never zero times.
    assert 1 <= len(fake.sent_messages(22)) <= 2


async def test_a_blocked_person_is_marked_and_the_admins_told_once(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    with session_scope(engine) as session:
        session.add(Person(telegram_id=31, full_name="Chị Lan"))
    fake.block_chat(31)
    queue(engine, ("a", 31, "một"), ("b", 31, "hai"), ("c", 32, "ba"))
    await send_until(make_sender(bot, engine), all_settled(engine))
    statuses = {row.key: row.status for row in rows(engine)}
    assert statuses["a"] == statuses["b"] == FAILED
    assert statuses["c"] == SENT
    with session_scope(engine) as session:
        person = session.exec(select(Person).where(Person.telegram_id == 31)).one()
        assert person.unreachable_at is not None
    (notice,) = fake.sent_messages(ADMIN)
    assert "Chị Lan" in notice["text"] and "chặn bot" in notice["text"]


async def test_a_vanished_group_is_marked_unreachable(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    with session_scope(engine) as session:
        session.add(GroupChat(chat_id=-555, title="Cụm cũ"))
    fake.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    queue(engine, ("gone", -555, "còn ai không?"))
    await send_until(make_sender(bot, engine), all_settled(engine))
    with session_scope(engine) as session:
        group = session.exec(select(GroupChat)).one()
        assert group.unreachable_at is not None
    assert "Cụm cũ" in fake.sent_messages(ADMIN)[0]["text"]


async def test_a_message_claimed_by_a_dead_sender_goes_after_its_lease(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    from datetime import timedelta

    from bot.storage.outbox import claim
    from bot.storage.types import utcnow

    queue(engine, ("orphan", 41, "mồ côi"))
    with session_scope(engine) as session:
        (taken,) = claim(
            session, now=utcnow(), lease=timedelta(seconds=0.5), limit=5, skip_chats=set()
        )
        assert taken.key == "orphan"
    with session_scope(engine) as session:
        # Another sender sees nothing while the lease runs.
        assert (
            claim(session, now=utcnow(), lease=timedelta(seconds=30), limit=5, skip_chats=set())
            == []
        )
    await send_until(make_sender(bot, engine), all_settled(engine))
    assert [m["text"] for m in fake.sent_messages(41)] == ["mồ côi"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_reminder_waits_for_the_persons_turn_and_a_second_after_its_reply(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    worker = Locker(engine)  # a webhook worker's turns
    await asyncio.to_thread(worker.hold, 7, 1)  # person 7's update 1 is being answered
    queue(engine, ("remind", 7, "nhắc"))
    (queued,) = rows(engine)
    stop = asyncio.Event()
    running = asyncio.create_task(make_sender(bot, engine).run(stop))
    try:
        async with asyncio.timeout(20):  # taken, then put back for later: the turn is under way
            while not put_back(row := (await asyncio.to_thread(rows, engine))[0], queued):
                await asyncio.sleep(0.01)
        assert row.attempts == 0 and fake.sent_messages(7) == []
        await bot.send_message(7, "Câu 2/11")  # the turn's reply
        await asyncio.to_thread(worker.release, 7, update_id=1, sent=True)
        await until_settled(engine)
    finally:
        stop.set()
        await running
        worker.close()
    assert [m["text"] for m in fake.sent_messages(7)] == ["Câu 2/11", "nhắc"]
    assert fake.limit_violations == 0, fake.limit_violation_details


def put_back(row: OutboxMessage, queued: OutboxMessage) -> bool:
    return row.status == PENDING and row.not_before > queued.not_before


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_turn_that_starts_as_a_reminder_lands_replies_a_second_later(
    engine: Engine, fake: FakeTelegram, bot: Bot
) -> None:
    worker = Locker(engine)

    def answer_at_once() -> None:
        """The person writes the moment the reminder reaches them; the worker replies."""
        assert fake.wait_for(lambda: bool(fake.sent_messages(8)), timeout=20)
        worker.hold(8, 2)
        asyncio.run_coroutine_threadsafe(bot.send_message(8, "Câu 1/11"), loop).result()
        worker.release(8, update_id=2, sent=True)

    loop = asyncio.get_running_loop()
    queue(engine, ("remind", 8, "nhắc"))
    turn = asyncio.create_task(asyncio.to_thread(answer_at_once))
    try:
        await send_until(make_sender(bot, engine), all_settled(engine))
        await turn
    finally:
        worker.close()
    assert [m["text"] for m in fake.sent_messages(8)] == ["nhắc", "Câu 1/11"]
    assert fake.limit_violations == 0, fake.limit_violation_details
