"""A focal point joins and submits through the real application and an in-process fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.fake_telegram import FakeChat, FakeUser
from bot.flow import setup_cache
from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.models import (
    Answer,
    AuditEvent,
    Indicator,
    OutboxMessage,
    Period,
    Person,
    Submission,
    Unit,
    UnitLock,
)
from bot.storage.outbox import message_by_key
from bot.storage.setup_import import apply_setup
from tests.support.harness import DURING_PERIOD, Harness, button_data, buttons

OFFICER = FakeUser(id=1001, first_name="Lan", last_name="Nguyễn", language_code="vi")
STRANGER = FakeUser(id=2002, first_name="Minh", language_code="vi")

# Answers for kon-tum, close to its targets, in pledge order (11 questions).
PLAIN_ANSWERS = ["450", "104,5", "7", "1200", "0,3", "47/53"]


@pytest.fixture
async def bot(engine: Engine, example_yaml: str) -> AsyncIterator[Harness]:
    with session_scope(engine) as session:
        apply_setup(session, read_setup(example_yaml), actor="test")
    async with Harness(engine) as harness:
        yield harness


def last(messages: list[dict[str, Any]]) -> dict[str, Any]:
    assert messages, "the bot sent nothing"
    return messages[-1]


def answers(engine: Engine, status: str | None = None) -> dict[str, Answer]:
    with Session(engine) as session:
        query = (
            select(Indicator.code, Answer)
            .join(Answer, col(Answer.indicator_id) == Indicator.id)
            .join(Submission, col(Submission.id) == Answer.submission_id)
        )
        if status:
            query = query.where(Submission.status == status)
        return {code: answer for code, answer in session.exec(query).all()}


async def answer_plain_questions(bot: Harness, user: FakeUser = OFFICER) -> dict[str, Any]:
    """Join kon-tum and answer questions 1-6 by typing; returns the 7th question."""
    await bot.join(user, "kon-tum")
    reply = last(await bot.send(user, "/submit"))
    for value in PLAIN_ANSWERS:
        reply = last(await bot.send(user, value))
    return reply


async def finish_from_question_7(bot: Harness, question_7: dict[str, Any]) -> dict[str, Any]:
    """Answer the yes/no, choice, text, skip and file questions; returns the review."""
    reply = last(await bot.press(OFFICER, question_7, "Có"))
    reply = last(await bot.press(OFFICER, reply, "Khá"))
    reply = last(await bot.send(OFFICER, "Hoàn thành 3 công trình trọng điểm."))
    reply = last(await bot.press(OFFICER, reply, "Bỏ qua"))
    assert "Câu 11/11" in reply["text"]
    return last(
        await bot.send_document(
            OFFICER,
            file_name="bao-cao-so-ket.pdf",
            mime_type="application/pdf",
            file_size=120_000,
            content=b"%PDF-1.4",
        )
    )


async def test_a_valid_invite_greets_the_person_by_name_with_unit_and_cluster(bot: Harness) -> None:
    reply, question = await bot.join(OFFICER, "sa-thay")
    assert "Lan" in reply["text"]
    assert "Xã Sa Thầy" in reply["text"] and "Cụm thi đua số 2" in reply["text"]
    assert "/submit" in reply["text"]
    # Then, never in the way: the full name in Vietnamese order, one press to accept it.
    assert "Họ tên của anh/chị là “Nguyễn Lan”?" in question["text"]
    assert buttons(question)[0][0] == "✅ Đúng, là Nguyễn Lan"


@pytest.mark.parametrize("case", ["expired", "used", "unknown"])
async def test_a_bad_invite_gets_a_clear_message(bot: Harness, case: str) -> None:
    token = bot.invite("sa-thay", expires_days=1)
    if case == "expired":
        bot.later(days=2)
    if case == "used":
        await bot.send(STRANGER, f"/start {token}")
    if case == "unknown":
        token = "not-a-real-token"
    reply = last(await bot.send(OFFICER, f"/start {token}"))
    expected = {"expired": "hết hạn", "used": "đã được dùng", "unknown": "Không tìm thấy"}[case]
    assert expected in reply["text"]
    assert "quản trị viên" in reply["text"]


async def test_start_without_a_token_explains_the_bot_and_how_to_join(bot: Harness) -> None:
    reply = last(await bot.send(STRANGER, "/start"))
    assert "đường dẫn mời" in reply["text"]


async def test_a_whole_submission_covers_every_kind_and_ends_with_a_receipt(
    bot: Harness, engine: Engine
) -> None:
    question_7 = await answer_plain_questions(bot)
    assert "Câu 7/11" in question_7["text"]
    review = await finish_from_question_7(bot, question_7)
    assert "Xem lại số liệu" in review["text"]
    assert "104,5%" in review["text"] and "47/53" in review["text"] and "1.200" in review["text"]
    assert "(để trống)" in review["text"] and "bao-cao-so-ket.pdf" in review["text"]
    receipt = last(await bot.press(OFFICER, review, "Xác nhận nộp"))
    assert "Đã nộp số liệu" in receipt["text"] and "Lần nộp: 1" in receipt["text"]
    assert "Phường Kon Tum" in receipt["text"] and "Nộp muộn" not in receipt["text"]

    stored = answers(engine, "submitted")
    assert stored["thu-ngan-sach"].value == "450"
    assert stored["gtsx-ke-hoach"].value == "104.5" and stored["gtsx-ke-hoach"].raw_text == "104,5"
    assert stored["tcd-htt"].value == "47/53"
    assert stored["giao-quan"].value == "true" and stored["cchc"].value == "Khá"
    assert stored["kien-nghi"].skipped is True
    assert stored["bao-cao"].file_name == "bao-cao-so-ket.pdf"
    assert stored["bao-cao"].file_size == 120_000 and stored["bao-cao"].file_id


async def test_each_answer_is_saved_before_the_next_question_is_sent(
    bot: Harness, engine: Engine
) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    reply = last(await bot.send(OFFICER, "450"))
    assert "Câu 2/11" in reply["text"]
    assert answers(engine, "draft")["thu-ngan-sach"].value == "450"


async def test_an_invalid_value_gets_a_polite_message_with_an_example_and_the_same_question(
    bot: Harness, engine: Engine
) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    reply = last(await bot.send(OFFICER, "khoảng bốn trăm"))
    assert "ví dụ" in reply["text"].lower()
    assert "Câu 1/11" in reply["text"]
    reply = last(await bot.send(OFFICER, "450"))
    reply = last(await bot.send(OFFICER, "350"))  # percent indicator has max 300
    assert "Câu 2/11" in reply["text"] and "300" in reply["text"]
    assert "gtsx-ke-hoach" not in answers(engine)


async def test_an_ambiguous_number_is_asked_back_with_buttons(bot: Harness, engine: Engine) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    for value in ["450", "104,5", "7"]:
        await bot.send(OFFICER, value)
    question = last(await bot.send(OFFICER, "1.250"))
    labels = [label for label, _data in buttons(question)]
    assert len(labels) == 2, labels
    reply = last(await bot.press(OFFICER, question, labels[0]))
    assert "Câu 5/11" in reply["text"]
    assert answers(engine)["quy-vi-nguoi-ngheo"].value == "1250"


async def test_an_unusual_figure_is_confirmed_and_explained(bot: Harness, engine: Engine) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    question = last(await bot.send(OFFICER, "25,8"))  # target 620
    assert "chỉ tiêu giao" in question["text"] and "620" in question["text"]
    ask = last(await bot.press(OFFICER, question, "Đúng"))
    assert "giải trình" in ask["text"]
    reply = last(await bot.send(OFFICER, "Nguồn thu đất chưa về trong 6 tháng đầu năm."))
    assert "Câu 2/11" in reply["text"]
    stored = answers(engine)["thu-ngan-sach"]
    assert stored.value == "25.8" and stored.flags == ["unusual"]
    assert stored.explanation == "Nguồn thu đất chưa về trong 6 tháng đầu năm."


async def test_an_unusual_figure_can_be_corrected_instead(bot: Harness, engine: Engine) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    question = last(await bot.send(OFFICER, "25,8"))
    again = last(await bot.press(OFFICER, question, "Nhập lại"))
    assert "Câu 1/11" in again["text"]
    reply = last(await bot.send(OFFICER, "258"))
    assert "Câu 2/11" in reply["text"]
    assert answers(engine)["thu-ngan-sach"].flags == []


async def test_back_goes_one_question_back_and_keeps_later_answers_safe(
    bot: Harness, engine: Engine
) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    await bot.send(OFFICER, "450")
    question_3 = last(await bot.send(OFFICER, "104,5"))
    question_2 = last(await bot.press(OFFICER, question_3, "Quay lại"))
    assert "Câu 2/11" in question_2["text"] and "104,5%" in question_2["text"]
    reply = last(await bot.send(OFFICER, "99"))
    assert "Câu 3/11" in reply["text"]
    assert answers(engine)["gtsx-ke-hoach"].value == "99"


async def test_a_button_on_an_old_message_is_answered_sensibly(bot: Harness) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    await bot.send(OFFICER, "450")
    question_3 = last(await bot.send(OFFICER, "104,5"))
    back_data = button_data(question_3, "Quay lại")
    await bot.send(OFFICER, "7")
    replies = await bot.press_data(OFFICER, question_3, back_data)
    assert "câu hỏi trước" in replies[0]["text"]
    assert "Câu 4/11" in last(replies)["text"]
    garbage = await bot.press_data(OFFICER, question_3, "ok:999999")
    assert "cũ" in last(garbage)["text"]


async def test_a_press_answered_too_late_for_its_toast_still_gets_its_reply(
    bot: Harness, engine: Engine
) -> None:
    question_7 = await answer_plain_questions(bot)
    bot.fake.fail_next(
        "answerCallbackQuery",
        status=400,
        description="Bad Request: query is too old and response timeout expired",
    )
    replies = await bot.press(OFFICER, question_7, "Có")
    assert [m["text"][:8] for m in replies] == ["Câu 8/11"]
    assert "Xin lỗi" not in last(replies)["text"]
    assert answers(engine)["giao-quan"].value == "true"


async def test_after_a_restart_submit_continues_with_earlier_answers_intact(
    bot: Harness, engine: Engine
) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    for value in ["450", "104,5", "7"]:
        await bot.send(OFFICER, value)
    await bot.restart()
    offer = last(await bot.send(OFFICER, "/submit"))
    assert "3/11" in offer["text"]
    question = last(await bot.press(OFFICER, offer, "câu 4"))
    assert "Câu 4/11" in question["text"]
    assert {k: a.value for k, a in answers(engine).items()} == {
        "thu-ngan-sach": "450",
        "gtsx-ke-hoach": "104.5",
        "xa-ntm": "7",
    }


async def test_start_over_empties_the_draft(bot: Harness, engine: Engine) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    await bot.send(OFFICER, "450")
    offer = last(await bot.send(OFFICER, "/submit"))
    question = last(await bot.press(OFFICER, offer, "Làm lại"))
    assert "Câu 1/11" in question["text"]
    assert answers(engine) == {}


async def test_submitting_again_creates_revision_2_and_keeps_revision_1(
    bot: Harness, engine: Engine
) -> None:
    review = await finish_from_question_7(bot, await answer_plain_questions(bot))
    await bot.press(OFFICER, review, "Xác nhận nộp")
    replies = await bot.send(OFFICER, "/submit")
    assert "lần 2" in replies[0]["text"]
    question = last(await bot.press(OFFICER, last(replies), "✏️ 1"))
    review = last(await bot.send(OFFICER, "460"))
    receipt = last(await bot.press(OFFICER, review, "Xác nhận nộp"))
    assert "Lần nộp: 2" in receipt["text"] and question
    with Session(engine) as session:
        revisions = session.exec(select(Submission.revision, Submission.status)).all()
        assert sorted(revisions) == [(1, "submitted"), (2, "submitted")]
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == "submission.submitted")
        ).all()
        assert [e.after["revision"] for e in events if e.after] == [1, 2]


async def test_a_submission_after_the_deadline_is_accepted_and_marked_late(
    bot: Harness, engine: Engine
) -> None:
    question_7 = await answer_plain_questions(bot)
    review = await finish_from_question_7(bot, question_7)
    bot.later(days=11)  # past 20 June 17:00, before the lock 7 days later
    receipt = last(await bot.press(OFFICER, review, "Xác nhận nộp"))
    assert "Nộp muộn" in receipt["text"]
    with Session(engine) as session:
        assert session.exec(select(Submission.late)).one() is True


async def test_a_locked_period_accepts_nothing_and_says_whom_to_contact(bot: Harness) -> None:
    await bot.join(OFFICER, "sa-thay")
    bot.later(days=20)
    reply = last(await bot.send(OFFICER, "/submit"))
    assert "khóa sổ" in reply["text"] and "Phường Kon Tum" in reply["text"]


async def test_someone_outside_the_unit_cannot_submit(bot: Harness) -> None:
    reply = last(await bot.send(STRANGER, "/submit"))
    assert "chưa thuộc đơn vị nào" in reply["text"]
    question_7 = await answer_plain_questions(bot)
    await bot.join(STRANGER, "sa-thay")
    data = button_data(question_7, "Có")
    refusal = last(await bot.press_data(STRANGER, question_7, data))
    # Answered as a missing draft: nothing tells that another unit's draft exists.
    assert "Nút này đã cũ" in refusal["text"] and "Câu" not in refusal["text"]


async def test_a_private_command_in_a_group_points_to_the_private_chat(bot: Harness) -> None:
    group = FakeChat(id=-100500, type="supergroup", title="Cụm thi đua số 2")
    reply = last(await bot.send(OFFICER, "/submit", chat=group))
    assert any(url.startswith("https://t.me/") for _label, url in buttons(reply))


async def test_status_shows_the_state_and_time_left_and_cancel_keeps_the_draft(
    bot: Harness, engine: Engine
) -> None:
    await bot.join(OFFICER, "kon-tum")
    reply = last(await bot.send(OFFICER, "/status"))
    assert "chưa nộp" in reply["text"] and "còn" in reply["text"]
    await bot.send(OFFICER, "/submit")
    await bot.send(OFFICER, "450")
    reply = last(await bot.send(OFFICER, "/cancel"))
    assert "/submit" in reply["text"]
    reply = last(await bot.send(OFFICER, "123"))  # not an answer any more
    assert "/submit" in reply["text"]
    assert answers(engine)["thu-ngan-sach"].value == "450"
    reply = last(await bot.send(OFFICER, "/status"))
    assert "Đang soạn: đã trả lời 1/11 câu. Gõ /submit để làm tiếp." in reply["text"]
    assert "Số liệu tính từ 15/12/2025 đến 14/6/2026." in reply["text"]


@pytest.mark.parametrize(
    ("file_name", "size", "expected"),
    [("virus.exe", 1000, "PDF, DOCX hay XLSX"), ("bao-cao.pdf", 30 * 1024 * 1024, "quá lớn")],
)
async def test_a_wrong_file_is_refused_and_the_question_repeated(
    bot: Harness, file_name: str, size: int, expected: str
) -> None:
    question_7 = await answer_plain_questions(bot)
    reply = last(await bot.press(OFFICER, question_7, "Có"))
    reply = last(await bot.press(OFFICER, reply, "Khá"))
    reply = last(await bot.press(OFFICER, reply, "Bỏ qua"))
    reply = last(await bot.press(OFFICER, reply, "Bỏ qua"))
    reply = last(
        await bot.send_document(OFFICER, file_name=file_name, mime_type="x/y", file_size=size)
    )
    assert expected in reply["text"] and "Câu 11/11" in reply["text"]


async def test_a_file_sent_for_a_number_question_is_refused_politely(bot: Harness) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    reply = last(
        await bot.send_document(
            OFFICER, file_name="a.pdf", mime_type="application/pdf", file_size=10
        )
    )
    assert "Câu 1/11" in reply["text"] and "tệp" in reply["text"]


async def test_an_overlong_text_answer_is_refused(bot: Harness) -> None:
    question_7 = await answer_plain_questions(bot)
    reply = last(await bot.press(OFFICER, question_7, "Có"))
    reply = last(await bot.press(OFFICER, reply, "Khá"))
    reply = last(await bot.send(OFFICER, "x" * 2500))
    assert "Câu 9/11" in reply["text"] and "2.000" in reply["text"]


async def test_an_english_telegram_app_gets_the_default_until_its_person_chooses(
    bot: Harness,
) -> None:
    english = FakeUser(id=3003, first_name="Anna", language_code="en")
    reply = (await bot.join(english, "dak-cam"))[0]
    assert "Xin chào" in reply["text"]  # THIDUA_LOCALE, not the app's language
    menu = last(await bot.send(english, "/lang"))
    await bot.press(english, menu, "English")
    reply = last(await bot.send(english, "/submit"))
    assert "Question 1/11" in reply["text"]


async def test_english_speakers_get_english_where_the_setting_takes_the_app_language(
    engine: Engine, example_yaml: str
) -> None:
    with session_scope(engine) as session:
        apply_setup(session, read_setup(example_yaml), actor="test")
    async with Harness(engine, THIDUA_LOCALE_FROM_TELEGRAM="true") as harness:
        english = FakeUser(id=3003, first_name="Anna", language_code="en")
        reply = (await harness.join(english, "dak-cam"))[0]
        assert "Hello" in reply["text"] or "Hi" in reply["text"]
        reply = last(await harness.send(english, "/submit"))
        assert "Question 1/11" in reply["text"]


async def test_lang_switches_the_language(bot: Harness) -> None:
    await bot.join(OFFICER, "dak-cam")
    menu = last(await bot.send(OFFICER, "/lang"))
    reply = last(await bot.press(OFFICER, menu, "English"))
    assert "English" in reply["text"]
    reply = last(await bot.send(OFFICER, "/submit"))
    assert "Question 1/11" in reply["text"]


async def test_an_update_delivered_twice_is_answered_once(bot: Harness, engine: Engine) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    update = bot.fake.user_sends(OFFICER, "450")
    from telegram import Update

    await bot.app.process_update(Update.de_json(update, bot.app.bot))
    count = len(bot.fake.sent_messages(OFFICER.id))
    await bot.restart()  # Telegram sends unconfirmed updates again after a crash
    await bot.app.process_update(Update.de_json(update, bot.app.bot))
    assert len(bot.fake.sent_messages(OFFICER.id)) == count
    reply = last(await bot.send(OFFICER, "104,5"))
    assert "Câu 3/11" in reply["text"]


async def test_a_long_review_is_split_under_telegrams_limit(
    engine: Engine, example_yaml: str
) -> None:
    import yaml

    tree = yaml.safe_load(example_yaml)
    tree["pledges"][0]["indicators"] = [
        {
            "code": f"ct-{n}",
            "name": f"Chỉ tiêu số {n}: " + "tỷ lệ hộ dân được tiếp cận dịch vụ " * 3,
            "kind": "yesno",
        }
        for n in range(1, 61)
    ]
    tree["pledges"][0]["targets"] = {}
    with session_scope(engine) as session:
        apply_setup(session, read_setup(yaml.safe_dump(tree, allow_unicode=True)), actor="test")
    async with Harness(engine) as harness:
        await harness.join(OFFICER, "dak-cam")
        reply = last(await harness.send(OFFICER, "/submit"))
        for _ in range(60):
            replies = await harness.press(OFFICER, reply, "Có")
            reply = last(replies)
        assert len(replies) >= 2
        assert all(len(message["text"]) <= 4096 for message in replies)
        assert "Xác nhận nộp" in [label for label, _d in buttons(reply)][-1]


async def test_an_edited_old_answer_does_not_answer_the_current_question(
    bot: Harness, engine: Engine
) -> None:
    from telegram import Update

    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    update = bot.fake.user_sends(OFFICER, "450")
    await bot.app.process_update(Update.de_json(update, bot.app.bot))
    edited = {
        "update_id": update["update_id"] + 1000,
        "edited_message": {
            **update["message"],
            "text": "460",
            "edit_date": update["message"]["date"] + 5,
        },
    }
    before = len(bot.fake.sent_messages(OFFICER.id))
    await bot.app.process_update(Update.de_json(edited, bot.app.bot))
    reply = bot.fake.sent_messages(OFFICER.id)[before:][-1]
    assert "đã sửa" in reply["text"]
    assert set(answers(engine)) == {"thu-ngan-sach"}
    assert answers(engine)["thu-ngan-sach"].value == "450"


# -- hooks for admins, chairs and reminders ------------------------------------------------


def ids_of(engine: Engine, unit_code: str) -> tuple[int, int]:
    """(period id, unit id) of the example period and a unit."""
    with Session(engine) as session:
        period = session.exec(select(Period).where(Period.code == "2026-h1")).one()
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        return period.id or 0, unit.id or 0


def set_unit_lock(engine: Engine, unit_code: str, state: str) -> None:
    """An admin's exception for one unit, as `/lock` and `/unlock` store it."""
    period_id, unit_id = ids_of(engine, unit_code)
    with session_scope(engine) as session:
        session.add(UnitLock(period_id=period_id, unit_id=unit_id, state=state, set_by="test"))


async def test_a_unit_locked_by_an_admin_accepts_nothing_and_says_whom_to_contact(
    bot: Harness, engine: Engine
) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    await bot.send(OFFICER, "450")
    set_unit_lock(engine, "kon-tum", "locked")
    reply = last(await bot.send(OFFICER, "104,5"))
    assert "khóa sổ" in reply["text"] and "Phường Kon Tum" in reply["text"]
    reply = last(await bot.send(OFFICER, "/submit"))
    assert "khóa sổ" in reply["text"]
    reply = last(await bot.send(OFFICER, "/status"))
    assert "🔒" in reply["text"]
    assert set(answers(engine)) == {"thu-ngan-sach"}


async def test_a_unit_unlocked_after_the_lock_still_submits_marked_late(
    bot: Harness, engine: Engine
) -> None:
    await bot.join(OFFICER, "kon-tum")
    bot.later(days=20)  # past the deadline and the lock a week after it
    assert "khóa sổ" in last(await bot.send(OFFICER, "/submit"))["text"]
    set_unit_lock(engine, "kon-tum", "unlocked")
    question_1 = last(await bot.send(OFFICER, "/submit"))
    assert "Câu 1/11" in question_1["text"]
    reply = question_1
    for value in PLAIN_ANSWERS:
        reply = last(await bot.send(OFFICER, value))
    review = await finish_from_question_7(bot, reply)
    receipt = last(await bot.press(OFFICER, review, "Xác nhận nộp"))
    assert "Đã nộp số liệu" in receipt["text"] and "Nộp muộn" in receipt["text"]
    with Session(engine) as session:
        assert session.exec(select(Submission.late)).one() is True


CHAIR = FakeUser(id=4004, first_name="Hùng", language_code="en")


def return_revision(engine: Engine, *, revision: int, reason: str, by: FakeUser) -> None:
    """A chair returns a submitted revision, as `/return` stores it."""
    with session_scope(engine) as session:
        chair = session.exec(select(Person).where(Person.telegram_id == by.id)).one()
        submission = session.exec(select(Submission).where(Submission.revision == revision)).one()
        submission.returned_reason = reason
        submission.returned_at = DURING_PERIOD
        submission.returned_by_person_id = chair.id
        session.add(submission)


async def test_a_returned_revision_shows_the_reason_and_its_correction_tells_the_chair(
    bot: Harness, engine: Engine
) -> None:
    review = await finish_from_question_7(bot, await answer_plain_questions(bot))
    await bot.press(OFFICER, review, "Xác nhận nộp")
    menu = last(await bot.send(CHAIR, "/lang"))  # the chair's person, reading English
    await bot.press(CHAIR, menu, "English")
    return_revision(engine, revision=1, reason="Thu ngân sách chưa khớp báo cáo", by=CHAIR)

    status = last(await bot.send(OFFICER, "/status"))
    assert "Thu ngân sách chưa khớp báo cáo" in status["text"] and "trả lại" in status["text"]
    replies = await bot.send(OFFICER, "/submit")
    assert "Thu ngân sách chưa khớp báo cáo" in replies[0]["text"]
    assert "nộp lại" in replies[0]["text"] and "lần 2" in replies[0]["text"]
    assert "450" in last(replies)["text"]  # the draft starts from the returned figures
    await bot.send(OFFICER, "/cancel")
    offer = last(await bot.send(OFFICER, "/submit"))
    assert "Thu ngân sách chưa khớp báo cáo" in offer["text"]

    question = last(await bot.press(OFFICER, offer, "xác nhận"))
    await bot.press(OFFICER, question, "✏️ 1")
    review = last(await bot.send(OFFICER, "460"))
    receipt = last(await bot.press(OFFICER, review, "Xác nhận nộp"))
    assert "Lần nộp: 2" in receipt["text"]
    with Session(engine) as session:
        revision_2 = session.exec(select(Submission).where(Submission.revision == 2)).one()
        message = message_by_key(session, f"resubmitted:{revision_2.id}")
    assert message is not None and message.chat_id == CHAIR.id
    assert "Phường Kon Tum" in message.payload["text"]
    assert "resubmitted" in message.payload["text"]  # in the chair's language


async def test_a_revision_not_returned_tells_nobody(bot: Harness, engine: Engine) -> None:
    review = await finish_from_question_7(bot, await answer_plain_questions(bot))
    await bot.press(OFFICER, review, "Xác nhận nộp")
    replies = await bot.send(OFFICER, "/submit")
    await bot.press(OFFICER, last(replies), "Xác nhận nộp")
    with Session(engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []


async def test_the_reminders_deep_link_starts_submitting_for_a_member(bot: Harness) -> None:
    await bot.join(OFFICER, "kon-tum")
    reply = last(await bot.send(OFFICER, "/start submit"))
    assert "Câu 1/11" in reply["text"]


async def test_the_reminders_deep_link_explains_the_bot_to_a_stranger(bot: Harness) -> None:
    reply = last(await bot.send(STRANGER, "/start submit"))
    assert "đường dẫn mời" in reply["text"] and "Câu" not in reply["text"]


async def test_start_for_a_member_shows_where_the_unit_stands_and_what_to_do_next(
    bot: Harness,
) -> None:
    await bot.join(OFFICER, "kon-tum")
    reply = last(await bot.send(OFFICER, "/start"))
    assert "Lan" in reply["text"] and "Phường Kon Tum" in reply["text"]
    assert "chưa nộp" in reply["text"] and "Việc tiếp theo" in reply["text"]
    review = await finish_from_question_7(bot, await answer_plain_questions(bot))
    await bot.press(OFFICER, review, "Xác nhận nộp")
    reply = last(await bot.send(OFFICER, "/start"))
    assert "đã nộp lần 1" in reply["text"] and "Việc tiếp theo" not in reply["text"]


async def test_confirming_on_a_review_older_than_the_answers_shows_the_latest_review(
    bot: Harness, engine: Engine
) -> None:
    old_review = await finish_from_question_7(bot, await answer_plain_questions(bot))
    await bot.press(OFFICER, old_review, "✏️ 1")  # the old review keeps its buttons
    await bot.send(OFFICER, "460")
    replies = await bot.press(OFFICER, old_review, "Xác nhận nộp")
    assert "đã cũ" in replies[0]["text"] and "460" in last(replies)["text"]
    assert answers(engine, "submitted") == {}
    receipt = last(await bot.press(OFFICER, last(replies), "Xác nhận nộp"))
    assert "Đã nộp số liệu" in receipt["text"]
    assert answers(engine, "submitted")["thu-ngan-sach"].value == "460"


async def test_start_over_on_an_older_offer_keeps_the_answers_given_since(
    bot: Harness, engine: Engine
) -> None:
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    await bot.send(OFFICER, "450")
    offer = last(await bot.send(OFFICER, "/submit"))
    await bot.press(OFFICER, offer, "câu 2")
    await bot.send(OFFICER, "104,5")
    replies = await bot.press(OFFICER, offer, "Làm lại")
    assert "câu hỏi trước" in replies[0]["text"] and "Câu 3/11" in last(replies)["text"]
    assert set(answers(engine)) == {"thu-ngan-sach", "gtsx-ke-hoach"}


async def test_a_set_up_import_during_a_submission_takes_effect_at_the_next_question(
    bot: Harness, engine: Engine, example_yaml: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    # The running bot reads the set-up version at most once a second; here, at every step.
    monkeypatch.setattr(setup_cache, "VERSION_MAX_AGE", 0.0)
    await bot.join(OFFICER, "kon-tum")
    await bot.send(OFFICER, "/submit")
    question_2 = last(await bot.send(OFFICER, "450"))
    assert "Câu 2/11" in question_2["text"] and "Xã nông thôn mới" not in question_2["text"]
    tree = yaml.safe_load(example_yaml)
    pledge = tree["pledges"][0]
    pledge["indicators"][2]["name"] = "Xã nông thôn mới (lũy kế)"
    pledge["targets"]["kon-tum"]["xa-ntm"] = 9
    with session_scope(engine) as session:
        apply_setup(session, read_setup(yaml.safe_dump(tree, allow_unicode=True)), actor="test")
    question_3 = last(await bot.send(OFFICER, "104,5"))
    assert "Xã nông thôn mới (lũy kế)" in question_3["text"]
    assert "Chỉ tiêu giao: 9" in question_3["text"]


async def test_the_first_question_says_what_the_figures_cover(bot: Harness) -> None:
    await bot.join(OFFICER, "kon-tum")
    question = last(await bot.send(OFFICER, "/submit"))
    assert question["text"].startswith("Số liệu tính từ 15/12/2025 đến 14/6/2026.\n\nCâu 1/11")
    second = last(await bot.send(OFFICER, "450"))
    assert "Số liệu tính từ" not in second["text"]


async def test_status_says_what_to_do_next_in_each_case(bot: Harness, engine: Engine) -> None:
    await bot.join(OFFICER, "kon-tum")
    reply = last(await bot.send(OFFICER, "/status"))
    assert "👉 Gõ /submit hoặc bấm «Nộp số liệu» để nộp." in reply["text"]
    await finish_from_question_7(bot, await answer_plain_questions(bot))  # the review, unconfirmed
    reply = last(await bot.send(OFFICER, "/status"))
    assert "đã trả lời đủ 11 câu nhưng chưa nộp: gõ /submit rồi bấm «Xác nhận nộp»" in reply["text"]
    bot.later(days=20)  # past the deadline and the lock
    reply = last(await bot.send(OFFICER, "/status"))
    assert (
        "🔒" in reply["text"]
        and "Bản nháp (11 câu đã trả lời) không nộp được nữa" in (reply["text"])
    )
    assert "/submit" not in reply["text"] and "liên hệ cụm trưởng" in reply["text"]


async def test_status_for_an_admin_of_no_unit_points_to_the_admins_views(
    engine: Engine, example_yaml: str
) -> None:
    with session_scope(engine) as session:
        apply_setup(session, read_setup(example_yaml), actor="test")
    async with Harness(engine, THIDUA_ADMINS=str(STRANGER.id)) as harness:
        reply = last(await harness.send(STRANGER, "/status"))
        assert reply["text"].startswith("Anh/chị là quản trị viên") and "/board" in reply["text"]
        assert "đường dẫn mời" not in reply["text"]


async def test_the_chairs_contact_is_told_to_follow_the_cluster_not_to_submit(
    bot: Harness,
) -> None:
    reply = (await bot.join(OFFICER, "kon-tum", role="chair"))[0]
    assert "người liên hệ của cụm trưởng, thuộc Phường Kon Tum" in reply["text"]
    assert "/board" in reply["text"] and "Nộp số liệu" not in reply["text"]


async def test_the_profile_gives_lists_and_papers_a_real_name_and_a_position(
    bot: Harness, engine: Engine
) -> None:
    _greeting, question = await bot.join(OFFICER, "sa-thay")
    prompt = last(await bot.press(OFFICER, question, "Đúng, là Nguyễn Lan"))
    assert "Đã ghi họ tên: Nguyễn Lan." in bot.fake.sent_messages(OFFICER.id)[-2]["text"]
    assert prompt["text"].endswith("/profile chucvu")
    card = last(await bot.send(OFFICER, "/profile chucvu Chuyên viên Phòng Văn hóa – Xã hội"))
    assert "Họ và tên: Nguyễn Lan" in card["text"]
    assert "Chức vụ: Chuyên viên Phòng Văn hóa – Xã hội" in card["text"]
    card = last(await bot.send(OFFICER, "/profile ten Nguyễn Thị Lan"))
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.telegram_id == OFFICER.id)).one()
    assert (person.official_name, person.full_name) == ("Nguyễn Thị Lan", "Nguyễn Thị Lan")
    assert person.position == "Chuyên viên Phòng Văn hóa – Xã hội"
    await bot.send(OFFICER, "/status")  # Telegram's name does not come back over the given one
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.telegram_id == OFFICER.id)).one()
    assert person.full_name == "Nguyễn Thị Lan"


async def test_a_person_who_goes_straight_to_submit_is_asked_after_the_receipt(
    bot: Harness,
) -> None:
    review = await finish_from_question_7(bot, await answer_plain_questions(bot))
    receipt = last(await bot.press(OFFICER, review, "Xác nhận nộp"))
    assert "Gõ /profile để ghi họ tên và chức vụ" in receipt["text"]
