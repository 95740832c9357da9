"""Reports: a period's figures compiled for a chair (text, chart, workbook) and exported."""

from bot.reports.chart import summary_chart
from bot.reports.export import CSV_COLUMNS, ExportRow, export_rows, write_csv, write_xlsx
from bot.reports.snapshot import (
    AnswerInfo,
    ClusterInfo,
    IndicatorInfo,
    LogEntry,
    PeriodInfo,
    Snapshot,
    UnitFigures,
    UnitInfo,
    load_snapshot,
)
from bot.reports.status import status_lines
from bot.reports.summary import (
    Aggregate,
    ClusterSummary,
    IndicatorSummary,
    Summary,
    UnitResult,
    build_summary,
)
from bot.reports.text import summary_messages
from bot.reports.workbook import summary_workbook

__all__ = [
    "CSV_COLUMNS",
    "Aggregate",
    "AnswerInfo",
    "ClusterInfo",
    "ClusterSummary",
    "ExportRow",
    "IndicatorInfo",
    "IndicatorSummary",
    "LogEntry",
    "PeriodInfo",
    "Snapshot",
    "Summary",
    "UnitFigures",
    "UnitInfo",
    "UnitResult",
    "build_summary",
    "export_rows",
    "load_snapshot",
    "status_lines",
    "summary_chart",
    "summary_messages",
    "summary_workbook",
    "write_csv",
    "write_xlsx",
]
