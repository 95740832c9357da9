"""An admin imports a set-up file in the chat: preview, then «Xác nhận» or «Hủy»."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.fake_telegram import FakeUser
from bot.storage.models import (
    Answer,
    AuditEvent,
    Indicator,
    Membership,
    PendingImport,
    Period,
    Person,
    Submission,
    Target,
    Unit,
)
from bot.storage.submissions import start_draft
from tests.support.desk import ADMIN, FOCAL, desk_bot, last, press_exact
from tests.support.harness import Harness, buttons

YAML = "application/x-yaml"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def send_file(
    bot: Harness, user: FakeUser, name: str, content: bytes, mime: str
) -> dict[str, Any]:
    replies = await bot.send_document(
        user, file_name=name, mime_type=mime, file_size=len(content), content=content
    )
    return last(replies)


def unit_name(engine: Engine, code: str) -> str:
    with Session(engine) as session:
        return session.exec(select(Unit).where(Unit.code == code)).one().name


def pending_count(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(PendingImport)).all())


async def test_a_good_file_is_previewed_and_applied_only_on_confirm(
    engine: Engine, example_yaml: str
) -> None:
    changed = example_yaml.replace("Xã Sa Thầy", "Xã Sa Bình").replace("620,", "650,")
    async with desk_bot(engine, example_yaml) as bot:
        preview = await send_file(bot, ADMIN, "cum2.yaml", changed.encode(), YAML)
        assert "Xem trước tệp cum2.yaml" in preview["text"]
        assert "Sửa tên đơn vị sa-thay: “Xã Sa Thầy” → “Xã Sa Bình”" in preview["text"]
        assert (
            "Sửa giá trị chỉ tiêu giao kt-cum2/2026/kon-tum/thu-ngan-sach: 620 → 650"
            in (preview["text"])
        )
        assert "{" not in preview["text"] and "unit" not in preview["text"]
        assert "Chạy thử: 2 thay đổi, chưa ghi gì." in preview["text"]
        assert unit_name(engine, "sa-thay") == "Xã Sa Thầy"  # nothing written yet
        assert pending_count(engine) == 1

        reply = last(await press_exact(bot, ADMIN, preview, "✅ Xác nhận"))
        assert "Đã nhập: 2 thay đổi." in reply["text"]
        assert unit_name(engine, "sa-thay") == "Xã Sa Bình"
        assert pending_count(engine) == 0
        with Session(engine) as session:
            actors = session.exec(
                select(AuditEvent.actor).where(AuditEvent.action == "import.updated")
            ).all()
        assert set(actors) == {f"telegram:{ADMIN.id}"}
        again = last(await press_exact(bot, ADMIN, preview, "✅ Xác nhận"))
        assert "đã được nhập hoặc đã hủy" in again["text"]


async def test_cancel_drops_the_file_and_writes_nothing(engine: Engine, example_yaml: str) -> None:
    changed = example_yaml.replace("Xã Sa Thầy", "Xã Sa Bình")
    async with desk_bot(engine, example_yaml) as bot:
        preview = await send_file(bot, ADMIN, "cum2.yml", changed.encode(), YAML)
        reply = last(await press_exact(bot, ADMIN, preview, "Hủy"))
        assert "Đã hủy, chưa ghi gì." in reply["text"]
        assert unit_name(engine, "sa-thay") == "Xã Sa Thầy"
        assert pending_count(engine) == 0


async def test_a_bad_file_lists_every_problem_like_the_command_line(
    engine: Engine, example_yaml: str
) -> None:
    bad = example_yaml.replace("kon-tum: {thu-ngan-sach: 620,", "kon-tum: {xa-khac: 1,")
    bad = bad.replace("deadline: 2026-06-20 17:00", "deadline: 2026-05-20 17:00")
    async with desk_bot(engine, example_yaml) as bot:
        reply = await send_file(bot, ADMIN, "sai.yaml", bad.encode(), YAML)
        assert "Tệp sai.yaml có 2 lỗi, chưa ghi gì:" in reply["text"]
        lines = bad.splitlines()
        target = 1 + next(n for n, line in enumerate(lines) if "xa-khac" in line)
        deadline = 1 + lines.index("    deadline: 2026-05-20 17:00")
        assert (
            f"dòng {target}, pledges[0].targets.kon-tum.xa-khac: không có chỉ tiêu này."
            in reply["text"]
        )
        assert (
            f"dòng {deadline}, periods[0].deadline: hạn nộp phải sau thời điểm mở kỳ (opens)."
            in reply["text"]
        )
        assert buttons(reply) == [] and pending_count(engine) == 0
        reply = await send_file(bot, ADMIN, "rong.yaml", b"", YAML)
        assert "có 1 lỗi" in reply["text"]


async def test_the_same_file_again_changes_nothing(engine: Engine, example_yaml: str) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        reply = await send_file(bot, ADMIN, "cum2.yaml", example_yaml.encode(), YAML)
        assert "Không có gì thay đổi." in reply["text"] and pending_count(engine) == 0


async def test_the_excel_template_round_trips_and_an_edit_is_imported(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        reply = last(await bot.send(ADMIN, "/template"))
        [(name, content)] = bot.fake.uploaded_files(ADMIN.id)
        assert name == reply["document"]["file_name"] and name.endswith(".xlsx")
        workbook = load_workbook(io.BytesIO(content))
        assert workbook.sheetnames == [
            "Hướng dẫn",
            "Cụm",
            "Đơn vị",
            "Chỉ tiêu",
            "Chỉ tiêu giao",
            "Kỳ báo cáo",
        ]
        periods = workbook["Kỳ báo cáo"]
        assert periods["A2"].value == "2026-h1" and periods["H2"].value.hour == 17

        unchanged = await send_file(bot, ADMIN, "mau.xlsx", content, XLSX)
        assert "Không có gì thay đổi." in unchanged["text"]

        units = workbook["Đơn vị"]
        row = next(r for r in units.iter_rows(min_row=2) if r[1].value == "dak-cam")
        row[2].value = "Xã Đăk Cấm"
        targets = workbook["Chỉ tiêu giao"]
        targets.append(["kt-cum2", 2026, "ia-dal", "gtsx-ke-hoach", 100])
        edited = io.BytesIO()
        workbook.save(edited)
        preview = await send_file(bot, ADMIN, "mau.xlsx", edited.getvalue(), XLSX)
        assert "Sửa tên đơn vị dak-cam: “Phường Đăk Cấm” → “Xã Đăk Cấm”" in preview["text"]
        assert "Thêm chỉ tiêu giao kt-cum2/2026/ia-dal/gtsx-ke-hoach: 100" in preview["text"]
        await press_exact(bot, ADMIN, preview, "✅ Xác nhận")
        assert unit_name(engine, "dak-cam") == "Xã Đăk Cấm"
        with Session(engine) as session:
            values = session.exec(
                select(Target.value)
                .join(Unit, col(Unit.id) == Target.unit_id)
                .join(Indicator, col(Indicator.id) == Target.indicator_id)
                .where(Unit.code == "ia-dal", Indicator.code == "gtsx-ke-hoach")
            ).all()
        assert values == ["100"]


async def test_the_template_speaks_vietnamese_and_takes_the_old_codes_too(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        await bot.send(ADMIN, "/template")
        [(_name, content)] = bot.fake.uploaded_files(ADMIN.id)
        workbook = load_workbook(io.BytesIO(content))
        indicators, periods = workbook["Chỉ tiêu"], workbook["Kỳ báo cáo"]
        kinds = {row[4].value for row in indicators.iter_rows(min_row=2)}
        assert {"số", "phần trăm", "tỷ số", "có/không", "lựa chọn", "văn bản", "tệp"} >= kinds
        assert {row[6].value for row in indicators.iter_rows(min_row=2)} >= {"cao hơn là tốt"}
        assert periods["I2"].value == "7 ngày, 3 ngày, 1 ngày, 2 giờ"
        assert periods["H2"].number_format == "d/m/yyyy hh:mm"
        # An official types the values in words, or the file's old codes; dates as d/m/yyyy.
        first = next(indicators.iter_rows(min_row=2))
        first[4].value, first[6].value = "number", "Thấp hơn là tốt"
        periods["H2"].value = "22/6/2026 17:00"
        periods["E2"].value = "15/12/2025"
        periods["I2"].value = "7d, 2 giờ"
        periods["K2"].value = "3 ngày"
        edited = io.BytesIO()
        workbook.save(edited)
        preview = await send_file(bot, ADMIN, "mau.xlsx", edited.getvalue(), XLSX)
        text = preview["text"]
        assert (
            "Sửa chiều tốt chỉ tiêu kt-cum2/2026/thu-ngan-sach: cao hơn là tốt → thấp hơn là tốt"
            in (text)
        )
        assert "hạn nộp: 17:00 ngày 20/6/2026 → 17:00 ngày 22/6/2026" in text
        assert "nhắc trước hạn: 7 ngày, 3 ngày, 1 ngày, 2 giờ → 7 ngày, 2 giờ" in text
        assert "khóa sổ sau hạn: 7 ngày → 3 ngày" in text
        assert "loại" not in text  # `number` is the same kind as `số`


async def test_a_templates_problems_are_said_by_sheet_row_and_column(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        await bot.send(ADMIN, "/template")
        [(_name, content)] = bot.fake.uploaded_files(ADMIN.id)
        workbook = load_workbook(io.BytesIO(content))
        workbook["Chỉ tiêu"]["E3"].value = "hình ảnh"
        workbook["Kỳ báo cáo"]["H2"].value = "ngày mai"
        edited = io.BytesIO()
        workbook.save(edited)
        reply = await send_file(bot, ADMIN, "mau.xlsx", edited.getvalue(), XLSX)
        text = reply["text"]
        assert "Trang «Chỉ tiêu», dòng 3, cột «Loại»: loại «hình ảnh» không có" in text
        assert "Trang «Kỳ báo cáo», dòng 2, cột «Hạn nộp»:" in text
        assert "pledges[" not in text and "periods[" not in text


async def test_a_spreadsheet_that_is_not_the_template_is_explained(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        reply = await send_file(bot, ADMIN, "bang.xlsx", b"not a zip file", XLSX)
        assert "không phải Excel (.xlsx) đọc được" in reply["text"]


async def test_a_file_from_someone_who_is_not_an_admin_is_not_an_import(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        reply = await send_file(bot, FOCAL, "cum2.yaml", example_yaml.encode(), YAML)
        assert "Xem trước" not in reply["text"] and "/submit" in reply["text"]
        assert pending_count(engine) == 0


async def test_an_admin_answering_a_file_question_gives_a_file_answer(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        await bot.join(ADMIN, "ia-dal")
        with Session(engine) as session:
            person = session.exec(select(Person).where(Person.telegram_id == ADMIN.id)).one()
            unit = session.exec(select(Unit).where(Unit.code == "ia-dal")).one()
            period = session.exec(select(Period).where(Period.code == "2026-h1")).one()
            assert session.exec(select(Membership).where(Membership.unit_id == unit.id)).first()
            draft = start_draft(
                session, period_id=period.id or 0, unit_id=unit.id or 0, person=person
            )
            file_question = None
            for indicator in session.exec(select(Indicator).order_by(col(Indicator.position))):
                if indicator.kind == "file":
                    file_question = indicator
                    draft.cursor_indicator_id = indicator.id
            person.active_submission_id = draft.id
            session.add_all([draft, person])
            session.commit()
            assert file_question is not None
            draft_id = draft.id
        await send_file(bot, ADMIN, "bao-cao.xlsx", b"PK\x03\x04 report", XLSX)
        with Session(engine) as session:
            answer = session.exec(select(Answer).where(Answer.submission_id == draft_id)).first()
            assert session.get(Submission, draft_id) is not None
        assert answer is not None and answer.file_name == "bao-cao.xlsx"
        assert pending_count(engine) == 0
