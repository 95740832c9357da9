"""The summary and its workbook tell a merged unit's lineage once, under the cluster."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.reports.snapshot import load_snapshot
from bot.reports.summary import build_summary
from bot.reports.text import summary_messages
from bot.reports.workbook import summary_workbook
from bot.storage.models import Period
from tests.support.lineage import YEAR_2025, YEAR_2026, import_file

LINE = "Xã Mới: gộp từ Xã Cũ Một, Xã Cũ Hai"


def test_the_summary_and_the_workbook_show_the_merge_once(engine: Engine) -> None:
    import_file(engine, YEAR_2025)
    import_file(engine, YEAR_2026)
    with Session(engine) as session:
        period = session.exec(select(Period).where(Period.code == "2026-h1")).one()
        snapshot = load_snapshot(session, period_id=period.id or 0)
    text = "\n".join(summary_messages(build_summary(snapshot), locale="vi"))
    sheet = load_workbook(io.BytesIO(summary_workbook(snapshot, locale="vi"))).worksheets[0]
    cells = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert text.count(LINE) == 1 and "Đơn vị gộp, đổi tên:" in text
    assert cells.count(LINE) == 1
    assert "Xã Khác:" not in text  # a unit without a lineage is not listed there
