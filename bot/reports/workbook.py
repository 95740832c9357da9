"""The cluster summary as an Excel workbook: the compiled table, every answer, the log."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain import figures
from bot.domain.i18n import gettext_for
from bot.domain.showing import against_target
from bot.domain.terms import cluster_terms
from bot.reports.cells import (
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    SHARE_FORMAT,
    WRAP,
    fit_widths,
    value_cell,
)
from bot.reports.display import local_naive, shown, yes_no
from bot.reports.lineage import lineage_lines
from bot.reports.scores_view import scores_sheet
from bot.reports.snapshot import ClusterInfo, Snapshot
from bot.reports.summary import (
    AVERAGE,
    OPTION_COUNTS,
    RATIO,
    SUM,
    YES_COUNT,
    ClusterSummary,
    IndicatorSummary,
    build_summary,
    of_target,
)
from bot.sheets import put

__all__ = ["summary_workbook"]

_LEFT_COLUMNS = 3  # STT, indicator, unit of measure
_PER_UNIT = 3  # result, target, % of target


def summary_workbook(snapshot: Snapshot, *, locale: str) -> bytes:
    """An xlsx file: the indicator x unit table, every answer with its explanation, the log."""
    workbook = Workbook()
    table = workbook.active
    assert isinstance(table, Worksheet)
    _table_sheet(table, snapshot, locale)
    _answers_sheet(workbook.create_sheet(), snapshot, locale)
    _log_sheet(workbook.create_sheet(), snapshot, locale)
    scores_sheet(workbook, snapshot, locale=locale)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- the compiled table ------------------------------------------------------------------------


def _table_sheet(sheet: Worksheet, snapshot: Snapshot, locale: str) -> None:
    _ = gettext_for(locale)
    sheet.title = _("Tổng hợp")
    summary = build_summary(snapshot)
    row, titles = 1, []
    for cluster in summary.clusters:
        put(sheet, row, 1, f"{cluster.name} · {snapshot.period.name}").font = HEADER_FONT
        titles.append(row)
        _table_header(sheet, row + 1, cluster, locale)
        if row == 1:
            sheet.freeze_panes = sheet.cell(row + 3, _LEFT_COLUMNS + 1)
        row += 3
        for number, item in enumerate(cluster.indicators, start=1):
            _table_row(sheet, row, number, item, locale)
            row += 1
        for line in lineage_lines(cluster.lineage, locale):  # once, under the cluster's table
            put(sheet, row, 2, line)
            row += 1
        row += 1  # a blank line between clusters
    # Unit columns stay narrow (long texts wrap); the indicator's name gets room.
    fit_widths(sheet, maximum=18, titles=titles)
    sheet.column_dimensions["B"].width = 45


def _table_header(sheet: Worksheet, row: int, cluster: ClusterSummary, locale: str) -> None:
    _ = gettext_for(locale)
    for column, title in enumerate((_("STT"), _("Chỉ tiêu"), _("Đơn vị tính")), start=1):
        _header(sheet, row, column, title)
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
    units = cluster.indicators[0].results if cluster.indicators else ()
    column = _LEFT_COLUMNS + 1
    for result in units:
        _grouped_header(
            sheet, row, column, result.unit.name, (_("Thực hiện"), _("Chỉ tiêu giao"), _("%"))
        )
        column += _PER_UNIT
    whole = cluster_terms(cluster.kind, locale).whole
    _grouped_header(sheet, row, column, whole, (_("Giá trị"), _("%")))
    _header(sheet, row, column + 2, _("Cao nhất (thấp nhất)"))
    sheet.merge_cells(
        start_row=row, start_column=column + 2, end_row=row + 1, end_column=column + 2
    )


def _grouped_header(
    sheet: Worksheet, row: int, column: int, title: str, parts: tuple[str, ...]
) -> None:
    _header(sheet, row, column, title)
    sheet.merge_cells(
        start_row=row, start_column=column, end_row=row, end_column=column + len(parts) - 1
    )
    for offset, part in enumerate(parts):
        _header(sheet, row + 1, column + offset, part)


def _header(sheet: Worksheet, row: int, column: int, title: str) -> None:
    cell = put(sheet, row, column, title)
    cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP


def _table_row(
    sheet: Worksheet, row: int, number: int, item: IndicatorSummary, locale: str
) -> None:
    indicator = item.indicator
    put(sheet, row, 1, number)
    put(sheet, row, 2, indicator.name).alignment = WRAP
    put(sheet, row, 3, indicator.unit_label)
    column = _LEFT_COLUMNS + 1
    for result in item.results:
        _put(sheet, row, column, *value_cell(result.value, indicator, locale))
        if indicator.kind == "text" and result.value is not None:
            sheet.cell(row, column).alignment = WRAP
        _put(sheet, row, column + 1, *value_cell(result.target, indicator, locale))
        _put(sheet, row, column + 2, *_share_cell(result.of_target, indicator.better, locale))
        column += _PER_UNIT
    value, number_format, share = _aggregate_cells(item, locale)
    _put(sheet, row, column, value, number_format)
    _put(sheet, row, column + 1, *_share_cell(share, indicator.better, locale))
    best = ", ".join(result.unit.name for result in item.best)
    put(sheet, row, column + 2, best or None)


def _aggregate_cells(item: IndicatorSummary, locale: str) -> tuple[Any, str | None, Any]:
    """The cluster's figure as (content, number format, share of target or None)."""
    _ = gettext_for(locale)
    aggregate, indicator = item.aggregate, item.indicator
    if aggregate.method in (SUM, AVERAGE):
        content, number_format = value_cell(aggregate.value, indicator, locale)
        return content, number_format, aggregate.of_target
    if aggregate.method == RATIO and isinstance(aggregate.value, figures.Ratio):
        ratio = aggregate.value
        share = ratio.numerator / ratio.denominator if ratio.denominator else None
        return shown(ratio, indicator, locale), None, share
    if aggregate.method == YES_COUNT:
        text = _("{yes}/{answered} có").format(yes=aggregate.yes, answered=aggregate.answered)
        return text, None, None
    if aggregate.method == OPTION_COUNTS:
        return "; ".join(f"{option}: {count}" for option, count in aggregate.options), None, None
    text = _("{answered}/{units} đã trả lời").format(
        answered=aggregate.answered, units=aggregate.units
    )
    return text, None, None


def _share(fraction: Decimal | None) -> float | None:
    return None if fraction is None else float(fraction)


def _share_cell(fraction: Decimal | None, better: str | None, locale: str) -> tuple[Any, str]:
    """The share of target as a percent cell; for a lower-is-better indicator the words that
    say what it is (`đạt, thấp hơn chỉ tiêu 12,5%`), not a share that reads as a shortfall."""
    if fraction is not None and better == "lower":
        return against_target(fraction, better, locale), "@"
    return _share(fraction), SHARE_FORMAT


def _put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str | None) -> None:
    if value is not None:
        put(sheet, row, column, value, number_format)


# -- every answer ------------------------------------------------------------------------------


def _answers_sheet(sheet: Worksheet, snapshot: Snapshot, locale: str) -> None:
    _ = gettext_for(locale)
    sheet.title = _("Chi tiết")
    headers = (
        _("Cụm"),
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Mã chỉ tiêu"),
        _("Chỉ tiêu"),
        _("Đơn vị tính"),
        _("Giá trị"),
        _("Chỉ tiêu giao"),
        _("% chỉ tiêu"),
        _("Giải trình"),
        _("Ghi chú"),
        _("Tệp đính kèm"),
        _("Lần nộp"),
        _("Thời điểm nộp"),
        _("Nộp muộn"),
    )
    _header_row(sheet, headers)
    row = 2
    for cluster in snapshot.clusters:
        for unit_row in _answer_rows(cluster, snapshot.period.timezone, locale):
            for column, (value, number_format) in enumerate(unit_row, start=1):
                _put(sheet, row, column, value, number_format)
            row += 1
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{sheet.cell(max(row - 1, 1), len(headers)).coordinate}"
    fit_widths(sheet)


def _answer_rows(
    cluster: ClusterInfo, timezone: str, locale: str
) -> list[list[tuple[Any, str | None]]]:
    _ = gettext_for(locale)
    rows = []
    for unit in cluster.units:
        figures_of = cluster.latest.get(unit.code)
        if figures_of is None:
            continue
        for indicator in cluster.indicators:
            answer = figures_of.answers.get(indicator.code)
            value = answer.read(indicator) if answer is not None else None
            target = cluster.target(unit.code, indicator)
            share = _share(of_target(value, target))
            notes = []
            if answer is not None and answer.skipped:
                notes.append(_("Bỏ qua"))
            if answer is not None and "unusual" in answer.flags:
                notes.append(_("Số liệu bất thường"))
            if figures_of.returned_at is not None:
                notes.append(_("Đã bị trả lại"))
            rows.append(
                [
                    (cluster.code, None),
                    (unit.code, None),
                    (unit.name, None),
                    (indicator.code, None),
                    (indicator.name, None),
                    (indicator.unit_label, None),
                    value_cell(value, indicator, locale),
                    value_cell(target, indicator, locale),
                    (share, SHARE_FORMAT),
                    (answer.explanation if answer else None, None),
                    ("; ".join(notes) or None, None),
                    (answer.file_name if answer else None, None),
                    (figures_of.revision, None),
                    (local_naive(figures_of.submitted_at, timezone), DATE_FORMAT),
                    (yes_no(figures_of.late, locale), None),
                ]
            )
    return rows


# -- the submission log ------------------------------------------------------------------------


def _log_sheet(sheet: Worksheet, snapshot: Snapshot, locale: str) -> None:
    _ = gettext_for(locale)
    sheet.title = _("Nhật ký nộp")
    headers = (
        _("Cụm"),
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Lần nộp"),
        _("Thời điểm nộp"),
        _("Người nộp"),
        _("Nộp muộn"),
        _("Trả lại lúc"),
        _("Lý do trả lại"),
    )
    _header_row(sheet, headers)
    timezone = snapshot.period.timezone
    for row, entry in enumerate(snapshot.log, start=2):
        cells: list[tuple[Any, str | None]] = [
            (entry.cluster_code, None),
            (entry.unit_code, None),
            (entry.unit_name, None),
            (entry.revision, None),
            (local_naive(entry.submitted_at, timezone), DATE_FORMAT),
            (entry.submitted_by or None, None),
            (yes_no(entry.late, locale), None),
            (local_naive(entry.returned_at, timezone), DATE_FORMAT),
            (entry.returned_reason, None),
        ]
        for column, (value, number_format) in enumerate(cells, start=1):
            _put(sheet, row, column, value, number_format)
    sheet.freeze_panes = "A2"
    fit_widths(sheet)


def _header_row(sheet: Worksheet, headers: tuple[str, ...]) -> None:
    for column, title in enumerate(headers, start=1):
        _header(sheet, 1, column, title)
