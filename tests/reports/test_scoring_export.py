"""`thidua scores`: the ranking and detail contracts as CSV, and as xlsx with numbers as numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from bot.cli import main
from bot.storage import session_scope
from bot.storage.scoring_reviews import approve_scores, change_score
from tests.support.factories import example_cluster
from tests.support.scoring import ids, score_example

RANKING = ["period", "cluster", "rank", "unit_code", "unit_name", "total", "class"]
DETAIL = ["period", "cluster", "unit_code", "criterion", "max", "self", "cluster", "approved"]


@pytest.fixture
def scored(engine: Engine) -> Engine:
    """The example cluster with a scoring table; three of its five units have submitted."""
    score_example(engine)
    return engine


def _thidua(engine: Engine, *args: str) -> Result:
    env = {"DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    env |= {"TELEGRAM_BOT_TOKEN": "", "THIDUA_LOCALE": "vi"}
    return CliRunner().invoke(main, ["scores", *args], env=env, catch_exceptions=False)


def _csv(engine: Engine, tmp_path: Path, *args: str) -> list[list[str]]:
    out = tmp_path / "scores.csv"
    result = _thidua(engine, "--period", "2026-h1", "--format", "csv", "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))


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


def test_the_ranking_csv_lists_units_in_rank_order_the_unsubmitted_last_unranked(
    scored: Engine, tmp_path: Path
) -> None:
    assert _csv(scored, tmp_path) == [
        RANKING,
        ["2026-h1", "kt-cum2", "1", "kon-tum", "Phường Kon Tum", "81.00", "Tốt"],
        ["2026-h1", "kt-cum2", "2", "sa-thay", "Xã Sa Thầy", "70.90", "Khá"],
        ["2026-h1", "kt-cum2", "3", "dak-cam", "Phường Đăk Cấm", "57.00", ""],
        ["2026-h1", "kt-cum2", "", "mo-rai", "Xã Mô Rai", "0.00", ""],
        ["2026-h1", "kt-cum2", "", "ia-dal", "Xã Ia Đal", "0.00", ""],
    ]


def test_the_layer_defaults_to_the_cluster_score_and_self_gives_the_self_score(
    scored: Engine, tmp_path: Path
) -> None:
    _change(scored, "dak-cam", "to-chuc", "10")
    _change(scored, "dak-cam", "sang-kien", "10")
    assert _csv(scored, tmp_path)[3][3:6] == ["dak-cam", "Phường Đăk Cấm", "70.00"]
    assert _csv(scored, tmp_path, "--layer", "self")[3][3:6] == [
        "dak-cam",
        "Phường Đăk Cấm",
        "57.00",
    ]


def test_the_approved_layer_is_empty_until_an_admin_approves(
    scored: Engine, tmp_path: Path
) -> None:
    rows = _csv(scored, tmp_path, "--layer", "approved", "--cluster", "kt-cum2")
    assert [(row[2], row[5], row[6]) for row in rows[1:]] == [("", "", "")] * 5
    period_id, cluster_id, _ = ids(scored, "kon-tum")
    with session_scope(scored) as session:
        approve_scores(session, period_id=period_id, cluster_id=cluster_id, actor="test")
    assert _csv(scored, tmp_path, "--layer", "approved")[1][2:] == [
        "1",
        "kon-tum",
        "Phường Kon Tum",
        "81.00",
        "Tốt",
    ]


def test_the_detail_has_one_row_per_unit_and_leaf_with_the_layers_reached(
    scored: Engine, tmp_path: Path
) -> None:
    _change(scored, "sa-thay", "dien-hinh", "6")
    rows = _csv(scored, tmp_path, "--detail")
    assert rows[0] == DETAIL
    assert len(rows) == 1 + 5 * 12
    by_key = {(row[2], row[3]): row[4:] for row in rows[1:]}
    assert by_key[("sa-thay", "thu-ngan-sach")] == ["15.00", "10.50", "10.50", ""]
    assert by_key[("sa-thay", "dien-hinh")] == ["10.00", "0.00", "6.00", ""]
    assert by_key[("sa-thay", "vi-pham")] == ["10.00", "-5.00", "-5.00", ""]
    assert by_key[("mo-rai", "xa-ntm")] == ["10.00", "", "", ""]


def test_the_xlsx_stores_totals_as_numbers(scored: Engine, tmp_path: Path) -> None:
    out = tmp_path / "scores.xlsx"
    result = _thidua(scored, "--period", "2026-h1", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == [
        "Kỳ báo cáo",
        "Cụm",
        "Xếp hạng",
        "Mã đơn vị",
        "Tên đơn vị",
        "Tổng điểm",
        "Xếp loại",
    ]
    total = sheet.cell(2, 6)
    assert (total.value, total.data_type, total.number_format) == (81.0, "n", "0.00")
    assert sheet.cell(2, 3).value == 1


def test_a_period_without_a_scoring_table_is_refused_with_a_sentence(
    engine: Engine, tmp_path: Path
) -> None:
    example_cluster(engine, group=False)
    result = _thidua(engine, "--period", "2026-h1", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
    assert "Kỳ «2026-h1» chưa có cụm nào có bảng chấm điểm." in result.output
    assert not (tmp_path / "x.csv").exists()


def test_an_unknown_period_is_refused(engine: Engine, tmp_path: Path) -> None:
    result = _thidua(engine, "--period", "khong-co", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
    assert "Không có kỳ báo cáo mã «khong-co»." in result.output
