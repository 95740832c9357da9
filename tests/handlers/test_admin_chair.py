"""A chair's commands: board, summary, remind now, export (files opened back), return."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.storage.models import AuditEvent, OutboxMessage, Period, Submission
from bot.storage.progress import RETURNED, unit_progress
from tests.support.desk import (
    ADMIN,
    CHAIR,
    FOCAL,
    OTHER_FOCAL,
    VICE_CHAIR,
    desk_bot,
    last,
    press_exact,
    reply_to,
    submit_figures,
)
from tests.support.harness import buttons

PERIOD = "Sơ kết 6 tháng đầu năm 2026"
KON_TUM = {
    "thu-ngan-sach": "450",
    "gtsx-ke-hoach": "104.5",
    "tcd-htt": "47/53",
    "giao-quan": "true",
}
SA_THAY = {
    "thu-ngan-sach": "90.25",
    "gtsx-ke-hoach": "98",
    "tcd-htt": "20/25",
    "giao-quan": "false",
}


def outbox(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage)).all())


async def test_the_chair_sees_the_board_of_their_cluster_with_who_has_submitted(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        submit_figures(engine, "sa-thay", bot.now, SA_THAY)
        text = last(await bot.send(CHAIR, "/board"))["text"]
        assert PERIOD in text and "1/5" in text and "Xã Sa Thầy" in text
        assert "1/5" in last(await bot.send(CHAIR, "/board 2026-h1"))["text"]


async def test_the_summary_comes_as_text_a_chart_and_a_workbook(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        submit_figures(engine, "kon-tum", bot.now, KON_TUM)
        submit_figures(engine, "sa-thay", bot.now, SA_THAY)
        question = last(await bot.send(CHAIR, "/summary"))
        replies = await press_exact(bot, CHAIR, question, PERIOD)
        text = "\n".join(m.get("text", "") for m in replies)
        assert "Phường Kon Tum" in text and "Xã Sa Thầy" in text
        assert any("photo" in m for m in replies)
        files = dict(bot.fake.uploaded_files(CHAIR.id))
        chart = next(content for name, content in files.items() if name.endswith(".png"))
        assert chart.startswith(b"\x89PNG")
        workbook_bytes = next(content for name, content in files.items() if name.endswith(".xlsx"))
        workbook = load_workbook(io.BytesIO(workbook_bytes))
        assert len(workbook.sheetnames) >= 3


async def test_remind_now_queues_a_reminder_for_each_person_of_a_unit_that_owes(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        submit_figures(engine, "kon-tum", bot.now, KON_TUM)
        reply = last(await bot.send(CHAIR, "/remind 2026-h1"))
        private = [m for m in outbox(engine) if m.chat_id > 0]
        assert {m.chat_id for m in private} == {VICE_CHAIR.id, OTHER_FOCAL.id, FOCAL.id}
        assert f"Đã gửi {len(outbox(engine))} tin nhắc" in reply["text"]
        with Session(engine) as session:
            actions = session.exec(select(AuditEvent.action)).all()
        assert "period.remind" in actions


async def test_an_admin_exports_a_period_as_csv_with_the_latest_revision_only(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        submit_figures(engine, "sa-thay", bot.now, {"thu-ngan-sach": "80"})
        submit_figures(engine, "sa-thay", bot.now, SA_THAY)  # revision 2
        reply = last(await bot.send(ADMIN, "/export 2026-h1 kt-cum2 csv"))
        assert reply["document"]["file_name"] == "so-lieu-2026-h1-kt-cum2.csv"
        [(_name, content)] = bot.fake.uploaded_files(ADMIN.id)
        assert content.startswith("\ufeff".encode())  # a BOM, so that Excel reads UTF-8
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        assert {row["unit_code"] for row in rows} == {"sa-thay"}
        assert {row["revision"] for row in rows} == {"2"}
        by_code = {row["indicator_code"]: row for row in rows}
        assert by_code["thu-ngan-sach"]["value"] == "90.25"
        assert by_code["tcd-htt"]["value"] == "20/25"


async def test_a_chair_exports_excel_by_buttons_with_numbers_stored_as_numbers(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        submit_figures(engine, "kon-tum", bot.now, KON_TUM)
        question = last(await bot.send(CHAIR, "/export"))
        question = last(await press_exact(bot, CHAIR, question, PERIOD))
        assert "dạng nào" in question["text"]
        reply = last(await press_exact(bot, CHAIR, question, "Excel (.xlsx)"))
        assert reply["document"]["file_name"].endswith(".xlsx")
        [(_name, content)] = bot.fake.uploaded_files(CHAIR.id)
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        values = [cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row]
        assert 450 in values or 450.0 in values
        assert "kon-tum" in values


async def test_a_chair_returns_a_submission_and_the_unit_is_told_the_reason(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        submission_id = submit_figures(engine, "sa-thay", bot.now, SA_THAY)
        question = last(await bot.send(CHAIR, "/return"))
        question = last(await press_exact(bot, CHAIR, question, PERIOD))
        assert [label for label, _data in buttons(question)] == ["Xã Sa Thầy (lần 1)"]
        prompt = last(await press_exact(bot, CHAIR, question, "Xã Sa Thầy (lần 1)"))
        assert prompt["text"].endswith("/return 2026-h1 sa-thay")
        reply = last(await reply_to(bot, CHAIR, prompt, "Thu ngân sách chưa khớp báo cáo quý."))
        assert "Đã trả lại số liệu lần 1 của Xã Sa Thầy" in reply["text"]

        with Session(engine) as session:
            submission = session.get(Submission, submission_id)
            assert submission is not None
            assert submission.returned_reason == "Thu ngân sách chưa khớp báo cáo quý."
            assert submission.returned_at is not None and submission.returned_by_person_id
            period = session.exec(select(Period).where(Period.code == "2026-h1")).one()
            states = {u.code: u.state for u in unit_progress(session, period=period, cluster_id=1)}
            [event] = session.exec(
                select(AuditEvent).where(AuditEvent.action == "submission.returned")
            ).all()
        assert states["sa-thay"] == RETURNED
        assert event.entity_key == "sa-thay" and event.after and event.after["returned"]
        [told] = [m for m in outbox(engine) if m.key == f"returned:{submission_id}:{VICE_CHAIR.id}"]
        assert "Thu ngân sách chưa khớp báo cáo quý." in told.payload["text"]
        assert "/submit" in told.payload["text"]

        again = last(await bot.send(CHAIR, "/return 2026-h1 sa-thay Lại lần nữa"))
        assert "đã được trả lại" in again["text"]
        nothing = last(await bot.send(CHAIR, "/return 2026-h1 dak-cam Thiếu"))
        assert "chưa nộp số liệu" in nothing["text"]
