"""A cluster's merged and renamed units, told once under its summary (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.i18n import gettext_for
from bot.reports.snapshot import UnitInfo

__all__ = ["lineage_lines"]


def lineage_lines(units: Iterable[UnitInfo], locale: str) -> list[str]:
    """`Xã Mới: gộp từ Xã Cũ Một, Xã Cũ Hai`, one line per unit that has a lineage."""
    _ = gettext_for(locale)
    lines = []
    for unit in units:
        if unit.merged_from:
            lines.append(
                _("{unit}: gộp từ {old}").format(unit=unit.name, old=", ".join(unit.merged_from))
            )
        elif unit.renamed_from:
            lines.append(
                _("{unit}: đổi tên từ {old}").format(unit=unit.name, old=unit.renamed_from)
            )
    return lines
