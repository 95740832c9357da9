"""An admin lets people in (an invite link for a unit and role) and out (revoke)."""

from __future__ import annotations

from datetime import timedelta

from bot.desk.pickers import pick_unit, pick_word
from bot.desk.request import Request, token
from bot.desk.scope import Desk
from bot.domain.callbacks import encode
from bot.domain.formatting import format_moment
from bot.domain.replies import Button, Reply
from bot.edge.send import Item
from bot.storage import admin as store
from bot.storage import directory
from bot.storage.models import Person, Unit
from bot.storage.people import create_invite

__all__ = ["INVITE_LIFETIME", "invite", "revoke"]

INVITE_LIFETIME = timedelta(days=7)


def invite(desk: Desk, request: Request) -> list[Item]:
    """`/invite [unit] [focal|chair]`: a one-time deep link that joins a unit."""
    _ = desk._
    unit = pick_unit(desk, request, 0, [], directory.clusters(desk.session))
    roles = [(_("Đầu mối nộp số liệu"), "focal"), (_("Liên hệ của cụm trưởng"), "chair")]
    question = _("Mời vào {unit} với vai trò nào?").format(unit=unit.name)
    role = pick_word(desk, request, 1, [token(unit)], question, roles)
    secret, row = create_invite(
        desk.session,
        unit=unit,
        role=role,
        expires_in=INVITE_LIFETIME,
        created_by=desk.actor,
        now=desk.now,
    )
    expires = format_moment(row.expires_at, desk.settings.timezone, desk.locale)
    role_text = dict((tok, label) for label, tok in roles)[role]
    return [
        Reply(
            _(
                "🔗 Đường dẫn mời vào {unit} ({role}), dùng được một lần, hết hạn lúc {expires}. "
                "Hãy gửi riêng cho người được mời:"
            ).format(unit=unit.name, role=role_text.lower(), expires=expires)
        ),
        Reply(f"https://t.me/{desk.bot_username}?start={secret}"),
    ]


def revoke(desk: Desk, request: Request) -> list[Item]:
    """`/revoke [person [unit]]`: end someone's roles in one unit, or all and their admin flag."""
    _ = desk._
    text = request.word(0)
    if text is None or not _is_handle(text):
        return _ask_whom(desk, request)
    person = directory.person_by_handle(desk.session, text)
    if person is None:
        return [Reply(_("Không tìm thấy người dùng «{who}» trong bot.").format(who=text))]
    unit: Unit | None = None
    if request.word(1) is not None:
        unit = desk.unit(request.word(1) or "")
        if unit is None:
            return [Reply(_("Không tìm thấy đơn vị «{code}».").format(code=request.word(1)))]
    ended, was_admin = store.revoke_person(
        desk.session,
        person=person,
        unit_id=unit.id if unit else None,
        actor=desk.actor,
        now=desk.now,
    )
    return [Reply(_revoked_text(desk, person, ended, was_admin))]


def _is_handle(text: str) -> bool:
    return text.startswith("@") or text.lstrip("-").isdigit()


def _ask_whom(desk: Desk, request: Request) -> list[Item]:
    """Without a person: pick the unit, then one of its members."""
    _ = desk._
    unit = pick_unit(desk, request, 0, [], directory.clusters(desk.session))
    found = directory.active_members(desk.session, [unit.id or 0])
    if not found:
        return [Reply(_("{unit} chưa có ai để thu hồi quyền.").format(unit=unit.name))]
    buttons = tuple(
        (
            Button(
                m.person.full_name or str(m.person.telegram_id),
                encode("c", "revoke", m.person.telegram_id, token(unit)),
            ),
        )
        for m in found
    )
    return [Reply(_("Thu hồi quyền của ai trong {unit}?").format(unit=unit.name), buttons)]


def _revoked_text(desk: Desk, person: Person, ended: list[Unit], was_admin: bool) -> str:
    _ = desk._
    name = person.full_name or str(person.telegram_id)
    lines = []
    if ended:
        units = ", ".join(unit.name for unit in ended)
        lines.append(
            _("✅ Đã thu hồi quyền của {name} tại: {units}.").format(name=name, units=units)
        )
    if was_admin:
        lines.append(_("✅ {name} không còn là quản trị viên.").format(name=name))
    if person.telegram_id in desk.settings.admins:
        lines.append(
            _("{name} vẫn là quản trị viên theo cấu hình THIDUA_ADMINS của máy chủ.").format(
                name=name
            )
        )
    return "\n".join(lines) or _("{name} không có quyền nào để thu hồi.").format(name=name)
