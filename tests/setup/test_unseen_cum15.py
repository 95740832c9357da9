"""Fifteen wards with no timezone in the file, two periods of one year and a scoring table with
every rule of DOMAIN.md «Scoring, exactly»: submitted in the chat, scored, ranked, exported."""

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
    word_files_only,
)

FILE = str(UNSEEN / "cum-15-phuong.yaml")
NAMES = {
    "p01": "Phường Xuân Hương – Đà Lạt",
    "p02": "Phường Cam Ly – Đà Lạt",
    "p03": "Phường B'Lao",
    "p04": "Phường Lâm Viên – Đà Lạt",
    "p05": "Phường Lang Biang – Đà Lạt",
    "p06": "Phường 1 Bảo Lộc",
    "p07": "Phường 2 Bảo Lộc",
    "p08": "Phường 3 Bảo Lộc",
    "p09": "Phường Mũi Né",
    "p10": "Phường Phan Thiết",
    "p11": "Phường Hàm Thắng",
    "p12": "Phường Phú Thủy",
    "p13": "Phường Tiến Thành",
    "p14": "Phường Đông Gia Nghĩa",
    "p15": "Phường Nam Gia Nghĩa",
}
PEOPLE = {code: FakeUser(id=8100 + n, first_name=f"Cán bộ {n}") for n, code in enumerate(NAMES)}
MID_YEAR = "Sơ kết 6 tháng đầu năm 2026"
# In question order: revenue (triệu đồng), revenue against the estimate (%), poor households
# (%, lower is better), cultural quarters (x/y), crimes (lower), waste collected (%), models,
# awards, digital level (optional choice), explanation (optional text), then the self-score.
ANSWERS: dict[str, list[Step]] = {
    "p01": ["80", "95", "1,25", "18/20", "2", "95", "2", "0", "!Cao",
            "Thu ngân sách đạt thấp do dự án “Khu dân cư số 3” chậm", "14"],
    "p02": ["100", "112,5", "0,8", "25/25", "0", "100%", "5", "2", "!Trung bình", "!Bỏ qua",
            "13,5"],
    "p03": ["120", "100", "0.5", "10/12", "1", "98,5", "4", "5", "!Bỏ qua", "!Bỏ qua", "15"],
    "p04": ["150", "250%", "0", "!Đúng, giữ", "Toàn bộ hộ nghèo đã thoát nghèo", "7/9", "4",
            "90", "0", "1", "!Thấp", "!Bỏ qua", "12"],
    "p05": ["300", "100", "0,5", "30/40", "3", "92", "1", "0", "!Cao", "!Bỏ qua", "10"],
    "p06": ["190", "101", "2", "0/10", "0", "99", "6", "0", "!Cao", "!Bỏ qua", "11"],
    "p07": ["250", "130", "1", "12/15", "5", "97", "3", "0", "!Bỏ qua", "!Bỏ qua", "12,25"],
    "p08": ["200", "40", "4", "9/10", "1", "100", "2", "3", "!Trung bình", "!Bỏ qua", "13"],
    "p09": ["50", "90", "0,5", "14/16", "2", "85", "1", "0", "!Cao", "!Bỏ qua", "9"],
    "p10": ["125,5", "180", "1,25", "5/8", "8", "96", "0", "4", "!Thấp", "!Bỏ qua", "14"],
}  # fmt: skip
# Each leaf worked by hand (M = 10 unless said), in the order of the table:
# revenue, targets 100 (p01-p04) and 200 (p05-p08): 80 → 4; 100 → 5; 120 → r 1,2, the leaders
# r 1,5 (p04 150, p05 300/200) → 10, so 5 + 5·0,2/0,5 = 7; 190/200 → 4,75; 250/200 → 7,5;
# without a target 125,5 → 10, 50 → 10·50/125,5 = 3,98.
# against the estimate, target 100 %: 95 → 4,75; 112,5 → 5 + 5·0,125/1,5 = 5,42; 250 the leader
# → 10; 101 → 5,03; 130 → 6; 40 → 2; without a target 180 → 10, 90 → 5.
# poor households, lower is better, targets 1 % (p01-p04), 0,5 % (p05): 1,25 → 4; 0,8 → 6,25;
# 0,5 → r 2, the finite leader → 10; 0 → r ∞ → 10; 0,5/0,5 → 5; without a target the least,
# 0,5, over each: 2 → 2,5; 1 → 5; 4 → 1,25; 0,5 → 10; 1,25 → 4.
# cultural quarters (no target, best 25/25): 18/20 → 9; 10/12 → 8,33; 7/9 → 7,78; 0/10 → 0.
# crimes, lower is better, no target, least 0: a 0 gets 10, any other 0.
# waste (no target, best 100): 98,5 → 9,85. digital: Cao 10, Trung bình 5, Thấp 0, skipped 0.
# models 3 each, at most 15; the self-score as given (at most 15); awards +1 each, at most +3.
LEAVES = {
    "p01": ["4.00", "4.75", "4.00", "9.00", "0", "9.50", "10", "6", "14", "0"],
    "p02": ["5.00", "5.42", "6.25", "10.00", "10", "10.00", "5", "15", "13.5", "2"],
    "p03": ["7.00", "5.00", "10.00", "8.33", "0", "9.85", "0", "12", "15", "3"],
    "p04": ["10.00", "10.00", "10.00", "7.78", "0", "9.00", "0", "0", "12", "1"],
    "p05": ["10.00", "5.00", "5.00", "7.50", "0", "9.20", "10", "3", "10", "0"],
    "p06": ["4.75", "5.03", "2.50", "0", "10", "9.90", "10", "15", "11", "0"],
    "p07": ["7.50", "6.00", "5.00", "8.00", "0", "9.70", "0", "9", "12.25", "0"],
    "p08": ["5.00", "2.00", "1.25", "9.00", "0", "10.00", "5", "6", "13", "3"],
    "p09": ["3.98", "5.00", "10.00", "8.75", "0", "8.50", "10", "3", "9", "0"],
    "p10": ["10.00", "10.00", "4.00", "6.25", "0", "9.60", "0", "0", "14", "3"],
}
TOTALS = {unit: sum(map(Decimal, leaves), Decimal(0)) for unit, leaves in LEAVES.items()}
CLASSES = ((Decimal(85), "Xuất sắc"), (Decimal(70), "Tốt"), (Decimal(50), "Khá"))
CHAIR = PEOPLE["p01"]


def _shown(total: Decimal) -> str:
    """A total the Vietnamese way: `82,17`."""
    return f"{total:.2f}".replace(".", ",")


def _class(total: Decimal) -> str:
    return next((f" · {name}" for floor, name in CLASSES if total >= floor), "")


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    word_files_only(monkeypatch)


@pytest.fixture
async def wards(engine: Engine, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Harness]:
    """The file imported by `thidua import`; ten of the fifteen wards submitted in the chat."""
    async with submitted(engine, FILE, ANSWERS, PEOPLE, caplog) as bot:
        yield bot


def test_the_file_without_a_timezone_imports_and_again_changes_nothing(engine: Engine) -> None:
    first = thidua(engine, "import", FILE)
    assert first.exit_code == 0, first.output
    for name in NAMES.values():
        assert f"“{name}”" in first.output
    # No timezone in the file: Vietnam's, so 17:00 stays 17:00 on the deadline.
    status = thidua(engine, "status", "--period", "ld-2026-6t").output
    assert "Hạn nộp: 17:00 ngày 25/6/2026" in status
    assert all(name in status for name in NAMES.values())
    assert thidua(engine, "import", FILE).output.strip() == "Không có gì thay đổi."


async def test_a_receipt_is_in_vietnams_time_and_the_review_in_its_figures(
    engine: Engine,
) -> None:
    assert thidua(engine, "import", FILE).exit_code == 0
    async with Harness(engine) as bot:
        seen = await submit_by_chat(bot, PEOPLE["p04"], "p04", ANSWERS["p04"])
    review = next(m["text"] for m in seen if m.get("text", "").startswith("📋 Xem lại"))
    assert "Tỷ lệ thu ngân sách so với dự toán giao: 250%" in review
    assert "Tổ dân phố đạt danh hiệu “Tổ dân phố văn hóa”: 7/9" in review
    assert "Tỷ lệ hộ nghèo còn lại: 0% ⚠️ (giải trình: Toàn bộ hộ nghèo đã thoát nghèo)" in review
    assert "Thu ngân sách nhà nước trên địa bàn phường: 150 triệu đồng" in review
    assert "Thời gian: 10:00 ngày 10/6/2026" in seen[-1]["text"]  # 03:00 UTC
    assert english_words(review + seen[-1]["text"]) == []


async def test_scores_follow_every_rule_and_rank_the_wards_as_computed_by_hand(
    wards: Harness,
) -> None:
    text = last(await wards.send(CHAIR, "/scores ld-2026-6t ld-cum1"))["text"]
    order = sorted(TOTALS, key=lambda unit: -TOTALS[unit])
    expected = [
        f"{rank}. {NAMES[unit]}: {_shown(TOTALS[unit])} điểm{_class(TOTALS[unit])}"
        for rank, unit in enumerate(order, start=1)
    ]
    lines = text.splitlines()
    assert [line for line in lines if line.split(". ", 1)[0].isdigit()] == expected
    assert expected[0] == "1. Phường Cam Ly – Đà Lạt: 82,17 điểm · Tốt"
    for code in ("p11", "p12", "p13", "p14", "p15"):
        assert f"– {NAMES[code]}: chưa nộp, chưa xếp hạng" in lines
    assert "Thiếu số liệu" in text  # the skipped digital level scores 0 and is marked
    assert english_words(text) == []


async def test_the_scoring_sheet_has_every_leaf_as_computed_by_hand(
    wards: Harness, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path_factory.mktemp("scores") / "diem.csv"
    args = ("scores", "--period", "ld-2026-6t", "--detail", "--format", "csv", "--out", str(out))
    result = thidua(engine, *args)
    assert result.exit_code == 0, result.output
    header, *rows = csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))
    # The contract's columns name «cluster» twice: the cluster's code, then its layer's score.
    assert header == ["period", "cluster", "unit_code", "criterion", "max", "self", "cluster",
                      "approved"]  # fmt: skip
    keys = ["thu-ns", "thu-ns-kh", "ho-ngheo", "to-dan-pho", "vu-an", "rac-thai", "so-hoa",
            "mo-hinh", "tu-cham", "khen"]  # fmt: skip
    found = {(row[2], row[3]): Decimal(row[6]) for row in rows if row[6]}
    assert {row[1] for row in rows} == {"ld-cum1"}
    for unit, leaves in LEAVES.items():
        for key, leaf in zip(keys, leaves, strict=True):
            assert found[unit, key] == Decimal(leaf), (unit, key)


async def test_the_board_and_the_summary_hold_all_fifteen_wards(wards: Harness) -> None:
    board = last(await wards.send(CHAIR, "/board ld-2026-6t"))["text"]
    assert "10/15" in board
    assert all(name in board for name in NAMES.values())
    question = last(await wards.send(CHAIR, "/summary"))
    replies = await press_exact(wards, CHAIR, question, MID_YEAR)
    summary = texts(replies)
    assert "Phường B'Lao" in summary and "125,5" in summary and "250%" in summary
    assert english_words(board + summary) == []
    files = dict(wards.fake.uploaded_files(CHAIR.id))
    content = next(data for name, data in files.items() if name.endswith(".xlsx"))
    cells = [
        cell
        for sheet in load_workbook(io.BytesIO(content)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    strings = " ".join(str(cell) for cell in cells)
    assert all(name in strings for name in NAMES.values())
    assert 125.5 in cells and 250 in cells  # numbers stored as numbers, over 100 % kept


async def test_the_report_ranks_the_wards_and_names_the_place(wards: Harness) -> None:
    replies = await wards.send(CHAIR, "/report ld-2026-6t")
    assert any("document" in m for m in replies), texts(replies)
    [word] = [data for name, data in wards.fake.uploaded_files(CHAIR.id) if name.endswith(".docx")]
    document = reopen(word)
    paragraphs = "\n".join(p.text for p in all_paragraphs(document))
    cells = {cell for table in document.tables for row in table_rows(table) for cell in row}
    everything = paragraphs + "\n" + "\n".join(cells)
    assert "UBND TỈNH LÂM ĐỒNG" in everything and "CỤM THI ĐUA SỐ 1" in everything
    assert "Đà Lạt, ngày" in everything
    for unit, total in TOTALS.items():
        assert NAMES[unit] in everything and _shown(total) in everything
    assert "Thu ngân sách đạt thấp do dự án “Khu dân cư số 3” chậm" in everything


async def test_the_year_end_period_shows_the_mid_year_figure_as_the_last_value(
    wards: Harness,
) -> None:
    wards.now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 09:00, the year-end period is open
    reply = last(await wards.send(PEOPLE["p03"], "/submit"))
    assert "Tổng kết năm 2026" in texts([reply]) or "1/1/2026" in reply["text"]
    assert "Số liệu tính từ 1/1/2026 đến 31/12/2026" in reply["text"]
    assert "120 triệu đồng" in reply["text"]  # the mid-year figure, shown beside the question
    assert english_words(reply["text"]) == []


def test_the_year_end_conference_papers_and_votes_by_the_command_line(
    engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert thidua(engine, "import", FILE).exit_code == 0
    folder = tmp_path_factory.mktemp("papers")
    out = folder / "giay-moi.docx"
    result = thidua(engine, "invitation", "--conference", "tk-2026", "--out", str(out))
    assert result.exit_code == 0, result.output
    words = "\n".join(p.text for p in all_paragraphs(reopen(out.read_bytes())))
    assert "“Chung sức xây dựng phường văn minh, hiện đại”" in words
    assert "Hội trường UBND phường Xuân Hương – Đà Lạt" in words
    votes = thidua(engine, "votes", "--conference", "tk-2026")
    assert votes.exit_code == 0, votes.output
    for title in ("Bầu Cụm trưởng năm 2028", "Thông qua báo cáo tổng kết năm 2026"):
        assert title in votes.output
    assert english_words(votes.output) == []
