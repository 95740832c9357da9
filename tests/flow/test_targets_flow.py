"""A unit registers next year's targets in the submission's own conversation."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.storage.models import Pledge, Unit
from bot.storage.pledge_tables import TargetRegistration
from tests.flow.pledging import (
    CHAIR,
    LAN,
    STORED,
    TYPED,
    last,
    pledge_bot,
    queued_for,
    register_directly,
    registered,
)
from tests.support.harness import Harness


async def answer_all(bot: Harness, typed: list[str]) -> dict[str, Any]:
    reply = last(await bot.send(LAN, "/targets"))
    for value in typed:
        reply = last(await bot.send(LAN, value))
    return reply


async def test_every_kind_of_target_is_asked_beside_this_years_target_and_result(
    engine: Engine,
) -> None:
    async with pledge_bot(engine) as bot:
        question = last(await bot.send(LAN, "/targets"))
        text = question["text"]
        assert "Câu 1/6 · Tổng thu ngân sách nhà nước trên địa bàn" in text
        assert "Chỉ tiêu năm 2026: 620 tỷ đồng" in text and "Kết quả năm 2026: 650 tỷ đồng" in text
        question = last(await bot.send(LAN, TYPED[0]))
        assert "Câu 2/6" in question["text"] and "Chỉ tiêu năm 2026: (chưa có)" in question["text"]
        assert "Kết quả năm 2026: 104,5%" in question["text"]
        for value in TYPED[1:-1]:
            question = last(await bot.send(LAN, value))
        assert "Câu 6/6" in question["text"] and "Kết quả năm 2026: 47/53" in question["text"]
        review = last(await bot.send(LAN, TYPED[-1]))
        assert "Xem lại chỉ tiêu đăng ký" in review["text"] and "105,5%" in review["text"]
        receipt = last(await bot.press(LAN, review, "Xác nhận đăng ký"))
        assert "Đã đăng ký chỉ tiêu" in receipt["text"] and "Lần đăng ký: 1" in receipt["text"]
        assert {code: answer.value for code, answer in registered(engine).items()} == STORED


async def test_only_indicators_that_take_a_target_are_asked(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        review = await answer_all(bot, TYPED)
        for name in ("giao quân", "cải cách hành chính", "Kết quả nổi bật", "Báo cáo sơ kết"):
            assert name not in review["text"]


async def test_an_ambiguous_target_is_asked_back(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        question = await answer_all(bot, TYPED[:3])
        assert "Câu 4/6" in question["text"]
        asked = last(await bot.send(LAN, "1.600"))
        labels = [
            button["text"] for row in asked["reply_markup"]["inline_keyboard"] for button in row
        ]
        assert labels == ["1600", "1,6"]
        question = last(await bot.press(LAN, asked, "1600"))
        assert "Câu 5/6" in question["text"]
        assert registered(engine) == {}  # a draft: nothing registered yet


async def test_a_restart_part_way_keeps_the_targets_typed(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        await answer_all(bot, TYPED[:3])
        await bot.restart()
        offer = last(await bot.send(LAN, "/targets"))
        assert "3/6" in offer["text"]
        question = last(await bot.press(LAN, offer, "câu 4"))
        assert "Câu 4/6" in question["text"]
        for value in TYPED[3:]:
            review = last(await bot.send(LAN, value))
        assert "700 tỷ đồng" in review["text"] and "9 thôn" in review["text"]


async def test_a_target_below_this_years_result_is_confirmed_with_a_short_explanation(
    engine: Engine,
) -> None:
    async with pledge_bot(engine) as bot:
        await bot.send(LAN, "/targets")
        asked = last(await bot.send(LAN, "600"))
        assert "thấp hơn kết quả năm 2026 của đơn vị (650 tỷ đồng)" in asked["text"]
        reason = last(await bot.press(LAN, asked, "Đúng, giữ"))
        assert "giải trình" in reason["text"]
        question = last(await bot.send(LAN, "Năm 2027 không còn nguồn thu đột biến."))
        assert "Câu 2/6" in question["text"]
        for value in TYPED[1:4]:
            question = last(await bot.send(LAN, value))
        asked = last(await bot.send(LAN, "0,5"))  # lower is better: above the 0,3 reached
        assert "cao hơn kết quả năm 2026" in asked["text"]
        question = last(await bot.press(LAN, asked, "Nhập lại"))
        assert "Câu 5/6" in question["text"]
        review = last(await bot.send(LAN, "0,3"))
        review = last(await bot.send(LAN, "48/53"))
        receipt = last(await bot.press(LAN, review, "Xác nhận đăng ký"))
        assert "Đã đăng ký chỉ tiêu" in receipt["text"]
        kept = registered(engine)
        assert kept["thu-ngan-sach"].value == "600" and kept["hs-bo-hoc"].value == "0.3"
        assert kept["thu-ngan-sach"].explanation == "Năm 2027 không còn nguồn thu đột biến."


async def test_a_returned_registration_is_registered_a_second_time(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        review = await answer_all(bot, TYPED)
        await bot.press(LAN, review, "Xác nhận đăng ký")
        reply = last(
            await bot.send(CHAIR, "/pledge kt-cum2 2027 return kon-tum Thu ngân sách thấp")
        )
        assert "Đã trả lại bản đăng ký chỉ tiêu lần 1" in reply["text"]
        told = queued_for(engine, LAN.id, ":returned:")
        assert told and "Thu ngân sách thấp" in told[0].payload["text"]
        review = last(await bot.send(LAN, "/targets"))
        assert "trả lại bản đăng ký chỉ tiêu lần 1" in review["text"] and "lần 2" in review["text"]
        question = last(await bot.press(LAN, review, "✏️ 1"))
        assert "Đã trả lời: 700 tỷ đồng" in question["text"]
        review = last(await bot.send(LAN, "750"))
        receipt = last(await bot.press(LAN, review, "Xác nhận đăng ký"))
        assert "Lần đăng ký: 2" in receipt["text"]
        assert registered(engine)["thu-ngan-sach"].value == "750"
        assert queued_for(engine, CHAIR.id, ":reregistered:")
        with Session(engine) as session:
            revisions = session.exec(select(TargetRegistration.revision)).all()
        assert sorted(revisions) == [1, 2]


async def test_the_chair_is_told_when_the_last_unit_registers(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        for code in ("sa-thay", "dak-cam", "mo-rai", "ia-dal"):
            register_directly(engine, code)
        review = await answer_all(bot, TYPED)
        await bot.press(LAN, review, "Xác nhận đăng ký")
        told = queued_for(engine, CHAIR.id, ":all-registered:")
        assert told and "/pledge" in told[0].payload["text"]


async def test_cancel_keeps_the_targets_draft(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        await answer_all(bot, TYPED[:2])
        reply = last(await bot.send(LAN, "/cancel"))
        assert "đăng ký chỉ tiêu được giữ nguyên (2 câu" in reply["text"]
        reply = last(await bot.send(LAN, "123"))
        assert "chưa mở bản nộp" in reply["text"]
        offer = last(await bot.send(LAN, "/targets"))
        assert "2/6" in offer["text"]


async def test_nothing_is_asked_before_the_registration_opens(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        bot.now = bot.now.replace(month=11)
        reply = last(await bot.send(LAN, "/targets"))
        assert "chưa mở đăng ký chỉ tiêu" in reply["text"]


async def test_a_forged_button_for_a_pledge_without_registration_starts_nothing(
    engine: Engine,
) -> None:
    async with pledge_bot(engine) as bot:
        with Session(engine) as session:
            unit = session.exec(select(Unit).where(Unit.code == "kon-tum")).one()
            this_year = session.exec(select(Pledge).where(Pledge.year == 2026)).one()
        message = bot.fake.sent_messages(LAN.id)[-1]
        reply = last(await bot.press_data(LAN, message, f"tp:{unit.id}:{this_year.id}"))
        assert "Nút này đã cũ" in reply["text"]
        with Session(engine) as session:
            assert session.exec(select(TargetRegistration)).all() == []
