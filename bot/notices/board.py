"""The progress board: each unit submitted, late, returned or missing, with a bar (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.i18n import gettext_for
from bot.notices.texts import deadline_line, progress_bar
from bot.storage.models import Cluster, Period
from bot.storage.progress import LATE, MISSING, RETURNED, SUBMITTED, UnitProgress

__all__ = ["board_signature", "board_text"]


def board_signature(progress: Sequence[UnitProgress]) -> str:
    """What the board shows apart from the clock: it is edited only when this changes."""
    return ",".join(f"{unit.unit_id}:{unit.state}:{unit.revision or 0}" for unit in progress)


def board_text(
    *,
    period: Period,
    cluster: Cluster,
    progress: Sequence[UnitProgress],
    now: datetime,
    locale: str,
) -> str:
    """The progress board: each unit's state, a bar and the time left."""
    _ = gettext_for(locale)
    done = sum(1 for unit in progress if not unit.owes)
    total = len(progress)
    bar = progress_bar(done, total)
    lines = [
        _("📊 Tiến độ nộp số liệu «{period}»").format(period=period.name),
        cluster.name,
        _("{bar} {done}/{total} đơn vị đã nộp").format(bar=bar, done=done, total=total),
        "",
    ]
    lines += [_unit_line(unit, locale) for unit in progress]
    lines.append("")
    lines.append(deadline_line(period, now, locale))
    return "\n".join(lines)


def _unit_line(unit: UnitProgress, locale: str) -> str:
    _ = gettext_for(locale)
    if unit.state == SUBMITTED:
        return _("✅ {unit}").format(unit=unit.name)
    if unit.state == LATE:
        return _("🕓 {unit} (nộp muộn)").format(unit=unit.name)
    if unit.state == RETURNED:
        return _("↩️ {unit} (trả lại để sửa)").format(unit=unit.name)
    assert unit.state == MISSING
    if unit.answered:
        return _("⬜ {unit} (đang nhập {answered}/{total})").format(
            unit=unit.name, answered=unit.answered, total=unit.total
        )
    return _("⬜ {unit}").format(unit=unit.name)
