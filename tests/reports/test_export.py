"""The period export: CSV and Excel opened back, and `thidua export` / `thidua status`."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.cli import main
from bot.reports import CSV_COLUMNS, export_rows, write_csv, write_xlsx
from tests.reports.test_reports import (
    DAK_CAM,
    KON_TUM,
    SA_THAY,
    SUBMITTED_AT,
    import_setup,
    period_id,
    return_latest,
    submit,
)

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def example(engine: Engine, example_yaml: str) -> Engine:
    """Three units submitted; sa-thay twice (999 first), dak-cam late."""
    import_setup(engine, example_yaml)
    submit(engine, "kon-tum", KON_TUM)
    submit(engine, "sa-thay", ["999", *SA_THAY[1:]], at=SUBMITTED_AT - timedelta(days=1))
    submit(engine, "sa-thay", SA_THAY, at=SUBMITTED_AT + timedelta(hours=3))
    submit(engine, "dak-cam", DAK_CAM, late=True)
    return engine


def exported_csv(engine: Engine, cluster_id: int | None = None) -> bytes:
    with Session(engine) as session:
        rows = export_rows(session, period_id=period_id(engine), cluster_id=cluster_id)
    out = io.BytesIO()
    write_csv(rows, out)
    return out.getvalue()


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(BOM)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_csv_has_a_bom_the_exact_columns_and_one_row_per_unit_and_indicator(
    example: Engine,
) -> None:
    data = exported_csv(example)
    assert data.startswith(BOM + b"period,cluster,unit_code,unit_name,indicator_code,")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert (
        header
        == list(CSV_COLUMNS)
        == [
            "period",
            "cluster",
            "unit_code",
            "unit_name",
            "indicator_code",
            "indicator_name",
            "value",
            "display_value",
            "revision",
            "submitted_at",
            "late",
        ]
    )
    rows = read_csv(data)
    assert len(rows) == 3 * 11
    assert [row["unit_code"] for row in rows[::11]] == ["kon-tum", "sa-thay", "dak-cam"]
    assert {row["period"] for row in rows} == {"2026-h1"}
    assert {row["cluster"] for row in rows} == {"kt-cum2"}


def test_csv_values_are_machine_readable_beside_their_vietnamese_form(example: Engine) -> None:
    rows = {
        (row["unit_code"], row["indicator_code"]): row for row in read_csv(exported_csv(example))
    }
    expected = {
        ("kon-tum", "thu-ngan-sach"): ("450", "450 tỷ đồng"),
        ("kon-tum", "gtsx-ke-hoach"): ("104.5", "104,5%"),
        ("kon-tum", "quy-vi-nguoi-ngheo"): ("1200", "1.200 triệu đồng"),
        ("dak-cam", "thu-ngan-sach"): ("60.25", "60,25 tỷ đồng"),
        ("kon-tum", "hs-bo-hoc"): ("0.3", "0,3%"),
        ("kon-tum", "tcd-htt"): ("47/53", "47/53"),
        ("kon-tum", "giao-quan"): ("true", "Có"),
        ("sa-thay", "giao-quan"): ("false", "Không"),
        ("sa-thay", "cchc"): ("Khá", "Khá"),
        ("kon-tum", "noi-bat"): ("Vượt thu", "Vượt thu"),
        ("kon-tum", "kien-nghi"): ("", "(để trống)"),
        ("sa-thay", "bao-cao"): ("bao-cao.pdf", "bao-cao.pdf"),
    }
    for key, (value, display) in expected.items():
        assert (rows[key]["value"], rows[key]["display_value"]) == (value, display), key


def test_csv_gives_the_latest_revision_its_local_time_and_lateness(example: Engine) -> None:
    return_latest(example, "sa-thay", "Kiểm tra lại")  # returned: still the latest figures
    rows = {
        (row["unit_code"], row["indicator_code"]): row for row in read_csv(exported_csv(example))
    }
    revised = rows["sa-thay", "thu-ngan-sach"]
    assert (revised["value"], revised["revision"]) == ("120", "2")
    assert revised["submitted_at"] == "2026-06-18T12:30:00+07:00"
    assert datetime.fromisoformat(revised["submitted_at"]) == SUBMITTED_AT + timedelta(hours=3)
    assert rows["kon-tum", "xa-ntm"]["late"] == "false"
    assert rows["dak-cam", "xa-ntm"]["late"] == "true"
    assert "999" not in {row["value"] for row in rows.values()}


def test_the_xlsx_export_has_vietnamese_headers_and_typed_formatted_cells(example: Engine) -> None:
    with Session(example) as session:
        rows = list(export_rows(session, period_id=period_id(example)))
    out = io.BytesIO()
    write_xlsx(rows, out, locale="vi")
    sheet = load_workbook(io.BytesIO(out.getvalue()))["Số liệu"]
    assert [cell.value for cell in sheet[1]] == [
        "Kỳ báo cáo",
        "Cụm",
        "Mã đơn vị",
        "Tên đơn vị",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Giá trị",
        "Giá trị hiển thị",
        "Lần nộp",
        "Thời điểm nộp",
        "Nộp muộn",
    ]
    assert sheet.freeze_panes == "A2" and sheet.max_row == 1 + 3 * 11
    assert sheet[1][0].font.bold and sheet.column_dimensions["F"].width >= 30
    cells = {(row[2].value, row[4].value): row for row in sheet.iter_rows(min_row=2)}
    budget = cells["dak-cam", "thu-ngan-sach"]
    assert (budget[6].value, budget[6].number_format) == (60.25, "#,##0.00")
    assert budget[7].value == "60,25 tỷ đồng"
    assert (budget[8].value, budget[10].value) == (1, "Có")
    assert budget[9].value == datetime(2026, 6, 18, 9, 30) and "hh:mm" in budget[9].number_format
    whole = cells["kon-tum", "quy-vi-nguoi-ngheo"][6]
    assert (whole.value, whole.number_format) == (1200, "#,##0")
    share = cells["kon-tum", "gtsx-ke-hoach"][6]
    assert (share.value, share.number_format) == (104.5, '#,##0.0"%"')
    assert cells["kon-tum", "giao-quan"][6].value is True
    assert cells["sa-thay", "giao-quan"][6].value is False
    assert cells["kon-tum", "tcd-htt"][6].value == "47/53"
    assert cells["kon-tum", "kien-nghi"][6].value is None
    assert cells["sa-thay", "thu-ngan-sach"][6].value == 120  # revision 2, not 999


def test_an_export_of_one_cluster_has_only_its_units(example: Engine, example_yaml: str) -> None:
    import yaml

    tree = yaml.safe_load(example_yaml)
    tree["clusters"].append(
        {"code": "kt-cum3", "name": "Cụm 3", "units": [{"code": "dak-to", "name": "Đăk Tô"}]}
    )
    tree["pledges"].append(
        {"cluster": "kt-cum3", "year": 2026, "indicators": tree["pledges"][0]["indicators"][:1]}
    )
    tree["periods"][0]["clusters"].append("kt-cum3")
    import_setup(example, yaml.safe_dump(tree, allow_unicode=True))
    submit(example, "dak-to", ["12"])
    everything = read_csv(exported_csv(example))
    assert len(everything) == 3 * 11 + 1 and everything[-1]["cluster"] == "kt-cum3"
    with Session(example) as session:
        from bot.storage.reports import cluster_by_code

        cluster = cluster_by_code(session, "kt-cum3")
        assert cluster is not None
    only = read_csv(exported_csv(example, cluster_id=cluster.id))
    assert [(row["unit_code"], row["value"]) for row in only] == [("dak-to", "12")]


def test_an_export_with_nothing_submitted_is_just_the_header(
    engine: Engine, example_yaml: str
) -> None:
    import_setup(engine, example_yaml)
    assert read_csv(exported_csv(engine)) == []


# -- the command line ----------------------------------------------------------------------------


def thidua(database_url: str, *args: str) -> Result:
    env = {"DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": "", "THIDUA_LOCALE": "vi"}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_thidua_export_writes_csv_and_xlsx_files(
    example: Engine, database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "so-lieu.csv"
    result = thidua(
        database_url, "export", "--period", "2026-h1", "--format", "csv", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "Đã xuất 33 dòng" in result.output
    assert len(read_csv(out.read_bytes())) == 33
    book = tmp_path / "so-lieu.xlsx"
    result = thidua(
        database_url, "export", "--period", "2026-h1", "--cluster", "kt-cum2", "--out", str(book)
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(book)["Số liệu"].max_row == 34
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2030-h1"], "Không có kỳ báo cáo mã «2030-h1»."),
        (["--period", "2026-h1", "--cluster", "cum-9"], "Không có cụm mã «cum-9»."),
    ],
)
def test_thidua_export_names_an_unknown_code_and_exits_2(
    example: Engine, database_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.csv"
    result = thidua(database_url, "export", *args, "--format", "csv", "--out", str(out))
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_thidua_export_says_when_it_cannot_write(
    example: Engine, database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "missing-folder" / "x.csv"
    result = thidua(database_url, "export", "--period", "2026-h1", "--out", str(out))
    assert result.exit_code == 2
    assert "Không ghi được tệp" in result.output


def test_thidua_status_shows_each_unit_per_cluster(example: Engine, database_url: str) -> None:
    return_latest(example, "sa-thay", "Kiểm tra lại")
    result = thidua(database_url, "status", "--period", "2026-h1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Kỳ báo cáo: Sơ kết 6 tháng đầu năm 2026 (2026-h1)"
    assert lines[1] == "Hạn nộp: 17:00 ngày 20/6/2026"
    assert "Cụm thi đua số 2 – tỉnh Quảng Ngãi (kt-cum2)" in lines
    assert "Đã nộp 1 · nộp muộn 1 · bị trả lại 1 · chưa nộp 2 (trên 5 đơn vị)" in result.output
    by_unit = {line.split()[0]: line for line in lines if line.startswith("  ")}
    assert "đã nộp (lần 1, 09:30 ngày 18/6/2026)" in by_unit["kon-tum"]
    assert "bị trả lại, chờ nộp lại (lần 2" in by_unit["sa-thay"]
    assert "nộp muộn (lần 1" in by_unit["dak-cam"]
    assert by_unit["mo-rai"].endswith("chưa nộp")


def test_thidua_status_for_an_unknown_period_exits_2(example: Engine, database_url: str) -> None:
    result = thidua(database_url, "status", "--period", "nope")
    assert result.exit_code == 2 and "Không có kỳ báo cáo mã «nope»." in result.output
