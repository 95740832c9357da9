"""The conference's posts in the group: the roll-call and the agenda, edited in place (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain.callbacks import encode
from bot.domain.formatting import format_moment
from bot.domain.i18n import gettext_for
from bot.domain.terms import cluster_title
from bot.storage.conference_tables import AgendaEntry, Attendance, Conference
from bot.storage.conferences import UnitRegistration
from bot.storage.models import Cluster

__all__ = [
    "PRESENT_ACTION",
    "agenda_lines",
    "agenda_text",
    "attendance_line",
    "roll_call_markup",
    "roll_call_text",
]

PRESENT_ACTION = "present"  # the «Có mặt» button's command: `c:present:<conference id>`


def roll_call_text(
    *,
    conference: Conference,
    cluster: Cluster,
    units: Sequence[UnitRegistration],
    attendance: Mapping[int, Attendance],
    locale: str,
) -> str:
    """Who is present, unit by unit, and the count `Có mặt 4/5 đơn vị`."""
    _ = gettext_for(locale)
    present = sum(1 for u in units if _status(attendance, u.unit_id) == "present")
    lines = [
        _("🙋 Điểm danh – {conference}").format(conference=conference.name),
        cluster_title(cluster.name, cluster.kind, locale),
        _("Có mặt {present}/{total} đơn vị").format(present=present, total=len(units)),
        "",
    ]
    lines += [attendance_line(unit, attendance.get(unit.unit_id), locale) for unit in units]
    lines += ["", _("Đại biểu của mỗi đơn vị bấm «✅ Có mặt» để điểm danh cho đơn vị mình.")]
    return "\n".join(lines)


def attendance_line(unit: UnitRegistration, row: Attendance | None, locale: str) -> str:
    """`✅ Xã Sa Thầy: Nguyễn Văn A, Trần Thị B`, or why the unit is not there."""
    _ = gettext_for(locale)
    status = row.status if row else None
    if status == "present":
        names = [d.full_name for d in unit.delegates if d.present]
        return f"✅ {unit.unit_name}" + (f": {', '.join(names)}" if names else "")
    if status == "excused":
        reason = row.reason if row and row.reason else _("không nêu lý do")
        return _("🟡 {unit} – vắng có lý do: {reason}").format(unit=unit.unit_name, reason=reason)
    if status == "absent":
        return _("❌ {unit} – vắng mặt").format(unit=unit.unit_name)
    return f"⬜ {unit.unit_name}"


def roll_call_markup(conference: Conference, locale: str) -> dict[str, Any]:
    """The «Có mặt» button, as Bot API JSON (the outbox keeps it with the post)."""
    _ = gettext_for(locale)
    data = encode("c", PRESENT_ACTION, conference.id)
    return {"inline_keyboard": [[{"text": _("✅ Có mặt"), "callback_data": data}]]}


def agenda_text(
    *,
    conference: Conference,
    entries: Sequence[AgendaEntry],
    presenters: Mapping[int, str],
    locale: str,
) -> str:
    """The agenda with the items done, the one under way and the rest."""
    _ = gettext_for(locale)
    when = format_moment(conference.starts_at, conference.timezone, locale)
    lines = [
        _("📋 Chương trình {conference}").format(conference=conference.name),
        _("🕑 {when} · 📍 {place}").format(when=when, place=conference.place or "—"),
        "",
        *agenda_lines(entries, conference.current_item_id, presenters, locale),
    ]
    current = next((e for e in entries if e.id == conference.current_item_id), None)
    if current is not None:
        lines += ["", _("▶️ Đang diễn ra: {title}").format(title=current.title)]
    return "\n".join(lines)


def agenda_lines(
    entries: Sequence[AgendaEntry],
    current_id: int | None,
    presenters: Mapping[int, str],
    locale: str,
) -> list[str]:
    """One line per item: ✔️ done, ▶️ under way, a number for those to come."""
    _ = gettext_for(locale)
    position = next((e.position for e in entries if e.id == current_id), None)
    lines = []
    for number, entry in enumerate(entries, start=1):
        mark = f"{number}."
        if position is not None:
            mark = "✔️" if entry.position < position else "▶️" if entry.id == current_id else mark
        line = " ".join(part for part in (mark, entry.at, entry.title) if part)
        if entry.presenter_unit_id in presenters:
            shown = presenters[entry.presenter_unit_id or 0]
            line += " " + _("(trình bày: {unit})").format(unit=shown)
        if entry.kind == "vote":
            line += " 🗳"
        lines.append(line)
    return lines


def _status(attendance: Mapping[int, Attendance], unit_id: int) -> str | None:
    row = attendance.get(unit_id)
    return row.status if row else None
