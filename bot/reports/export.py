"""The period export: one row per unit and indicator of the latest revision, as CSV or xlsx."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from bot.domain.i18n import gettext_for
from bot.reports.cells import (
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    decimal_places,
    number_format,
)
from bot.reports.display import canonical_shown, yes_no
from bot.reports.snapshot import (
    AnswerInfo,
    ClusterInfo,
    IndicatorInfo,
    PeriodInfo,
    Snapshot,
    load_snapshot,
)
from bot.sheets import csv_field, row_cells, store

__all__ = ["CSV_COLUMNS", "ExportRow", "export_rows", "write_csv", "write_xlsx"]

# The CSV contract: these names, in this order, never change (scripts read them).
CSV_COLUMNS = (
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
)
_NUMERIC_KINDS = ("number", "percent")
_WIDTHS = (12, 14, 14, 28, 16, 40, 14, 22, 8, 18, 10)


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One unit's answer to one indicator in its latest revision."""

    period: str
    cluster: str
    unit_code: str
    unit_name: str
    indicator_code: str
    indicator_name: str
    value: str  # machine-readable: `25.8`, `47/53`, `true`; empty when not answered
    display_value: str  # the Vietnamese form: `25,8 tỷ đồng`, `47/53`, `Có`
    revision: int
    submitted_at: datetime | None  # in the period's timezone
    late: bool
    kind: str  # the indicator's kind, so that a writer knows a number from a text

    def csv_fields(self) -> list[str]:
        """The row as the CSV contract writes it."""
        moment = "" if self.submitted_at is None else self.submitted_at.isoformat("T", "seconds")
        return [
            self.period,
            self.cluster,
            self.unit_code,
            self.unit_name,
            self.indicator_code,
            self.indicator_name,
            self.value,
            self.display_value,
            str(self.revision),
            moment,
            "true" if self.late else "false",
        ]


def export_rows(
    session: Session, *, period_id: int, cluster_id: int | None = None, locale: str = "vi"
) -> Iterator[ExportRow]:
    """Load the period's latest figures now, then yield them cluster by cluster, unit by unit."""
    # Loaded eagerly so that the caller may close the session before writing the file.
    snapshot = load_snapshot(session, period_id=period_id, cluster_id=cluster_id)
    return _rows(snapshot, locale)


def _rows(snapshot: Snapshot, locale: str) -> Iterator[ExportRow]:
    for cluster in snapshot.clusters:
        yield from _cluster_rows(snapshot.period, cluster, locale)


def _cluster_rows(period: PeriodInfo, cluster: ClusterInfo, locale: str) -> Iterator[ExportRow]:
    zone = ZoneInfo(period.timezone)
    for unit in cluster.units:
        figures_of = cluster.latest.get(unit.code)
        if figures_of is None:
            continue
        moment = figures_of.submitted_at.astimezone(zone) if figures_of.submitted_at else None
        for indicator in cluster.indicators:
            machine, display = _forms(figures_of.answers.get(indicator.code), indicator, locale)
            yield ExportRow(
                period.code,
                cluster.code,
                unit.code,
                unit.name,
                indicator.code,
                indicator.name,
                machine,
                display,
                figures_of.revision,
                moment,
                figures_of.late,
                indicator.kind,
            )


def _forms(answer: AnswerInfo | None, indicator: IndicatorInfo, locale: str) -> tuple[str, str]:
    """(machine value, Vietnamese display) of an answer; empty when there is none."""
    if answer is None or answer.skipped or answer.value is None:
        _ = gettext_for(locale)
        return "", _("(để trống)") if answer is not None and answer.skipped else ""
    if indicator.kind == "yesno" and answer.value in ("true", "false"):
        return answer.value, yes_no(answer.value == "true", locale)
    return answer.value, canonical_shown(answer.value, indicator, locale)


def write_csv(rows: Iterable[ExportRow], out: BinaryIO) -> None:
    """Write the CSV contract: UTF-8 with a BOM (so that Excel reads it), a header, the rows."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        writer.writerows([csv_field(field) for field in row.csv_fields()] for row in rows)
    finally:
        text.flush()
        text.detach()  # the caller owns `out` and closes it


def write_xlsx(rows: Iterable[ExportRow], out: BinaryIO, *, locale: str) -> None:
    """The same columns with Vietnamese headers, streamed row by row (openpyxl write-only)."""
    _ = gettext_for(locale)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Số liệu"))
    for column, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_header(sheet, title) for title in _headers(locale)])
    cells = _Cells(sheet, locale)
    for row in rows:
        sheet.append(row_cells(sheet, cells.row(row)))
    workbook.save(out)


def _headers(locale: str) -> tuple[str, ...]:
    _ = gettext_for(locale)
    return (
        _("Kỳ báo cáo"),
        _("Cụm"),
        _("Mã đơn vị"),
        _("Tên đơn vị"),
        _("Mã chỉ tiêu"),
        _("Tên chỉ tiêu"),
        _("Giá trị"),
        _("Giá trị hiển thị"),
        _("Lần nộp"),
        _("Thời điểm nộp"),
        _("Nộp muộn"),
    )


def _header(sheet: Any, title: str) -> WriteOnlyCell:
    cell = store(WriteOnlyCell(sheet), title)
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    return cell


class _Cells:
    """Turns export rows into typed, formatted cells, reusing one styled cell per format."""

    def __init__(self, sheet: Any, locale: str) -> None:
        self.sheet = sheet
        self.yes, self.no = yes_no(True, locale), yes_no(False, locale)
        # A write-only sheet writes each appended row at once, so a styled cell can be reused
        # for the next row: styling 100,000 fresh cells would double the export's time.
        self.numbers: dict[str, WriteOnlyCell] = {}
        self.moment = self._styled(DATE_FORMAT)

    def row(self, row: ExportRow) -> list[Any]:
        moment = None
        if row.submitted_at is not None:
            moment = self.moment
            moment.value = row.submitted_at.replace(tzinfo=None)
        return [
            row.period,
            row.cluster,
            row.unit_code,
            row.unit_name,
            row.indicator_code,
            row.indicator_name,
            self.value(row),
            row.display_value or None,
            row.revision,
            moment,
            self.yes if row.late else self.no,
        ]

    def value(self, row: ExportRow) -> Any:
        if not row.value:
            return None
        if row.kind in _NUMERIC_KINDS:
            pattern = number_format(decimal_places(row.value), percent=row.kind == "percent")
            cell = self.numbers.get(pattern) or self.numbers.setdefault(
                pattern, self._styled(pattern)
            )
            cell.value = float(row.value)
            return cell
        if row.kind == "yesno":
            return row.value == "true"
        return row.value

    def _styled(self, pattern: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet)
        cell.number_format = pattern
        return cell
