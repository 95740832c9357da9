"""How wide a line of Times New Roman is, to size the rules drawn under header lines."""

from __future__ import annotations

import unicodedata

__all__ = ["text_width"]

# Advance widths in thousandths of an em, from the Adobe Times AFM files (Times New Roman
# has the same metrics): capitals A-Z, then small letters a-z.
_ROMAN = (
    "722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 611 722 722 "
    "944 722 722 611",
    "444 500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 "
    "722 500 500 444",
)
_BOLD = (
    "722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 611 778 722 556 667 722 722 "
    "1000 722 722 667",
    "500 556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 "
    "722 500 500 444",
)
_OTHERS = {" ": 250, ",": 250, ".": 250, "-": 333, "–": 500, ":": 333, ";": 333, "/": 278}
_DIGIT, _DEFAULT = 500, 500


def _table(rows: tuple[str, str]) -> dict[str, int]:
    capitals, small = (list(map(int, row.split())) for row in rows)
    widths = {chr(ord("A") + n): width for n, width in enumerate(capitals)}
    widths |= {chr(ord("a") + n): width for n, width in enumerate(small)}
    return widths | _OTHERS | {str(digit): _DIGIT for digit in range(10)}


_WIDTHS = {False: _table(_ROMAN), True: _table(_BOLD)}


def text_width(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The line's width in points; a Vietnamese letter is as wide as its letter without marks."""
    widths = _WIDTHS[bold]
    total = sum(widths.get(_base_letter(char), _DEFAULT) for char in text)
    return total * size_pt / 1000


def _base_letter(char: str) -> str:
    if char in "Đđ":
        return "D" if char == "Đ" else "d"
    return unicodedata.normalize("NFD", char)[0]
