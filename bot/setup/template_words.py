"""The Excel template in Vietnamese: the values its cells take ("số", "cao hơn là tốt",
"7 ngày", "20/6/2026 17:00") beside the set-up file's codes, and each problem said by sheet,
row and column header rather than by a YAML path counted from 0 (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.domain.i18n import N_, Translate, gettext_for
from bot.setup.model import Problem

__all__ = [
    "KIND_WORDS",
    "CellPlace",
    "Places",
    "from_words",
    "placed_problems",
    "to_words",
]

# A code of the set-up file -> how the template writes it; each word is read back as well.
KIND_WORDS = {
    "number": N_("số"),
    "percent": N_("phần trăm"),
    "ratio": N_("tỷ số"),
    "yesno": N_("có/không"),
    "choice": N_("lựa chọn"),
    "text": N_("văn bản"),
    "file": N_("tệp"),
}
BETTER_WORDS = {"higher": N_("cao hơn là tốt"), "lower": N_("thấp hơn là tốt")}
_MORE_BETTER = {
    "cao hơn": "higher",
    "càng cao càng tốt": "higher",
    "thấp hơn": "lower",
    "càng thấp càng tốt": "lower",
}
_SPAN_PART = re.compile(r"(\d+)\s*(ngày|giờ|tiếng|phút|days?|hours?|minutes?)", re.IGNORECASE)
_SPAN_UNITS = {"ngày": "d", "giờ": "h", "tiếng": "h", "phút": "m"}
_DAY = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?:\s+(\d{1,2})[:hH](\d{2}))?\s*$")
_SPANS = {"reminders", "lock_after"}
_MOMENTS = {"opens", "deadline", "covers_from", "covers_to"}


def to_words(column: str, value: Any, _: Translate) -> Any:
    """A set-up value as the template writes it in `column` (`number` -> `số`)."""
    if column == "kind" and value in KIND_WORDS:
        return _(KIND_WORDS[value])
    if column == "better" and value in BETTER_WORDS:
        return _(BETTER_WORDS[value])
    if column in _SPANS and value is not None:
        items = value if isinstance(value, list) else [value]
        return ", ".join(_span_words(str(item), _) for item in items)
    return value


def from_words(column: str, value: Any) -> Any:
    """A cell of `column` as the set-up file writes it: Vietnamese words (in either language
    of the catalogue) or the file's own codes, which stay as they are."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    folded = text.casefold()
    if column == "kind":
        return _code_of(folded, KIND_WORDS) or text
    if column == "better":
        return _code_of(folded, BETTER_WORDS) or _MORE_BETTER.get(folded, text)
    if column in _SPANS:
        return _SPAN_PART.sub(lambda m: m[1] + _span_unit(m[2]), text).replace(" ", "")
    if column in _MOMENTS and (match := _DAY.match(text)):
        day, month, year, hour, minute = match.groups()
        shown = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return f"{shown} {int(hour):02d}:{minute}" if hour else shown
    return text


def _code_of(folded: str, words: Mapping[str, str]) -> str | None:
    for code, word in words.items():
        if folded in (code, word.casefold(), gettext_for("en")(word).casefold()):
            return code
    return None


def _span_unit(word: str) -> str:
    word = word.casefold()
    return _SPAN_UNITS.get(word) or word[0]  # days, hours, minutes: d, h, m


def _span_words(code: str, _: Translate) -> str:
    """`1d12h` -> `1 ngày 12 giờ`; a text that is no such code stays as it is."""
    parts = re.findall(r"(\d+)([dhm])", code)
    if not parts or "".join(n + u for n, u in parts) != code.replace(" ", ""):
        return code
    words = {"d": _("{count} ngày"), "h": _("{count} giờ"), "m": _("{count} phút")}
    return " ".join(words[unit].format(count=count) for count, unit in parts)


# -- where a problem is in the workbook -------------------------------------------------------


@dataclass(frozen=True)
class CellPlace:
    """A sheet's row (as Excel numbers it) and, when known, a column (a key of `SHEETS`)."""

    sheet: str
    row: int
    column: str = ""


Places = dict[str, CellPlace]  # a set-up path (`pledges[0].indicators[1].kind`) -> its cell


def placed_problems(
    problems: list[Problem],
    places: Places,
    *,
    titles: Mapping[str, str],
    headers: Callable[[str, str], str],
    locale: str,
) -> list[Problem]:
    """Each problem said by its sheet, row and column header; one not placed keeps its path."""
    _ = gettext_for(locale)
    said = []
    for problem in problems:
        place = _place_of(problem.path, places)
        if place is None:
            said.append(problem)
            continue
        where = _("Trang «{sheet}», dòng {row}").format(sheet=titles[place.sheet], row=place.row)
        if place.column:
            where += ", " + _("cột «{column}»").format(column=headers(place.sheet, place.column))
        said.append(Problem(where, problem.message))
    return said


def _place_of(path: str, places: Places) -> CellPlace | None:
    """The cell of `path`, or of the nearest path above it that has one."""
    while path:
        if path in places:
            return places[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None
