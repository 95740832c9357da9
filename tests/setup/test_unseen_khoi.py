"""A Khối of provincial departments and one of the armed forces, in one file: imported by the
command line, submitted in the chat, seen by the chair, scored by hand, written as documents."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from bot.fake_telegram import FakeUser
from tests.documents.reading import all_paragraphs, reopen, table_rows
from tests.support.desk import last, press_exact, texts
from tests.support.harness import Harness
from tests.support.unseen import (
    UNSEEN,
    Step,
    english_words,
    submit_by_chat,
    submitted,
    thidua,
    unseen_text,
    word_files_only,
)

FILE = "khoi-so-nganh.yaml"
SETUP = str(UNSEEN / FILE)
PERIOD = "Sơ kết 6 tháng đầu năm 2026 – các khối sở, ngành và lực lượng vũ trang"
NAMES = {
    "so-tc": "Sở Tài chính",
    "so-yt": "Sở Y tế",
    "so-nv": "Sở Nội vụ",
    "so-vhttdl": "Sở Văn hóa, Thể thao và Du lịch",
    "so-nnmt": "Sở Nông nghiệp và Môi trường",
    "so-dttg": "Sở Dân tộc và Tôn giáo",
}
ARMED = ("Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh")
PEOPLE = {code: FakeUser(id=7100 + n, first_name=f"Người {n}") for n, code in enumerate(NAMES)}
ARMY = FakeUser(id=7200, first_name="Công an")
# In question order: party yes/no, discipline yes/no, reform choice, disbursement %, on-time %,
# initiatives, highlights, proposals (optional), report file, reprimands, then the two scores
# the unit gives itself (organising, co-ordination). Every way of typing a figure is used.
ANSWERS: dict[str, list[Step]] = {
    "so-tc": ["!Có", "!Không", "!Tốt", "98,5", "97,25", "3",
              'Quyết toán ngân sách "đúng hạn" – 100% đơn vị', "!Bỏ qua", "FILE bc-so-tc.pdf",
              "0", "18,5", "9"],
    "so-yt": ["có", "có", "!Xuất sắc", "104,5%", "100 %", "5",
              "Không để xảy ra dịch bệnh lớn", "Bổ sung biên chế y tế cơ sở", "FILE bc-yt.pdf",
              "0", "19", "8"],
    "so-nnmt": ["!Có", "!Có", "3", "108", "90", "0", "Hoàn thành sáp nhập hai sở", "!Bỏ qua",
                "FILE bc-nnmt.pdf", "4", "18,12", "10"],
    "so-vhttdl": ["!Không", "!Có", "!Trung bình", "80", "95", "1", "Tổ chức Lễ hội “Vì hòa bình”",
                  "!Bỏ qua", "FILE bc-vh.pdf", "1", "15", "7"],
    "so-nv": ["!Có", "!Có", "2", "100", "0", "2", "Sắp xếp tổ chức bộ máy", "!Bỏ qua",
              "FILE bc-nv.pdf", "0", "16", "8"],
}  # fmt: skip
# The scores by DOMAIN.md «Scoring, exactly», worked by hand for the answers above:
# disbursement (15; targets 100, 95, 90 for tc, yt, nnmt): tc 98,5/100 → 7,39; yt 104,5/95 = 1,1
# over, nnmt 108/90 = 1,2 the leader → 15, yt 7,5 + 7,5·0,1/0,2 = 11,25; without a target nv 100
# → 15, vhttdl 80 → 12. On time (10, no targets, max 100): tc 9,725 → 9,73 (half up), yt 10,
# nnmt 9, vhttdl 9,5, nv 0. Reform (15): Tốt 12, Xuất sắc 15, Khá 8, Trung bình 0. Yes/no 10
# each. Initiatives 2,5 each, at most 10. Reprimands −2 each, at most −6.
TOTALS = {
    "so-yt": Decimal("93.25"),  # 11,25 + 10 + 15 + 10 + 10 + 19 + 10 + 8
    "so-nv": Decimal("76.00"),  # 15 + 0 + 12 + 10 + 10 + 16 + 5 + 8
    "so-tc": Decimal("74.12"),  # 7,39 + 9,73 + 12 + 10 + 0 + 18,5 + 7,5 + 9
    "so-nnmt": Decimal("74.12"),  # 15 + 9 + 8 + 10 + 10 + 18,12 + 0 + 10 − 6
    "so-vhttdl": Decimal("54.00"),  # 12 + 9,5 + 0 + 0 + 10 + 15 + 2,5 + 7 − 2
}
RANKING = [
    "1. Sở Y tế: 93,25 điểm · Hoàn thành xuất sắc",
    "2. Sở Nội vụ: 76,00 điểm · Hoàn thành tốt",
    "3. Sở Tài chính: 74,12 điểm · Hoàn thành · ⚖️ đồng hạng",
    "3. Sở Nông nghiệp và Môi trường: 74,12 điểm · Hoàn thành · ⚖️ đồng hạng",
    "5. Sở Văn hóa, Thể thao và Du lịch: 54,00 điểm · Hoàn thành",
]
CHAIR = PEOPLE["so-tc"]
# The period's button: its name cut at a word, with «…» (a name cut mid-word reads as another).
PERIOD_BUTTON = "Sơ kết 6 tháng đầu năm 2026 – các khối sở, ngành và lực…"


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    word_files_only(monkeypatch)


@pytest.fixture
async def khoi(engine: Engine, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Harness]:
    """The file imported by `thidua import`; five departments submitted in the chat."""
    async with submitted(engine, SETUP, ANSWERS, PEOPLE, caplog) as bot:
        yield bot


def test_the_file_imports_without_a_warning_and_again_changes_nothing(engine: Engine) -> None:
    first = thidua(engine, "import", SETUP)
    assert first.exit_code == 0, first.output
    assert "Cảnh báo" not in first.output and "cảnh báo" not in first.output
    for name in (*NAMES.values(), *ARMED):
        assert f"“{name}”" in first.output
    assert thidua(engine, "import", SETUP).output.strip() == "Không có gì thay đổi."
    assert unseen_text(FILE)  # the file is read as UTF-8


async def test_the_review_and_receipt_show_each_kind_the_vietnamese_way(engine: Engine) -> None:
    assert thidua(engine, "import", SETUP).exit_code == 0
    async with Harness(engine) as bot:
        seen = await submit_by_chat(bot, CHAIR, "so-tc", ANSWERS["so-tc"])
    review = next(m["text"] for m in seen if m.get("text", "").startswith("📋 Xem lại"))
    assert "1. Đảng bộ được đánh giá “hoàn thành tốt nhiệm vụ” trở lên: có" in review
    assert "2. Không có cán bộ, công chức bị kỷ luật từ khiển trách trở lên: không" in review
    assert "4. Tỷ lệ giải ngân vốn đầu tư công được giao: 98,5%" in review
    assert "5. Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng và trước hạn: 97,25%" in review
    assert 'Quyết toán ngân sách "đúng hạn" – 100% đơn vị' in review
    assert ": (để trống)" in review and "📎 bc-so-tc.pdf (47,1 KB)" in review
    question = next(m["text"] for m in seen if "Câu 4/12" in m.get("text", ""))
    assert "Chỉ tiêu giao: 100%" in question
    untargeted = next(m["text"] for m in seen if "Câu 5/12" in m.get("text", ""))
    assert "Chỉ tiêu giao" not in untargeted
    receipt = seen[-1]["text"]
    assert "Tổng điểm tự chấm (tạm tính" in receipt and "74,39/100 điểm" in receipt
    assert english_words(review + receipt) == []


async def test_the_chair_sees_every_department_on_the_board_and_no_armed_unit(
    khoi: Harness,
) -> None:
    text = last(await khoi.send(CHAIR, "/board"))["text"]
    assert "5/6" in text and "Khối" in text
    for name in NAMES.values():
        assert name in text
    assert not any(name in text for name in ARMED)
    assert english_words(text) == []


async def test_the_summary_and_its_workbook_hold_each_units_figures(khoi: Harness) -> None:
    question = last(await khoi.send(CHAIR, "/summary"))
    replies = await press_exact(khoi, CHAIR, question, PERIOD_BUTTON)
    text = texts(replies)
    for name in list(NAMES.values())[:5]:
        assert name in text
    assert "98,5%" in text and "104,5%" in text
    lineage = text[text.index("Đơn vị gộp, đổi tên:") :].split("\n\n")[0]
    # Old units never imported are named by their codes: nothing else is known of them.
    assert "• Sở Nông nghiệp và Môi trường: gộp từ so-nnptnt, so-tnmt" in lineage
    assert "• Sở Dân tộc và Tôn giáo: đổi tên từ ban-dan-toc" in lineage
    assert not any(name in text for name in ARMED)
    files = dict(khoi.fake.uploaded_files(CHAIR.id))
    content = next(data for name, data in files.items() if name.endswith(".xlsx"))
    workbook = load_workbook(io.BytesIO(content))
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    strings = " ".join(str(cell) for cell in cells)
    for name in NAMES.values():
        assert name in strings
    assert not any(name in strings for name in ARMED)
    assert 98.5 in cells and 104.5 in cells  # numbers stored as numbers
    assert "Toàn khối" in strings and "Toàn cụm" not in strings  # a Khối's words
    assert "đồng hạng, khối trưởng quyết định" in strings and "cụm trưởng" not in strings
    assert english_words(text) == []


async def test_scores_rank_the_departments_as_computed_by_hand_with_the_tie(
    khoi: Harness, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = last(await khoi.send(CHAIR, "/scores"))["text"]
    ranked = [line for line in text.splitlines() if line[:2] in ("1.", "2.", "3.", "5.")]
    assert ranked == RANKING
    assert "– Sở Dân tộc và Tôn giáo: chưa nộp, chưa xếp hạng" in text.splitlines()
    # A Khối's chair is «khối trưởng», never «cụm trưởng».
    assert text.splitlines()[-1] == "⚖️ Đồng hạng: khối trưởng quyết định thứ tự khi bình xét."
    assert english_words(text) == []
    out = tmp_path_factory.mktemp("scores") / "diem.csv"
    result = thidua(engine, "scores", "--period", "2026-6t", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    by_unit = {row["unit_code"]: row for row in rows}
    assert {code: Decimal(by_unit[code]["total"]) for code in TOTALS} == TOTALS
    assert "khoi-07-lltv" not in {row.get("cluster") for row in rows}


async def test_the_armed_forces_block_has_no_scoring_and_says_so_politely(
    khoi: Harness,
) -> None:
    seen = await submit_by_chat(khoi, ARMY, "ca-tinh", ["!Có", "!Giỏi", "!Bỏ qua"])
    assert "Đơn vị: Công an tỉnh" in seen[-1]["text"]
    assert "Tự chấm" not in seen[-1]["text"]
    text = last(await khoi.send(ARMY, "/board"))["text"]
    assert "Công an tỉnh" in text and "Sở Tài chính" not in text


async def test_the_report_names_each_department_under_the_three_line_letterhead(
    khoi: Harness,
) -> None:
    replies = await khoi.send(CHAIR, "/report 2026-6t")
    assert any("document" in m for m in replies), texts(replies)
    [word] = [data for name, data in khoi.fake.uploaded_files(CHAIR.id) if name.endswith(".docx")]
    document = reopen(word)
    paragraphs = "\n".join(p.text for p in all_paragraphs(document))
    cells = {cell for table in document.tables for row in table_rows(table) for cell in row}
    everything = paragraphs + "\n" + "\n".join(cells)
    for line in ("UBND TỈNH QUẢNG TRỊ", "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH"):
        assert line in everything
    assert "KHỐI THI ĐUA CÁC SỞ, BAN, NGÀNH TỔNG HỢP" in everything
    assert "Đông Hà, ngày" in everything
    for name in list(NAMES.values())[:5]:
        assert name in everything
    assert "93,25" in everything and "98,5" in everything
    assert "Toàn khối" in everything and "Toàn cụm" not in everything
    assert not any(name in everything for name in ARMED)


async def test_a_locked_period_tells_a_department_to_ask_the_khoi_truong(khoi: Harness) -> None:
    khoi.now = datetime(2026, 6, 28, 3, 0, tzinfo=UTC)  # the deadline and 7 days are past
    await khoi.join(PEOPLE["so-dttg"], "so-dttg")
    text = last(await khoi.send(PEOPLE["so-dttg"], "/submit"))["text"]
    assert "khóa sổ" in text and "khối trưởng (Sở Tài chính)" in text
    assert "cụm trưởng" not in text


async def test_the_command_line_papers_name_the_khoi_and_its_departments(
    khoi: Harness, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("papers")
    export = folder / "so-lieu.csv"
    args = ("export", "--period", "2026-6t", "--cluster", "khoi-03", "--format", "csv")
    assert thidua(engine, *args, "--out", str(export)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(export.read_text(encoding="utf-8-sig"))))
    assert {row["unit_name"] for row in rows} == set(list(NAMES.values())[:5])
    shown = {(row["unit_code"], row["indicator_code"]): row["display_value"] for row in rows}
    assert shown["so-yt", "giai-ngan"] == "104,5%" and shown["so-tc", "dang-bo"] == "Có"
    assert shown["so-nnmt", "cchc"] == "Khá"
    for paper in ("invitation", "minutes"):
        out = folder / f"{paper}.docx"
        result = thidua(engine, paper, "--conference", "hn-6t-khoi03", "--out", str(out))
        assert result.exit_code == 0, result.output
        words = "\n".join(p.text for p in all_paragraphs(reopen(out.read_bytes())))
        assert "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH" in words and "Đông Hà" in words
        assert "Hội trường Sở Y tế, số 2 Hùng Vương, phường Đông Hà" in words
        assert "CỤM" not in words.upper().replace("CỤM TỪ", "")  # a Khối, never a Cụm
    votes = thidua(engine, "votes", "--conference", "hn-6t-khoi03")
    assert votes.exit_code == 0, votes.output
    assert "Suy tôn đơn vị dẫn đầu phong trào thi đua 6 tháng đầu năm 2026" in votes.output
    assert "Bầu Khối phó năm 2028" in votes.output and "Traceback" not in votes.output
    pledge = folder / "giao-uoc.csv"
    result = thidua(engine, "pledge", "--cluster", "khoi-03", "--year", "2027", "--format", "csv",
                    "--out", str(pledge))  # fmt: skip
    assert result.exit_code == 0, result.output
