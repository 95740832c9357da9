"""`/remind`: every unit that owes is reminded now, by the scheduler's own rule of who owes."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.domain.due import QuietHours, parse_quiet_hours, quiet_until
from bot.domain.i18n import group_locale
from bot.domain.periods import Phase, phase
from bot.notices import texts
from bot.notices.queue import NoticeQueue
from bot.notices.recipients import clusters_of, groups_of, members
from bot.storage.audit import record_event
from bot.storage.models import Period
from bot.storage.progress import UnitProgress, unit_progress
from bot.storage.types import require_id

__all__ = ["remind_now"]


def remind_now(
    session: Session,
    *,
    period: Period,
    cluster_id: int | None,
    now: datetime,
    actor: str,
    locale: str = "vi",
    quiet: QuietHours | None = None,
) -> int:
    """Remind every unit that owes, now (after quiet hours); the number of private reminders."""
    clusters = [
        cluster
        for cluster in clusters_of(session, require_id(period))
        if cluster_id is None or cluster.id == cluster_id
    ]
    quiet = parse_quiet_hours(period.quiet_hours) if period.quiet_hours else quiet
    later = quiet_until(now, tz=ZoneInfo(period.timezone), quiet=quiet)
    out = NoticeQueue(session, locale, now)
    stamp = now.isoformat(timespec="seconds")
    for cluster in clusters:
        progress = unit_progress(session, period=period, cluster_id=require_id(cluster))
        owing = [unit for unit in progress if unit.owes]
        if not owing:
            continue
        shown = group_locale(cluster.language)
        for group in groups_of(session, require_id(cluster)):
            text = texts.group_missing(period, progress, now, shown)
            out.group(f"remind-now:{period.id}:{stamp}:{group.chat_id}", group, text, button=shown)
        for unit in owing:
            for person in members(session, unit.unit_id):
                out.private(
                    f"remind-now:{period.id}:{stamp}:{unit.unit_id}:{person.id}",
                    person,
                    partial(_reminder_text, period, unit, now, cluster_kind=cluster.kind),
                    button=True,
                    not_before=later,
                )
    record_event(
        session,
        actor=actor,
        action="period.remind",
        entity="period",
        entity_key=period.code,
        after={"cluster_id": cluster_id, "queued": out.queued},
    )
    return out.queued


def _reminder_text(
    period: Period, unit: UnitProgress, now: datetime, locale: str, *, cluster_kind: str
) -> str:
    if phase(period, now) is Phase.OPEN:
        return texts.private_reminder(period, unit, now, locale, cluster_kind=cluster_kind)
    return texts.overdue_reminder(period, unit, locale)
