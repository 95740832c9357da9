"""Plausibility checks: is a figure far from the unit's target or its last value?"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = ["Reference", "Unusual", "unusual"]

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
