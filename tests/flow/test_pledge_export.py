"""`thidua pledge`, the set-up's `registration:` and the chair's review of registrations."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.cli import main
from bot.setup import SetupError, read_setup
from bot.storage import session_scope
from bot.storage.models import Pledge, Target
from bot.storage.pledge_tables import PledgeWindow
from bot.storage.setup_import import apply_setup
from tests.flow.pledging import (
    CHAIR,
    OFFICERS,
    UNITS,
    last,
    pledge_bot,
    pledge_yaml,
    register_directly,
)
from tests.support.harness import Harness


def thidua(engine: Engine, *args: str) -> str:
    env = {"DATABASE_URL": str(engine.url), "TELEGRAM_BOT_TOKEN": "", "THIDUA_LOCALE": "vi"}
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


async def sign_everything(bot: Harness, engine: Engine) -> None:
    for code in UNITS:
        register_directly(engine, code, {"thu-ngan-sach": "100", "tcd-htt": "47/53"})
    await bot.send(CHAIR, "/pledge kt-cum2 2027 sign")
    for code in UNITS:
        shown = last(await bot.send(OFFICERS[code], "/sign"))
        await bot.press(OFFICERS[code], shown, "Ký giao ước")


async def test_the_csv_has_one_row_per_unit_and_indicator_with_its_times(
    engine: Engine, tmp_path: Path
) -> None:
    async with pledge_bot(engine) as bot:
        register_directly(engine, "sa-thay", {"thu-ngan-sach": "95.5", "tcd-htt": "15/18"})
        out = tmp_path / "pledge.csv"
        thidua(engine, "pledge", "--cluster", "kt-cum2", "--year", "2027", "--format", "csv",
               "--out", str(out))  # fmt: skip
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        assert bot.now
    assert rows[0] == [
        "cluster", "year", "unit_code", "indicator_code", "target", "registered_at", "signed_at",
    ]  # fmt: skip
    assert len(rows) == 1 + 5 * 6
    sa_thay = {row[3]: row for row in rows[1:] if row[2] == "sa-thay"}
    assert sa_thay["thu-ngan-sach"][4] == "95.5" and sa_thay["tcd-htt"][4] == "15/18"
    assert sa_thay["thu-ngan-sach"][5] == "2026-12-05T10:00:00+07:00"
    assert sa_thay["thu-ngan-sach"][6] == "" and sa_thay["xa-ntm"][4] == ""
    assert all(row[4] == row[5] == "" for row in rows[1:] if row[2] == "dak-cam")


async def test_the_workbook_shows_who_signed_when(engine: Engine, tmp_path: Path) -> None:
    async with pledge_bot(engine) as bot:
        await sign_everything(bot, engine)
        out = tmp_path / "pledge.xlsx"
        thidua(engine, "pledge", "--cluster", "kt-cum2", "--year", "2027", "--out", str(out))
    sheet = load_workbook(out).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Cụm", "Năm", "Mã đơn vị"]
    signed = [row for row in values[1:] if row[4] == "thu-ngan-sach"]
    assert len(signed) == 5 and all(row[8] == "10:00 ngày 5/12/2026" for row in signed)


async def test_the_chairs_review_lists_every_unit_and_its_targets(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        register_directly(engine, "sa-thay", {"thu-ngan-sach": "95.5", "tcd-htt": "15/18"})
        menu = last(await bot.send(CHAIR, "/pledge"))
        assert "Giao ước thi đua năm 2027" in menu["text"] and "Đã đăng ký: 1/5" in menu["text"]
        table = last(await bot.press(CHAIR, menu, "Xem bảng đăng ký"))["text"]
        assert "✅ Xã Sa Thầy: lần 1" in table and "95,5 tỷ đồng" in table
        assert "⬜ Phường Kon Tum: chưa đăng ký" in table
        menu = last(await bot.send(CHAIR, "/pledge"))
        sheet = last(await bot.press(CHAIR, menu, "Tải Excel"))
        assert sheet["document"]["file_name"] == "giao-uoc-kt-cum2-2027.xlsx"


async def test_a_return_asks_for_its_reason_when_none_is_typed(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        register_directly(engine, "sa-thay")
        asked = last(await bot.send(CHAIR, "/pledge kt-cum2 2027 return"))
        prompt = last(await bot.press(CHAIR, asked, "Xã Sa Thầy"))
        assert "/pledge kt-cum2 2027 return sa-thay" in prompt["text"]


async def test_signed_targets_survive_a_new_import_of_the_set_up(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        await sign_everything(bot, engine)
        with session_scope(engine) as session:
            apply_setup(session, read_setup(pledge_yaml()), actor="test")
        with Session(engine) as session:
            pledge = session.exec(select(Pledge).where(Pledge.year == 2027)).one()
            window = session.exec(select(PledgeWindow)).one()
            kept = session.exec(select(Target)).all()
        assert window.pledge_id == pledge.id and window.signed_at is not None
        assert len([t for t in kept if t.value == "47/53"]) == 5


async def test_the_signed_pledge_is_a_word_document_with_every_units_signature(
    engine: Engine,
) -> None:
    async with pledge_bot(engine) as bot:
        await sign_everything(bot, engine)
        menu = last(await bot.send(CHAIR, "/pledge"))
        paper = last(await bot.press(CHAIR, menu, "Văn bản giao ước"))
        assert paper["document"]["file_name"] == "giao-uoc-kt-cum2-2027.docx"
        name, content = bot.fake.uploaded_files(CHAIR.id)[-1]
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert name.endswith(".docx") and "GIAO ƯỚC THI ĐUA" in text and "V. XÃ IA ĐAL" in text
    assert "Xã Ia Đal" in cells
    assert "100 tỷ đồng" in cells and "47/53" in cells and "Đầu mối 5" in cells
    assert "10:00 ngày 5/12/2026" in cells and "(chưa ký)" not in cells


def test_the_set_up_reads_a_registration_window_in_its_timezone() -> None:
    setup = read_setup(pledge_yaml())
    registration = setup.pledges[1].registration
    assert registration is not None
    assert registration.opens.isoformat() == "2026-12-01T08:00:00+07:00"
    assert registration.deadline.isoformat() == "2026-12-20T17:00:00+07:00"


def test_a_registration_closing_before_it_opens_is_refused_by_its_path() -> None:
    text = pledge_yaml().replace("2026-12-20 17:00", "2026-11-20 17:00")
    with pytest.raises(SetupError) as error:
        read_setup(text)
    assert [p.path for p in error.value.problems] == ["pledges[1].registration.deadline"]
