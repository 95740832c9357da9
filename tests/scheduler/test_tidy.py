"""The leading scheduler forgets update marks and kept updates older than any redelivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from telegram import Bot

from bot.settings import Settings
from bot.storage import session_scope
from bot.storage.models import HandledUpdate
from bot.storage.received import ReceivedUpdate
from scheduler.leader import AlwaysLeader
from scheduler.service import Scheduler

NOW = datetime(2026, 6, 20, 10, 0, tzinfo=UTC)
TOKEN = "123456:TEST"


class NeverLeader(AlwaysLeader):
    """Another scheduler holds the sender's lock."""

    def hold(self) -> bool:
        return False


def _seed(engine: Engine) -> None:
    """Update 1 handled and kept three days ago, update 2 an hour ago."""
    with session_scope(engine) as session:
        for update_id, age in ((1, timedelta(days=3)), (2, timedelta(hours=1))):
            session.add(HandledUpdate(update_id=update_id, handled_at=NOW - age))
            session.add(ReceivedUpdate(update_id=update_id, payload="{}", received_at=NOW - age))


def _left(engine: Engine) -> tuple[list[int], list[int]]:
    with Session(engine) as session:
        handled = session.exec(
            select(HandledUpdate.update_id).order_by(col(HandledUpdate.update_id))
        )
        kept = session.exec(
            select(ReceivedUpdate.update_id).order_by(col(ReceivedUpdate.update_id))
        )
        return list(handled), list(kept)


def _scheduler(engine: Engine, leadership: AlwaysLeader) -> Scheduler:
    settings = Settings(TELEGRAM_BOT_TOKEN=TOKEN)
    bot = Bot(TOKEN, base_url="http://127.0.0.1:9/bot")  # never called: nothing is sent
    return Scheduler(settings, engine, bot, clock=lambda: NOW, leadership=leadership)


async def test_the_leader_forgets_what_telegram_will_never_send_again(engine: Engine) -> None:
    _seed(engine)
    scheduler = _scheduler(engine, AlwaysLeader())
    await scheduler.start()
    try:
        assert scheduler.leads
        await scheduler.tidy()
    finally:
        await scheduler.stop()
    assert _left(engine) == ([2], [2])


async def test_a_standby_scheduler_forgets_nothing(engine: Engine) -> None:
    _seed(engine)
    scheduler = _scheduler(engine, NeverLeader())
    await scheduler.start()
    try:
        assert not scheduler.leads
        await scheduler.tidy()
    finally:
        await scheduler.stop()
    assert _left(engine) == ([1, 2], [1, 2])
