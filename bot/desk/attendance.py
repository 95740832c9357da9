"""`/attendance`: the chair marks a unit present, absent, or excused with a reason."""

from __future__ import annotations

from bot.desk.conference_pick import conference_token, pick_conference
from bot.desk.pickers import choice
from bot.desk.request import Request, token
from bot.desk.scope import Desk
from bot.domain.replies import Reply
from bot.edge.send import Item, Prompt
from bot.edge.turn import Ask
from bot.notices.conference_posts import attendance_line
from bot.notices.roll_call import refresh_roll_call
from bot.storage.checkin import attendance_of
from bot.storage.conference_tables import Conference
from bot.storage.conferences import (
    ATTENDANCE_STATUSES,
    conference_units,
    registration_states,
    set_attendance,
)
from bot.storage.models import Unit

__all__ = ["REASON_LIMIT", "attendance"]

REASON_LIMIT = 300


def attendance(desk: Desk, request: Request) -> list[Item]:
    """`/attendance [conference] [unit] [present|absent|excused] [reason]`."""
    _ = desk._
    chosen = pick_conference(desk, request, 0, [])
    target = conference_token(chosen)
    unit = _pick_unit(desk, request, chosen)
    status = request.word(2)
    if status is None or status not in ATTENDANCE_STATUSES:
        question = _("{unit}: có mặt, vắng mặt hay vắng có lý do?").format(unit=unit.name)
        options = [
            (_("✅ Có mặt"), "present"),
            (_("❌ Vắng mặt"), "absent"),
            (_("🟡 Vắng có lý do"), "excused"),
        ]
        raise choice(desk, "attendance", [target, token(unit)], question, options, columns=3)
    reason = request.rest(3) or None
    if status == "excused" and reason is None:
        return [_ask_reason(desk, chosen, unit)]
    if reason is not None and len(reason) > REASON_LIMIT:
        too_long = _("Lý do dài quá {limit} ký tự; vui lòng viết ngắn lại.")
        return [Reply(too_long.format(limit=REASON_LIMIT)), _ask_reason(desk, chosen, unit)]
    set_attendance(
        desk.session,
        conference=chosen,
        unit_id=unit.id or 0,
        status=status,
        reason=reason if status == "excused" else None,
        person_id=desk.person.id,
        actor=desk.actor,
        now=desk.now,
    )
    refresh_roll_call(desk.session, conference=chosen, locale=desk.settings.locale, now=desk.now)
    return [Reply("\n".join([_("✅ Đã ghi điểm danh."), *_lines(desk, chosen)]))]


def _pick_unit(desk: Desk, request: Request, chosen: Conference) -> Unit:
    """Word 1: a unit of the conference's cluster, offered with where it stands."""
    _ = desk._
    units = conference_units(desk.session, chosen)
    text = request.word(1)
    found = desk.unit(text) if text else None
    if found is not None and found.id in {u.id for u in units}:
        return found
    question = "\n".join([_("Điểm danh đơn vị nào?"), *_lines(desk, chosen)])
    options = [(unit.name, token(unit)) for unit in units]
    asked = choice(desk, "attendance", [conference_token(chosen)], question, options, columns=2)
    if text is not None:
        raise Ask([Reply(_("Không tìm thấy đơn vị «{code}».").format(code=text)), *asked.items])
    raise asked


def _lines(desk: Desk, chosen: Conference) -> list[str]:
    rows = attendance_of(desk.session, conference=chosen)
    units = registration_states(desk.session, conference=chosen)
    present = sum(1 for u in units if (r := rows.get(u.unit_id)) and r.status == "present")
    count = desk._("Có mặt {present}/{total} đơn vị").format(present=present, total=len(units))
    return [count, *(attendance_line(u, rows.get(u.unit_id), desk.locale) for u in units)]


def _ask_reason(desk: Desk, chosen: Conference, unit: Unit) -> Prompt:
    text = desk._(
        "🟡 {unit} vắng có lý do. Hãy trả lời (reply) tin nhắn này bằng lý do vắng, hoặc gõ "
        "lệnh dưới đây kèm lý do:"
    ).format(unit=unit.name)
    line = f"/attendance {conference_token(chosen)} {token(unit)} excused"
    return Prompt(f"{text}\n{line}", desk._("Lý do vắng"))
