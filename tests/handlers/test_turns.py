"""The turn runner: every kind of update claimed once, asks kept with their writes, presses."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from telegram import Update

from bot.storage.models import AuditEvent, Person
from tests.support.desk import ADMIN, CHAIR, desk_bot, last, press_exact
from tests.support.harness import Harness, buttons

PERIOD = "Sơ kết 6 tháng đầu năm 2026"


async def deliver_twice(bot: Harness, update: dict[str, object]) -> None:
    for _delivery in range(2):
        await bot.app.process_update(Update.de_json(update, bot.app.bot))


def audit_count(engine: Engine, action: str) -> int:
    with Session(engine) as session:
        return len(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


async def test_an_admin_command_delivered_twice_is_answered_and_applied_once(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        before = len(bot.fake.sent_messages(ADMIN.id))
        await deliver_twice(bot, bot.fake.user_sends(ADMIN, "/open 2026-h1"))
        replies = bot.fake.sent_messages(ADMIN.id)[before:]
        assert [reply["text"][:12] for reply in replies] == ["🔓 Đã mở kỳ «"]
        assert audit_count(engine, "period.opened") == 1


async def test_help_and_language_are_claimed_once_like_every_turn(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        for text in ("/help", "/lang"):
            before = len(bot.fake.sent_messages(CHAIR.id))
            await deliver_twice(bot, bot.fake.user_sends(CHAIR, text))
            assert len(bot.fake.sent_messages(CHAIR.id)) == before + 1


async def test_a_question_for_a_missing_argument_keeps_the_person_first_seen(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        question = last(await bot.send(ADMIN, "/lock"))
        assert "Chọn kỳ báo cáo" in question["text"] and buttons(question)
        with Session(engine) as session:
            admin = session.exec(select(Person).where(col(Person.telegram_id) == ADMIN.id)).one()
            assert admin.full_name == ADMIN.first_name


async def test_an_admin_press_takes_the_buttons_off_its_message_and_stops_the_spinner(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        question = last(await bot.send(ADMIN, "/open"))
        reply = last(await press_exact(bot, ADMIN, question, PERIOD))
        assert "Đã mở kỳ" in reply["text"]
        [edit] = bot.fake.calls_to("editMessageReplyMarkup")
        assert edit.params["message_id"] == question["message_id"]
        assert len(bot.fake.calls_to("answerCallbackQuery")) == 1


async def test_an_admin_press_answered_too_late_for_its_toast_still_gets_its_reply(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        question = last(await bot.send(ADMIN, "/open"))
        bot.fake.fail_next(
            "answerCallbackQuery",
            status=400,
            description="Bad Request: query is too old and response timeout expired",
        )
        reply = last(await press_exact(bot, ADMIN, question, PERIOD))
        assert "Đã mở kỳ" in reply["text"] and "Xin lỗi" not in reply["text"]
