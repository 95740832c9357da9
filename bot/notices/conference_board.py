"""A conference's registration board: who attends (and who leads), who does not, who is silent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.formatting import format_moment, format_time_left
from bot.domain.i18n import Translate, gettext_for
from bot.notices.texts import progress_bar
from bot.storage.conference_tables import Conference
from bot.storage.conferences import RegistrationState, UnitRegistration
from bot.storage.models import Cluster

__all__ = ["board_signature", "board_text"]


def board_signature(states: Sequence[UnitRegistration]) -> str:
    """What the board shows apart from the clock: it is edited only when this changes."""
    return ",".join(f"{unit.unit_id}:{unit.state}:{unit.revision or 0}" for unit in states)


def board_text(
    conference: Conference,
    cluster: Cluster,
    states: Sequence[UnitRegistration],
    now: datetime,
    locale: str,
) -> str:
    """The board: a bar of answers, then each unit under what it answered."""
    _ = gettext_for(locale)
    answered = sum(1 for unit in states if unit.answered)
    lines = [
        _("📋 Đăng ký đại biểu «{name}»").format(name=conference.name),
        cluster.name,
        _("{bar} {answered}/{total} đơn vị đã trả lời").format(
            bar=progress_bar(answered, len(states)), answered=answered, total=len(states)
        ),
    ]
    lines += _section(_, _("✅ Tham dự ({count}):"), states, RegistrationState.ATTENDING)
    lines += _section(_, _("❌ Không tham dự ({count}):"), states, RegistrationState.NOT_ATTENDING)
    lines += _section(_, _("⬜ Chưa trả lời ({count}):"), states, RegistrationState.NONE)
    lines += ["", _deadline_line(_, conference, now, locale)]
    return "\n".join(lines)


def _section(
    _: Translate, title: str, states: Sequence[UnitRegistration], state: RegistrationState
) -> list[str]:
    units = [unit for unit in states if unit.state is state]
    if not units:
        return []
    return ["", title.format(count=len(units)), *(_unit_line(_, unit) for unit in units)]


def _unit_line(_: Translate, unit: UnitRegistration) -> str:
    if unit.state is RegistrationState.ATTENDING and unit.head is not None:
        return _("• {unit}: {count} đại biểu, trưởng đoàn {head} ({title})").format(
            unit=unit.unit_name,
            count=len(unit.delegates),
            head=unit.head.full_name,
            title=unit.head.job_title,
        )
    if unit.state is RegistrationState.NOT_ATTENDING and unit.reason:
        return _("• {unit}: {reason}").format(unit=unit.unit_name, reason=unit.reason)
    return f"• {unit.unit_name}"


def _deadline_line(_: Translate, conference: Conference, now: datetime, locale: str) -> str:
    deadline = format_moment(conference.rsvp_by, conference.timezone, locale)
    if now < conference.rsvp_by:
        left = format_time_left(conference.rsvp_by - now, locale)
        return _("Hạn đăng ký: {deadline} (còn {left}).").format(deadline=deadline, left=left)
    return _("Đã hết hạn đăng ký ({deadline}).").format(deadline=deadline)
