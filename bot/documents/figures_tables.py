"""The report's tables of figures, written from the summary exactly as the export shows them."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.shared import Length

from bot.documents.layout import TABLE_TEXT, text_span, write
from bot.documents.tables import add_row, after_table, data_table, merged_row, scaled
from bot.domain import figures
from bot.domain.i18n import gettext_for
from bot.domain.showing import against_target, best_label
from bot.reports.display import percent_text, shown_with_unit, yes_no
from bot.reports.snapshot import IndicatorInfo
from bot.reports.summary import (
    AVERAGE,
    OPTION_COUNTS,
    RATIO,
    SUM,
    YES_COUNT,
    Aggregate,
    IndicatorSummary,
    UnitResult,
)

__all__ = [
    "TABULAR_KINDS",
    "aggregate_text",
    "annex_tables",
    "figure_text",
    "results_table",
    "value_text",
]

TABULAR_KINDS = ("number", "percent", "ratio", "yesno", "choice")
ANNEX_UNITS = 8  # unit columns per annex table: more would not fit a landscape page
_RESULT_SHARES = (1.3, 4.8, 3.3, 3.3, 2.3)  # STT, unit, result, target, share
_ANNEX_SHARES = (1.3, 5.2, 2.4, 2.8)  # STT, indicator, each unit, the cluster


def value_text(value: figures.Value, indicator: IndicatorInfo, locale: str) -> str:
    """A figure as the export's display column writes it: `25,8 tỷ đồng`, `47/53`, `Có`."""
    if isinstance(value, bool):
        return yes_no(value, locale)
    return shown_with_unit(value, indicator, locale)


def figure_text(result: UnitResult, indicator: IndicatorInfo, locale: str) -> str:
    """A unit's figure; «Chưa nộp» when it has not submitted, a dash when it left it empty."""
    _ = gettext_for(locale)
    if not result.submitted:
        return _("Chưa nộp")
    return "—" if result.value is None else value_text(result.value, indicator, locale)


def aggregate_text(aggregate: Aggregate, indicator: IndicatorInfo, locale: str) -> str:
    """The cluster's figure as the summary formed it: total, average, pooled ratio, counts."""
    _ = gettext_for(locale)
    value = aggregate.value
    if aggregate.method in (SUM, AVERAGE):
        return _("chưa có số liệu") if value is None else value_text(value, indicator, locale)
    if aggregate.method == RATIO:
        if not isinstance(value, figures.Ratio) or not value.denominator:
            return _("chưa có số liệu")
        share = percent_text(value.numerator / value.denominator, locale)
        return f"{value_text(value, indicator, locale)} ({share})"
    if aggregate.method == YES_COUNT:
        return _("Trả lời «có»: {yes}/{answered} đơn vị").format(
            yes=aggregate.yes, answered=aggregate.answered
        )
    if aggregate.method == OPTION_COUNTS:
        return "; ".join(f"{option}: {count}" for option, count in aggregate.options)
    return ""


def _aggregate_label(aggregate: Aggregate, locale: str, whole: str) -> str:
    _ = gettext_for(locale)
    return {SUM: _("Tổng cộng"), AVERAGE: _("Bình quân")}.get(aggregate.method, whole)


def results_table(
    document: Document, items: Sequence[IndicatorSummary], locale: str, whole: str
) -> None:
    """Per indicator: its name, each unit's figure, target and share, then the cluster's
    (`whole`: «Toàn cụm» or «Toàn khối»)."""
    _ = gettext_for(locale)
    headers = (_("STT"), _("Đơn vị"), _("Kết quả"), _("Chỉ tiêu giao"), _("Tỷ lệ đạt"))
    widths = scaled(_RESULT_SHARES, text_span(document.sections[-1]))
    table = data_table(document, headers, widths)
    returned = False
    for number, item in enumerate(items, start=1):
        merged_row(table, f"{number}. {item.indicator.name}", bold=True)
        for order, result in enumerate(item.results, start=1):
            returned |= result.returned
            add_row(table, _unit_cells(order, result, item.indicator, locale), centred_from=2)
        add_row(table, _cluster_cells(item, locale, whole), bold=True, centred_from=2)
        if item.best:
            leaders = ", ".join(result.unit.name for result in item.best)
            better, on_target = item.indicator.better, item.best_on_target
            label = best_label(better, on_target=on_target, locale=locale)
            merged_row(table, _("{label}: {units}").format(label=label, units=leaders), italic=True)
    if returned:
        note = _("(*) Số liệu đang được trả lại để đơn vị sửa.")
        write(document, note, TABLE_TEXT, italic=True)
    else:
        after_table(document)


def _unit_cells(
    order: int, result: UnitResult, indicator: IndicatorInfo, locale: str
) -> tuple[str, ...]:
    name = f"{result.unit.name} (*)" if result.returned else result.unit.name
    target = "" if result.target is None else value_text(result.target, indicator, locale)
    better = indicator.better
    share = "" if result.of_target is None else against_target(result.of_target, better, locale)
    return (str(order), name, figure_text(result, indicator, locale), target, share)


def _cluster_cells(item: IndicatorSummary, locale: str, whole: str) -> tuple[str, ...]:
    aggregate = item.aggregate
    share = aggregate.of_target
    return (
        "",
        _aggregate_label(aggregate, locale, whole),
        aggregate_text(aggregate, item.indicator, locale),
        "",
        "" if share is None else against_target(share, item.indicator.better, locale),
    )


def annex_tables(
    document: Document, items: Sequence[IndicatorSummary], locale: str, whole: str
) -> None:
    """The compiled table (biểu tổng hợp): indicators down, units across, eight at a time."""
    units = len(items[0].results) if items else 0
    for first in range(0, units, ANNEX_UNITS):
        count = min(ANNEX_UNITS, units - first)
        with_cluster = whole if first + count == units else ""
        _annex_table(document, items, first, count, with_cluster, locale)


def _annex_table(
    document: Document,
    items: Sequence[IndicatorSummary],
    first: int,
    count: int,
    with_cluster: str,  # «Toàn cụm» on the last table, empty on the others
    locale: str,
) -> None:
    _ = gettext_for(locale)
    names = [result.unit.name for result in items[0].results[first : first + count]]
    headers = [_("STT"), _("Chỉ tiêu"), *names] + ([with_cluster] if with_cluster else [])
    shares = [*_ANNEX_SHARES[:2], *[_ANNEX_SHARES[2]] * count]
    shares += [_ANNEX_SHARES[3]] if with_cluster else []
    table = data_table(document, headers, _widths(shares, document))
    for number, item in enumerate(items, start=1):
        results = item.results[first : first + count]
        cells = [str(number), item.indicator.name]
        cells += [figure_text(result, item.indicator, locale) for result in results]
        if with_cluster:
            cells.append(aggregate_text(item.aggregate, item.indicator, locale))
        add_row(table, cells, centred_from=2)
    after_table(document)


def _widths(shares: Sequence[float], document: Document) -> list[Length]:
    return scaled(shares, text_span(document.sections[-1]))
