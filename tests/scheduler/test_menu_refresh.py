"""The leading scheduler gives Telegram the command menus that changed: next year's chair on
1 January, a chair of two years ago back to the plain menu, nothing when nothing changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from telegram import Bot

from bot.edge.menus import publish_menus
from bot.fake_telegram import FakeTelegram
from bot.settings import Settings
from bot.storage import session_scope
from bot.storage.menus_shown import shown_menus
from scheduler.leader import AlwaysLeader
from scheduler.service import Scheduler
from tests.scheduler.test_tidy import NeverLeader
from tests.support.factories import EXAMPLE, example_cluster, person_id_of

DECEMBER = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
JANUARY = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
A_YEAR_LATER = datetime(2028, 1, 1, 1, 0, tzinfo=UTC)
NEXT_LEADERS = "    leaders:\n      - {year: 2027, chair: dak-cam, vice_chair: mo-rai}\n"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


def _with_next_years_leaders() -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines(keepends=True) if "vice_chair:" in line)
    return text.replace(line, line + NEXT_LEADERS, 1)


def _menu(fake: FakeTelegram, chat_id: int | None) -> set[str]:
    scope = (
        {"type": "all_private_chats"} if chat_id is None else {"type": "chat", "chat_id": chat_id}
    )
    return {command["command"] for command in fake.bot_commands(scope)}


async def _refresh(engine: Engine, fake: FakeTelegram, now: datetime, lead: bool = True) -> int:
    """One hourly refresh by a scheduler whose clock says `now`, leading or standing by."""
    settings = Settings(TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url)
    leadership = AlwaysLeader() if lead else NeverLeader()
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        scheduler = Scheduler(settings, engine, bot, clock=lambda: now, leadership=leadership)
        await scheduler.start()
        try:
            return await scheduler.refresh_menus()
        finally:
            await scheduler.stop()


async def _publish_at_start(engine: Engine, fake: FakeTelegram, now: datetime) -> int:
    settings = Settings(TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url)
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        return await publish_menus(bot, engine, settings, now=now, run=_inline, changed_only=False)


async def _inline(work: Callable[[], Any]) -> Any:
    """Database work on the event loop: the test has nothing else to run meanwhile."""
    return work()


async def test_next_years_chair_gets_the_chairs_menu_on_the_first_of_january(
    engine: Engine, fake: FakeTelegram
) -> None:
    example_cluster(engine, yaml=_with_next_years_leaders())
    this_chair, next_chair = person_id_of("kon-tum"), person_id_of("dak-cam")
    assert await _publish_at_start(engine, fake, DECEMBER) >= 3
    plain = _menu(fake, None)
    assert _menu(fake, this_chair) > plain  # the chair's commands on top of the plain ones
    assert _menu(fake, next_chair) == plain  # not before 1 January

    calls = len(fake.calls_to("setMyCommands"))
    assert await _refresh(engine, fake, DECEMBER) == 0  # nothing changed since the start
    assert len(fake.calls_to("setMyCommands")) == calls

    assert await _refresh(engine, fake, JANUARY) >= 2
    assert _menu(fake, next_chair) > plain
    assert _menu(fake, this_chair) > plain  # last year's chair, for the year-end review
    with session_scope(engine) as session:
        assert {str(this_chair), str(next_chair), "all_private_chats"} <= set(shown_menus(session))

    await _refresh(engine, fake, A_YEAR_LATER)
    assert _menu(fake, next_chair) > plain
    assert not _menu(fake, this_chair)  # its own menu dropped: the plain one shows again
    with session_scope(engine) as session:
        assert str(this_chair) not in shown_menus(session)


async def test_a_standby_scheduler_gives_no_menus(engine: Engine, fake: FakeTelegram) -> None:
    example_cluster(engine, yaml=_with_next_years_leaders())
    assert await _refresh(engine, fake, JANUARY, lead=False) == 0
    assert not fake.calls_to("setMyCommands")


async def test_a_chat_that_is_nobodys_any_more_gets_its_own_menu_dropped(
    engine: Engine, fake: FakeTelegram
) -> None:
    example_cluster(engine)
    settings = Settings(
        TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url, THIDUA_ADMINS="4242"
    )
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        await publish_menus(bot, engine, settings, now=DECEMBER, run=_inline, changed_only=False)
        assert "periods" in _menu(fake, 4242)  # an admin's command
        no_admins = settings.model_copy(update={"admins": frozenset()})
        await publish_menus(bot, engine, no_admins, now=DECEMBER, run=_inline, changed_only=True)
    assert not _menu(fake, 4242)
    assert fake.calls_to("deleteMyCommands")
    with session_scope(engine) as session:
        assert "4242" not in shown_menus(session)
