"""The report draft from the stored figures: every figure as the export shows it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_COLOR_INDEX
from docx.table import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.cli import main
from bot.documents import IndicatorGroup, Letterhead, report_docx
from bot.documents.report import groups_from_table, layer_words
from bot.domain.scoring import CLUSTER, SELF, Group, Leaf, Ranking, ScoringTable, Standing
from bot.domain.showing import against_target
from bot.reports import ClusterSummary, PeriodInfo, export_rows
from bot.reports.display import canonical_shown
from bot.storage import make_engine, upgrade
from bot.storage.types import require_id
from tests.documents.conftest import ANSWERS, build_example, snapshot_of
from tests.documents.reading import looks, mm, reopen, table_rows
from tests.documents.test_layout import assert_decree_page
from tests.support.factories import period

LETTERHEAD = Letterhead.for_cluster("Cụm thi đua số 2 – tỉnh Quảng Ngãi")
TABULAR = ("number", "percent", "ratio", "yesno", "choice")
Cells = dict[tuple[str, str], list[str]]


def report_of(
    summary: tuple[ClusterSummary, PeriodInfo],
    *,
    groups: tuple[IndicatorGroup, ...] = (),
    ranking: Ranking | None = None,
) -> Document:
    cluster, the_period = summary
    dated = date(2026, 7, 3)
    content = report_docx(
        cluster, the_period, letterhead=LETTERHEAD, dated=dated, groups=groups, ranking=ranking
    )
    return reopen(content)


def results_tables(document: Document) -> list[Table]:
    return [
        t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["STT", "Đơn vị"]
    ]


def read_results(tables: list[Table]) -> tuple[Cells, dict[str, list[str]]]:
    """(indicator name, unit name) -> its row's cells; indicator name -> the cluster's row."""
    units: Cells = {}
    clusters: dict[str, list[str]] = {}
    indicator = ""
    best = ("Cao nhất", "Thấp nhất", "Tỷ lệ đạt cao nhất")  # never "Dẫn đầu", the vote's title
    for table in tables:
        for cells in table_rows(table)[1:]:
            if len(set(cells)) == 1 and not cells[0].startswith(best):
                indicator = cells[0].split(". ", 1)[1]
            elif cells[0] and not cells[0].startswith(best):
                units[(indicator, cells[1])] = cells[2:]
            elif not cells[0]:
                clusters[indicator] = cells[1:]
    return units, clusters


def test_every_figure_in_the_results_equals_the_exports_display_value(
    example: Engine, summary: tuple[ClusterSummary, PeriodInfo]
) -> None:
    units, _clusters = read_results(results_tables(report_of(summary)))
    with Session(example) as session:
        rows = list(export_rows(session, period_id=require_id(period(session))))
    shown = [row for row in rows if row.kind in TABULAR and row.value]
    assert len(shown) == sum(len(a) for a in ANSWERS.values()) - 2  # two texts are not tables
    for row in shown:
        assert units[(row.indicator_name, row.unit_name)][0] == row.display_value


def test_each_target_and_share_is_shown_the_vietnamese_way(
    example: Engine, summary: tuple[ClusterSummary, PeriodInfo]
) -> None:
    units, _clusters = read_results(results_tables(report_of(summary)))
    (cluster,) = snapshot_of(example).clusters
    checked = 0
    for unit in cluster.units:
        for indicator in cluster.indicators:
            target = cluster.targets[unit.code].get(indicator.code)
            if target is None:
                continue
            _result, shown_target, share = units[(indicator.name, unit.name)]
            assert shown_target == canonical_shown(target, indicator, "vi")
            value = ANSWERS.get(unit.code, {}).get(indicator.code)
            share_of = Decimal(value) / Decimal(target) if value else None
            better = indicator.better
            expected = against_target(share_of, better, "vi") if share_of is not None else ""
            assert share == expected
            checked += 1
    assert checked == 20
    assert units[("Tổng thu ngân sách nhà nước trên địa bàn", "Phường Kon Tum")] == [
        "450 tỷ đồng",
        "620 tỷ đồng",
        "72,6%",
    ]


def test_units_that_did_not_submit_are_marked_and_named(
    summary: tuple[ClusterSummary, PeriodInfo],
) -> None:
    document = report_of(summary)
    units, _clusters = read_results(results_tables(document))
    for unit in ("Xã Mô Rai", "Xã Ia Đal"):
        assert units[("Tỷ lệ học sinh bỏ học", unit)][0] == "Chưa nộp"
    texts = [p.text for p in document.paragraphs]
    assert "Số đơn vị đã gửi số liệu: 3/5." in texts
    assert "Chưa gửi: Xã Mô Rai, Xã Ia Đal." in texts


def test_the_clusters_row_is_the_summarys_total_average_ratio_and_counts(
    summary: tuple[ClusterSummary, PeriodInfo],
) -> None:
    _units, clusters = read_results(results_tables(report_of(summary)))
    assert clusters["Tổng thu ngân sách nhà nước trên địa bàn"] == [
        "Tổng cộng",
        "631 tỷ đồng",
        "",
        "81,4%",
    ]
    assert clusters["Giá trị sản xuất so với kế hoạch năm"][:2] == ["Bình quân", "101,17%"]
    assert clusters["Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên"][1] == "82/96 (85,4%)"
    assert clusters["Hoàn thành 100% chỉ tiêu giao quân"][1] == "Trả lời «có»: 2/3 đơn vị"
    assert (
        clusters["Mức độ thực hiện cải cách hành chính"][1]
        == "Tốt: 2; Khá: 1; Trung bình: 0; Yếu: 0"
    )


def test_the_report_is_on_the_decrees_page_with_its_title_and_numbered_sections(
    summary: tuple[ClusterSummary, PeriodInfo],
) -> None:
    document = report_of(summary)
    assert_decree_page(document)
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện giao ước thi đua sơ kết 6 tháng đầu năm 2026" in texts
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert headings == [
        "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THI ĐUA",
        "II. Ý KIẾN CỦA CÁC ĐƠN VỊ",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
    ]
    assert all(looks(p) == {(14, True, False)} for p in document.paragraphs if p.text in headings)
    header = document.tables[0].rows[1].cells[1].text
    assert header == "Quảng Ngãi, ngày 03 tháng 7 năm 2026"


def test_the_compiled_table_is_a_landscape_annex_with_every_figure(
    example: Engine, summary: tuple[ClusterSummary, PeriodInfo]
) -> None:
    document = report_of(summary)
    annex = document.sections[-1]
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert (mm(annex.page_width), mm(annex.page_height)) == (297.0, 210.0)
    assert not annex.different_first_page_header_footer  # numbered like the pages before
    (table,) = [t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu"]
    header, *rows = table_rows(table)
    assert header[-1] == "Toàn cụm"
    figures = {
        (row[1], unit): cell for row in rows for unit, cell in zip(header[2:], row[2:], strict=True)
    }
    with Session(example) as session:
        exported = list(export_rows(session, period_id=require_id(period(session))))
    for row in exported:
        if row.kind in TABULAR and row.value:
            assert figures[(row.indicator_name, row.unit_name)] == row.display_value
    assert figures[("Tổng thu ngân sách nhà nước trên địa bàn", "Toàn cụm")] == "631 tỷ đồng"


def test_text_indicators_are_compiled_unit_by_unit(
    summary: tuple[ClusterSummary, PeriodInfo],
) -> None:
    texts = [p.text for p in report_of(summary).paragraphs]
    assert "- Phường Kon Tum: " + ANSWERS["kon-tum"]["noi-bat"] in texts
    assert "- Xã Sa Thầy: " + ANSWERS["sa-thay"]["kien-nghi"] in texts
    assert "1. Kết quả nổi bật" in texts


def test_the_tasks_ahead_are_left_to_the_chair_and_marked_so(
    summary: tuple[ClusterSummary, PeriodInfo],
) -> None:
    document = report_of(summary)
    marked = [p for p in document.paragraphs if p.text.startswith("[Phần này do Cụm trưởng viết")]
    assert len(marked) == 1
    assert marked[0].runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW


def _standing(unit: str, total: str, rank: int | None, tied: bool = False) -> Standing:
    empty: MappingProxyType[str, Decimal] = MappingProxyType({})
    return Standing(
        unit, rank is not None, empty, empty, Decimal(total), rank, tied, "Tốt" if rank else None
    )


def test_the_ranking_section_shows_each_unit_in_rank_order_with_its_layer(
    summary: tuple[ClusterSummary, PeriodInfo],
) -> None:
    ranking = Ranking(
        CLUSTER,
        (
            _standing("kon-tum", "87.5", 1),
            _standing("sa-thay", "80", 2, tied=True),
            _standing("dak-cam", "80", 2, tied=True),
            _standing("mo-rai", "0", None),
        ),
    )
    document = report_of(summary, ranking=ranking)
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Hạng"]
    assert table_rows(table)[1:] == [
        ["1", "Phường Kon Tum", "87,50", "Tốt"],
        ["2 (đồng hạng)", "Xã Sa Thầy", "80,00", "Tốt"],
        ["2 (đồng hạng)", "Phường Đăk Cấm", "80,00", "Tốt"],
        ["—", "Xã Mô Rai", "—", "Chưa nộp số liệu"],
    ]
    texts = [p.text for p in document.paragraphs]
    assert "II. CHẤM ĐIỂM, XẾP HẠNG" in texts
    assert "Theo bảng chấm điểm, lớp điểm: điểm của Cụm." in texts
    assert "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI" in texts
    assert layer_words(SELF, LETTERHEAD, "vi") == "điểm tự chấm của các đơn vị"


def test_groups_of_the_scoring_table_give_one_table_each_and_the_rest_comes_last(
    summary: tuple[ClusterSummary, PeriodInfo],
) -> None:
    leaf = Leaf(key="k", title="", max=Decimal(10), rule="target", indicator="thu-ngan-sach")
    table = ScoringTable(
        (
            Group("kt", "I. Phát triển kinh tế", Decimal(10), (leaf,)),
            Group(
                "dang",
                "II. Xây dựng Đảng",
                Decimal(10),
                (Leaf("p", "Tổ chức", Decimal(10), "people"),),
            ),
        )
    )
    groups = groups_from_table(table)
    assert groups == (
        IndicatorGroup("Phát triển kinh tế", ("thu-ngan-sach",)),
        IndicatorGroup("Xây dựng Đảng", ()),
    )
    document = report_of(summary, groups=groups)
    texts = [p.text for p in document.paragraphs]
    assert "1. Phát triển kinh tế" in texts and "2. Các chỉ tiêu khác" in texts
    assert "Xây dựng Đảng" not in "\n".join(texts)  # a group without figures has no table
    first, rest = results_tables(document)
    assert table_rows(first)[1][0] == "1. Tổng thu ngân sách nhà nước trên địa bàn"
    assert "Tổng thu ngân sách" not in "\n".join(c for row in table_rows(rest) for c in row)


@pytest.fixture
def stored(database_url: str) -> str:
    """A database URL holding the example cluster with three units' figures."""
    engine = make_engine(database_url)
    upgrade(engine)
    build_example(engine)
    engine.dispose()
    return database_url


def test_the_report_command_writes_the_draft_under_a_name_for_people(
    stored: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"DATABASE_URL": stored, "TELEGRAM_BOT_TOKEN": "", "THIDUA_LOCALE": "vi"}
    args = ["report", "--period", "2026-h1", "--cluster", "kt-cum2"]
    result = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    written = tmp_path / "Bao-cao-so-ket-2026-h1-kt-cum2.docx"
    assert f"Đã ghi dự thảo báo cáo vào {written.name}." in result.output
    document = reopen(written.read_bytes())
    assert "BÁO CÁO" in [p.text for p in document.paragraphs]
    assert not list(tmp_path.glob("*.partial"))


def test_the_report_command_refuses_an_unknown_cluster_politely(stored: str) -> None:
    env = {"DATABASE_URL": stored, "TELEGRAM_BOT_TOKEN": "", "THIDUA_LOCALE": "vi"}
    args = ["report", "--period", "2026-h1", "--cluster", "khong-co", "--out", "x.docx"]
    result = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    assert result.exit_code == 2
    assert "Không có cụm mã «khong-co»." in result.output
