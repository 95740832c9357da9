"""`/members`: who belongs to which unit, with their role and since when."""

from __future__ import annotations

from bot.desk.pickers import pick_cluster
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.formatting import format_moment
from bot.domain.replies import Reply
from bot.domain.terms import cluster_terms
from bot.edge.send import Item
from bot.storage import directory
from bot.storage.models import Person

__all__ = ["members"]


def members(desk: Desk, request: Request) -> list[Item]:
    """`/members [cluster|unit]`: who belongs to which unit, with their role."""
    _ = desk._
    text = request.word(0)
    unit = desk.unit(text) if text and not text.startswith("#c") else None
    if unit is not None:
        chosen, kind = [unit], None
        title = _("Thành viên của {unit}:").format(unit=unit.name)
    else:
        cluster = pick_cluster(desk, request, 0, [], directory.clusters(desk.session))
        chosen, kind = desk.units(cluster, desk.caller.year), cluster.kind
        title = _("Thành viên các đơn vị của {cluster}:").format(cluster=cluster.name)
    found = directory.active_members(desk.session, [u.id or 0 for u in chosen])
    lines = [title]
    for each in chosen:
        people = [m for m in found if m.unit.id == each.id]
        lines.append(f"\n{each.name} ({each.code})")
        lines += [_member_line(desk, m, kind) for m in people] or [_("  (chưa có ai)")]
    return [Reply("\n".join(lines))]


def _member_line(desk: Desk, member: directory.Member, kind: str | None) -> str:
    _ = desk._
    chair = cluster_terms(kind, desk.locale).mid_sentence().chair
    role = (
        _("đầu mối")
        if member.membership.role == "focal"
        else _("liên hệ {chair}").format(chair=chair)
    )
    since = format_moment(member.membership.created_at, desk.settings.timezone, desk.locale)
    return _("  • {name} – {handle} – {role}, từ {since}").format(
        name=member.person.full_name or "?", handle=_handle(member.person), role=role, since=since
    )


def _handle(person: Person) -> str:
    return (
        f"@{person.username} · {person.telegram_id}" if person.username else str(person.telegram_id)
    )
