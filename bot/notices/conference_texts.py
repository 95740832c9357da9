"""The words of a conference's notices: invitation, change, reminders, the day before (pure)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.formatting import format_moment, format_time_left
from bot.domain.i18n import gettext_for
from bot.domain.replies import MESSAGE_LIMIT
from bot.domain.terms import cluster_terms
from bot.storage.conference_tables import AgendaEntry, Conference
from bot.storage.conferences import UnitRegistration
from bot.storage.models import Cluster

__all__ = [
    "RSVP_LINK",
    "Shown",
    "agenda_lines",
    "change_notice",
    "day_before",
    "group_missing",
    "invitation",
    "private_reminder",
    "rsvp_button",
    "start_link_markup",
    "when",
]

# `https://t.me/<bot>?start=rsvp-<conference id>`: the «Đăng ký đại biểu» button's link.
RSVP_LINK = "rsvp-"


def rsvp_button(conference: Conference, locale: str) -> dict[str, str]:
    """The sender's instruction for «Đăng ký đại biểu» (`_start_button` in a payload)."""
    _ = gettext_for(locale)
    return {"text": _("📝 Đăng ký đại biểu"), "start": f"{RSVP_LINK}{conference.id}"}


def start_link_markup(bot_username: str, button: Mapping[str, str]) -> dict[str, Any]:
    """An inline keyboard (Bot API JSON) whose button opens the private chat at `/start …`."""
    url = f"https://t.me/{bot_username}?start={button['start']}"
    return {"inline_keyboard": [[{"text": button["text"], "url": url}]]}


@dataclass(frozen=True)
class Shown:
    """What an invitation or a change notice told a chat: the times and the place."""

    starts_at: str
    ends_at: str | None
    place: str
    rsvp_by: str

    @classmethod
    def of(cls, conference: Conference) -> Shown:
        ends = conference.ends_at.isoformat() if conference.ends_at else None
        return cls(
            conference.starts_at.isoformat(), ends, conference.place, conference.rsvp_by.isoformat()
        )

    @property
    def fingerprint(self) -> str:
        """Short and stable: an edited time or place gives another one."""
        text = "|".join((self.starts_at, self.ends_at or "", self.place, self.rsvp_by))
        return hashlib.sha256(text.encode()).hexdigest()[:10]

    def as_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Shown:
        return cls(
            payload["starts_at"], payload.get("ends_at"), payload["place"], payload["rsvp_by"]
        )


def when(conference: Conference, locale: str) -> str:
    """`14:00 ngày 10/7/2026 (đến 17:00)`: the start, and the end when it is known."""
    _ = gettext_for(locale)
    start = format_moment(conference.starts_at, conference.timezone, locale)
    if conference.ends_at is None:
        return start
    tz = ZoneInfo(conference.timezone)
    local_start, local_end = conference.starts_at.astimezone(tz), conference.ends_at.astimezone(tz)
    end = (
        local_end.strftime("%H:%M")
        if local_end.date() == local_start.date()
        else format_moment(conference.ends_at, conference.timezone, locale)
    )
    return _("{start} (đến {end})").format(start=start, end=end)


def _deadline(conference: Conference, locale: str) -> str:
    return format_moment(conference.rsvp_by, conference.timezone, locale)


def agenda_lines(
    entries: Sequence[AgendaEntry], presenters: Mapping[int, str], locale: str
) -> list[str]:
    """One line per item: its time, title and presenting unit."""
    _ = gettext_for(locale)
    lines = []
    for entry in entries:
        line = f"{entry.at} {entry.title}" if entry.at else f"• {entry.title}"
        presenter = presenters.get(entry.presenter_unit_id or 0)
        lines.append(_("{line} ({unit})").format(line=line, unit=presenter) if presenter else line)
    return lines


def invitation(
    conference: Conference,
    cluster: Cluster,
    host: str | None,
    agenda: Sequence[str],
    locale: str,
    *,
    unit: str | None = None,
) -> str:
    """The invitation (giấy mời): to the group, or to one unit's focal points (`unit`)."""
    _ = gettext_for(locale)
    terms = cluster_terms(cluster.kind, locale).mid_sentence()
    lines = [_("📨 GIẤY MỜI"), conference.name]
    if unit is not None:
        lines.append(_("Kính gửi: {unit}").format(unit=unit))
    lines += [
        "",
        _("🕐 Thời gian: {when}").format(when=when(conference, locale)),
        _("📍 Địa điểm: {place}").format(place=conference.place or "—"),
    ]
    if host:
        lines.append(_("🏛 Đơn vị đăng cai: {host}").format(host=host))
    lines += [
        _("👥 Mỗi đơn vị cử tối đa {count} đại biểu, kể cả trưởng đoàn.").format(
            count=conference.max_delegates
        ),
        _("📝 Hạn đăng ký đại biểu: {deadline}.").format(deadline=_deadline(conference, locale)),
    ]
    closing = (
        _(
            "Kính mời các đơn vị trong {cluster} cử đoàn đại biểu tham dự "
            "và bấm «Đăng ký đại biểu»."
        ).format(cluster=terms.cluster)
        if unit is None
        else _("Kính mời đồng chí bấm «Đăng ký đại biểu» để đăng ký đoàn của {unit}.").format(
            unit=unit
        )
    )
    return _fit(lines, _agenda_block(agenda, locale), ["", closing])


def _agenda_block(agenda: Sequence[str], locale: str) -> list[str]:
    _ = gettext_for(locale)
    return ["", _("Chương trình:"), *agenda] if agenda else []


def _fit(head: list[str], middle: list[str], tail: list[str]) -> str:
    """The lines as one message; an agenda too long for Telegram loses its last items."""
    kept, cut = list(middle), list[str]()
    while kept and len("\n".join(head + kept + cut + tail)) > MESSAGE_LIMIT:
        kept.pop()
        cut = ["…"]
    return "\n".join(head + kept + cut + tail)[:MESSAGE_LIMIT]


def change_notice(conference: Conference, before: Shown, locale: str) -> str:
    """What changed since the chat was last told: time, place, registration deadline."""
    _ = gettext_for(locale)
    now = Shown.of(conference)
    lines = [_("📢 Thay đổi về “{name}”:").format(name=conference.name)]
    if (before.starts_at, before.ends_at) != (now.starts_at, now.ends_at):
        lines.append(
            _("• Thời gian mới: {when} (trước đây: {old}).").format(
                when=when(conference, locale),
                old=_moment_text(before.starts_at, conference, locale),
            )
        )
    if before.place != now.place:
        lines.append(
            _("• Địa điểm mới: {place} (trước đây: {old}).").format(
                place=conference.place or "—", old=before.place or "—"
            )
        )
    if before.rsvp_by != now.rsvp_by:
        lines.append(
            _("• Hạn đăng ký đại biểu mới: {deadline} (trước đây: {old}).").format(
                deadline=_deadline(conference, locale),
                old=_moment_text(before.rsvp_by, conference, locale),
            )
        )
    return "\n".join(lines)


def _moment_text(iso: str, conference: Conference, locale: str) -> str:
    return format_moment(datetime.fromisoformat(iso), conference.timezone, locale)


def group_missing(
    conference: Conference, states: Sequence[UnitRegistration], now: datetime, locale: str
) -> str:
    """The group's reminder: the units that have not registered, by name."""
    _ = gettext_for(locale)
    missing = [unit for unit in states if not unit.answered]
    lines = [
        _("⏰ Còn {missing}/{total} đơn vị chưa đăng ký đại biểu dự “{name}”:").format(
            missing=len(missing), total=len(states), name=conference.name
        ),
        *(f"• {unit.unit_name}" for unit in missing),
        "",
        _("Hạn đăng ký: {deadline} (còn {left}).").format(
            deadline=_deadline(conference, locale),
            left=format_time_left(conference.rsvp_by - now, locale),
        ),
    ]
    return "\n".join(lines)


def private_reminder(conference: Conference, unit: str, now: datetime, locale: str) -> str:
    """A unit that has not registered its delegates, reminded in private."""
    _ = gettext_for(locale)
    return _(
        "⏰ {unit} chưa đăng ký đại biểu dự “{name}”.\n"
        "Hạn đăng ký: {deadline} (còn {left}). Đồng chí bấm «Đăng ký đại biểu» để đăng ký."
    ).format(
        unit=unit,
        name=conference.name,
        deadline=_deadline(conference, locale),
        left=format_time_left(conference.rsvp_by - now, locale),
    )


def day_before(
    conference: Conference, unit: UnitRegistration, agenda: Sequence[str], locale: str
) -> str:
    """The eve of the conference: time, place, the unit's delegation and the agenda."""
    _ = gettext_for(locale)
    lines = [
        _("📅 Nhắc lịch: “{name}” diễn ra vào ngày mai.").format(name=conference.name),
        _("🕐 Thời gian: {when}").format(when=when(conference, locale)),
        _("📍 Địa điểm: {place}").format(place=conference.place or "—"),
    ]
    head = unit.head
    if head is not None:
        lines.append(
            _("👥 Đoàn {unit}: {count} đại biểu, trưởng đoàn {head}.").format(
                unit=unit.unit_name, count=len(unit.delegates), head=head.full_name
            )
        )
    return _fit(lines, _agenda_block(agenda, locale), [])
