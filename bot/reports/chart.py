"""The cluster summary as a PNG: each key indicator's % of target per unit, against 100 %;
with a scoring table, the ranking by total last (bot/reports/ranking_chart.py)."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import Any

from bot.domain.i18n import gettext_for
from bot.domain.scoring import ClusterScores
from bot.domain.showing import against_target, percent_number
from bot.reports.ranking_chart import draw_ranking, ranked_clusters
from bot.reports.summary import ClusterSummary, IndicatorSummary, Summary

__all__ = ["MAX_PANELS", "summary_chart"]

MAX_PANELS = 6  # more bar groups than this no longer reads on a phone
_WIDTH_INCHES = 7.0
_DPI = 150  # about 1,050 pixels wide: sharp on a phone, small enough to send
# Telegram shrinks a photo's longer side to 1,280 (2,560 in HD) pixels: a tall strip of many
# panels would arrive too thin to read, so the panels share a height budget.
_MAX_HEIGHT_INCHES = 13.0
_UNIT_INCHES = 0.24
_PANEL_INCHES = 0.95  # title and axis of one panel
_AXIS_CAP = 300.0  # a figure at 900 % must not flatten the others' bars
_MET, _SHORT, _NEUTRAL = "#2e7d32", "#ef6c00", "#1565c0"


@dataclass(frozen=True)
class _Panel:
    cluster: ClusterSummary
    item: IndicatorSummary


def summary_chart(summary: Summary, *, locale: str) -> bytes:
    """The first key indicators (number, percent or ratio with targets) as horizontal bars."""
    # Imported here: matplotlib takes a while to load and only the chart needs it.
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels, rankings, heights = _layout(summary)
    with rc_context({"font.family": "DejaVu Sans", "font.size": 10}):
        figure = Figure(figsize=(_WIDTH_INCHES, sum(heights) + 0.6), dpi=_DPI, layout="constrained")
        FigureCanvasAgg(figure)
        _ = gettext_for(locale)
        title = (
            _("% chỉ tiêu giao · {period}") if panels or not rankings else _("Xếp hạng · {period}")
        )
        title = title.format(period=summary.period.name)
        if len(summary.clusters) == 1:
            title += "\n" + summary.clusters[0].name
        figure.suptitle(title, fontweight="bold")
        if not panels and not rankings:
            axes = figure.subplots()
            axes.axis("off")
            axes.text(0.5, 0.5, _("Chưa có chỉ tiêu giao để so sánh."), ha="center", va="center")
        else:
            grid = figure.subplots(len(heights), 1, squeeze=False, height_ratios=heights)
            several = len(summary.clusters) > 1
            for axes, panel in zip(grid[: len(panels), 0], panels, strict=True):
                _draw(axes, panel, several, locale)
            for axes, (cluster, scores) in zip(grid[len(panels) :, 0], rankings, strict=True):
                draw_ranking(axes, cluster, scores, several, locale)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


def _layout(
    summary: Summary,
) -> tuple[list[_Panel], list[tuple[ClusterSummary, ClusterScores]], list[float]]:
    """The indicator panels that fit, the rankings, and every panel's height in inches."""
    panels = _key_panels(summary)
    rankings = ranked_clusters(summary)
    heights = [_PANEL_INCHES + _UNIT_INCHES * len(p.item.results) for p in panels]
    # The ranking is kept whole: the indicators' panels give way to it.
    heights += [_PANEL_INCHES + _UNIT_INCHES * len(scores.units) for _c, scores in rankings]
    while len(panels) > (0 if rankings else 1) and sum(heights) > _MAX_HEIGHT_INCHES:
        del heights[len(panels) - 1]
        panels = panels[:-1]
    return panels, rankings, heights or [2.0]


def _key_panels(summary: Summary) -> list[_Panel]:
    """Indicators with a size and at least one unit's % of target, in pledge order."""
    panels = [
        _Panel(cluster, item)
        for cluster in summary.clusters
        for item in cluster.indicators
        if item.indicator.kind in ("number", "percent", "ratio")
        and any(result.of_target is not None for result in item.results)
    ]
    return panels[:MAX_PANELS]


def _draw(axes: Any, panel: _Panel, several: bool, locale: str) -> None:
    _ = gettext_for(locale)
    item = panel.item
    results = item.results
    shares = [None if r.of_target is None else float(r.of_target) * 100 for r in results]
    cap = max(120.0, min(max((s for s in shares if s is not None), default=0), _AXIS_CAP) * 1.2)
    positions = range(len(results))
    bars = [min(share, cap) if share is not None else 0 for share in shares]
    colours = [_colour(share, item.indicator.better) for share in shares]
    axes.barh(positions, bars, color=colours, height=0.6)
    axes.axvline(100, color="#424242", linestyle="--", linewidth=1)
    for position, share, result in zip(positions, shares, results, strict=True):
        if share is not None and result.of_target is not None:
            label = against_target(result.of_target, item.indicator.better, locale)
            at = min(share, cap)
        else:
            label = _("chưa nộp") if not result.submitted else _("không có số liệu")
            at = 0
        axes.text(at + cap * 0.01, position, label, va="center", fontsize=9)
    axes.set_yticks(list(positions), [_short(r.unit.name, 22) for r in results])
    axes.invert_yaxis()
    axes.set_xlim(0, cap * 1.12)
    axes.xaxis.set_major_formatter(
        lambda value, _position: percent_number(value, locale, places="")
    )
    axes.set_title(_title(panel, several, locale), fontsize=10, loc="left")
    axes.spines[["top", "right"]].set_visible(False)


def _title(panel: _Panel, several: bool, locale: str) -> str:
    _ = gettext_for(locale)
    indicator = panel.item.indicator
    title = indicator.name
    if indicator.better == "lower":
        title += " " + _("(càng thấp càng tốt)")
    if several:
        title = f"{panel.cluster.name}: {title}"
    return "\n".join(textwrap.wrap(title, 60))


def _colour(share: float | None, better: str | None) -> str:
    if share is None or better not in ("higher", "lower"):
        return _NEUTRAL
    met = share >= 100 if better == "higher" else share <= 100
    return _MET if met else _SHORT


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
