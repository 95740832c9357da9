"""The summary with a scoring table: the workbook's «Chấm điểm» sheet, the ranking in the text."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.reports import Snapshot, build_summary, load_snapshot, summary_messages, summary_workbook
from bot.storage import make_engine, session_scope, upgrade
from bot.storage.scoring_reviews import approve_scores, change_score
from tests.support.factories import example_cluster
from tests.support.scoring import ids, score_example


@pytest.fixture
def scored(sqlite_url: str) -> Iterator[Engine]:
    """The example cluster with a scoring table; three of its five units have submitted."""
    engine = make_engine(sqlite_url)
    upgrade(engine)
    score_example(engine)
    yield engine
    engine.dispose()


def _change(engine: Engine, unit: str, key: str, value: str) -> None:
    period_id, cluster_id, unit_id = ids(engine, unit)
    with session_scope(engine) as session:
        change_score(
            session,
            period_id=period_id,
            cluster_id=cluster_id,
            unit_id=unit_id,
            criterion_key=key,
            value=Decimal(value),
            reason="Lý do",
            actor="test",
        )


def _approve(engine: Engine) -> None:
    period_id, cluster_id, _ = ids(engine, "kon-tum")
    with session_scope(engine) as session:
        approve_scores(session, period_id=period_id, cluster_id=cluster_id, actor="test")


def _snapshot(engine: Engine) -> Snapshot:
    period_id, cluster_id, _ = ids(engine, "kon-tum")
    with Session(engine) as session:
        return load_snapshot(session, period_id=period_id, cluster_id=cluster_id)


def _sheet(engine: Engine) -> Worksheet:
    workbook = load_workbook(io.BytesIO(summary_workbook(_snapshot(engine), locale="vi")))
    sheet = workbook["Chấm điểm"]
    assert isinstance(sheet, Worksheet)
    return sheet


def _rows(sheet: Worksheet) -> dict[str, list[object]]:
    """Each row by the text of its first or second column."""
    rows = {}
    for row in sheet.iter_rows(values_only=True):
        label = row[0] if row[0] is not None else row[1]
        if isinstance(label, str):
            rows[label] = list(row)
    return rows


def _text(engine: Engine) -> str:
    return "\n".join(summary_messages(build_summary(_snapshot(engine)), locale="vi"))


def test_the_snapshot_carries_the_clusters_scores(scored: Engine) -> None:
    (cluster,) = _snapshot(scored).clusters
    assert cluster.scores is not None
    assert [s.unit for s in cluster.scores.layers["cluster"].standings][:3] == [
        "kon-tum",
        "sa-thay",
        "dak-cam",
    ]


def test_the_sheet_has_each_leaf_and_group_in_three_layers_as_numbers(scored: Engine) -> None:
    rows = _rows(_sheet(scored))
    # Columns: code, criterion, max, then self / cluster / approved for each unit in order.
    assert rows["thu-ngan-sach"][2:9] == [15.0, 7.5, 7.5, None, 10.5, 10.5, None]
    assert rows["kt-xh"][2:9] == [50.0, 32.5, 32.5, None, 29.5, 29.5, None]
    assert rows["thuong-tru"][2:9] == [None, 5.0, 5.0, None, 5.0, 5.0, None]
    assert rows["Tổng điểm"][3:9] == [81.0, 81.0, None, 70.9, 70.9, None]
    assert rows["Xếp hạng"][3:12] == [1, 1, None, 2, 2, None, 3, 3, None]
    assert rows["Xếp loại"][3:9] == ["Tốt", "Tốt", None, "Khá", "Khá", None]


def test_the_sheet_names_the_units_that_have_not_submitted(scored: Engine) -> None:
    sheet = _sheet(scored)
    header = [cell for cell in next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))]
    assert "Xã Mô Rai (chưa nộp)" in header


def test_the_sheet_marks_a_missing_figure_and_a_tie(scored: Engine) -> None:
    _change(scored, "kon-tum", "to-chuc", "7")
    _change(scored, "sa-thay", "dien-hinh", "8.1")
    sheet = _sheet(scored)
    fills = {
        (cell.row, cell.column): cell.fill.fgColor.rgb
        for row in sheet.iter_rows()
        for cell in row
        if cell.fill.fill_type
    }
    rows = {row[0].value or row[1].value: row[0].row for row in sheet.iter_rows()}
    assert fills[(rows["dien-hinh"], 7)].endswith("FCE4D6")  # sa-thay's self-score: missing
    assert (rows["dien-hinh"], 8) not in fills  # the chair's value is no longer a gap
    assert fills[(rows["Xếp hạng"], 5)].endswith("FFF2CC")  # kon-tum 79,00 = sa-thay 79,00
    assert fills[(rows["Xếp hạng"], 8)].endswith("FFF2CC")


def test_the_approved_layer_fills_its_column_once_approved(scored: Engine) -> None:
    _approve(scored)
    assert _rows(_sheet(scored))["Tổng điểm"][3:6] == [81.0, 81.0, 81.0]


def test_the_summary_text_ends_with_the_ranking_by_the_cluster_score(scored: Engine) -> None:
    text = _text(scored)
    ranking = text[text.index("🏅 Xếp hạng (điểm cụm chấm)") :]
    assert ranking.splitlines() == [
        "🏅 Xếp hạng (điểm cụm chấm)",
        "1. Phường Kon Tum: 81,00 điểm · Tốt",
        "2. Xã Sa Thầy: 70,90 điểm · Khá",
        "3. Phường Đăk Cấm: 57,00 điểm",
        "Chưa nộp, chưa xếp hạng: Xã Mô Rai, Xã Ia Đal",
        "Thiếu số liệu, tính 0 điểm: Xã Sa Thầy, Phường Đăk Cấm",
    ]


def test_the_ranking_says_ties_and_uses_the_approved_score_once_approved(scored: Engine) -> None:
    _change(scored, "sa-thay", "dien-hinh", "10")
    _change(scored, "kon-tum", "to-chuc", "8.9")
    _approve(scored)
    lines = _text(scored).splitlines()
    start = lines.index("🏅 Xếp hạng (điểm duyệt)")
    assert lines[start + 1 : start + 3] == [
        "1. Phường Kon Tum: 80,90 điểm · Tốt · đồng hạng",
        "1. Xã Sa Thầy: 80,90 điểm · Tốt · đồng hạng",
    ]


def test_a_cluster_without_a_scoring_table_has_no_sheet_and_no_ranking(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    example_cluster(engine, group=False)
    workbook = load_workbook(io.BytesIO(summary_workbook(_snapshot(engine), locale="vi")))
    assert "Chấm điểm" not in workbook.sheetnames
    assert "Xếp hạng" not in _text(engine)
    engine.dispose()
