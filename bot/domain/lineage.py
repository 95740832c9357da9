"""A merged or renamed unit's last values, carried over from its predecessors' (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot.domain.values import Ratio, Spec, from_canonical, to_canonical

__all__ = ["CARRIED_KINDS", "NOT_CARRIED_KINDS", "carried_value"]

# Amounts and counts add up; a ratio adds its numerators and its denominators.
CARRIED_KINDS = ("number", "ratio")
# A percentage or a yes/no of the old units says nothing of the new one: no carry-over, and the
# question says so.
NOT_CARRIED_KINDS = ("percent", "yesno")


def carried_value(kind: str, values: Sequence[str | None]) -> str | None:
    """The predecessors' values combined (canonical), or None when the kind does not carry
    over or some predecessor has no value (a part would pass for the whole)."""
    if kind not in CARRIED_KINDS or not values or any(v is None for v in values):
        return None
    try:
        read = [from_canonical(value or "", Spec(kind=kind)) for value in values]
    except ValueError:
        return None
    if kind == "ratio":
        ratios = [v for v in read if isinstance(v, Ratio)]
        top = sum((r.numerator for r in ratios), Decimal(0))
        bottom = sum((r.denominator for r in ratios), Decimal(0))
        return to_canonical(Ratio(top, bottom))
    numbers = [v for v in read if isinstance(v, Decimal)]
    return to_canonical(sum(numbers, Decimal(0)))
