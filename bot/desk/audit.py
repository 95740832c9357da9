"""`/audit`: the latest changes about a unit, one readable line each."""

from __future__ import annotations

from bot.desk.pickers import pick_unit
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.change_words import details_text, entity_word
from bot.domain.formatting import format_moment
from bot.domain.replies import Reply
from bot.edge.send import Item
from bot.storage import directory
from bot.storage.models import AuditEvent

__all__ = ["audit"]


def audit(desk: Desk, request: Request) -> list[Item]:
    """`/audit [unit]`: the latest changes about a unit, readable."""
    _ = desk._
    unit = pick_unit(desk, request, 0, [], directory.clusters(desk.session))
    events = directory.recent_events(desk.session, unit_code=unit.code)
    if not events:
        return [Reply(_("Chưa có thay đổi nào về {unit}.").format(unit=unit.name))]
    lines = [_("📜 Thay đổi gần đây về {unit}:").format(unit=unit.name)]
    people = _people_by_actor(desk, events)
    for event in events:
        lines.append(_event_line(desk, event, people))
    return [Reply("\n".join(lines))]


def _people_by_actor(desk: Desk, events: list[AuditEvent]) -> dict[str, str]:
    names = {}
    for event in events:
        kind, _sep, ident = event.actor.partition(":")
        if kind == "telegram" and ident.lstrip("-").isdigit():
            person = directory.person_by_handle(desk.session, ident)
            if person is not None and person.full_name:
                names[event.actor] = person.full_name
    return names


def _event_line(desk: Desk, event: AuditEvent, people: dict[str, str]) -> str:
    _ = desk._
    actions = {
        "submission.submitted": _("nộp số liệu"),
        "submission.returned": _("trả lại số liệu"),
        "invite.created": _("tạo lời mời"),
        "role.joined": _("tham gia đơn vị"),
        "role.revoked": _("thu hồi quyền"),
        "unit.locked": _("khóa sổ riêng đơn vị"),
        "unit.unlocked": _("mở khóa riêng đơn vị"),
        "role.chair_set": _("đặt cụm trưởng"),
        "role.vice_chair_set": _("đặt cụm phó"),
        "import.created": _("nhập thiết lập: thêm"),
        "import.updated": _("nhập thiết lập: sửa"),
        "import.retired": _("nhập thiết lập: ngừng dùng"),
        "import.removed": _("nhập thiết lập: bỏ"),
        "pledge.registered": _("đăng ký chỉ tiêu"),
        "pledge.returned": _("trả lại bản đăng ký chỉ tiêu"),
        "pledge.signed": _("ký giao ước"),
        "conference.register": _("đăng ký đại biểu dự hội nghị"),
        "conference.attendance": _("ghi có mặt, vắng mặt"),
        "conference.checkin": _("điểm danh tại hội nghị"),
        "leadership.elected": _("bầu cụm trưởng, cụm phó"),
        "score.change": _("sửa điểm"),
        "score.explain": _("giải trình điểm"),
        "score.approve": _("duyệt điểm"),
        "score.unlock": _("mở khóa điểm"),
    }
    zone = desk.settings.timezone
    when = format_moment(event.at, zone, desk.locale)
    who = people.get(event.actor, _actor_word(desk, event.actor))
    what = actions.get(event.action, event.action)
    detail = details_text(event.before, event.after, timezone=zone, locale=desk.locale)
    line = f"• {when} – {who}: {what}"
    if event.entity != "unit":
        line += f" ({entity_word(event.entity, desk.locale)} {event.entity_key})"
    return f"{line}{' (' + detail + ')' if detail else ''}"


def _actor_word(desk: Desk, actor: str) -> str:
    """Who acted when it was not a known person: the command line, an import, the bot."""
    _ = desk._
    kind, _sep, rest = actor.partition(":")
    if kind == "cli":
        return _("dòng lệnh ({command})").format(command=rest)
    if kind == "telegram":
        return _("người dùng Telegram {id}").format(id=rest)
    return actor
