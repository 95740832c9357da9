"""The decree's fixed parts: header, title, section headings, signature and "Nơi nhận"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table, _Cell

from bot.documents import ooxml
from bot.documents.dates import date_line
from bot.documents.layout import (
    HEADING,
    LETTERHEAD,
    RECIPIENTS,
    RECIPIENTS_TITLE,
    SIGNATURE,
    SUBHEADING,
    TITLE,
    Container,
    rule_under,
    text_span,
    write,
)
from bot.documents.model import ClusterKind, Dated, Letterhead
from bot.domain.i18n import gettext_for

__all__ = [
    "Signature",
    "chair_signature",
    "closing",
    "heading",
    "letterhead",
    "roman",
    "subheading",
    "title",
    "two_columns",
]

HEADER_COLUMNS = (Mm(62), Mm(103))  # 165 mm: the text width of the portrait page
CELL_PADDING = Cm(0.38)  # Word's default left and right cell margins together
RULE_SHARE = 0.4  # the decree: 1/3 to 1/2 of the line above
_NUMBER_BLANK = "\u00a0" * 8  # the clerk writes the number when the document is registered
_SIGNING_ROOM = 4  # empty lines for the signature and the seal
_ROMAN = (("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature block: the authority lines (TM. CỤM THI ĐUA / CỤM TRƯỞNG) and the name."""

    lines: tuple[str, ...]
    name: str = ""  # empty: left for the signer to write


def chair_signature(kind: ClusterKind, name: str, locale: str) -> Signature:
    """On behalf of the cluster (or block), its chair."""
    _ = gettext_for(locale)
    if kind == "khoi":
        return Signature((_("TM. KHỐI THI ĐUA"), _("KHỐI TRƯỞNG")), name)
    return Signature((_("TM. CỤM THI ĐUA"), _("CỤM TRƯỞNG")), name)


def two_columns(container: Document, widths: tuple[Length, Length], rows: int = 1) -> Table:
    """A table without borders (the default table style has none) in two fixed columns."""
    table: Table = container.add_table(rows=rows, cols=2)
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def letterhead(
    document: Document, head: Letterhead, *, code: str, dated: Dated, locale: str
) -> None:
    """Issuer and number on the left; Quốc hiệu, Tiêu ngữ, place and date on the right."""
    _ = gettext_for(locale)
    table = two_columns(document, HEADER_COLUMNS, rows=2)
    issuer, nation = table.rows[0].cells
    for parent in head.parent.splitlines():
        write(issuer, parent.upper(), LETTERHEAD)
    write(issuer, head.issuer.upper(), LETTERHEAD, bold=True)
    width = Length(HEADER_COLUMNS[0] - CELL_PADDING)
    rule_under(issuer, head.issuer.upper(), size=13, bold=True, width=width, share=RULE_SHARE)
    write(nation, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), LETTERHEAD, bold=True)
    # Underlined, the Tiêu ngữ's rule is exactly as long as the line, as the decree asks.
    motto = write(nation, _("Độc lập - Tự do - Hạnh phúc"), LETTERHEAD, bold=True, size=14)
    motto.runs[0].underline = True
    number, place = table.rows[1].cells
    sign = _("Số: {number}/{code}-{issuer}").format(
        number=_NUMBER_BLANK, code=code, issuer=head.short
    )
    write(number, sign, LETTERHEAD).paragraph_format.space_before = Pt(6)
    moment = write(place, date_line(head.place_name, dated, locale), LETTERHEAD, italic=True)
    moment.runs[0].font.size = Pt(14)
    moment.paragraph_format.space_before = Pt(6)


def title(document: Document, kind: str, subject: str = "") -> None:
    """The document type (BÁO CÁO…) and its subject, centred in bold, a short rule below."""
    write(document, kind.upper(), TITLE).paragraph_format.space_before = Pt(18)
    if subject:
        write(document, subject, TITLE)
        span = text_span(document.sections[-1])
        rule = rule_under(document, subject, size=14, bold=True, width=span, share=RULE_SHARE)
        rule.paragraph_format.space_after = Pt(12)


def roman(number: int) -> str:
    """I, II, III, IV… for section numbers."""
    text = ""
    for letters, value in _ROMAN:
        count, number = divmod(number, value)
        text += letters * count
    return text


def heading(document: Document, number: int, text: str) -> None:
    """`I. KẾT QUẢ…`: a numbered section heading in capitals."""
    write(document, f"{roman(number)}. {text.upper()}", HEADING)


def subheading(container: Container, number: int, text: str) -> None:
    """`1. Chỉ tiêu…`: a numbered heading inside a section."""
    write(container, f"{number}. {text}", SUBHEADING)


def closing(
    document: Document, signatures: Sequence[Signature], recipients: Sequence[str], locale: str
) -> None:
    """The signature blocks on the right (two: side by side) and "Nơi nhận" at the left."""
    span = text_span(document.sections[-1])
    half = Length(span // 2)
    table = two_columns(document, (half, Length(span - half)))
    ooxml.keep_row_together(table.rows[0])
    left, right = table.rows[0].cells
    if len(signatures) > 1:
        _signature(left, signatures[0])
        _signature(right, signatures[1])
        _recipients(document, recipients, locale)
        return
    _recipients(left, recipients, locale)
    if signatures:
        _signature(right, signatures[0])


def _signature(cell: _Cell, signature: Signature) -> None:
    first = write(cell, signature.lines[0] if signature.lines else "", SIGNATURE)
    first.paragraph_format.space_before = Pt(6)
    for line in signature.lines[1:]:
        write(cell, line, SIGNATURE)
    for _room in range(_SIGNING_ROOM):
        write(cell, "", SIGNATURE)
    write(cell, signature.name, SIGNATURE)


def _recipients(container: Container, recipients: Sequence[str], locale: str) -> None:
    _ = gettext_for(locale)
    write(container, _("Nơi nhận:"), RECIPIENTS_TITLE).paragraph_format.space_before = Pt(6)
    for recipient in recipients:
        write(container, f"- {recipient};", RECIPIENTS)
    write(container, _("- Lưu: VT."), RECIPIENTS)
