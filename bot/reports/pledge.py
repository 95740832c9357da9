"""A pledge's registered targets as a file: CSV (the contract) or Excel (for people)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import BinaryIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from bot.domain.formatting import format_moment
from bot.domain.i18n import gettext_for
from bot.sheets import csv_field, row_cells
from bot.storage.pledge_progress import PledgeRow

__all__ = ["CSV_COLUMNS", "write_pledge_csv", "write_pledge_xlsx"]

CSV_COLUMNS = (
    "cluster",
    "year",
    "unit_code",
    "indicator_code",
    "target",
    "registered_at",
    "signed_at",
)


def _moment(moment: datetime | None, timezone: str) -> str:
    """A time as the export writes it: ISO 8601 in the pledge's timezone; empty when not done."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(timezone)).isoformat("T", "seconds")


def write_pledge_csv(rows: Iterable[PledgeRow], out: BinaryIO, *, timezone: str) -> None:
    """UTF-8 with a BOM (so that Excel reads it), the header, one row per unit and indicator."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            fields = [
                row.cluster,
                str(row.year),
                row.unit_code,
                row.indicator_code,
                row.target or "",
                _moment(row.registered_at, timezone),
                _moment(row.signed_at, timezone),
            ]
            writer.writerow([csv_field(field) for field in fields])
    finally:
        text.flush()
        text.detach()  # the caller owns `out` and closes it


def write_pledge_xlsx(
    rows: Iterable[PledgeRow], out: BinaryIO, *, timezone: str, locale: str
) -> None:
    """The same rows with names and Vietnamese headers and times, one sheet."""
    _ = gettext_for(locale)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Giao ước"))
    sheet.freeze_panes = "A2"
    sheet.append(
        [
            _("Cụm"),
            _("Năm"),
            _("Mã đơn vị"),
            _("Đơn vị"),
            _("Mã chỉ tiêu"),
            _("Chỉ tiêu"),
            _("Chỉ tiêu đăng ký"),
            _("Đăng ký lúc"),
            _("Ký lúc"),
        ]
    )
    for row in rows:
        values = [
            row.cluster,
            row.year,
            row.unit_code,
            row.unit_name,
            row.indicator_code,
            row.indicator_name,
            row.target or "",
            format_moment(row.registered_at, timezone, locale) if row.registered_at else "",
            format_moment(row.signed_at, timezone, locale) if row.signed_at else "",
        ]
        sheet.append(row_cells(sheet, values))
    workbook.save(out)
