"""The page of Decree 30/2020 built once: A4, margins, Times New Roman styles, page numbers."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.section import Section
from docx.shared import Cm, Length, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from bot.documents import ooxml
from bot.documents.measure import text_width

__all__ = [
    "BODY",
    "FONT",
    "HEADING",
    "LETTERHEAD",
    "RECIPIENTS",
    "RECIPIENTS_TITLE",
    "SIGNATURE",
    "SUBHEADING",
    "TABLE_HEADING",
    "TABLE_TEXT",
    "TITLE",
    "Container",
    "labelled",
    "landscape_section",
    "new_document",
    "rule_under",
    "text_span",
    "to_bytes",
    "write",
]

FONT = "Times New Roman"
BODY, HEADING, SUBHEADING = "Normal", "Heading 1", "Heading 2"
LETTERHEAD, TITLE, SIGNATURE = "Letterhead", "Document Title", "Signature"
TABLE_TEXT, TABLE_HEADING = "Table Text", "Table Heading"
RECIPIENTS_TITLE, RECIPIENTS = "Recipients Title", "Recipients"
PAGE = {"width": Mm(210), "height": Mm(297)}
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
FIRST_LINE = Cm(1.27)
_BLACK = RGBColor(0, 0, 0)

Container = Document | _Cell  # where paragraphs go: the body or a table cell


@dataclass(frozen=True, slots=True)
class _Look:
    """A paragraph style's font and paragraph settings."""

    size: float
    bold: bool = False
    italic: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER
    indent: Length | None = None
    before: float = 0
    after: float = 0
    line: float = 1.0


_PROSE = _Look(14, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=FIRST_LINE, after=6, line=1.15)
_LOOKS = {
    BODY: _PROSE,
    HEADING: replace(_PROSE, bold=True, before=6),
    SUBHEADING: replace(_PROSE, bold=True, before=6),
    LETTERHEAD: _Look(13),
    TITLE: _Look(14, bold=True),
    SIGNATURE: _Look(14, bold=True),
    TABLE_TEXT: _Look(12, align=WD_ALIGN_PARAGRAPH.LEFT, before=2, after=2),
    TABLE_HEADING: _Look(12, bold=True, before=2, after=2),
    RECIPIENTS_TITLE: _Look(12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT),
    RECIPIENTS: _Look(11, align=WD_ALIGN_PARAGRAPH.LEFT),
}


# The ids python-docx gives these styles. Setting a paragraph's style by name makes python-docx
# search the template's ~160 styles each time (half a millisecond a paragraph); ids do not.
STYLE_IDS = {name: name.replace(" ", "") for name in _LOOKS}


def new_document(*, page_numbers: bool = True, locale: str = "vi") -> Document:
    """An empty A4 portrait document with the decree's margins and every style set."""
    document = docx.Document()
    _page(document.sections[0])
    ooxml.default_fonts(document, FONT)
    for name, look in _LOOKS.items():
        _style(document, name, look, lang="vi-VN" if locale == "vi" else "en-US")
    if page_numbers:
        _page_numbers(document.sections[0])
    return document


def _page(section: Section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = section.footer_distance = Mm(10)


def _style(document: Document, name: str, look: _Look, *, lang: str) -> None:
    styles = document.styles
    style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    if name != BODY:
        style.base_style = styles[BODY]
    style.font.size, style.font.bold, style.font.italic = Pt(look.size), look.bold, look.italic
    style.font.color.rgb = _BLACK  # headings of the default template are blue
    ooxml.script_fonts(style.element, FONT, lang=lang)
    form = style.paragraph_format
    form.alignment, form.first_line_indent = look.align, look.indent or Cm(0)
    form.space_before, form.space_after = Pt(look.before), Pt(look.after)
    form.line_spacing_rule = WD_LINE_SPACING.MULTIPLE if look.line != 1 else WD_LINE_SPACING.SINGLE
    form.line_spacing = look.line
    form.widow_control = True
    if name in (HEADING, SUBHEADING):
        form.keep_with_next = True


def _page_numbers(section: Section) -> None:
    """The page number centred in the top margin from page 2: the first page has none."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.name, run.font.size = FONT, Pt(14)
    ooxml.script_fonts(run._r, FONT)
    ooxml.page_field(run)


def landscape_section(document: Document) -> Section:
    """A new landscape section (for a wide table), numbered like the pages before it."""
    section: Section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE["height"], PAGE["width"]
    # Its first page is not the document's first: it carries the page number too.
    section.different_first_page_header_footer = False
    return section


def text_span(section: Section) -> Length:
    """The width between the section's margins."""
    width = section.page_width or PAGE["width"]
    return Length(width - (section.left_margin or 0) - (section.right_margin or 0))


def write(
    container: Container,
    text: str = "",
    style: str = BODY,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    size: float | None = None,
) -> Paragraph:
    """A paragraph in the style; in a fresh cell its empty first paragraph is used."""
    paragraph = _fresh_paragraph(container) or container.add_paragraph()
    paragraph._p.style = STYLE_IDS[style]
    if text:
        run = paragraph.add_run(text)
        # Only what differs from the style: python-docx adds run properties even for None.
        if bold is not None:
            run.bold = bold
        if italic is not None:
            run.italic = italic
        if size is not None:
            run.font.size = Pt(size)
    return paragraph


def _fresh_paragraph(container: Container) -> Paragraph | None:
    if not isinstance(container, _Cell):
        return None
    paragraphs = container.paragraphs
    first: Paragraph = paragraphs[0]
    if len(paragraphs) == 1 and not first.runs and first._p.pPr is None:
        return first
    return None


def labelled(container: Container, label: str, text: str) -> Paragraph:
    """`Địa điểm: Hội trường…`: a bold label and its text in one body paragraph."""
    paragraph = write(container, label + " ", BODY, bold=True)
    paragraph.add_run(text)
    return paragraph


def rule_under(
    container: Container, text: str, *, size: float, bold: bool, width: Length, share: float
) -> Paragraph:
    """A centred rule, `share` of the text's longest line long (capped by `width`)."""
    line = min(text_width(text, size, bold=bold), width.pt)
    side = (width.pt - line * share) / 2
    paragraph = write(container, "", LETTERHEAD)
    form = paragraph.paragraph_format
    form.left_indent = form.right_indent = Pt(side)
    form.line_spacing_rule, form.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(2)
    ooxml.bottom_rule(paragraph)
    return paragraph


def to_bytes(document: Document) -> bytes:
    """The document as a .docx file's bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
