"""The scores export: the ranking (a row per unit) or the detail (unit × leaf), CSV or xlsx."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from bot.domain.i18n import gettext_for
from bot.domain.scoring import APPROVED, CLUSTER, SELF, ClusterScores
from bot.reports.cells import HEADER_FILL, HEADER_FONT
from bot.sheets import csv_field, row_cells
from bot.storage.reports import period_clusters
from bot.storage.scoring import load_scores
from bot.storage.types import require_id

__all__ = [
    "DETAIL_COLUMNS",
    "SCORE_COLUMNS",
    "DetailRow",
    "ScoreRow",
    "detail_rows",
    "score_rows",
    "write_scores_csv",
    "write_scores_xlsx",
]

# The CSV contracts of `thidua scores` (issue 13): these names, in this order.
SCORE_COLUMNS = ("period", "cluster", "rank", "unit_code", "unit_name", "total", "class")
DETAIL_COLUMNS = (
    "period",
    "cluster",
    "unit_code",
    "criterion",
    "max",
    "self",
    "cluster",
    "approved",
)
SCORE_FORMAT = "0.00"


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One unit in a layer's ranking; rank, total and class are None where not reached."""

    period: str
    cluster: str
    rank: int | None
    unit_code: str
    unit_name: str
    total: Decimal | None
    grade: str | None


@dataclass(frozen=True, slots=True)
class DetailRow:
    """One unit's score on one leaf in each layer (None: the layer is not reached)."""

    period: str
    cluster: str
    unit_code: str
    criterion: str
    max: Decimal
    self_score: Decimal | None
    cluster_score: Decimal | None
    approved: Decimal | None


Row = ScoreRow | DetailRow


def score_rows(
    session: Session, *, period_id: int, period: str, cluster_id: int | None, layer: str = CLUSTER
) -> list[ScoreRow]:
    """Every cluster with a scoring table, its units in the layer's rank order."""
    rows = []
    for code, scores in _clusters(session, period_id, cluster_id):
        names = {unit.code: unit.name for unit in scores.units}
        ranking = scores.layer(layer)
        if ranking is None:  # not approved yet: the units, and nothing reached
            rows += [ScoreRow(period, code, None, u.code, u.name, None, None) for u in scores.units]
            continue
        rows += [
            ScoreRow(period, code, s.rank, s.unit, names[s.unit], s.total, s.grade)
            for s in ranking.standings
        ]
    return rows


def detail_rows(
    session: Session, *, period_id: int, period: str, cluster_id: int | None
) -> list[DetailRow]:
    """Every unit (in set-up order) and leaf with its self, cluster and approved score."""
    rows = []
    for code, scores in _clusters(session, period_id, cluster_id):
        layers = [scores.layer(name) for name in (SELF, CLUSTER, APPROVED)]
        for unit in scores.units:
            standings = [None if layer is None else layer.of(unit.code) for layer in layers]
            for leaf in scores.table.leaves:
                own, chair, locked = (
                    None if standing is None else standing.leaves.get(leaf.key)
                    for standing in standings
                )
                rows.append(
                    DetailRow(period, code, unit.code, leaf.key, leaf.max, own, chair, locked)
                )
    return rows


def _clusters(
    session: Session, period_id: int, cluster_id: int | None
) -> list[tuple[str, ClusterScores]]:
    """(cluster code, scores) in the period's order, for the clusters that have a table."""
    clusters = period_clusters(session, period_id=period_id, cluster_id=cluster_id)
    found = load_scores(session, period_id=period_id, cluster_ids=[require_id(c) for c in clusters])
    return [(c.code, found[require_id(c)]) for c in clusters if require_id(c) in found]


def write_scores_csv(rows: Sequence[Row], out: BinaryIO, *, detail: bool = False) -> None:
    """The contract's columns; scores with two decimals and a dot; empty where not reached."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow(DETAIL_COLUMNS if detail else SCORE_COLUMNS)
        writer.writerows([csv_field(_csv_text(value)) for value in astuple(row)] for row in rows)
    finally:
        text.flush()
        text.detach()  # the caller owns `out` and closes it


def write_scores_xlsx(
    rows: Sequence[Row], out: BinaryIO, *, locale: str, detail: bool = False
) -> None:
    """The same columns with Vietnamese headers; scores stored as numbers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext_for(locale)("Chấm điểm"))
    headers = _headers(locale, detail=detail)
    for column, title in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(10, len(title) + 2)
    sheet.freeze_panes = "A2"
    sheet.append([_header(sheet, title) for title in headers])
    for row in rows:
        sheet.append(row_cells(sheet, [_xlsx_cell(sheet, value) for value in astuple(row)]))
    workbook.save(out)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if not isinstance(value, Decimal):
        return value
    cell = WriteOnlyCell(sheet, value=float(value))
    cell.number_format = SCORE_FORMAT
    return cell


def _header(sheet: Any, title: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=title)
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    return cell


def _headers(locale: str, *, detail: bool) -> tuple[str, ...]:
    _ = gettext_for(locale)
    if detail:
        return (
            _("Kỳ báo cáo"),
            _("Cụm"),
            _("Mã đơn vị"),
            _("Tiêu chí"),
            _("Điểm tối đa"),
            _("Tự chấm"),
            _("Cụm chấm"),
            _("Điểm duyệt"),
        )
    return (
        _("Kỳ báo cáo"),
        _("Cụm"),
        _("Xếp hạng"),
        _("Mã đơn vị"),
        _("Tên đơn vị"),
        _("Tổng điểm"),
        _("Xếp loại"),
    )
