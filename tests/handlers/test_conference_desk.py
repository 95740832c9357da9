"""The chair's conference through the real application: set up, roll-call, attendance, agenda,
delegates (the group's posts go through the outbox, delivered here as the sender would)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.storage.conference_tables import AgendaEntry, Attendance, Conference, Delegate
from bot.storage.models import AuditEvent, Cluster
from tests.support.conference import CODE, add_conference, deliver, register
from tests.support.desk import (
    ADMIN,
    CHAIR,
    FOCAL,
    GROUP,
    OTHER_CHAIR,
    STRANGER,
    VICE_CHAIR,
    desk_bot,
    last,
    press_exact,
    reply_to,
)
from tests.support.harness import Harness, buttons


def stored(engine: Engine, code: str = CODE) -> Conference:
    with Session(engine) as session:
        return session.exec(select(Conference).where(Conference.code == code)).one()


def titles(engine: Engine, conference_id: int) -> list[str]:
    with Session(engine) as session:
        query = select(AgendaEntry).where(AgendaEntry.conference_id == conference_id)
        return [e.title for e in session.exec(query.order_by(col(AgendaEntry.position)))]


def actions(engine: Engine) -> list[str]:
    with Session(engine) as session:
        query = select(AuditEvent.action).where(col(AuditEvent.action).startswith("conference."))
        return list(session.exec(query.order_by(col(AuditEvent.id))))


def group_post(bot: Harness, starts: str) -> dict[str, Any]:
    """The latest of the bot's messages in the group whose text starts so (edits applied)."""
    found = [m for m in bot.fake.sent_messages(GROUP.id) if m.get("text", "").startswith(starts)]
    assert found, f"no post starting {starts!r} in the group"
    return found[-1]


def alerts(bot: Harness) -> list[str]:
    calls = bot.fake.calls_to("answerCallbackQuery")
    return [str(c.params.get("text")) for c in calls if c.params.get("show_alert")]


async def test_a_chair_creates_a_conference_by_answering_a_few_questions(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        menu = last(await bot.send(CHAIR, "/conference"))
        assert "Chưa có hội nghị nào" in menu["text"]
        kinds = last(await bot.press(CHAIR, menu, "Tạo hội nghị mới"))
        assert [label for label, _data in buttons(kinds)] == [
            "Sơ kết", "Tổng kết", "Phát động", "Khác",
        ]  # fmt: skip
        asked = last(await press_exact(bot, CHAIR, kinds, "Sơ kết"))
        assert "Ngày giờ khai mạc" in asked["text"]
        asked = last(await reply_to(bot, CHAIR, asked, "10/7/2026 14:00"))
        assert "Địa điểm" in asked["text"]
        asked = last(await reply_to(bot, CHAIR, asked, "Hội trường UBND xã Sa Thầy"))
        refused = await reply_to(bot, CHAIR, asked, "7/7/2026")
        assert "Thiếu giờ" in refused[0]["text"] and "Hạn đăng ký" in refused[-1]["text"]
        refused = await reply_to(bot, CHAIR, refused[-1], "11/7/2026 17:00")
        assert "phải trước giờ khai mạc" in refused[0]["text"]
        numbers = last(await reply_to(bot, CHAIR, refused[-1], "7/7/2026 17:00"))
        made = last(await press_exact(bot, CHAIR, numbers, "3"))
    assert made["text"].startswith("✅ Đã tạo hội nghị")
    assert "Hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2026" in made["text"]
    conference = stored(engine, "kt-cum2-so-ket-20260710")
    assert (conference.place, conference.max_delegates) == ("Hội trường UBND xã Sa Thầy", 3)
    assert conference.starts_at.isoformat() == "2026-07-10T07:00:00+00:00"  # 14:00 in Kon Tum
    assert conference.rsvp_by.isoformat() == "2026-07-07T10:00:00+00:00"
    assert conference.period_id is not None  # the mid-year period it reviews
    agenda = titles(engine, conference.id or 0)
    assert agenda[0].startswith("Tuyên bố lý do") and "6 tháng đầu năm 2026" in agenda[1]
    assert actions(engine) == ["conference.created"]


async def test_the_agenda_is_replaced_by_lines_and_bad_lines_are_answered_clearly(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        conference_id = add_conference(engine)
        card = last(await bot.send(CHAIR, f"/conference {CODE}"))
        prompt = last(await bot.press(CHAIR, card, "Thay chương trình"))
        assert "Gửi chương trình mới" in prompt["text"]
        bad = await reply_to(bot, CHAIR, prompt, "14:00 Khai mạc\n25:00 Sai giờ\n14:30")
        assert "Dòng 2" in bad[0]["text"] and "Dòng 3" in bad[0]["text"]
        assert titles(engine, conference_id)[0] == "Tuyên bố lý do, giới thiệu đại biểu"
        lines = "14:00 Khai mạc\n- 14:15 Báo cáo kết quả\n15:00 Biểu quyết thông qua báo cáo"
        done = last(await reply_to(bot, CHAIR, bad[-1], lines))
        assert "Đã thay chương trình (3 mục)" in done["text"]
        place = last(await bot.press(CHAIR, done, "Địa điểm"))
        moved = last(await reply_to(bot, CHAIR, place, "Hội trường UBND tỉnh"))
        assert "✅ Đã lưu thay đổi" in moved["text"] and "Hội trường UBND tỉnh" in moved["text"]
    assert titles(engine, conference_id) == [
        "Khai mạc", "Báo cáo kết quả", "Biểu quyết thông qua báo cáo",
    ]  # fmt: skip
    assert actions(engine)[-2:] == ["conference.agenda", "conference.changed"]


async def test_three_units_check_in_and_the_roll_call_is_edited_with_the_count(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        add_conference(engine)
        register(engine, "mo-rai", ("Lan Nguyễn", "Chuyên viên"))
        assert await bot.send(CHAIR, "/checkin", chat=GROUP) == []
        await deliver(bot)
        roll_call = group_post(bot, "🙋 Điểm danh")
        assert "Có mặt 0/5 đơn vị" in roll_call["text"]
        for person in (CHAIR, VICE_CHAIR, FOCAL):
            await press_exact(bot, person, roll_call, "✅ Có mặt")
        await press_exact(bot, FOCAL, roll_call, "✅ Có mặt")  # twice: no change
        await press_exact(bot, STRANGER, roll_call, "✅ Có mặt")
        await press_exact(bot, OTHER_CHAIR, roll_call, "✅ Có mặt")
        await deliver(bot)
        edited = group_post(bot, "🙋 Điểm danh")
    assert edited["message_id"] == roll_call["message_id"]
    assert "Có mặt 3/5 đơn vị" in edited["text"]
    assert "✅ Xã Mô Rai: Lan Nguyễn" in edited["text"]  # the registered delegate, not a second
    assert buttons(edited) == buttons(roll_call)  # the button stays for the others
    refused = alerts(bot)
    assert "đã được ghi có mặt" in refused[0]
    assert all("chỉ đại biểu của các đơn vị" in text for text in refused[1:]) and len(refused) == 3
    with Session(engine) as session:
        present = session.exec(select(Attendance).where(Attendance.status == "present")).all()
        delegates = session.exec(select(Delegate).where(col(Delegate.present))).all()
    assert len(present) == 3
    assert sorted(d.full_name for d in delegates) == ["Bình", "Lan Nguyễn", "Trần Hoa"]


async def test_the_chair_marks_a_unit_excused_with_the_reason_as_a_reply(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        add_conference(engine)
        units = last(await bot.send(CHAIR, "/attendance"))
        assert "Có mặt 0/5 đơn vị" in units["text"]
        statuses = last(await bot.press(CHAIR, units, "Phường Đăk Cấm"))
        prompt = last(await press_exact(bot, CHAIR, statuses, "🟡 Vắng có lý do"))
        done = last(await reply_to(bot, CHAIR, prompt, "Trùng lịch họp HĐND xã"))
        assert "🟡 Phường Đăk Cấm – vắng có lý do: Trùng lịch họp HĐND xã" in done["text"]
        present = last(await bot.send(CHAIR, f"/attendance {CODE} sa-thay present"))
        assert "Có mặt 1/5 đơn vị" in present["text"]
    with Session(engine) as session:
        row = session.exec(select(Attendance).where(Attendance.status == "excused")).one()
    assert row.reason == "Trùng lịch họp HĐND xã"


async def test_agenda_is_posted_and_next_edits_that_post_in_place(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        add_conference(engine)
        assert await bot.send(CHAIR, "/agenda", chat=GROUP) == []
        await deliver(bot)
        posted = group_post(bot, "📋 Chương trình")
        assert "1. 14:00 Tuyên bố lý do" in posted["text"] and "Đang diễn ra" not in posted["text"]
        await bot.send(CHAIR, "/next", chat=GROUP)
        await deliver(bot)
        first = group_post(bot, "📋 Chương trình")
        reply = last(await bot.send(CHAIR, "/next"))
        await deliver(bot)
        second = group_post(bot, "📋 Chương trình")
        end = last(await bot.send(CHAIR, "/next 9"))
    assert first["message_id"] == second["message_id"] == posted["message_id"]
    assert "▶️ Đang diễn ra: Tuyên bố lý do, giới thiệu đại biểu" in first["text"]
    assert reply["text"] == "▶️ Đang diễn ra: Báo cáo sơ kết 6 tháng đầu năm 2026"
    assert "✔️ 14:00 Tuyên bố lý do" in second["text"] and "▶️ 14:10 Báo cáo" in second["text"]
    assert "không có mục 9" in end["text"]
    assert len([m for m in bot.fake.sent_messages(GROUP.id) if "Chương trình" in m["text"]]) == 1


async def test_delegates_come_as_a_message_and_an_excel_file(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        add_conference(engine)
        register(engine, "kon-tum", ("Nguyễn Văn An", "Phó Chủ tịch UBND"), ("=1+1", ""))
        register(engine, "sa-thay", reason="Trùng lịch tiếp xúc cử tri")
        replies = await bot.send(CHAIR, "/delegates")
        files = dict(bot.fake.uploaded_files(CHAIR.id))
    text = replies[0]["text"]
    assert "Trưởng đoàn: Nguyễn Văn An – Phó Chủ tịch UBND" in text
    assert "❌ Xã Sa Thầy – không dự: Trùng lịch tiếp xúc cử tri" in text
    assert "Chưa trả lời: Phường Đăk Cấm, Xã Mô Rai, Xã Ia Đal." in text
    book = load_workbook(io.BytesIO(files[f"danh-sach-dai-bieu-{CODE}.xlsx"]))
    rows = [row for row in book.worksheets[0].iter_rows(min_row=6, values_only=True)]
    assert rows[0] == (
        1,
        "Phường Kon Tum",
        "Nguyễn Văn An",
        "Phó Chủ tịch UBND",
        "Trưởng đoàn",
        None,
    )
    assert rows[1][2] == "=1+1" and book.worksheets[0].cell(7, 3).data_type == "s"
    waiting = [row[:2] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert ("Xã Sa Thầy", "Không dự") in waiting and ("Phường Đăk Cấm", "Chưa trả lời") in waiting


async def test_a_chair_of_another_cluster_cannot_reach_the_conference(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        add_conference(engine)
        for typed in (f"/conference {CODE}", f"/delegates {CODE}", f"/attendance {CODE}"):
            assert last(await bot.send(OTHER_CHAIR, typed))["text"].startswith("⛔")
        assert last(await bot.send(OTHER_CHAIR, "/checkin", chat=GROUP))["text"].startswith("⛔")


async def test_a_block_is_called_a_block_in_the_cards_and_the_chair_words(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        with Session(engine) as session:
            block = session.exec(select(Cluster).where(Cluster.code == "kt-cum2")).one()
            block.kind = "khoi"
            session.add(block)
            session.commit()
        add_conference(engine)
        card = last(await bot.send(CHAIR, f"/conference {CODE}"))["text"]
        details = last(await bot.send(ADMIN, "/clusters kt-cum2"))
        listed = last(await bot.send(ADMIN, "/units kt-cum2"))["text"]
    assert "Khối thi đua: Cụm thi đua số 2" in card
    assert "khối trưởng 2026: Phường Kon Tum · khối phó: Xã Sa Thầy" in details["text"]
    assert "Đặt khối trưởng hoặc khối phó:" in details["text"]
    assert tuple(b for b, _d in buttons(details))[:2] == ("Khối trưởng 2026", "Khối phó 2026")
    assert "(Khối trưởng năm 2026)" in listed and "(Khối phó năm 2026)" in listed
