"""The cluster summary as Telegram messages: narrow lines, one block per indicator."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from decimal import Decimal

from bot.domain import figures
from bot.domain.i18n import gettext_for
from bot.domain.replies import MESSAGE_LIMIT, split_text
from bot.domain.showing import against_target, best_label
from bot.domain.terms import cluster_terms
from bot.reports.display import percent_text, shown
from bot.reports.lineage import lineage_lines
from bot.reports.scores_view import ranking_block
from bot.reports.summary import (
    ANSWERED,
    AVERAGE,
    OPTION_COUNTS,
    RATIO,
    SUM,
    YES_COUNT,
    Aggregate,
    ClusterSummary,
    IndicatorSummary,
    Summary,
    UnitResult,
)

__all__ = ["LINE_WIDTH", "summary_messages"]

# About what a phone shows in one line of a chat bubble: one unit and its figure per line fit,
# so nothing reads as a table. Longer prose lines are left for Telegram to wrap to the screen.
LINE_WIDTH = 35
_EXPLANATION_LENGTH = 120
_INDENT = "  "


def summary_messages(summary: Summary, *, locale: str) -> list[str]:
    """The summary in messages under Telegram's limit; each cluster starts a new message."""
    messages: list[str] = []
    for cluster in summary.clusters:
        blocks = [_heading(summary, cluster, locale)]
        blocks += [
            _indicator_block(number, item, locale, cluster_terms(cluster.kind, locale).whole)
            for number, item in enumerate(cluster.indicators, start=1)
        ]
        if cluster.scores is not None:
            blocks.append(ranking_block(cluster.scores, locale=locale))
        messages += _pack(blocks)
    if not messages:
        _ = gettext_for(locale)
        messages.append(_("Kỳ «{period}» chưa có cụm nào.").format(period=summary.period.name))
    return messages


def _heading(summary: Summary, cluster: ClusterSummary, locale: str) -> str:
    _ = gettext_for(locale)
    lines = [
        _("📊 Tổng hợp số liệu"),
        summary.period.name,
        cluster.name,
        _("Đã nộp: {submitted}/{units} đơn vị").format(
            submitted=cluster.submitted, units=cluster.units
        ),
    ]
    if cluster.indicators:
        missing = [r.unit.name for r in cluster.indicators[0].results if not r.submitted]
        if missing:
            lines.append(_("Chưa nộp ({count}):").format(count=len(missing)))
            lines += [f"• {name}" for name in missing]
    if cluster.lineage:
        lines.append(_("Đơn vị gộp, đổi tên:"))
        lines += [f"• {line}" for line in lineage_lines(cluster.lineage, locale)]
    return _wrap(lines)


def _indicator_block(number: int, item: IndicatorSummary, locale: str, whole: str) -> str:
    _ = gettext_for(locale)
    indicator = item.indicator
    lines = [f"{number}. {indicator.name}"]
    if indicator.unit_label:
        lines.append(_INDENT + _("ĐVT: {unit}").format(unit=indicator.unit_label))
    if any(result.of_target is not None for result in item.results):
        if indicator.better == "lower":
            lines.append(_INDENT + _("(kết quả · so với chỉ tiêu giao)"))
        else:
            lines.append(_INDENT + _("(kết quả · % chỉ tiêu giao)"))
    if item.aggregate.method != ANSWERED:  # free text and files are read in the workbook
        lines += [line for result in item.results for line in _unit_lines(result, item, locale)]
    lines.append(_aggregate_line(item.aggregate, locale, whole))
    if item.best:
        names = ", ".join(result.unit.name for result in item.best)
        label = best_label(indicator.better, on_target=item.best_on_target, locale=locale)
        lines.append(_("{label}: {units}").format(label=label, units=names))
    return _wrap(lines)


def _unit_lines(result: UnitResult, item: IndicatorSummary, locale: str) -> list[str]:
    """`• Xã Sa Thầy: 120 · 126,3%`, and its explanation; nothing if not submitted."""
    if not result.submitted:
        return []
    _ = gettext_for(locale)
    value = _("—") if result.value is None else shown(result.value, item.indicator, locale)
    if result.of_target is not None:
        value += " · " + against_target(result.of_target, item.indicator.better, locale)
    lines = [f"• {result.unit.name}: {value}"]
    if result.explanation:
        explanation = textwrap.shorten(result.explanation, _EXPLANATION_LENGTH, placeholder="…")
        lines.append(_INDENT + _("Giải trình: {text}").format(text=explanation))
    return lines


def _aggregate_line(aggregate: Aggregate, locale: str, whole: str) -> str:
    _ = gettext_for(locale)
    if aggregate.method == RATIO:  # «Toàn cụm: 82/96», «Toàn khối: …»
        return _ratio_line(aggregate, locale, _, whole)
    return _AGGREGATE_LINES[aggregate.method](aggregate, locale, _)


def _sum_line(aggregate: Aggregate, locale: str, _: Callable[[str], str]) -> str:
    total = aggregate.value if isinstance(aggregate.value, Decimal) else Decimal(0)
    shown_total = figures.format_value(total, figures.Spec("number"), locale=locale)
    text = _("Tổng: {value}").format(value=shown_total)
    if aggregate.of_target is not None:
        text += " " + _("({percent} chỉ tiêu)").format(
            percent=percent_text(aggregate.of_target, locale)
        )
    return text


def _ratio_line(aggregate: Aggregate, locale: str, _: Callable[[str], str], whole: str) -> str:
    ratio = aggregate.value
    if not isinstance(ratio, figures.Ratio) or not ratio.denominator:
        return _("{whole}: chưa có số liệu").format(whole=whole)
    written = figures.format_value(ratio, figures.Spec("ratio"), locale=locale)
    share = percent_text(ratio.numerator / ratio.denominator, locale)
    return _("{whole}: {ratio} ({percent})").format(whole=whole, ratio=written, percent=share)


def _average_line(aggregate: Aggregate, locale: str, _: Callable[[str], str]) -> str:
    if aggregate.value is None:
        return _("Bình quân: chưa có số liệu")
    value = figures.format_value(aggregate.value, figures.Spec("percent"), locale=locale)
    return _("Bình quân: {value}").format(value=value)


def _yes_line(aggregate: Aggregate, locale: str, _: Callable[[str], str]) -> str:
    return _("Trả lời «có»: {yes}/{answered} đơn vị").format(
        yes=aggregate.yes, answered=aggregate.answered
    )


def _options_line(aggregate: Aggregate, locale: str, _: Callable[[str], str]) -> str:
    counts = "; ".join(f"{option}: {count}" for option, count in aggregate.options)
    return _("Số đơn vị theo mức: {counts}").format(counts=counts)


def _answered_line(aggregate: Aggregate, locale: str, _: Callable[[str], str]) -> str:
    return _("Đã trả lời: {answered}/{units} đơn vị (nội dung trong tệp Excel)").format(
        answered=aggregate.answered, units=aggregate.units
    )


_AGGREGATE_LINES: dict[str, Callable[[Aggregate, str, Callable[[str], str]], str]] = {
    SUM: _sum_line,
    AVERAGE: _average_line,
    YES_COUNT: _yes_line,
    OPTION_COUNTS: _options_line,
    ANSWERED: _answered_line,
}


def _wrap(lines: list[str]) -> str:
    """The block's lines; Telegram wraps long ones to the reader's screen."""
    return "\n".join(lines)


def _pack(blocks: list[str]) -> list[str]:
    """Blocks joined by a blank line into as few messages as fit; an oversized block is cut."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in split_text(block) if len(block) > MESSAGE_LIMIT else [block]:
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) > MESSAGE_LIMIT:
                messages.append(current)
                candidate = piece
            current = candidate
    if current:
        messages.append(current)
    return messages
