"""Scores in the summary: the workbook's «Chấm điểm» sheet and the ranking in the summary text."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.i18n import babel_locale, gettext_for
from bot.domain.scoring import APPROVED, CLUSTER, LAYERS, SELF, ClusterScores, Group, Leaf, Standing
from bot.domain.scoring_table import Criterion
from bot.domain.terms import cluster_terms
from bot.reports.cells import HEADER_FILL, HEADER_FONT, WRAP, fit_widths
from bot.reports.scores import SCORE_FORMAT
from bot.reports.snapshot import ClusterInfo, Snapshot
from bot.sheets import put

__all__ = ["ranking_block", "scores_sheet"]

_LEFT = 3  # code, criterion, maximum
_MISSING_FILL = PatternFill("solid", fgColor="FCE4D6")  # a figure missing: scored 0
_TIE_FILL = PatternFill("solid", fgColor="FFF2CC")  # a shared rank: the chair decides
_BOLD = Font(bold=True)


def scores_sheet(workbook: Workbook, snapshot: Snapshot, *, locale: str) -> None:
    """The «Chấm điểm» sheet: each leaf and group in the three layers, totals, ranks, classes."""
    scored = [cluster for cluster in snapshot.clusters if cluster.scores is not None]
    if not scored:
        return
    _ = gettext_for(locale)
    sheet = workbook.create_sheet(_("Chấm điểm"))
    row, titles = 1, []
    for cluster in scored:
        titles.append(row)
        row = _cluster_table(sheet, row, cluster, snapshot.period.name, locale) + 1
    put(sheet, row, 1, _("Ô nền cam: thiếu số liệu, tính 0 điểm."))
    # One legend under every table: «khối trưởng» when all of them are a Khối's.
    kinds = {cluster.kind for cluster in scored}
    chair = cluster_terms(kinds.pop() if len(kinds) == 1 else None, locale).mid_sentence().chair
    put(sheet, row + 1, 1, _("Ô nền vàng: đồng hạng, {chair} quyết định.").format(chair=chair))
    titles += [row, row + 1]
    fit_widths(sheet, maximum=14, titles=titles)
    sheet.column_dimensions["B"].width = 45


def _cluster_table(
    sheet: Worksheet, row: int, cluster: ClusterInfo, period: str, locale: str
) -> int:
    """The cluster's table from `row`; the row after it."""
    _ = gettext_for(locale)
    scores = cluster.scores
    assert scores is not None
    put(sheet, row, 1, f"{cluster.name} · {period}").font = HEADER_FONT
    _headers(sheet, row + 1, scores, locale)
    row += 3
    for criterion in _preorder(scores.table.criteria):
        _criterion_row(sheet, row, criterion, scores)
        row += 1
    for title, value in (
        (_("Tổng điểm"), "total"),
        (_("Xếp hạng"), "rank"),
        (_("Xếp loại"), "grade"),
    ):
        _footer_row(sheet, row, title, value, scores)
        row += 1
    return row


def _headers(sheet: Worksheet, row: int, scores: ClusterScores, locale: str) -> None:
    _ = gettext_for(locale)
    for column, title in enumerate((_("Mã"), _("Tiêu chí"), _("Điểm tối đa")), start=1):
        _header(sheet, row, column, title)
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
    layers = (_("Tự chấm"), _("Cụm chấm"), _("Điểm duyệt"))
    for index, unit in enumerate(scores.units):
        column = _LEFT + 1 + index * len(LAYERS)
        name = unit.name if unit.submitted else _("{unit} (chưa nộp)").format(unit=unit.name)
        _header(sheet, row, column, name)
        sheet.merge_cells(
            start_row=row, start_column=column, end_row=row, end_column=column + len(LAYERS) - 1
        )
        for offset, title in enumerate(layers):
            _header(sheet, row + 1, column + offset, title)


def _header(sheet: Worksheet, row: int, column: int, title: str) -> None:
    cell = put(sheet, row, column, title)
    cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP


def _criterion_row(sheet: Worksheet, row: int, criterion: Criterion, scores: ClusterScores) -> None:
    group = isinstance(criterion, Group)
    key = criterion.code if isinstance(criterion, Group) else criterion.key
    put(sheet, row, 1, key)
    put(sheet, row, 2, criterion.title).alignment = WRAP
    if criterion.max is not None:
        put(sheet, row, 3, float(criterion.max), SCORE_FORMAT)
    for column, layer, standing in _cells(scores):
        if standing is None:
            continue
        value = standing.subtotals.get(key) if group else standing.leaves.get(key)
        if value is None:
            continue
        cell = put(sheet, row, column, float(value), SCORE_FORMAT)
        if isinstance(criterion, Leaf) and _still_missing(scores, standing.unit, key, layer):
            cell.fill = _MISSING_FILL
    if group:
        for cell in sheet[row]:
            cell.font = _BOLD


def _still_missing(scores: ClusterScores, unit: str, key: str, layer: str) -> bool:
    """A leaf scored 0 for a missing figure, which no reviewer has scored since."""
    if key not in scores.missing.get(unit, ()):
        return False
    return layer == SELF or (layer == CLUSTER and key not in scores.changed(unit))


def _footer_row(sheet: Worksheet, row: int, title: str, field: str, scores: ClusterScores) -> None:
    put(sheet, row, 2, title).font = _BOLD
    for column, _layer, standing in _cells(scores):
        if standing is None:
            continue
        if field == "total":
            put(sheet, row, column, float(standing.total), SCORE_FORMAT).font = _BOLD
        elif field == "rank" and standing.rank is not None:
            cell = put(sheet, row, column, standing.rank)
            if standing.tied:
                cell.fill = _TIE_FILL
        elif field == "grade" and standing.grade is not None:
            put(sheet, row, column, standing.grade)


def _cells(scores: ClusterScores) -> list[tuple[int, str, Standing | None]]:
    """(column, layer, the unit's standing in it or None) for every unit and layer."""
    cells = []
    for index, unit in enumerate(scores.units):
        for offset, layer in enumerate(LAYERS):
            ranking = scores.layer(layer)
            standing = None if ranking is None else ranking.of(unit.code)
            cells.append((_LEFT + 1 + index * len(LAYERS) + offset, layer, standing))
    return cells


def _preorder(criteria: tuple[Criterion, ...]) -> list[Criterion]:
    found: list[Criterion] = []
    for criterion in criteria:
        found.append(criterion)
        if isinstance(criterion, Group):
            found += _preorder(criterion.items)
    return found


# -- the ranking in the summary text -----------------------------------------------------------


def ranking_block(scores: ClusterScores, *, locale: str) -> str:
    """`1. Phường Kon Tum: 81,00 điểm · Tốt`, ties and unsubmitted units said so."""
    _ = gettext_for(locale)
    approved = scores.layer(APPROVED)
    ranking = approved or scores.layers[CLUSTER]
    names = {unit.code: unit.name for unit in scores.units}
    lines = [_("🏅 Xếp hạng (điểm duyệt)") if approved else _("🏅 Xếp hạng (điểm cụm chấm)")]
    for standing in ranking.standings:
        if standing.rank is None:
            continue
        line = _("{rank}. {unit}: {total} điểm").format(
            rank=standing.rank, unit=names[standing.unit], total=_points(standing.total, locale)
        )
        if standing.grade:
            line += f" · {standing.grade}"
        if standing.tied:
            line += " · " + _("đồng hạng")
        lines.append(line)
    unranked = [names[s.unit] for s in ranking.standings if s.rank is None]
    if unranked:
        lines.append(_("Chưa nộp, chưa xếp hạng: {units}").format(units=", ".join(unranked)))
    lacking = [names[code] for code, keys in scores.missing.items() if keys and code in names]
    if lacking:
        lines.append(_("Thiếu số liệu, tính 0 điểm: {units}").format(units=", ".join(lacking)))
    return "\n".join(lines)


def _points(value: Decimal, locale: str) -> str:
    return format_decimal(value, format="#,##0.00", locale=babel_locale(locale))
