"""The registration's words: its questions, the review, the receipt, its refusals (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.admin_body import admin_body
from bot.domain.formatting import format_moment
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.domain.terms import cluster_terms
from bot.flow.rsvp_states import RsvpAction
from bot.notices.conference_texts import when
from bot.storage.conference_tables import Conference

__all__ = [
    "Said",
    "already_confirmed",
    "answer_lines",
    "ask_attends",
    "ask_name",
    "ask_reason",
    "ask_title",
    "closed",
    "current_answer",
    "nothing_to_register",
    "pick",
    "receipt",
    "review",
    "stale",
    "too_many",
]


@dataclass(frozen=True)
class Said:
    """What a registration says: attends or not, the delegates (name, position), the reason."""

    attends: bool | None
    delegates: tuple[tuple[str, str], ...] = ()
    reason: str | None = None


def ask_attends(conference: Conference, unit: str, draft_id: int, locale: str) -> Reply:
    _ = gettext_for(locale)
    text = _(
        "📨 «{name}»\n🕐 {when}\n📍 {place}\n\n{unit} có cử đoàn đại biểu tham dự không?"
    ).format(name=conference.name, when=when(conference, locale), place=conference.place, unit=unit)
    yes, no = (
        RsvpAction.YES.button(_("✅ Có"), draft_id),
        RsvpAction.NO.button(_("❌ Không"), draft_id),
    )
    return Reply(text, ((yes, no),))


def ask_name(conference: Conference, unit: str, draft_id: int, count: int, locale: str) -> Reply:
    """The head of delegation's name first; then each further delegate's, with «Xong»."""
    _ = gettext_for(locale)
    limit = conference.max_delegates
    if count == 0:
        return Reply(
            _(
                "Đại biểu 1/{limit}: họ và tên trưởng đoàn của {unit}?\n"
                "Ví dụ: Nguyễn Văn An (chức vụ hỏi ở bước sau)."
            ).format(limit=limit, unit=unit)
        )
    text = _(
        "Đại biểu {number}/{limit}: họ và tên?\nNếu đoàn chỉ có {count} người, bấm «Xong»."
    ).format(number=count + 1, limit=limit, count=count)
    return Reply(text, ((RsvpAction.DONE.button(_("✔️ Xong"), draft_id, count),),))


def ask_title(full_name: str, locale: str) -> Reply:
    _ = gettext_for(locale)
    return Reply(
        _("Chức vụ của đồng chí {name}?\nVí dụ: Phó Chủ tịch UBND xã.").format(name=full_name)
    )


def ask_reason(unit: str, locale: str) -> Reply:
    _ = gettext_for(locale)
    return Reply(_("Lý do {unit} không tham dự? Anh/chị gõ ngắn gọn.").format(unit=unit))


def answer_lines(said: Said, locale: str) -> list[str]:
    """The answer as lines: the delegates in order, the head marked; or the reason."""
    _ = gettext_for(locale)
    if not said.attends:
        return [_("❌ Không tham dự. Lý do: {reason}").format(reason=said.reason or "—")]
    lines = [_("✅ Tham dự: {count} đại biểu").format(count=len(said.delegates))]
    for number, (name, title) in enumerate(said.delegates, start=1):
        line = f"{number}. {name} — {title}"
        lines.append(_("{line} (trưởng đoàn)").format(line=line) if number == 1 else line)
    return lines


def review(
    conference: Conference, unit: str, said: Said, draft_id: int, fingerprint: str, locale: str
) -> Reply:
    _ = gettext_for(locale)
    lines = [
        _("📋 Xem lại đăng ký đại biểu"),
        _("Hội nghị: {name}").format(name=conference.name),
        _("Đơn vị: {unit}").format(unit=unit),
        "",
        *answer_lines(said, locale),
        "",
        _("Bấm «Xác nhận» để gửi, hoặc «Làm lại» để trả lời lại từ đầu."),
    ]
    confirm = RsvpAction.CONFIRM.button(_("✅ Xác nhận"), draft_id, fingerprint)
    restart = RsvpAction.RESTART.button(_("🔄 Làm lại"), draft_id)
    return Reply("\n".join(lines), ((confirm, restart),))


def receipt(
    conference: Conference, unit: str, said: Said, revision: int, now: datetime, locale: str
) -> Reply:
    _ = gettext_for(locale)
    lines = [
        _("✅ Đã đăng ký đại biểu"),
        _("Hội nghị: {name}").format(name=conference.name),
        _("Đơn vị: {unit}").format(unit=unit),
        *answer_lines(said, locale),
        _("Thời gian: {at}").format(at=format_moment(now, conference.timezone, locale)),
        _("Lần đăng ký: {n}").format(n=revision),
        _("Có thể thay đổi đến {deadline}: gõ /rsvp.").format(
            deadline=_deadline(conference, locale)
        ),
    ]
    return Reply("\n".join(lines))


def current_answer(
    conference: Conference, unit_id: int, unit: str, said: Said, revision: int, locale: str
) -> Reply:
    """The unit's confirmed answer, with the button that changes it."""
    _ = gettext_for(locale)
    lines = [
        _("{unit} đã đăng ký đại biểu dự «{name}» (lần {n}):").format(
            unit=unit, name=conference.name, n=revision
        ),
        *answer_lines(said, locale),
        "",
        _("Có thể thay đổi đến {deadline}.").format(deadline=_deadline(conference, locale)),
    ]
    change = RsvpAction.CHANGE.button(_("✏️ Thay đổi đăng ký"), conference.id, unit_id)
    return Reply("\n".join(lines), ((change,),))


def closed(conference: Conference, cluster_kind: str, locale: str) -> Reply:
    """After the registration deadline a focal point can no longer change the answer."""
    _ = gettext_for(locale)
    terms = cluster_terms(cluster_kind, locale)
    return Reply(
        _(
            "Đã hết hạn đăng ký đại biểu dự «{name}» ({deadline}). Nếu đơn vị cần thay đổi, "
            "xin liên hệ {chair} hoặc quản trị viên ({body})."
        ).format(
            name=conference.name,
            deadline=_deadline(conference, locale),
            chair=terms.chair,
            body=admin_body(),
        )
    )


def nothing_to_register(locale: str) -> Reply:
    _ = gettext_for(locale)
    return Reply(_("Hiện không có hội nghị nào mời đơn vị của anh/chị đăng ký đại biểu."))


def pick(choices: Sequence[tuple[Conference, int, str]], locale: str) -> Reply:
    """Several conferences or units: one button each."""
    _ = gettext_for(locale)
    rows = tuple(
        (RsvpAction.CHOOSE.button(_label(conference.name, unit), conference.id, unit_id),)
        for conference, unit_id, unit in choices
    )
    return Reply(_("Anh/chị đăng ký đại biểu cho hội nghị nào, đơn vị nào?"), rows)


def _label(name: str, unit: str) -> str:
    label = f"{unit} · {name}"
    return label if len(label) <= 60 else f"{label[:59]}…"


def too_many(limit: int, locale: str) -> Reply:
    _ = gettext_for(locale)
    return Reply(
        _("Đoàn đã đủ {limit} đại biểu, số tối đa mỗi đơn vị của hội nghị này.").format(limit=limit)
    )


def already_confirmed(revision: int, locale: str) -> Reply:
    _ = gettext_for(locale)
    return Reply(
        _("Bản đăng ký này đã được xác nhận (lần {n}). Gõ /rsvp để xem hoặc thay đổi.").format(
            n=revision
        )
    )


def stale(locale: str) -> Reply:
    _ = gettext_for(locale)
    return Reply(_("Nút này đã cũ. Gõ /rsvp để tiếp tục đăng ký đại biểu."))


def _deadline(conference: Conference, locale: str) -> str:
    return format_moment(conference.rsvp_by, conference.timezone, locale)
