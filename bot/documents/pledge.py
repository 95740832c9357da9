"""The signed pledge (giao ước thi đua): each unit's registered targets and who signed when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx.document import Document

from bot.documents import layout, parts
from bot.documents.layout import write
from bot.documents.model import Letterhead
from bot.documents.tables import add_row, after_table, data_table, scaled
from bot.domain.admin_body import admin_body
from bot.domain.i18n import gettext_for

__all__ = ["PLEDGE_CODE", "PledgePaper", "SignedUnit", "pledge_docx", "pledge_file_name"]

PLEDGE_CODE = "GƯ"


@dataclass(frozen=True, slots=True)
class SignedUnit:
    """One unit's part of the pledge: its targets, one (indicator, target) a row, and signature."""

    name: str
    targets: tuple[tuple[str, str], ...]
    signer: str = ""  # empty: not signed yet (a draft of the pledge)
    signed: str = ""  # when, as people read it: `10:00 ngày 5/12/2026`


@dataclass(frozen=True, slots=True)
class PledgePaper:
    """Everything the pledge shows."""

    letterhead: Letterhead
    cluster_name: str
    year: int
    dated: date
    units: tuple[SignedUnit, ...]


def pledge_file_name(cluster_code: str, year: int) -> str:
    """`giao-uoc-kt-cum2-2027.docx`."""
    return f"giao-uoc-{cluster_code}-{year}.docx"


def pledge_docx(paper: PledgePaper, *, locale: str = "vi") -> bytes:
    """The pledge as a .docx in the layout of Decree 30/2020: targets per unit, signatures."""
    _ = gettext_for(locale)
    document = layout.new_document(locale=locale)
    parts.letterhead(document, paper.letterhead, code=PLEDGE_CODE, dated=paper.dated, locale=locale)
    subject = _("Năm {year} của {cluster}").format(year=paper.year, cluster=paper.cluster_name)
    parts.title(document, _("Giao ước thi đua"), subject)
    write(
        document,
        _(
            "Căn cứ kết quả đăng ký chỉ tiêu của các đơn vị, các đơn vị thành viên {cluster} "
            "cùng ký giao ước thi đua năm {year} với các chỉ tiêu sau đây:"
        ).format(cluster=paper.cluster_name, year=paper.year),
    )
    for number, unit in enumerate(paper.units, start=1):
        parts.heading(document, number, unit.name)
        _targets(document, unit.targets, locale)
    _signatures(document, paper.units, locale)
    signature = parts.chair_signature(paper.letterhead.kind, "", locale)
    body = _("{body};").format(body=admin_body())
    recipients = [_("Các đơn vị thành viên;"), body, _("Lưu: VT.")]
    parts.closing(document, [signature], recipients, locale)
    return layout.to_bytes(document)


def _targets(document: Document, rows: Sequence[tuple[str, str]], locale: str) -> None:
    _ = gettext_for(locale)
    span = layout.text_span(document.sections[-1])
    table = data_table(
        document, [_("STT"), _("Chỉ tiêu"), _("Chỉ tiêu đăng ký")], scaled([1, 8, 4], span)
    )
    for number, (name, target) in enumerate(rows, start=1):
        add_row(table, [str(number), name, target], centred_from=2)
    after_table(document)


def _signatures(document: Document, units: Sequence[SignedUnit], locale: str) -> None:
    """Who signed for each unit, and when: the record the bot keeps of the signing."""
    _ = gettext_for(locale)
    write(document, _("Các đơn vị đã ký giao ước:"), layout.BODY, bold=True)
    span = layout.text_span(document.sections[-1])
    headers = [_("STT"), _("Đơn vị"), _("Người ký"), _("Thời gian ký")]
    table = data_table(document, headers, scaled([1, 5, 4, 4], span))
    for number, unit in enumerate(units, start=1):
        add_row(table, [str(number), unit.name, unit.signer or _("(chưa ký)"), unit.signed])
    after_table(document)
