"""Ruled tables of figures: a header row repeated on each page, rows of table text."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Length
from docx.table import Table, _Cell

from bot.documents import ooxml
from bot.documents.layout import TABLE_HEADING, TABLE_TEXT, write

__all__ = ["add_row", "after_table", "data_table", "merged_row", "scaled"]

_GRID = "Table Grid"  # the default template's table style with single black rules


def scaled(shares: Sequence[float], width: Length) -> list[Length]:
    """Column widths in proportion to `shares`, filling `width`."""
    total = sum(shares)
    return [Length(int(width * share / total)) for share in shares]


def data_table(
    container: Document | _Cell, headers: Sequence[str], widths: Sequence[Length]
) -> Table:
    """A table with a bold header row that repeats at the top of each page it runs onto."""
    table = container.add_table(rows=1, cols=len(headers))
    table.style = _GRID
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0]
    ooxml.repeat_as_header(header)
    for cell, text, width in zip(header.cells, headers, widths, strict=True):
        cell.width = width
        write(cell, text, TABLE_HEADING)
    return table


def add_row(
    table: Table,
    texts: Sequence[str],
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    centred_from: int = 0,
) -> list[_Cell]:
    """A row of texts; columns from `centred_from` on (the figures) are centred."""
    cells = table.add_row().cells  # type: ignore[no-untyped-call]  # python-docx 1.2
    for column, (cell, text) in enumerate(zip(cells, texts, strict=True)):
        paragraph = write(cell, text, TABLE_TEXT, bold=bold, italic=italic)
        if centred_from and column >= centred_from:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return list(cells)


def merged_row(
    table: Table, text: str, *, bold: bool | None = None, italic: bool | None = None
) -> None:
    """A row whose cells are one, across the table (an indicator's name, a note)."""
    cells = table.add_row().cells  # type: ignore[no-untyped-call]  # python-docx 1.2
    merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
    write(merged, text, TABLE_TEXT, bold=bold, italic=italic)


def after_table(container: Document | _Cell) -> None:
    """An empty paragraph below a table: room before the text, and two tables never merge."""
    write(container, "", TABLE_TEXT)
