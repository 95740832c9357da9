"""A conference as the chair sees it in the chat: its fields, its agenda, a button per change."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.desk.conference_fields import kind_label
from bot.desk.conference_pick import conference_token
from bot.desk.scope import Desk
from bot.domain.agenda import AgendaItem, agenda_template
from bot.domain.callbacks import encode
from bot.domain.formatting import format_moment
from bot.domain.replies import Button, Reply
from bot.domain.terms import cluster_terms
from bot.notices.conference_posts import agenda_lines
from bot.storage.conference_tables import Conference
from bot.storage.conferences import agenda_of
from bot.storage.models import Cluster, Period, Unit
from bot.storage.types import require_id

__all__ = ["card", "conference_year", "review_year", "template_for"]


def review_year(kind: str, starts_at: datetime, timezone: str) -> int:
    """The year a conference without a period is about (a tổng kết in Jan–Feb looks back)."""
    local = starts_at.astimezone(ZoneInfo(timezone))
    return local.year - 1 if kind == "tong-ket" and local.month <= 2 else local.year


def conference_year(desk: Desk, conference: Conference) -> int:
    """The year it reviews: its period's, else the one its kind and day say."""
    period = desk.session.get(Period, conference.period_id) if conference.period_id else None
    if period is not None:
        return period.year
    return review_year(conference.kind, conference.starts_at, conference.timezone)


def template_for(desk: Desk, conference: Conference) -> tuple[AgendaItem, ...]:
    """The usual agenda of its kind, in the bot's language (the group reads it)."""
    cluster = desk.session.get(Cluster, conference.cluster_id)
    return agenda_template(
        conference.kind,
        year=conference_year(desk, conference),
        cluster_kind=cluster.kind if cluster else "cum",
        locale=desk.settings.locale,
    )


def card(desk: Desk, conference: Conference, lead: str | None = None) -> Reply:
    """Everything about the conference, and what the chair may change."""
    _ = desk._
    cluster = desk.session.get(Cluster, conference.cluster_id)
    host = desk.session.get(Unit, conference.host_unit_id) if conference.host_unit_id else None

    def moment(value: datetime) -> str:
        return format_moment(value, conference.timezone, desk.locale)

    terms = cluster_terms(cluster.kind if cluster else None, desk.locale)
    lines = [lead] if lead else []
    lines += [
        f"🏛 {conference.name}",
        _("Mã: {code} · {kind}").format(code=conference.code, kind=kind_label(_, conference.kind)),
        f"{terms.emulation_cluster}: {cluster.name if cluster else '—'}",
        _("🕑 Khai mạc: {when}").format(when=moment(conference.starts_at)),
        _("📍 Địa điểm: {place}").format(place=conference.place or "—"),
        _("🏠 Đơn vị đăng cai: {host}").format(host=host.name if host else "—"),
        _("🗓 Hạn đăng ký: {rsvp}").format(rsvp=moment(conference.rsvp_by)),
        _("👥 Tối đa {count} đại biểu mỗi đơn vị").format(count=conference.max_delegates),
        _invitation_line(desk, conference, moment(conference.invite_at)),
        "",
        _("Chương trình:"),
    ]
    entries = agenda_of(desk.session, conference_id=require_id(conference))
    lines += agenda_lines(entries, conference.current_item_id, {}, desk.locale) or [
        _("(chưa có mục nào)")
    ]
    return Reply("\n".join(lines), _buttons(desk, conference))


def _invitation_line(desk: Desk, conference: Conference, when: str) -> str:
    _ = desk._
    if conference.invite_at > desk.now:
        return _("📨 Giấy mời sẽ gửi lúc {when}.").format(when=when)
    return _("📨 Giấy mời đã đến giờ gửi ({when}).").format(when=when)


def _buttons(desk: Desk, conference: Conference) -> tuple[tuple[Button, ...], ...]:
    _ = desk._
    target = conference_token(conference)

    def button(label: str, *words: str) -> Button:
        return Button(label, encode("c", "conference", target, *words))

    rows: list[tuple[Button, ...]] = [
        (button(_("✏️ Tên"), "name"), button(_("✏️ Loại"), "kind")),
        (button(_("✏️ Ngày giờ"), "when"), button(_("✏️ Địa điểm"), "place")),
        (button(_("✏️ Hạn đăng ký"), "rsvp"), button(_("✏️ Số đại biểu"), "delegates")),
        (button(_("📝 Thay chương trình"), "agenda"), button(_("🔄 Chương trình mẫu"), "template")),
    ]
    if conference.invite_at > desk.now:
        rows.append((button(_("📨 Gửi giấy mời ngay"), "invite-now"),))
    return tuple(rows)
