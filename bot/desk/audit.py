"""`/audit`: the latest changes about a unit, one readable line each."""

from __future__ import annotations

import json
from typing import Any

from bot.desk.pickers import pick_unit
from bot.desk.request import Request
from bot.desk.scope import Desk
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
    }
    when = format_moment(event.at, desk.settings.timezone, desk.locale)
    who = people.get(event.actor, event.actor)
    what = actions.get(event.action, event.action)
    detail = _change_text(event.before, event.after)
    line = f"• {when} – {who}: {what}"
    if event.entity != "unit":
        line += f" ({event.entity} {event.entity_key})"
    return f"{line}{' – ' + detail if detail else ''}"


def _change_text(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """`state: locked → unlocked`, compact, for one line."""
    before, after = before or {}, after or {}
    parts = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old != new:
            parts.append(f"{key}: {_short(old)} → {_short(new)}")
        elif key in after and key not in before:
            parts.append(f"{key}: {_short(new)}")
        elif key in before and key not in after:
            parts.append(f"{key}: {_short(old)} → ∅")
    return "; ".join(parts)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"
