"""A unit registers its delegates for a conference in private, through the real application."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from bot.fake_telegram import FakeUser
from bot.storage import session_scope
from bot.storage.conference_tables import Conference, Delegate, Registration
from bot.storage.conferences import RegistrationState
from bot.storage.models import AuditEvent, OutboxMessage
from bot.storage.outbox import mark_sent
from scheduler.plan import Planner
from tests.flow.conferencing import CHAIR, OFFICERS, conference_bot, last, local, states
from tests.support.harness import Harness, buttons

DAK_CAM = OFFICERS["dak-cam"]
HEAD = ("Nguyễn Văn An", "Phó Chủ tịch UBND xã")
SECOND = ("Trần Thị Bình", "Chánh Văn phòng HĐND và UBND xã")
THIRD = ("Lê Văn Cường", "Trưởng phòng Nội vụ")


async def attend(bot: Harness, user: FakeUser = DAK_CAM) -> dict[str, Any]:
    """`/rsvp`, then «Có»: the head of delegation's name is asked."""
    question = last(await bot.send(user, "/rsvp"))
    assert "có cử đoàn đại biểu tham dự không?" in question["text"]
    return last(await bot.press(user, question, "Có"))


async def type_delegates(bot: Harness, *delegates: tuple[str, str]) -> dict[str, Any]:
    reply: dict[str, Any] = {}
    for name, title in delegates:
        assert "Chức vụ" in last(await bot.send(DAK_CAM, name))["text"]
        reply = last(await bot.send(DAK_CAM, title))
    return reply


def confirmed(engine: Engine, code: str = "dak-cam") -> int:
    """How many confirmed revisions the unit has."""
    with Session(engine) as session:
        unit_id = states(engine)[code].unit_id
        return session.exec(
            select(func.count()).where(
                Registration.unit_id == unit_id, col(Registration.confirmed_at).is_not(None)
            )
        ).one()


def draft_delegates(engine: Engine) -> list[str]:
    with Session(engine) as session:
        unit_id = states(engine)["dak-cam"].unit_id
        rows = session.exec(
            select(Delegate.full_name)
            .join(Registration, col(Registration.id) == Delegate.registration_id)
            .where(Registration.unit_id == unit_id, Registration.revision == 0)
        ).all()
        return list(rows)


async def test_a_unit_attends_with_three_delegates_the_head_first(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        question = await attend(bot)
        assert "Đại biểu 1/3: họ và tên trưởng đoàn của Phường Đăk Cấm?" in question["text"]
        asked = last(await bot.send(DAK_CAM, HEAD[0]))
        assert "Chức vụ của đồng chí Nguyễn Văn An?" in asked["text"]
        asked = last(await bot.send(DAK_CAM, HEAD[1]))
        assert "Đại biểu 2/3" in asked["text"] and "Xong" in buttons(asked)[0][0]
        review = await type_delegates(bot, SECOND, THIRD)  # the limit: the review at once
        assert "Xem lại đăng ký đại biểu" in review["text"]
        assert "1. Nguyễn Văn An — Phó Chủ tịch UBND xã (trưởng đoàn)" in review["text"]
        assert "3. Lê Văn Cường — Trưởng phòng Nội vụ" in review["text"]
        assert states(engine)["dak-cam"].state is RegistrationState.NONE  # not before «Xác nhận»
        receipt = last(await bot.press(DAK_CAM, review, "Xác nhận"))
        assert "Đã đăng ký đại biểu" in receipt["text"] and "Lần đăng ký: 1" in receipt["text"]
        assert "Có thể thay đổi đến 17:00 ngày 7/7/2026" in receipt["text"]
        answer = states(engine)["dak-cam"]
        assert answer.state is RegistrationState.ATTENDING
        assert [(d.full_name, d.job_title, d.role) for d in answer.delegates] == [
            (*HEAD, "head"), (*SECOND, "member"), (*THIRD, "member"),
        ]  # fmt: skip
        again = last(await bot.press(DAK_CAM, review, "Xác nhận"))
        assert "đã được xác nhận (lần 1)" in again["text"] and confirmed(engine) == 1


async def test_xong_stops_early_with_the_head_alone(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        await attend(bot)
        await bot.send(DAK_CAM, HEAD[0])
        asked = last(await bot.send(DAK_CAM, HEAD[1]))
        review = last(await bot.press(DAK_CAM, asked, "Xong"))
        assert "Tham dự: 1 đại biểu" in review["text"]
        last(await bot.press(DAK_CAM, review, "Xác nhận"))
        assert len(states(engine)["dak-cam"].delegates) == 1


async def test_a_unit_that_does_not_attend_gives_a_reason(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        question = last(await bot.send(DAK_CAM, "/rsvp"))
        asked = last(await bot.press(DAK_CAM, question, "Không"))
        assert "Lý do Phường Đăk Cấm không tham dự?" in asked["text"]
        assert "bằng chữ" in last(await bot.send(DAK_CAM, "???"))["text"]
        review = last(await bot.send(DAK_CAM, "Trùng lịch  tiếp công dân định kỳ"))
        assert "Không tham dự. Lý do: Trùng lịch tiếp công dân định kỳ" in review["text"]
        last(await bot.press(DAK_CAM, review, "Xác nhận"))
        answer = states(engine)["dak-cam"]
        assert answer.state is RegistrationState.NOT_ATTENDING
        assert answer.reason == "Trùng lịch tiếp công dân định kỳ" and answer.delegates == ()


async def test_yes_and_no_may_be_typed_instead_of_pressed(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        last(await bot.send(DAK_CAM, "/rsvp"))
        hint = await bot.send(DAK_CAM, "để tôi hỏi lại")
        assert "bấm «Có» hoặc «Không»" in hint[0]["text"]
        assert "trưởng đoàn" in last(await bot.send(DAK_CAM, "có"))["text"]


async def test_an_answer_changed_before_the_deadline_keeps_the_earlier_one(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        await attend(bot)
        await bot.send(DAK_CAM, HEAD[0])
        asked = last(await bot.send(DAK_CAM, HEAD[1]))
        last(await bot.press(DAK_CAM, last(await bot.press(DAK_CAM, asked, "Xong")), "Xác nhận"))
        bot.later(days=2)
        shown = last(await bot.send(DAK_CAM, "/rsvp"))
        assert "Phường Đăk Cấm đã đăng ký đại biểu" in shown["text"] and "(lần 1)" in shown["text"]
        question = last(await bot.press(DAK_CAM, shown, "Thay đổi đăng ký"))
        asked = last(await bot.press(DAK_CAM, question, "Không"))
        review = last(await bot.send(DAK_CAM, "Lãnh đạo xã đi công tác"))
        receipt = last(await bot.press(DAK_CAM, review, "Xác nhận"))
        assert "Lần đăng ký: 2" in receipt["text"]
        assert states(engine)["dak-cam"].state is RegistrationState.NOT_ATTENDING
        assert confirmed(engine) == 2
        with Session(engine) as session:
            events = session.exec(
                select(AuditEvent).where(AuditEvent.action == "conference.register")
            ).all()
        assert [e.after["revision"] for e in events if e.after] == [1, 2]


async def test_after_the_deadline_a_focal_point_is_refused_and_the_chair_may_change_it(
    engine: Engine,
) -> None:
    async with conference_bot(engine) as bot:
        await attend(bot)
        bot.now = local(7, 7, 17, 1)
        refusal = last(await bot.send(DAK_CAM, HEAD[0]))
        assert "Đã hết hạn đăng ký đại biểu" in refusal["text"]
        assert "Cụm trưởng hoặc quản trị viên" in refusal["text"]
        assert "Đã hết hạn đăng ký" in last(await bot.send(DAK_CAM, "/rsvp"))["text"]
        assert draft_delegates(engine) == []
        # The chair (a member of the chair unit) answers for the unit until the conference.
        resumed = await bot.send(CHAIR, "/rsvp dak-cam")
        assert "Tiếp tục bản nháp đăng ký đại biểu của Phường Đăk Cấm" in resumed[0]["text"]
        assert "trưởng đoàn của Phường Đăk Cấm" in last(resumed)["text"]
        await bot.send(CHAIR, HEAD[0])
        asked = last(await bot.send(CHAIR, HEAD[1]))
        receipt = last(
            await bot.press(CHAIR, last(await bot.press(CHAIR, asked, "Xong")), "Xác nhận")
        )
        assert "Lần đăng ký: 1" in receipt["text"]
        assert states(engine)["dak-cam"].state is RegistrationState.ATTENDING


async def test_a_restart_in_the_middle_loses_nothing(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        await attend(bot)
        await bot.send(DAK_CAM, HEAD[0])
        await bot.restart()  # a new application on the same database
        asked = last(await bot.send(DAK_CAM, HEAD[1]))
        assert "Đại biểu 2/3" in asked["text"]
        review = await type_delegates(bot, SECOND, THIRD)
        receipt = last(await bot.press(DAK_CAM, review, "Xác nhận"))
        assert "Tham dự: 3 đại biểu" in receipt["text"]


async def test_bad_names_are_refused_politely_and_nothing_is_kept(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        await attend(bot)
        empty = last(await bot.send(DAK_CAM, "   "))
        assert "Họ và tên không được để trống" in empty["text"]
        long = last(await bot.send(DAK_CAM, "Nguyễn Thị " + "A" * 489))
        assert "dài 500 ký tự, tối đa 120 ký tự" in long["text"]
        number = last(await bot.send(DAK_CAM, "450"))
        assert "«450» không phải là họ và tên" in number["text"]
        code = last(await bot.send(DAK_CAM, "kon-tum"))
        assert "không phải là họ và tên" in code["text"]
        assert draft_delegates(engine) == []
        asked = last(await bot.send(DAK_CAM, "  Nguyễn   Văn An "))
        assert "Chức vụ của đồng chí Nguyễn Văn An?" in asked["text"]
        assert "không phải là chức vụ" in last(await bot.send(DAK_CAM, "123"))["text"]
        assert draft_delegates(engine) == ["Nguyễn Văn An"]


async def test_too_many_delegates_are_refused_when_the_limit_is_lowered(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        await attend(bot)
        await type_delegates(bot, HEAD, SECOND)
        with session_scope(engine) as session:
            conference = session.exec(select(Conference).where(Conference.code == "2026-h1-hn"))
            found = conference.one()
            found.max_delegates = 2
            session.add(found)
        replies = await bot.send(DAK_CAM, THIRD[0])
        assert "Đoàn đã đủ 2 đại biểu" in replies[0]["text"]
        assert "Xem lại đăng ký đại biểu" in last(replies)["text"]
        assert draft_delegates(engine) == [HEAD[0], SECOND[0]]


async def test_the_invitation_link_opens_the_unit_question(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        with Session(engine) as session:
            ident = session.exec(select(Conference.id).where(Conference.code == "2026-h1-hn")).one()
        question = last(await bot.send(DAK_CAM, f"/start rsvp-{ident}"))
        assert "Phường Đăk Cấm có cử đoàn đại biểu tham dự không?" in question["text"]
        assert "Hiện không có hội nghị" in last(await bot.send(DAK_CAM, "/start rsvp-999"))["text"]


async def test_cancel_pauses_the_registration_and_rsvp_resumes_it(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        await attend(bot)
        await bot.send(DAK_CAM, HEAD[0])
        paused = last(await bot.send(DAK_CAM, "/cancel"))
        assert "Đã tạm dừng đăng ký đại biểu" in paused["text"]
        elsewhere = last(await bot.send(DAK_CAM, "Phó Chủ tịch UBND xã"))
        assert "bản nộp số liệu" in elsewhere["text"]  # the submission's answer, not the draft's
        resumed = last(await bot.send(DAK_CAM, "/rsvp"))
        assert "Chức vụ của đồng chí Nguyễn Văn An?" in resumed["text"]


async def test_a_stale_confirmation_after_starting_again_is_refused(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        question = last(await bot.send(DAK_CAM, "/rsvp"))
        asked = last(await bot.press(DAK_CAM, question, "Không"))
        review = last(await bot.send(DAK_CAM, "Trùng lịch"))
        again = last(await bot.press(DAK_CAM, review, "Làm lại"))
        assert "có cử đoàn đại biểu tham dự không?" in again["text"]
        replies = await bot.press(DAK_CAM, review, "Xác nhận")
        assert "đã thay đổi sau lần xem lại đó" in replies[0]["text"]
        assert states(engine)["dak-cam"].state is RegistrationState.NONE
        assert asked


async def test_someone_of_another_unit_cannot_answer_for_it(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        question = last(await bot.send(DAK_CAM, "/rsvp"))
        other = OFFICERS["mo-rai"]  # sa-thay is the vice-chair unit: a leader
        refusal = last(await bot.press(other, question, "Có"))
        assert "không phải là đầu mối của Phường Đăk Cấm" in refusal["text"]
        assert "Hiện không có hội nghị" in last(await bot.send(other, "/rsvp dak-cam"))["text"]


async def test_a_confirmation_edits_the_group_board_at_once(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        with session_scope(engine) as session:
            Planner(now=bot.now).plan(session)
            board = session.exec(
                select(OutboxMessage).where(col(OutboxMessage.key).startswith("conf-board:"))
            ).one()
            mark_sent(session, board.id or 0, now=bot.now, telegram_message_id=41)
        question = last(await bot.send(DAK_CAM, "/rsvp"))
        last(await bot.press(DAK_CAM, question, "Không"))
        review = last(await bot.send(DAK_CAM, "Trùng lịch"))
        last(await bot.press(DAK_CAM, review, "Xác nhận"))
        with Session(engine) as session:
            (edit,) = session.exec(
                select(OutboxMessage).where(col(OutboxMessage.key).startswith(f"{board.key}:edit:"))
            ).all()
        assert edit.payload["message_id"] == 41 and "1/5 đơn vị đã trả lời" in edit.payload["text"]


async def test_forged_registration_buttons_are_answered_as_old_ones(engine: Engine) -> None:
    async with conference_bot(engine) as bot:
        question = last(await bot.send(DAK_CAM, "/rsvp"))
        for data in ("rk:1", "ry:99999999999", "rd:x:1", "ry:1:2:3"):
            replies = await bot.press_data(DAK_CAM, question, data)
            assert "Nút này đã cũ" in last(replies)["text"], data
        assert states(engine)["dak-cam"].state is RegistrationState.NONE
