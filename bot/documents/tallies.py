"""A vote written into the minutes: how it was held, the quorum, the threshold, the count."""

from __future__ import annotations

from decimal import Decimal

from docx.document import Document

from bot.documents.layout import BODY, text_span, write
from bot.documents.model import ClusterKind, VoteTally
from bot.documents.tables import add_row, after_table, data_table, scaled
from bot.domain.i18n import gettext_for
from bot.domain.tally import describe_threshold, parse_threshold
from bot.domain.terms import cluster_terms
from bot.reports.display import percent_text

__all__ = ["share_words", "tally_section"]

_TALLY_SHARES = (1.3, 6.8, 2.2, 2.4, 2.6)  # STT, answer or unit, ballots, share, result


def share_words(notation: str, locale: str) -> str:
    """`>1/2` -> `hơn một nửa`, as the vote's own texts say it; other text as written."""
    threshold = parse_threshold(notation)
    return notation if threshold is None else describe_threshold(threshold, locale)


def _base_words(tally: VoteTally, kind: ClusterKind, locale: str) -> str:
    _ = gettext_for(locale)
    if tally.base == "present":
        return _("số đơn vị có mặt")
    cluster = cluster_terms(kind, locale).cluster
    return _("tổng số đơn vị của {cluster}").format(cluster=cluster)


def tally_section(document: Document, tally: VoteTally, kind: ClusterKind, locale: str) -> None:
    """The vote's title, its conditions in sentences, then its count as a table."""
    _ = gettext_for(locale)
    write(document, _("Biểu quyết: {title}").format(title=tally.title), BODY, bold=True)
    held = _("Hình thức: bỏ phiếu kín.") if tally.secret else _("Hình thức: biểu quyết công khai.")
    write(document, held)
    if not tally.held:  # the secretary writes the count by hand, if it is held after all
        write(document, _needed(tally, kind, locale))
        write(document, _("Chưa tiến hành biểu quyết nội dung này."), BODY, italic=True)
        return
    present = _("Số đơn vị có mặt: {present}/{total}.")
    write(document, present.format(present=tally.units_present, total=tally.units_total))
    if tally.quorum:
        met = _("đủ điều kiện") if tally.quorum_met else _("không đủ điều kiện")
        quorum = _("Điều kiện tiến hành: có mặt {share} tổng số đơn vị ({met}).")
        write(document, quorum.format(share=share_words(tally.quorum, locale), met=met))
    write(document, _("Số phiếu thu về: {ballots}.").format(ballots=tally.ballots))
    write(document, _needed(tally, kind, locale))
    _tally_table(document, tally, locale)
    _outcome(document, tally, locale)


def _needed(tally: VoteTally, kind: ClusterKind, locale: str) -> str:
    """`Tỷ lệ cần đạt: hơn một nửa số đơn vị có mặt.`"""
    _ = gettext_for(locale)
    needed = _("Tỷ lệ cần đạt: {share} {base}.")
    base = _base_words(tally, kind, locale)
    return needed.format(share=share_words(tally.threshold, locale), base=base)


def _tally_table(document: Document, tally: VoteTally, locale: str) -> None:
    _ = gettext_for(locale)
    headers = (_("STT"), _("Nội dung"), _("Số phiếu"), _("Tỷ lệ"), _("Kết quả"))
    table = data_table(document, headers, scaled(_TALLY_SHARES, text_span(document.sections[-1])))
    for order, row in enumerate(tally.rows, start=1):
        share = (
            percent_text(Decimal(row.votes) / tally.base_units, locale) if tally.base_units else ""
        )
        result = _("Đạt") if row.passes else _("Không đạt")
        add_row(table, (str(order), row.label, str(row.votes), share, result), centred_from=2)
    after_table(document)


def _outcome(document: Document, tally: VoteTally, locale: str) -> None:
    _ = gettext_for(locale)
    passing = [row.label for row in tally.rows if row.passes]
    if passing:
        text = _("Kết quả: {answers}.").format(answers=", ".join(passing))
    else:
        text = _("Kết quả: không có nội dung nào đạt tỷ lệ cần thiết.")
    write(document, text, BODY, bold=True)
    if tally.tie:
        tie = _("Có các nội dung bằng phiếu nhau ở vị trí cuối cùng: đề nghị Hội nghị quyết định.")
        write(document, tie, BODY, italic=True)
