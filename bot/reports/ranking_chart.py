"""The summary chart's ranking panel: a scored cluster's totals in rank order, ties marked."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from bot.domain.i18n import babel_locale, gettext_for
from bot.domain.scoring import APPROVED, CLUSTER, ClusterScores, Standing
from bot.reports.summary import ClusterSummary, Summary

__all__ = ["MAX_RANKINGS", "draw_ranking", "ranked_clusters"]

MAX_RANKINGS = 2  # the ranking of every cluster of a province is the workbook's job
_RANKED, _TIED, _BASE = "#1565c0", "#f9a825", "#424242"


def ranked_clusters(summary: Summary) -> list[tuple[ClusterSummary, ClusterScores]]:
    """The first clusters with a scoring table, each with its scores."""
    found = [(c, c.scores) for c in summary.clusters if c.scores is not None]
    return found[:MAX_RANKINGS]


def draw_ranking(
    axes: Any, cluster: ClusterSummary, scores: ClusterScores, several: bool, locale: str
) -> None:
    """Horizontal bars of the totals, the best on top; unsubmitted units last, without a bar."""
    _ = gettext_for(locale)
    approved = scores.layer(APPROVED)
    standings = (approved or scores.layers[CLUSTER]).standings
    names = {unit.code: unit.name for unit in scores.units}
    totals = [float(s.total) if s.rank is not None else 0.0 for s in standings]
    base = float(scores.table.base_max)
    top, low = max([base, *totals]), min([0.0, *totals])
    positions = range(len(standings))
    axes.barh(
        positions, totals, color=[_TIED if s.tied else _RANKED for s in standings], height=0.6
    )
    axes.axvline(base, color=_BASE, linestyle="--", linewidth=1)
    for position, standing, total in zip(positions, standings, totals, strict=True):
        label = _label(standing, locale)
        axes.text(max(total, 0) + top * 0.01, position, label, va="center", fontsize=9)
    ticks = [_tick(standing, names[standing.unit]) for standing in standings]
    axes.set_yticks(list(positions), ticks, fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(low, top * 1.45)  # room for «81,00 · Xuất sắc · đồng hạng»
    title = _("Xếp hạng theo tổng điểm (điểm duyệt)") if approved else None
    title = title or _("Xếp hạng theo tổng điểm (điểm cụm chấm)")
    if several:
        title = f"{cluster.name}: {title}"
    axes.set_title("\n".join(textwrap.wrap(title, 60)), fontsize=10, loc="left")
    axes.spines[["top", "right"]].set_visible(False)


def _label(standing: Standing, locale: str) -> str:
    _ = gettext_for(locale)
    if standing.rank is None:
        return _("chưa nộp")
    parts = [_points(standing.total, locale)]
    if standing.grade:
        parts.append(standing.grade)
    if standing.tied:
        parts.append(_("đồng hạng"))
    return " · ".join(parts)


def _tick(standing: Standing, name: str) -> str:
    short = name if len(name) <= 22 else name[:21] + "…"
    return f"{standing.rank}. {short}" if standing.rank is not None else f"– {short}"


def _points(value: Decimal, locale: str) -> str:
    return format_decimal(value, format="#,##0.00", locale=babel_locale(locale))
