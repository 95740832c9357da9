"""Excel cells for reports: numbers as numbers with formats that show every decimal typed."""

from __future__ import annotations

from collections.abc import Container
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain import figures
from bot.reports.display import shown, yes_no
from bot.reports.snapshot import IndicatorInfo

__all__ = [
    "DATE_FORMAT",
    "HEADER_FILL",
    "HEADER_FONT",
    "SHARE_FORMAT",
    "WRAP",
    "decimal_places",
    "fit_widths",
    "number_format",
    "value_cell",
]

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "dd/mm/yyyy hh:mm"
SHARE_FORMAT = "0.0%"  # a true fraction: 0.726 shows as 72.6%
_MAX_PLACES = 6
_MIN_WIDTH, _MAX_WIDTH = 6, 50


def decimal_places(canonical: str) -> int:
    """How many decimals a canonical number has: `25.8` -> 1, `1250` -> 0."""
    _whole, dot, fraction = canonical.partition(".")
    return min(len(fraction), _MAX_PLACES) if dot else 0


def number_format(places: int, *, percent: bool = False) -> str:
    """`#,##0`, `#,##0.0`…; a percent indicator's figure (104.5 meaning 104,5%) gets `%`."""
    # A fixed count of zeros, not `#,##0.##`, which shows a stray `1.250,` for whole numbers.
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return f'{pattern}"%"' if percent else pattern


def value_cell(
    value: figures.Value | None, indicator: IndicatorInfo, locale: str
) -> tuple[Any, str | None]:
    """A value as a cell: (content, number format or None). Numbers stay numbers."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return yes_no(value, locale), None
    if isinstance(value, Decimal):
        places = decimal_places(figures.to_canonical(value))
        return float(value), number_format(places, percent=indicator.kind == "percent")
    # A ratio stays `47/53`: one number would lose the count and the total.
    return shown(value, indicator, locale), None


def fit_widths(
    sheet: Worksheet,
    *,
    minimum: int = _MIN_WIDTH,
    maximum: int = _MAX_WIDTH,
    titles: Container[int] = (),
) -> None:
    """Columns as wide as their longest content, within bounds; title rows overflow freely."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or cell.row in titles:
                continue
            value = cell.value
            # Dates and decimals take about 12 characters in their formats.
            length = len(str(value)) if isinstance(value, str | int) else 12
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(minimum, min(maximum, width + 2))
