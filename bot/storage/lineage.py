"""Where a merged or renamed unit comes from, and the last values it inherits from there."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from bot.domain.lineage import carried_value
from bot.storage.models import Indicator, Period, Unit
from bot.storage.submissions import last_values

__all__ = ["inherited_last_values", "predecessors"]


def predecessors(session: Session, unit: Unit) -> list[Unit]:
    """The old units a unit was merged from, or the one it was renamed from, as stored."""
    codes = list(unit.merged_from or ()) or ([unit.renamed_from] if unit.renamed_from else [])
    if not codes:
        return []
    found = {u.code: u for u in session.exec(select(Unit).where(col(Unit.code).in_(codes)))}
    return [found[code] for code in codes if code in found]


def inherited_last_values(
    session: Session, *, old: Sequence[Unit], indicators: Sequence[Indicator], before: Period
) -> dict[str, str]:
    """Indicator code -> the predecessors' last values combined, where the kind carries over
    (amounts and counts summed, ratios by their numerators and denominators)."""
    each = [last_values(session, unit_id=unit.id or 0, before=before) for unit in old]
    inherited = {}
    for indicator in indicators:
        value = carried_value(indicator.kind, [values.get(indicator.code) for values in each])
        if value is not None:
            inherited[indicator.code] = value
    return inherited
