"""/report, /minutes and /invitation through the real application: Word files opened back."""

from __future__ import annotations

import shutil
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx.document import Document
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.documents.pdf import soffice_path
from bot.fake_telegram import FakeUser
from bot.storage import session_scope
from bot.storage.conferences import conference_by_code, set_attendance
from bot.storage.models import AuditEvent, Unit
from bot.storage.types import require_id
from tests.documents.reading import all_paragraphs, reopen, table_rows
from tests.setup.conference_example import as_text, example_tree
from tests.support.desk import (
    ADMIN,
    CHAIR,
    FOCAL,
    OTHER_CHAIR,
    desk_bot,
    last,
    press_exact,
    reply_to,
    submit_figures,
)
from tests.support.harness import Harness

PERIOD = "Sơ kết 6 tháng đầu năm 2026"
ISSUER = "CỤM THI ĐUA CÁC HUYỆN PHÍA BẮC"
INVITATION_OUT = datetime(2026, 6, 26, 2, 0, tzinfo=UTC)  # 09:00 in Kon Tum, the invite day
CHAIRED_BY = "Nguyễn Văn An, Phó Chủ tịch UBND thành phố"


@pytest.fixture
def set_up(example_yaml: str) -> str:
    """The example with its conferences and a letterhead of its own, unlike its name's."""
    tree = example_tree(example_yaml)
    tree["clusters"][0]["letterhead"] = ["UBND TỈNH QUẢNG NGÃI", ISSUER]
    return as_text(tree)


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Word files alone; a test of the PDF puts `soffice_path` back."""
    monkeypatch.setattr("bot.documents.pdf.soffice_path", lambda: None)


def opened(bot: Harness, user: FakeUser) -> Document:
    """The last file the bot sent the user, opened by python-docx."""
    _name, content = bot.fake.uploaded_files(user.id)[-1]
    return reopen(content)


def texts(document: Document) -> list[str]:
    return [paragraph.text for paragraph in all_paragraphs(document)]


def cells(document: Document) -> set[str]:
    return {cell for table in document.tables for row in table_rows(table) for cell in row}


def mark(engine: Engine, unit: str, status: str, reason: str | None = None) -> None:
    with session_scope(engine) as session:
        conference = conference_by_code(session, code="2026-h1-hn")
        assert conference is not None
        unit_id = require_id(session.exec(select(Unit).where(Unit.code == unit)).one())
        set_attendance(
            session,
            conference=conference,
            unit_id=unit_id,
            status=status,
            reason=reason,
            actor="test",
            now=datetime(2026, 7, 10, 7, 0, tzinfo=UTC),
        )


def minutes_people(engine: Engine) -> tuple[str | None, str | None]:
    with Session(engine) as session:
        conference = conference_by_code(session, code="2026-h1-hn")
        assert conference is not None
        return conference.chaired_by, conference.minutes_by


async def test_the_chair_gets_the_report_as_a_word_file_with_the_clusters_figures(
    engine: Engine, set_up: str
) -> None:
    async with desk_bot(engine, set_up) as bot:
        submit_figures(engine, "kon-tum", bot.now, {"thu-ngan-sach": "450"})
        submit_figures(engine, "sa-thay", bot.now, {"thu-ngan-sach": "90.25"})
        replies = await bot.send(CHAIR, "/report 2026-h1")
        assert len(replies) == 1
        document = replies[0]["document"]
        assert document["file_name"] == "Bao-cao-so-ket-2026-h1-kt-cum2.docx"
        assert replies[0]["caption"] == (
            f"📄 Dự thảo báo cáo kỳ «{PERIOD}» – Cụm thi đua số 2 – tỉnh Quảng Ngãi"
            " – bản Word (.docx) để chỉnh sửa."
        )
        report = opened(bot, CHAIR)
        assert {"450 tỷ đồng", "90,25 tỷ đồng", "540,25 tỷ đồng"} <= cells(report)
        lines = texts(report)
        assert ISSUER in lines and "UBND TỈNH QUẢNG NGÃI" in lines  # the stored letterhead
        assert any(line.startswith("Kon Tum, ngày") for line in lines)


async def test_the_report_asks_for_the_period_by_buttons_and_takes_the_only_cluster(
    engine: Engine, set_up: str
) -> None:
    async with desk_bot(engine, set_up) as bot:
        question = last(await bot.send(CHAIR, "/report"))
        assert question["text"] == "Chọn kỳ báo cáo:"
        reply = last(await press_exact(bot, CHAIR, question, PERIOD))
        assert reply["document"]["file_name"] == "Bao-cao-so-ket-2026-h1-kt-cum2.docx"


async def test_the_admin_chooses_the_cluster_and_another_chair_is_refused(
    engine: Engine, set_up: str
) -> None:
    async with desk_bot(engine, set_up) as bot:
        reply = last(await bot.send(ADMIN, "/report 2026-h1 kt-cum2"))
        assert reply["document"]["file_name"].endswith("kt-cum2.docx")
        refused = last(await bot.send(OTHER_CHAIR, "/report 2026-h1 kt-cum2"))
        assert refused["text"].startswith("⛔") and not bot.fake.uploaded_files(OTHER_CHAIR.id)


async def test_the_minutes_after_attendance_name_each_unit_and_the_chair_and_secretary(
    engine: Engine, set_up: str
) -> None:
    async with desk_bot(engine, set_up) as bot:
        mark(engine, "kon-tum", "present")
        mark(engine, "sa-thay", "excused", "Trùng lịch họp của tỉnh")
        mark(engine, "dak-cam", "absent")
        done = last(await bot.send(CHAIR, f"/minutes 2026-h1-hn chutri {CHAIRED_BY}"))
        assert done["text"] == f"✅ Đã ghi người chủ trì: {CHAIRED_BY}."
        paper, naming = await bot.send(CHAIR, "/minutes 2026-h1-hn")
        assert paper["document"]["file_name"] == "Bien-ban-2026-h1-hn.docx"
        assert f"Chủ trì: {CHAIRED_BY}" in naming["text"]
        prompt = last(await press_exact(bot, CHAIR, naming, "✍️ Ghi thư ký"))
        assert bot.fake.calls_to("sendMessage")[-1].params["reply_markup"]["force_reply"]
        assert prompt["text"].endswith("thuky")
        done = last(await reply_to(bot, CHAIR, prompt, "Trần Thị Bình,  Chuyên viên Văn phòng"))
        assert done["text"] == "✅ Đã ghi thư ký: Trần Thị Bình, Chuyên viên Văn phòng."
        again = last(await press_exact(bot, CHAIR, done, "📄 Lấy biên bản"))
        assert "Thư ký: Trần Thị Bình, Chuyên viên Văn phòng" in again["text"]
        minutes = opened(bot, CHAIR)
    (table,) = [t for t in minutes.tables if table_rows(t)[0][:3] == ["STT", "Đơn vị", "Tham dự"]]
    assert [row[2] for row in table_rows(table)[1:]] == [
        "Có mặt",
        "Vắng có lý do: Trùng lịch họp của tỉnh",
        "Vắng mặt",
        "Chưa ghi nhận",
        "Chưa ghi nhận",
    ]
    lines = texts(minutes)
    assert f"Chủ trì: đồng chí {CHAIRED_BY}." in lines
    assert "Thư ký: đồng chí Trần Thị Bình, Chuyên viên Văn phòng." in lines
    assert lines.count("Chưa tiến hành biểu quyết nội dung này.") == 2
    with Session(engine) as session:
        actions = session.exec(select(AuditEvent.action)).all()
    assert actions.count("conference.minutes") == 2


async def test_a_name_without_the_conference_is_not_guessed_among_two(
    engine: Engine, set_up: str
) -> None:
    async with desk_bot(engine, set_up) as bot:
        hint, question = await bot.send(CHAIR, f"/minutes chutri {CHAIRED_BY}")
        assert hint["text"].startswith("Tên chưa được ghi: anh/chị gõ kèm mã hội nghị")
        assert question["text"] == "Chọn hội nghị:"
        assert minutes_people(engine) == (None, None)


async def test_a_dash_clears_a_name_and_a_name_too_long_is_refused_politely(
    engine: Engine, set_up: str
) -> None:
    async with desk_bot(engine, set_up) as bot:
        await bot.send(CHAIR, "/minutes 2026-h1-hn thuky Trần Thị Bình")
        refused = last(await bot.send(CHAIR, "/minutes 2026-h1-hn thuky " + "A" * 301))
        assert refused["text"] == "Tên và chức vụ dài quá 300 ký tự."
        assert minutes_people(engine) == (None, "Trần Thị Bình")
        cleared = last(await bot.send(CHAIR, "/minutes 2026-h1-hn thuky -"))
        assert cleared["text"] == "Đã xóa tên thư ký: biên bản để trống dòng này."
        assert minutes_people(engine) == (None, None)
        wrong = last(await bot.send(CHAIR, "/minutes 2026-h1-hn thu-ky Bình"))
        assert wrong["text"].startswith("Sau mã hội nghị, gõ “chutri”")


async def test_another_clusters_chair_gets_no_minutes(engine: Engine, set_up: str) -> None:
    async with desk_bot(engine, set_up) as bot:
        refused = last(await bot.send(OTHER_CHAIR, "/minutes 2026-h1-hn"))
        assert refused["text"].startswith("⛔")
        refused = last(await bot.send(OTHER_CHAIR, f"/minutes 2026-h1-hn chutri {CHAIRED_BY}"))
        assert refused["text"].startswith("⛔") and minutes_people(engine) == (None, None)


async def test_an_invited_unit_gets_the_invitation_once_it_is_out(
    engine: Engine, set_up: str
) -> None:
    async with desk_bot(engine, set_up) as bot:
        early = last(await bot.send(FOCAL, "/invitation"))
        assert early["text"] == "Chưa có hội nghị nào để lập văn bản."
        bot.now = INVITATION_OUT
        reply = last(await bot.send(FOCAL, "/invitation"))
        assert reply["document"]["file_name"] == "Giay-moi-2026-h1-hn.docx"
        assert reply["caption"].startswith("📄 Giấy mời dự Hội nghị sơ kết công tác thi đua")
        lines = texts(opened(bot, FOCAL))
        assert "GIẤY MỜI" in lines and ISSUER in lines
        assert any(line.startswith("Sa Thầy, ngày 26 tháng 6 năm 2026") for line in lines)
        not_yet = last(await bot.send(FOCAL, "/invitation 2026-tk-hn"))
        assert not_yet["text"].startswith("⛔")  # its invitation is not out yet
        refused = last(await bot.send(OTHER_CHAIR, "/invitation 2026-h1-hn"))
        assert refused["text"].startswith("⛔")


def fake_soffice(folder: Path, body: str) -> None:
    """A `soffice` on PATH that runs `body` (a shell script) instead of LibreOffice."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


async def test_a_failing_libreoffice_leaves_the_word_file_and_a_short_apology(
    engine: Engine, set_up: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_soffice(tmp_path / "bin", "echo 'no display' >&2; exit 3")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr("bot.documents.pdf.soffice_path", soffice_path)
    async with desk_bot(engine, set_up) as bot:
        paper, apology = await bot.send(ADMIN, "/report 2026-h1 kt-cum2")
        assert paper["document"]["file_name"].endswith(".docx")
        assert apology["text"] == "Chưa tạo được bản PDF; bản Word ở trên vẫn dùng được."


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is absent")
async def test_where_libreoffice_is_installed_the_pdf_follows_the_word_file(
    engine: Engine, set_up: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.documents.pdf.soffice_path", soffice_path)
    async with desk_bot(engine, set_up) as bot:
        bot.now = INVITATION_OUT
        word, pdf = await bot.send(FOCAL, "/invitation")
        assert word["document"]["file_name"] == "Giay-moi-2026-h1-hn.docx"
        assert pdf["document"]["file_name"] == "Giay-moi-2026-h1-hn.pdf"
        assert pdf["caption"].endswith("– bản PDF để xem và in.")
        _name, content = bot.fake.uploaded_files(FOCAL.id)[-1]
        assert content.startswith(b"%PDF")
