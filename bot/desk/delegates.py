"""`/delegates`: each unit's delegation and who has not answered, as a message and an Excel file."""

from __future__ import annotations

from bot.desk.conference_pick import pick_conference
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.replies import Reply
from bot.edge.send import Attachment, Item
from bot.reports.delegates import delegates_workbook, role_name
from bot.storage.checkin import attendance_of
from bot.storage.conference_tables import Conference
from bot.storage.conferences import HEAD, RegistrationState, UnitRegistration, registration_states
from bot.storage.models import Cluster

__all__ = ["delegates", "delegates_file"]


def delegates(desk: Desk, request: Request) -> list[Item]:
    """`/delegates [conference]`: the list in the chat, then the file."""
    chosen = pick_conference(desk, request, 0, [])
    units = registration_states(desk.session, conference=chosen)
    content = delegates_file(desk, chosen, units)
    caption = desk._("Danh sách đại biểu – {name}").format(name=chosen.name)
    name = f"danh-sach-dai-bieu-{chosen.code}.xlsx"
    return [Reply(_summary(desk, chosen, units)), Attachment(name, content, caption[:1000])]


def delegates_file(desk: Desk, chosen: Conference, units: list[UnitRegistration]) -> bytes:
    cluster = desk.session.get(Cluster, chosen.cluster_id)
    return delegates_workbook(
        title=chosen.name,
        cluster=cluster.name if cluster else "",
        units=units,
        attendance=attendance_of(desk.session, conference=chosen),
        locale=desk.locale,
    )


def _summary(desk: Desk, chosen: Conference, units: list[UnitRegistration]) -> str:
    _ = desk._
    attending = [u for u in units if u.state is RegistrationState.ATTENDING]
    answered = sum(1 for u in units if u.answered)
    lines = [
        _("👥 Đại biểu – {name}").format(name=chosen.name),
        _("{answered}/{total} đơn vị đã trả lời: {coming} dự, {away} không dự.").format(
            answered=answered,
            total=len(units),
            coming=len(attending),
            away=answered - len(attending),
        ),
        "",
    ]
    for unit in units:
        lines += _unit_lines(desk, unit)
    waiting = [u.unit_name for u in units if not u.answered]
    if waiting:
        lines += ["", _("Chưa trả lời: {units}.").format(units=", ".join(waiting))]
    return "\n".join(lines)


def _unit_lines(desk: Desk, unit: UnitRegistration) -> list[str]:
    _ = desk._
    if unit.state is RegistrationState.NOT_ATTENDING:
        reason = unit.reason or _("không nêu lý do")
        return [_("❌ {unit} – không dự: {reason}").format(unit=unit.unit_name, reason=reason)]
    if unit.state is RegistrationState.NONE:
        return [_("⏳ {unit} – chưa trả lời").format(unit=unit.unit_name)]
    lines = [f"✅ {unit.unit_name} ({len(unit.delegates)})"]
    for delegate in unit.delegates:
        who = " – ".join(p for p in (delegate.full_name, delegate.job_title) if p)
        if delegate.role == HEAD:
            who = f"{role_name(_, HEAD)}: {who}"
        lines.append(f"   {who}" + (" 🙋" if delegate.present else ""))
    return lines
