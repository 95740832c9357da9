"""The draft of the cluster's report (báo cáo sơ kết / tổng kết) from the period's summary."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import format_decimal
from docx.document import Document
from docx.enum.text import WD_COLOR_INDEX

from bot.documents import layout, parts
from bot.documents.figures_tables import TABULAR_KINDS, annex_tables, results_table
from bot.documents.layout import BODY, TITLE, write
from bot.documents.model import Dated, IndicatorGroup, Letterhead
from bot.documents.tables import add_row, after_table, data_table, scaled
from bot.domain.admin_body import admin_body
from bot.domain.i18n import babel_locale, gettext_for
from bot.domain.scoring_table import APPROVED, SELF, Group, Leaf, Ranking, ScoringTable, Standing
from bot.domain.terms import cluster_terms
from bot.reports.snapshot import PeriodInfo
from bot.reports.summary import ClusterSummary, IndicatorSummary, UnitResult

__all__ = ["REPORT_CODE", "groups_from_table", "layer_words", "report_docx"]

REPORT_CODE = "BC"
_RANKING_SHARES = (2.0, 5.6, 2.4, 3.0)  # rank, unit, total, class
_NUMBERED = re.compile(r"^\s*(?:[IVXLC]+|\d+)[.)]\s+")  # "I. " as the set-up numbers groups


def report_docx(
    cluster: ClusterSummary,
    period: PeriodInfo,
    *,
    letterhead: Letterhead,
    dated: Dated,
    groups: Sequence[IndicatorGroup] = (),
    ranking: Ranking | None = None,
    signer: str = "",
    recipients: Sequence[str] | None = None,
    locale: str = "vi",
) -> bytes:
    """The report as a .docx: results, scores and ranking, the units' texts, tasks to write."""
    _ = gettext_for(locale)
    document = layout.new_document(locale=locale)
    parts.letterhead(document, letterhead, code=REPORT_CODE, dated=dated, locale=locale)
    period_words = _in_sentence(period.name)
    subject = _("Kết quả thực hiện giao ước thi đua {period}").format(period=period_words)
    parts.title(document, _("Báo cáo"), subject)
    intro = _("Thực hiện giao ước thi đua năm {year}, {cluster} báo cáo kết quả {period} như sau:")
    write(document, intro.format(year=period.year, cluster=cluster.name, period=period_words))
    numbers = itertools.count(1)
    _results(document, next(numbers), cluster, groups, locale)
    if ranking is not None:
        _ranking(document, next(numbers), ranking, cluster, letterhead, locale)
    texts = [item for item in cluster.indicators if item.indicator.kind == "text"]
    if texts:
        _texts(document, next(numbers), texts, locale)
    _tasks(document, next(numbers), letterhead, locale)
    signature = parts.chair_signature(letterhead.kind, signer, locale)
    parts.closing(document, [signature], _recipients(recipients, locale), locale)
    _annex(document, cluster, letterhead, locale)
    return layout.to_bytes(document)


def _in_sentence(name: str) -> str:
    """`Sơ kết 6 tháng…` inside a sentence: `sơ kết 6 tháng…` (an acronym stays as it is)."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _unit_results(cluster: ClusterSummary) -> tuple[UnitResult, ...]:
    """Every unit once, in the set-up's order, with whether it submitted."""
    return cluster.indicators[0].results if cluster.indicators else ()


def _whole(cluster: ClusterSummary, locale: str) -> str:
    """«Toàn cụm» or «Toàn khối», by the cluster's kind."""
    return cluster_terms(cluster.kind, locale).whole


def _tabular(items: Sequence[IndicatorSummary]) -> list[IndicatorSummary]:
    return [item for item in items if item.indicator.kind in TABULAR_KINDS]


def _results(
    document: Document,
    number: int,
    cluster: ClusterSummary,
    groups: Sequence[IndicatorGroup],
    locale: str,
) -> None:
    """I. The pledge's results: one table per group of indicators (or one for all)."""
    _ = gettext_for(locale)
    parts.heading(document, number, _("Kết quả thực hiện các chỉ tiêu thi đua"))
    count = _("Số đơn vị đã gửi số liệu: {submitted}/{units}.")
    write(document, count.format(submitted=cluster.submitted, units=cluster.units))
    missing = [result.unit.name for result in _unit_results(cluster) if not result.submitted]
    if missing:
        write(document, _("Chưa gửi: {units}.").format(units=", ".join(missing)))
    placed = _grouped(cluster.indicators, groups, locale)
    if len(placed) == 1 and not groups:
        if placed[0][1]:  # a pledge of texts alone has no table
            results_table(document, placed[0][1], locale, _whole(cluster, locale))
        return
    for order, (title, items) in enumerate(placed, start=1):
        parts.subheading(document, order, title)
        results_table(document, items, locale, _whole(cluster, locale))


def _grouped(
    items: Sequence[IndicatorSummary], groups: Sequence[IndicatorGroup], locale: str
) -> list[tuple[str, list[IndicatorSummary]]]:
    """The tables' indicators by group, in the groups' order; the rest in a last one."""
    _ = gettext_for(locale)
    tabular = {item.indicator.code: item for item in _tabular(items)}
    placed: list[tuple[str, list[IndicatorSummary]]] = []
    for group in groups:
        members = [tabular.pop(code) for code in group.indicator_codes if code in tabular]
        if members:
            placed.append((group.title, members))
    rest = [item for item in _tabular(items) if item.indicator.code in tabular]
    if rest or not placed:
        placed.append((_("Các chỉ tiêu khác") if placed else "", rest))
    return placed


def groups_from_table(table: ScoringTable) -> tuple[IndicatorGroup, ...]:
    """The scoring table's top groups as the report's groups of indicators."""
    groups = []
    for criterion in table.criteria:
        if isinstance(criterion, Group):
            codes = tuple(code for code in _indicators_under(criterion) if code)
            groups.append(IndicatorGroup(_NUMBERED.sub("", criterion.title), codes))
    return tuple(groups)


def _indicators_under(group: Group) -> list[str | None]:
    found: list[str | None] = []
    for item in group.items:
        found += [item.indicator] if isinstance(item, Leaf) else _indicators_under(item)
    return found


def layer_words(layer: str, letterhead: Letterhead, locale: str) -> str:
    """`tự chấm`, `điểm của Cụm` (or Khối), `điểm duyệt`: the layer a ranking shows."""
    _ = gettext_for(locale)
    if layer == SELF:
        return _("điểm tự chấm của các đơn vị")
    if layer == APPROVED:
        return _("điểm duyệt")
    return _("điểm của {cluster}").format(cluster=cluster_terms(letterhead.kind, locale).cluster)


def _ranking(
    document: Document,
    number: int,
    ranking: Ranking,
    cluster: ClusterSummary,
    letterhead: Letterhead,
    locale: str,
) -> None:
    """II. Scores and ranking, when the cluster scores its units; the layer is named."""
    _ = gettext_for(locale)
    parts.heading(document, number, _("Chấm điểm, xếp hạng"))
    layer = _("Theo bảng chấm điểm, lớp điểm: {layer}.")
    write(document, layer.format(layer=layer_words(ranking.layer, letterhead, locale)))
    names = {
        r.unit.code: r.unit.name
        for r in (cluster.indicators[0].results if cluster.indicators else ())
    }
    headers = (_("Hạng"), _("Đơn vị"), _("Tổng điểm"), _("Xếp loại"))
    widths = scaled(_RANKING_SHARES, layout.text_span(document.sections[-1]))
    table = data_table(document, headers, widths)
    for standing in ranking.standings:
        name = names.get(standing.unit, standing.unit)
        add_row(table, _ranked_cells(standing, name, locale), centred_from=2)
    after_table(document)
    if any(standing.tied for standing in ranking.standings):
        write(document, _("Các đơn vị đồng hạng do Hội nghị xem xét, quyết định."), italic=True)


def _ranked_cells(standing: Standing, name: str, locale: str) -> tuple[str, ...]:
    _ = gettext_for(locale)
    if standing.rank is None:
        return ("—", name, "—", _("Chưa nộp số liệu"))
    rank = str(standing.rank) + (" " + _("(đồng hạng)") if standing.tied else "")
    return (rank, name, _score(standing.total, locale), standing.grade or "")


def _score(total: Decimal, locale: str) -> str:
    """A score to two decimals, the Vietnamese way: `87,50`."""
    return format_decimal(total, format="#,##0.00", locale=babel_locale(locale))


def _texts(document: Document, number: int, items: Sequence[IndicatorSummary], locale: str) -> None:
    """III. Each text indicator (highlights, difficulties…) compiled unit by unit."""
    _ = gettext_for(locale)
    parts.heading(document, number, _("Ý kiến của các đơn vị"))
    for order, item in enumerate(items, start=1):
        parts.subheading(document, order, item.indicator.name)
        answered = [r for r in item.results if isinstance(r.value, str) and r.value.strip()]
        for result in answered:
            paragraph = write(document, f"- {result.unit.name}: ", bold=True)
            paragraph.add_run(str(result.value))
        if not answered:
            write(document, _("Chưa có đơn vị nào nêu nội dung này."), italic=True)


def _tasks(document: Document, number: int, letterhead: Letterhead, locale: str) -> None:
    """IV. The tasks ahead: a paragraph the chair writes, marked as such."""
    _ = gettext_for(locale)
    parts.heading(document, number, _("Phương hướng, nhiệm vụ thời gian tới"))
    terms = cluster_terms(letterhead.kind, locale)
    placeholder = _(
        "[Phần này do {chair} viết: nhiệm vụ trọng tâm thời gian tới, giải pháp thực hiện "
        "và kiến nghị, đề xuất của {cluster}.]"
    ).format(chair=terms.chair, cluster=terms.cluster)
    paragraph = write(document, placeholder, BODY, italic=True)
    paragraph.runs[0].font.highlight_color = WD_COLOR_INDEX.YELLOW


def _recipients(recipients: Sequence[str] | None, locale: str) -> Sequence[str]:
    if recipients is not None:
        return recipients
    _ = gettext_for(locale)
    return (_("{body} (để báo cáo)").format(body=admin_body()), _("Các đơn vị thành viên"))


def _annex(
    document: Document, cluster: ClusterSummary, letterhead: Letterhead, locale: str
) -> None:
    """The compiled table on a landscape page after the report (phụ lục)."""
    items = _tabular(cluster.indicators)
    if not items or not cluster.units:
        return
    _ = gettext_for(locale)
    layout.landscape_section(document)
    write(document, _("Phụ lục").upper(), TITLE)
    write(document, _("Biểu tổng hợp kết quả thực hiện các chỉ tiêu thi đua"), TITLE)
    attached = _("(Kèm theo Báo cáo số      /{code}-{issuer})").format(
        code=REPORT_CODE, issuer=letterhead.short
    )
    write(document, attached, TITLE, bold=False, italic=True)
    annex_tables(document, items, locale, _whole(cluster, locale))
