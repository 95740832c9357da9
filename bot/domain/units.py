"""An indicator's unit typed after a figure, in full or short: `25,8 tỷ đồng`, `25,8 tỷ`."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold_unit", "names_another_scale", "without_unit"]

# Words that scale a figure: dropping one from the unit would change what the figure means
# (`25 nghìn` for a unit of `nghìn tỷ đồng` could as well be 25 nghìn đồng).
_SCALES = frozenset({"tram", "nghin", "ngan", "van", "trieu", "ti"})
_FINAL_Y = re.compile(r"y\b")


def without_unit(text: str, unit: str | None) -> str:
    """The text without a trailing unit, written in full or as its first words when clear."""
    folded = fold_unit(text)
    for form in _short_forms(unit or ""):
        if folded == form or folded.endswith(" " + form) or _after_digit(folded, form):
            return _cut_words(text, form.count(" ") + 1)
    return text


def names_another_scale(text: str) -> bool:
    """Whether the text, its unit taken off, still ends with a scale word such as `triệu`."""
    words = fold_unit(text).split()
    return bool(words) and words[-1] in _SCALES


def fold_unit(text: str) -> str:
    """Lower-case, no diacritics, one space between words, `tỷ` and `tỉ` alike."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Unicode does not decompose đ; and both spellings of a final y (tỷ, tỉ) are in use.
    return _FINAL_Y.sub("i", " ".join(bare.replace("đ", "d").split()))


@lru_cache(maxsize=256)
def _short_forms(unit: str) -> tuple[str, ...]:
    """The unit's folded forms a person may type, longest first: `ti dong`, then `ti`."""
    words = fold_unit(unit).split()
    forms = []
    for length in range(len(words), 0, -1):
        dropped = words[length:]
        if _SCALES.isdisjoint(dropped):
            forms.append(" ".join(words[:length]))
    return tuple(forms)


def _after_digit(folded: str, form: str) -> bool:
    """`25,8ti`: the unit right after the figure, without a space."""
    head = folded[: -len(form)]
    return folded.endswith(form) and head[-1:].isdigit()


def _cut_words(text: str, count: int) -> str:
    """The text without its last `count` words (a word glued to the figure counts as one)."""
    words = text.split()
    kept, last = words[:-count], words[-count]
    # In `25,8tỷ` the figure and the unit's first word share one word: keep the figure's part.
    figure = re.match(r"[\d.,\s+\-−]*\d", last)
    tail = [figure.group(0)] if figure else []
    return " ".join([*kept, *tail]).rstrip()
