"""Reading a document back as Word shows it: texts, and each run's effective formatting."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Length, Mm
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from bot.documents.layout import FONT

RANGES_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}


def reopen(content: bytes) -> Document:
    """A document read back by python-docx, as Word would open it."""
    return docx.Document(io.BytesIO(content))


def mm(length: Length | None) -> float:
    """A length in millimetres, to a tenth."""
    assert length is not None
    return round(length / Mm(1), 1)


def _styles(paragraph: Paragraph) -> Iterator[ParagraphStyle]:
    style = paragraph.style
    while isinstance(style, ParagraphStyle):
        yield style
        style = style.base_style


def size(paragraph: Paragraph, run: Run) -> float:
    """The run's size in points: its own, else its paragraph style's (or the style's base)."""
    own = run.font.size
    found = own if own is not None else next(s.font.size for s in _styles(paragraph) if s.font.size)
    assert found is not None
    return float(found.pt)


def bold(paragraph: Paragraph, run: Run) -> bool:
    """Whether the run shows in bold."""
    if run.bold is not None:
        return run.bold
    return next((s.font.bold for s in _styles(paragraph) if s.font.bold is not None), False)


def italic(paragraph: Paragraph, run: Run) -> bool:
    """Whether the run shows in italics."""
    if run.italic is not None:
        return run.italic
    return next((s.font.italic for s in _styles(paragraph) if s.font.italic is not None), False)


def font_name(paragraph: Paragraph, run: Run) -> str | None:
    """The run's typeface."""
    if run.font.name is not None:
        return run.font.name
    return next((s.font.name for s in _styles(paragraph) if s.font.name is not None), None)


def alignment(paragraph: Paragraph) -> WD_ALIGN_PARAGRAPH | None:
    """The paragraph's alignment: its own, else its style's."""
    if paragraph.alignment is not None:
        return paragraph.alignment
    own = (s.paragraph_format.alignment for s in _styles(paragraph))
    return next((found for found in own if found is not None), None)


def looks(paragraph: Paragraph) -> set[tuple[float, bool, bool]]:
    """(size, bold, italic) of every run with text; a paragraph in one look has one."""
    return {
        (size(paragraph, r), bold(paragraph, r), italic(paragraph, r))
        for r in paragraph.runs
        if r.text
    }


def find(document: Document, text: str) -> Paragraph:
    """The first body paragraph (or header table paragraph) whose text starts with `text`."""
    for paragraph in all_paragraphs(document):
        if paragraph.text.startswith(text):
            return paragraph
    raise AssertionError(f"no paragraph starts with {text!r}")


def all_paragraphs(document: Document) -> Iterator[Paragraph]:
    """The body's paragraphs and those of its tables, in document order."""
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block
        else:
            yield from _table_paragraphs(block)


def _table_paragraphs(table: Table) -> Iterator[Paragraph]:
    for row in table.rows:
        for cell in row.cells:
            yield from cell.paragraphs


def table_rows(table: Table) -> list[list[str]]:
    """Each row's cell texts (a merged row repeats its text in each grid cell)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def tables_with_header(document: Document, first: str) -> list[Table]:
    """The tables whose header row starts with `first`."""
    return [table for table in document.tables if table.rows[0].cells[0].text == first]


__all__ = [
    "FONT",
    "RANGES_MM",
    "alignment",
    "all_paragraphs",
    "bold",
    "find",
    "font_name",
    "italic",
    "looks",
    "mm",
    "reopen",
    "size",
    "table_rows",
    "tables_with_header",
]
