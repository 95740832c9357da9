"""Reports from real databases: the snapshot, the summary's text, chart and workbook."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.domain import figures
from bot.reports import (
    build_summary,
    load_snapshot,
    summary_chart,
    summary_messages,
    summary_workbook,
)
from bot.reports.text import LINE_WIDTH
from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage import submissions as store
from bot.storage.models import Indicator, Period, Submission, Unit
from bot.storage.people import person_for
from bot.storage.setup_import import apply_setup, known_clusters
from bot.storage.types import require_id

SUBMITTED_AT = datetime(2026, 6, 18, 2, 30, tzinfo=UTC)  # 09:30 in Kon Tum
# Canonical answers in pledge order; None is «Bỏ qua» (optional questions only).
KON_TUM = ["450", "104.5", "7", "1200", "0.3", "47/53", "true", "Tốt", "Vượt thu", None, None]
SA_THAY = ["120", "98", "5", "450", "0.5", "20/25", "false", "Khá", None, None, "bao-cao.pdf"]
DAK_CAM = ["60.25", "101", "3", "300", "0.9", "15/18", "true", "Tốt", None, None, None]


def import_setup(engine: Engine, text: str) -> None:
    """Import a set-up file as `thidua import` does."""
    with session_scope(engine) as session:
        setup = read_setup(text, known_clusters=known_clusters(session))
        apply_setup(session, setup, actor="test")


def submit(
    engine: Engine,
    unit_code: str,
    answers: list[str | None],
    *,
    at: datetime = SUBMITTED_AT,
    late: bool = False,
    explanations: Mapping[str, str] | None = None,
    period_code: str = "2026-h1",
) -> None:
    """Answer every indicator of the unit's pledge in order and submit, as the flow does."""
    with session_scope(engine) as session:
        period = session.exec(select(Period).where(Period.code == period_code)).one()
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        cluster = store.cluster_of_unit(session, require_id(unit))
        assert cluster is not None
        indicators = store.indicators_for(session, cluster_id=require_id(cluster), year=period.year)
        person = person_for(
            session,
            telegram_id=5000 + require_id(unit),
            full_name=f"Đầu mối {unit.name}",
            username=None,
            language="vi",
        )
        draft = store.start_draft(
            session, period_id=require_id(period), unit_id=require_id(unit), person=person
        )
        for indicator, value in zip(indicators, answers, strict=True):
            _save(
                session, draft, indicator, value, person, (explanations or {}).get(indicator.code)
            )
        store.submit_draft(session, draft=draft, person=person, unit=unit, now=at, late=late)


def _save(
    session: Session,
    draft: Submission,
    indicator: Indicator,
    value: str | None,
    person: Any,
    explanation: str | None,
) -> None:
    if value is None:
        store.save_answer(
            session, draft=draft, indicator_id=require_id(indicator), person=person, skipped=True
        )
        return
    spec = figures.Spec(kind=indicator.kind, options=tuple(indicator.options))
    number = figures.as_number(figures.from_canonical(value, spec))
    store.save_answer(
        session,
        draft=draft,
        indicator_id=require_id(indicator),
        person=person,
        raw_text=value,
        value=value,
        value_number=None if number is None else float(number),
        explanation=explanation,
        flags=["unusual"] if explanation else [],
        file_id="file-1" if indicator.kind == "file" else None,
        file_name=value if indicator.kind == "file" else None,
    )


def return_latest(engine: Engine, unit_code: str, reason: str) -> None:
    """The chair returns the unit's latest submitted revision."""
    with session_scope(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        latest = store.latest_submitted(session, period_id=1, unit_id=require_id(unit))
        assert latest is not None
        latest.returned_at, latest.returned_reason = SUBMITTED_AT + timedelta(days=1), reason
        session.add(latest)


def period_id(engine: Engine, code: str = "2026-h1") -> int:
    with Session(engine) as session:
        return require_id(session.exec(select(Period).where(Period.code == code)).one())


def snapshot_of(engine: Engine, cluster_id: int | None = None) -> Any:
    with Session(engine) as session:
        return load_snapshot(session, period_id=period_id(engine), cluster_id=cluster_id)


@pytest.fixture
def example(engine: Engine, example_yaml: str) -> Engine:
    """The example cluster with three of its five units submitted; sa-thay revised once."""
    import_setup(engine, example_yaml)
    submit(engine, "kon-tum", KON_TUM)
    submit(engine, "sa-thay", ["999", *SA_THAY[1:]], at=SUBMITTED_AT - timedelta(days=1))
    submit(engine, "sa-thay", SA_THAY, at=SUBMITTED_AT + timedelta(hours=3))
    submit(
        engine,
        "dak-cam",
        DAK_CAM,
        late=True,
        explanations={"thu-ngan-sach": "Thu tiền sử dụng đất một lần"},
    )
    return engine


# -- the snapshot ------------------------------------------------------------------------------


def test_the_snapshot_holds_units_indicators_and_targets_in_set_up_order(example: Engine) -> None:
    snapshot = snapshot_of(example)
    assert (snapshot.period.code, snapshot.period.timezone) == ("2026-h1", "Asia/Ho_Chi_Minh")
    (cluster,) = snapshot.clusters
    assert [unit.code for unit in cluster.units] == [
        "kon-tum",
        "sa-thay",
        "dak-cam",
        "mo-rai",
        "ia-dal",
    ]
    assert [i.code for i in cluster.indicators][:3] == ["thu-ngan-sach", "gtsx-ke-hoach", "xa-ntm"]
    assert cluster.indicators[0].unit_label == "tỷ đồng"
    assert cluster.indicators[4].better == "lower"
    assert cluster.indicators[7].options == ("Tốt", "Khá", "Trung bình", "Yếu")
    assert cluster.targets["sa-thay"] == {
        "thu-ngan-sach": "95",
        "xa-ntm": "5",
        "quy-vi-nguoi-ngheo": "400",
        "hs-bo-hoc": "0.8",
    }
    assert set(cluster.latest) == {"kon-tum", "sa-thay", "dak-cam"}


def test_the_snapshot_keeps_only_the_latest_revision_and_logs_every_one(example: Engine) -> None:
    (cluster,) = snapshot_of(example).clusters
    figures_of = cluster.latest["sa-thay"]
    assert figures_of.revision == 2
    assert figures_of.answers["thu-ngan-sach"].value == "120"
    assert figures_of.answers["bao-cao"].file_name == "bao-cao.pdf"
    assert figures_of.submitted_by == "Đầu mối Xã Sa Thầy"
    assert cluster.latest["kon-tum"].answers["noi-bat"].value == "Vượt thu"
    assert cluster.latest["kon-tum"].answers["kien-nghi"].skipped is True
    explained = cluster.latest["dak-cam"].answers["thu-ngan-sach"]
    assert (explained.explanation, explained.flags) == (
        "Thu tiền sử dụng đất một lần",
        ("unusual",),
    )
    log = snapshot_of(example).log
    assert [(entry.unit_code, entry.revision) for entry in log] == [
        ("sa-thay", 1),
        ("kon-tum", 1),
        ("dak-cam", 1),
        ("sa-thay", 2),
    ]
    assert [entry.late for entry in log] == [False, False, True, False]
    assert log[0].submitted_at == SUBMITTED_AT - timedelta(days=1)


def test_a_returned_revision_still_gives_the_latest_figures(example: Engine) -> None:
    return_latest(example, "sa-thay", "Số thu ngân sách chưa khớp báo cáo")
    snapshot = snapshot_of(example)
    figures_of = snapshot.clusters[0].latest["sa-thay"]
    assert figures_of.revision == 2 and figures_of.returned_at is not None
    assert figures_of.returned_reason == "Số thu ngân sách chưa khớp báo cáo"
    assert snapshot.log[-1].returned_reason == "Số thu ngân sách chưa khớp báo cáo"
    summary = build_summary(snapshot)
    result = summary.clusters[0].indicators[0].results[1]
    assert (result.value, result.returned) == (Decimal(120), True)


def test_a_retired_indicator_and_a_draft_stay_out_of_the_snapshot(
    example: Engine, example_yaml: str
) -> None:
    with session_scope(example) as session:
        unit = session.exec(select(Unit).where(Unit.code == "mo-rai")).one()
        person = person_for(session, telegram_id=9, full_name="X", username=None, language="vi")
        store.start_draft(session, period_id=1, unit_id=require_id(unit), person=person)
    tree = yaml.safe_load(example_yaml)
    tree["pledges"][0]["indicators"] = tree["pledges"][0]["indicators"][:-1]  # retire bao-cao
    import_setup(example, yaml.safe_dump(tree, allow_unicode=True))
    (cluster,) = snapshot_of(example).clusters
    assert "bao-cao" not in [i.code for i in cluster.indicators]
    assert "bao-cao" not in cluster.latest["sa-thay"].answers
    assert "mo-rai" not in cluster.latest


def _big_cluster(example_yaml: str, units: int, indicators: int) -> str:
    """The example grown to `units` units and `indicators` indicators (numbers beyond 11)."""
    tree = yaml.safe_load(example_yaml)
    extra = [{"code": f"xa-{n:02}", "name": f"Xã Đăk Tô số {n}"} for n in range(units - 5)]
    tree["clusters"][0]["units"] += extra
    pledge = tree["pledges"][0]
    for n in range(indicators - len(pledge["indicators"])):
        pledge["indicators"].append(
            {
                "code": f"them-{n:02}",
                "name": f"Chỉ tiêu bổ sung số {n}: kết quả thực hiện nhiệm vụ",
                "kind": "number",
                "unit": "triệu đồng",
                "better": "lower" if n % 3 == 0 else "higher",
            }
        )
        for unit in extra:
            pledge["targets"].setdefault(unit["code"], {})[f"them-{n:02}"] = 100 + n
    return yaml.safe_dump(tree, allow_unicode=True)


def _count_statements(engine: Engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_the_snapshot_takes_the_same_few_queries_for_five_units_or_twenty_five(
    engine: Engine, example_yaml: str
) -> None:
    import_setup(engine, _big_cluster(example_yaml, units=25, indicators=11))
    submit(engine, "kon-tum", KON_TUM)
    seen = _count_statements(engine)
    snapshot_of(engine)
    few = len(seen)
    with Session(engine) as session:
        codes = session.exec(select(Unit.code)).all()
    for code in codes:
        if code != "kon-tum":
            submit(engine, code, DAK_CAM)
    seen.clear()
    snapshot = snapshot_of(engine)
    assert len(snapshot.clusters[0].latest) == 25
    assert len(seen) == few <= 10


# -- the text ----------------------------------------------------------------------------------


def test_the_summary_text_has_a_block_per_indicator_with_values_targets_totals_and_leaders(
    example: Engine,
) -> None:
    (text,) = summary_messages(build_summary(snapshot_of(example)), locale="vi")
    assert "Đã nộp: 3/5 đơn vị" in text
    assert "Chưa nộp (2):\n• Xã Mô Rai\n• Xã Ia Đal" in text
    budget = text.split("\n\n")[1]
    assert budget.startswith("1. Tổng thu ngân sách nhà nước trên địa bàn\n  ĐVT: tỷ đồng")
    assert "• Xã Sa Thầy: 120 · 126,3%" in budget  # the latest revision, not 999
    assert "• Phường Đăk Cấm: 60,25 · 100,4%\n  Giải trình: Thu tiền sử dụng" in budget
    assert "Tổng: 630,25 (81,3% chỉ tiêu)" in budget
    assert "Tỷ lệ đạt cao nhất: Xã Sa Thầy" in budget
    assert "Bình quân: 101,17%" in text
    assert "Toàn cụm: 82/96 (85,4%)" in text
    assert "Trả lời «có»: 2/3 đơn vị" in text
    assert "Tốt: 2; Khá: 1;" in text
    assert "Đã trả lời: 1/5 đơn vị" in text


def test_a_long_summary_is_split_under_telegrams_limit_in_narrow_lines(
    engine: Engine, example_yaml: str
) -> None:
    import_setup(engine, _big_cluster(example_yaml, units=16, indicators=40))
    with Session(engine) as session:
        codes = session.exec(select(Unit.code)).all()
    long_reason = "Số liệu tăng do điều chỉnh địa giới hành chính và sáp nhập đơn vị " * 3
    for code in codes:
        submit(engine, code, DAK_CAM + ["1234.5"] * 29, explanations={"them-03": long_reason})
    messages = summary_messages(build_summary(snapshot_of(engine)), locale="vi")
    assert len(messages) > 1
    assert all(0 < len(message) < 4096 for message in messages)
    lines = [line for message in messages for line in message.split("\n")]
    units = [line for line in lines if line.startswith("• ")]
    # One unit and its figure per line, never a row of columns.
    assert all(line.count("·") <= 1 for line in units)
    assert max(len(line) for line in units) <= LINE_WIDTH + 10
    assert len(units) >= 16 * 35
    joined = "\n\n".join(messages)
    assert "40. Chỉ tiêu bổ sung số 28" in joined
    # No indicator block is cut between two messages.
    assert all(message.split("\n")[0][:1].isdigit() for message in messages[1:])


def test_the_summary_speaks_english_too(example: Engine) -> None:
    (text,) = summary_messages(build_summary(snapshot_of(example)), locale="en")
    assert "Submitted: 3/5 units" in text
    assert "Total: 630.25 (81.3% of target)" in text


# -- the chart ---------------------------------------------------------------------------------


def test_the_chart_is_a_phone_sized_png(example: Engine) -> None:
    png = summary_chart(build_summary(snapshot_of(example)), locale="vi")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    width, height = image.size
    assert 800 <= width <= 1280 and 600 <= height <= 4000
    assert 20_000 < len(png) < 2_000_000


def test_a_cluster_without_targets_still_gets_a_chart_that_says_so(
    engine: Engine, example_yaml: str
) -> None:
    tree = yaml.safe_load(example_yaml)
    tree["pledges"][0]["targets"] = {}
    import_setup(engine, yaml.safe_dump(tree, allow_unicode=True))
    png = summary_chart(build_summary(snapshot_of(engine)), locale="vi")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] >= 800


# -- the workbook ------------------------------------------------------------------------------


def _open(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def test_the_workbook_has_the_table_the_answers_and_the_log(example: Engine) -> None:
    workbook = _open(summary_workbook(snapshot_of(example), locale="vi"))
    assert workbook.sheetnames == ["Tổng hợp", "Chi tiết", "Nhật ký nộp"]
    table = workbook["Tổng hợp"]
    assert table.freeze_panes == "D4"
    assert [table.cell(2, c).value for c in (1, 2, 3, 4, 7)] == [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Phường Kon Tum",
        "Xã Sa Thầy",
    ]
    assert [table.cell(3, c).value for c in (4, 5, 6)] == ["Thực hiện", "Chỉ tiêu giao", "%"]
    budget = [cell for cell in table[4]]
    assert (budget[1].value, budget[2].value) == (
        "Tổng thu ngân sách nhà nước trên địa bàn",
        "tỷ đồng",
    )
    assert (budget[6].value, budget[6].number_format) == (120, "#,##0")
    assert (budget[7].value, budget[8].number_format) == (95, "0.0%")
    assert budget[8].value == pytest.approx(120 / 95)
    assert (budget[9].value, budget[9].number_format) == (60.25, "#,##0.00")
    aggregate = 4 + 3 * 5
    assert (budget[aggregate - 1].value, budget[aggregate].value) == (
        630.25,
        pytest.approx(0.8132, abs=1e-4),
    )
    assert budget[aggregate + 1].value == "Xã Sa Thầy"
    percent = [cell for cell in table[5]]
    assert (percent[3].value, percent[3].number_format) == (104.5, '#,##0.0"%"')
    assert table.cell(10, 4).value == "Có" and table.cell(10, 7).value == "Không"
    assert table.cell(9, 4).value == "47/53"
    assert table.column_dimensions["B"].width >= 30


def test_the_answers_sheet_has_explanations_notes_and_typed_cells(example: Engine) -> None:
    return_latest(example, "dak-cam", "Kiểm tra lại")
    sheet = _open(summary_workbook(snapshot_of(example), locale="vi"))["Chi tiết"]
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == [
        "Cụm",
        "Mã đơn vị",
        "Đơn vị",
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Giá trị",
    ]
    assert "Giải trình" in header and sheet.freeze_panes == "D2"
    rows = {(row[1].value, row[3].value): row for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == 3 * 11  # submitted units only, one row per indicator
    explained = rows["dak-cam", "thu-ngan-sach"]
    by_name = dict(zip(header, explained, strict=True))
    assert by_name["Giải trình"].value == "Thu tiền sử dụng đất một lần"
    assert by_name["Ghi chú"].value == "Số liệu bất thường; Đã bị trả lại"
    assert by_name["Nộp muộn"].value == "Có"
    moment = by_name["Thời điểm nộp"]
    assert moment.value == datetime(2026, 6, 18, 9, 30) and "yy" in moment.number_format
    assert by_name["% chỉ tiêu"].value == pytest.approx(60.25 / 60)
    skipped = dict(zip(header, rows["kon-tum", "kien-nghi"], strict=True))
    assert skipped["Ghi chú"].value == "Bỏ qua" and skipped["Giá trị"].value is None
    filed = dict(zip(header, rows["sa-thay", "bao-cao"], strict=True))
    assert filed["Tệp đính kèm"].value == "bao-cao.pdf"


def test_the_log_sheet_lists_every_revision_with_who_and_when(example: Engine) -> None:
    sheet = _open(summary_workbook(snapshot_of(example), locale="vi"))["Nhật ký nộp"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [(row[1], row[3]) for row in rows] == [
        ("sa-thay", 1),
        ("kon-tum", 1),
        ("dak-cam", 1),
        ("sa-thay", 2),
    ]
    assert rows[1][4] == datetime(2026, 6, 18, 9, 30)
    assert rows[1][5] == "Đầu mối Phường Kon Tum"
    assert [row[6] for row in rows] == ["Không", "Không", "Có", "Không"]
    assert sheet.freeze_panes == "A2"


def test_a_period_of_two_clusters_reports_both(engine: Engine, example_yaml: str) -> None:
    tree = yaml.safe_load(example_yaml)
    second = {
        "code": "kt-cum3",
        "name": "Cụm thi đua số 3",
        "units": [
            {"code": "dak-ha", "name": "Xã Đăk Hà"},
            {"code": "dak-to", "name": "Xã Đăk Tô"},
        ],
    }
    tree["clusters"].append(second)
    pledge = {
        "cluster": "kt-cum3",
        "year": 2026,
        "indicators": tree["pledges"][0]["indicators"][:2],
    }
    tree["pledges"].append(pledge)
    tree["periods"][0]["clusters"].append("kt-cum3")
    import_setup(engine, yaml.safe_dump(tree, allow_unicode=True))
    submit(engine, "dak-to", ["10", "100"])
    snapshot = snapshot_of(engine)
    assert [cluster.code for cluster in snapshot.clusters] == ["kt-cum2", "kt-cum3"]
    assert [i.code for i in snapshot.clusters[1].indicators] == ["thu-ngan-sach", "gtsx-ke-hoach"]
    messages = summary_messages(build_summary(snapshot), locale="vi")
    assert len(messages) == 2 and "Cụm thi đua số 3" in messages[1]
    only = snapshot_of(engine, cluster_id=snapshot.clusters[1].id)
    assert [cluster.code for cluster in only.clusters] == ["kt-cum3"]
    assert [entry.unit_code for entry in only.log] == ["dak-to"]
    assert summary_workbook(snapshot, locale="vi")[:2] == b"PK"
