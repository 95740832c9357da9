"""The words of what the bot posts on its own: announcements, reminders, notices (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.formatting import data_window, format_moment, format_time_left
from bot.domain.i18n import gettext_for
from bot.domain.periods import lock_at
from bot.domain.terms import cluster_terms
from bot.storage.models import Cluster, Period
from bot.storage.progress import RETURNED, UnitProgress

__all__ = [
    "announcement",
    "chair_overdue_list",
    "deadline_line",
    "group_missing",
    "overdue_reminder",
    "private_reminder",
    "progress_bar",
    "submit_button",
    "unreachable_notice",
]


def submit_button(bot_username: str, locale: str) -> dict[str, Any]:
    """An inline keyboard (Bot API JSON) whose button opens the private chat at /submit."""
    _ = gettext_for(locale)
    url = f"https://t.me/{bot_username}?start=submit"
    return {"inline_keyboard": [[{"text": _("📝 Nộp số liệu"), "url": url}]]}


def deadline_line(period: Period, now: datetime, locale: str) -> str:
    """`Hạn nộp: 17:00 ngày 20/6/2026 (còn 3 ngày).`, or that it has passed."""
    _ = gettext_for(locale)
    if now < period.deadline_at:
        return _("Hạn nộp: {deadline} (còn {left}).").format(
            deadline=_deadline(period, locale), left=_left(period, now, locale)
        )
    return _("Đã quá hạn nộp ({deadline}).").format(deadline=_deadline(period, locale))


def _deadline(period: Period, locale: str) -> str:
    return format_moment(period.deadline_at, period.timezone, locale)


def _left(period: Period, now: datetime, locale: str) -> str:
    return format_time_left(period.deadline_at - now, locale)


def announcement(period: Period, cluster: Cluster, now: datetime, locale: str) -> str:
    """The group post when a period opens."""
    _ = gettext_for(locale)
    lines = [
        _("📣 Kỳ báo cáo «{period}» của {cluster} đã mở.").format(
            period=period.name, cluster=cluster.name
        ),
        data_window(period.covers_from, period.covers_to, locale),
        _("Hạn nộp: {deadline} (còn {left}).").format(
            deadline=_deadline(period, locale), left=_left(period, now, locale)
        ),
        _(
            "Đầu mối của từng đơn vị bấm nút dưới đây để nộp số liệu trong trò chuyện riêng "
            "với bot."
        ),
    ]
    return "\n".join(line for line in lines if line)


def private_reminder(
    period: Period,
    unit: UnitProgress,
    now: datetime,
    locale: str,
    *,
    cluster_kind: str | None = None,
) -> str:
    """A focal point's reminder: time left and how far the draft has got."""
    _ = gettext_for(locale)
    lines = [
        _("⏰ Nhắc nộp số liệu «{period}»: đơn vị {unit} chưa nộp.").format(
            period=period.name, unit=unit.name
        ),
        deadline_line(period, now, locale),
    ]
    if unit.state == RETURNED:
        chair = cluster_terms(cluster_kind, locale).chair
        lines.append(
            _("{chair} đã trả lại số liệu để sửa; hãy nộp lại bản đã sửa.").format(chair=chair)
        )
    elif unit.answered:
        lines.append(
            _("Bản nháp đã trả lời {answered}/{total} câu; bấm nút để làm tiếp.").format(
                answered=unit.answered, total=unit.total
            )
        )
    return "\n".join(lines)


def group_missing(
    period: Period, progress: Sequence[UnitProgress], now: datetime, locale: str
) -> str:
    """The group post at a reminder: which units are still missing."""
    _ = gettext_for(locale)
    owing = [unit.name for unit in progress if unit.owes]
    return _(
        "⏰ Còn {missing}/{total} đơn vị chưa nộp «{period}»: {units}.\nHạn nộp: {deadline} "
        "(còn {left})."
    ).format(
        missing=len(owing),
        total=len(progress),
        period=period.name,
        units=", ".join(owing),
        deadline=_deadline(period, locale),
        left=_left(period, now, locale),
    )


def overdue_reminder(period: Period, unit: UnitProgress, locale: str) -> str:
    """A late unit's daily reminder after the deadline."""
    _ = gettext_for(locale)
    return _(
        "⚠️ Đơn vị {unit} đã quá hạn nộp «{period}» (hạn {deadline}).\n"
        "Số liệu nộp bây giờ vẫn được nhận và ghi là nộp muộn, đến khi khóa sổ lúc {lock}."
    ).format(
        unit=unit.name,
        period=period.name,
        deadline=_deadline(period, locale),
        lock=format_moment(lock_at(period), period.timezone, locale),
    )


def chair_overdue_list(
    period: Period, cluster: Cluster, late: Sequence[UnitProgress], locale: str
) -> str:
    """The chair's daily list of units that are late."""
    _ = gettext_for(locale)
    names = "\n".join(f"• {unit.name}" for unit in late)
    return _(
        "📋 {cluster}: {count} đơn vị chưa nộp «{period}» đã quá hạn:\n{names}\n"
        "Kỳ khóa sổ lúc {lock}.\n"
        "👉 Gõ /remind để nhắc lại ngay các đơn vị này, /board để xem tiến độ của cụm."
    ).format(
        cluster=cluster.name,
        count=len(late),
        period=period.name,
        names=names,
        lock=format_moment(lock_at(period), period.timezone, locale),
    )


def unreachable_notice(chat_title: str, chat_id: int, locale: str) -> str:
    """The admins' note that a person or group can no longer be reached."""
    _ = gettext_for(locale)
    return _(
        "⚠️ Bot không gửi được tin đến {chat} (mã {id}): người dùng đã chặn bot, rời nhóm hoặc "
        "nhóm không còn. Các tin nhắc sau sẽ không gửi đến đó nữa."
    ).format(chat=chat_title, id=chat_id)


def progress_bar(done: int, total: int, width: int = 10) -> str:
    """`▓▓▓░░░░░░░`: the share done, in `width` blocks (empty when there is nothing)."""
    filled = round(width * done / total) if total else 0
    return "▓" * filled + "░" * (width - filled)
