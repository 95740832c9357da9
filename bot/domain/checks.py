"""Checks on what an officer sends: is a figure far from its references, can a file be evidence?"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.domain.i18n import gettext_for

__all__ = [
    "EVIDENCE_EXTENSIONS",
    "EVIDENCE_MAX_BYTES",
    "Reference",
    "Unusual",
    "evidence_refusal",
    "unusual",
]

EVIDENCE_EXTENSIONS = (".pdf", ".docx", ".xlsx")
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download

DEFAULT_FACTOR = Decimal(3)
# For a lower-is-better indicator (drop-out rate) being this much above the reference is
# already "much worse" and worth a second look.
WORSE_FACTOR = Decimal("1.5")


class Reference(StrEnum):
    TARGET = "target"
    LAST = "last"


@dataclass(frozen=True)
class Unusual:
    """Why a value deserves a confirmation: compared with what, and how far."""

    reference: Reference
    reference_value: Decimal


def unusual(
    value: Decimal,
    *,
    target: Decimal | None,
    last: Decimal | None,
    better: str | None,
    factor: Decimal = DEFAULT_FACTOR,
) -> Unusual | None:
    """The first reference (target, then last value) that `value` is far from, if any."""
    for reference, compared in ((Reference.TARGET, target), (Reference.LAST, last)):
        if compared is not None and _far(value, compared, better, factor):
            return Unusual(reference, compared)
    return None


def _far(value: Decimal, reference: Decimal, better: str | None, factor: Decimal) -> bool:
    if reference <= 0:
        return False
    ratio = value / reference
    if better == "lower" and ratio > WORSE_FACTOR:
        return True
    return ratio > factor or ratio < 1 / factor


def evidence_refusal(name: str | None, size: int | None, locale: str) -> str | None:
    """Why a file cannot be an answer's evidence (its type, nothing in it, its size), if so."""
    _ = gettext_for(locale)
    if not (name or "").lower().endswith(EVIDENCE_EXTENSIONS):
        return _(
            "Tệp «{name}» không phải PDF, DOCX hay XLSX. Vui lòng gửi lại đúng loại tệp."
        ).format(name=name or "?")
    # Telegram gives the size of nearly every document; an unknown one is not held against it.
    if size == 0:
        return _(
            "Tệp «{name}» trống (0 byte), không thể là minh chứng. Vui lòng gửi lại tệp "
            "có nội dung."
        ).format(name=name)
    if (size or 0) > EVIDENCE_MAX_BYTES:
        return _("Tệp quá lớn (tối đa 20 MB). Vui lòng nén hoặc tách tệp rồi gửi lại.")
    return None
