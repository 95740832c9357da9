"""Text people typed, written into spreadsheets as text: never a live formula (OWASP CSV injection).

Every xlsx and CSV writer of the project puts its cells through here: report workbooks, the
export and the set-up template all carry answers, names, explanations and reasons that anyone
could have typed as `=HYPERLINK(…)`.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["csv_field", "put", "row_cells", "store"]

# What spreadsheet programs read as the start of a formula when they open a CSV file.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A bare number (`-5`, `25.8`, `-1.250,5`) is safe as it is, and scripts read it as a number.
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*")


def csv_field(text: str) -> str:
    """A CSV field that no spreadsheet runs: a formula-like text gets a leading `'`."""
    if text.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def store(cell: Cell, value: Any) -> Cell:
    """Put `value` into `cell` as what it is: text as text (not a formula or an error code)."""
    if not isinstance(value, str):
        cell.value = value
        return cell
    # Control characters make openpyxl refuse the whole file; they carry nothing readable.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"  # openpyxl would make `=…` a formula and `#N/A` an error
    return cell


def put(
    sheet: Worksheet, row: int, column: int, value: Any, number_format: str | None = None
) -> Cell:
    """Write one cell of a worksheet through `store`, with a number format if given."""
    cell = store(sheet.cell(row, column), value)
    if number_format:
        cell.number_format = number_format
    return cell


def row_cells(sheet: Any, values: list[Any]) -> list[Any]:
    """A row for `sheet.append` (write-only too) where no text can be read as a formula."""
    # Only text that openpyxl would misread gets a cell of its own: the rest goes as it is,
    # which keeps a 100,000-row export as fast as before.
    # A cell needs a place before openpyxl can name it in an error (write-only rows move it).
    return [
        store(Cell(sheet, row=1, column=1), value) if _misread(value) else value for value in values
    ]


def _misread(value: Any) -> bool:
    """Whether openpyxl would take this value for a formula or an error, or refuse it."""
    if not isinstance(value, str):
        return False
    return (
        value.startswith("=") or value in ERROR_CODES or bool(ILLEGAL_CHARACTERS_RE.search(value))
    )
