"""The tick's notices of a registration: opened, reminders to units that owe, the board."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.storage import session_scope
from bot.storage.pledge_tables import PledgeWindow
from scheduler.plan import Planner
from tests.flow.pledging import (
    CHAIR,
    DURING_REGISTRATION,
    GROUP,
    LAN,
    OFFICERS,
    last,
    pledge_bot,
    queued_for,
    register_directly,
)

# One day before the 20 December 17:00 deadline, just after the 1-day reminder is due.
DAY_BEFORE = DURING_REGISTRATION.replace(day=19, hour=10, minute=5)


def tick(engine: Engine, now: object) -> int:
    with session_scope(engine) as session:
        return Planner(now=now).plan(session)  # type: ignore[arg-type]


async def test_the_opening_is_posted_once_and_each_unit_gets_the_button(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        assert tick(engine, bot.now) > 0
        tick(engine, bot.now + timedelta(minutes=1))
        opened = queued_for(engine, GROUP.id, ":open:")
        assert len(opened) == 1 and "Đã mở đăng ký chỉ tiêu" in opened[0].payload["text"]
        invites = queued_for(engine, LAN.id, ":invite:")
        assert len(invites) == 1
        button = invites[0].payload["reply_markup"]["inline_keyboard"][0][0]
        assert button["text"] == "📝 Đăng ký chỉ tiêu"
        message = bot.fake.sent_messages(LAN.id)[-1]
        question = last(await bot.press_data(LAN, message, button["callback_data"]))
        assert "Câu 1/6" in question["text"]


async def test_reminders_go_only_to_units_that_have_not_registered(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        register_directly(engine, "sa-thay")
        tick(engine, DAY_BEFORE)
        assert queued_for(engine, OFFICERS["sa-thay"].id, ":remind:") == []
        reminded = queued_for(engine, OFFICERS["dak-cam"].id, ":remind:")
        assert len(reminded) == 1 and "chưa đăng ký" in reminded[0].payload["text"]
        missing = queued_for(engine, GROUP.id, ":missing:")
        assert len(missing) == 1 and "Xã Sa Thầy" not in missing[0].payload["text"]
        assert "Phường Đăk Cấm" in missing[0].payload["text"]
        tick(engine, DAY_BEFORE + timedelta(hours=1))
        assert len(queued_for(engine, OFFICERS["dak-cam"].id, ":remind:")) == 1
        assert bot.now < DAY_BEFORE


async def test_the_group_gets_the_days_registration_board(engine: Engine) -> None:
    async with pledge_bot(engine):
        register_directly(engine, "sa-thay")
        tick(engine, DURING_REGISTRATION)
        boards = queued_for(engine, GROUP.id, ":board:")
        assert len(boards) == 1
        text = boards[0].payload["text"]
        assert "Tiến độ đăng ký chỉ tiêu năm 2027" in text and "1/5 đơn vị đã đăng ký" in text
        assert "✅ Xã Sa Thầy" in text and "⬜ Phường Kon Tum" in text


async def test_nothing_is_sent_before_the_registration_opens(engine: Engine) -> None:
    async with pledge_bot(engine):
        tick(engine, DURING_REGISTRATION.replace(day=1, hour=0))  # 07:00 local, before 08:00
        assert queued_for(engine, GROUP.id, ":pledge:") == []
        assert queued_for(engine, CHAIR.id) == []


async def test_the_chair_opens_a_registration_the_set_up_did_not_schedule(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        with session_scope(engine) as session:
            session.delete(session.exec(select(PledgeWindow)).one())
        menu = last(await bot.send(CHAIR, "/pledge"))
        assert "Chưa mở đăng ký chỉ tiêu" in menu["text"]
        choose = last(await bot.press(CHAIR, menu, "Mở đăng ký"))
        assert "Đã mở đăng ký chỉ tiêu năm 2027" in choose["text"]
        assert queued_for(engine, GROUP.id, ":open:") and queued_for(engine, LAN.id, ":invite:")
        question = last(await bot.send(LAN, "/targets"))
        assert "Câu 1/6" in question["text"]
