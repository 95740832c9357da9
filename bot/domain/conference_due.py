"""What a conference owes its cluster at a moment: invitation, reminders, the day before (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.due import QuietHours, quiet_until, reminder_offset

__all__ = [
    "DAY_BEFORE_CLOCK",
    "ConferenceDue",
    "ReminderDue",
    "ScheduledConference",
    "conference_due",
    "day_before_at",
    "registration_open",
    "rsvp_reminder_offset",
]

DAY_BEFORE_CLOCK = time(8)  # the day-before notice goes out at 08:00 local time


class ScheduledConference(Protocol):
    """A conference's times as the scheduler reads them."""

    id: int | None
    invite_at: datetime
    rsvp_by: datetime
    starts_at: datetime
    reminder_offsets: list[int]
    state: str


@dataclass
class _RsvpWindow:
    """The registration window seen as a period, so that due.py's offset rule applies."""

    opens_at: datetime
    deadline_at: datetime
    reminder_offsets: list[int] = field(default_factory=list)
    digest_time: str | None = None
    lock_after_minutes: int = 0
    state: str = "scheduled"


def rsvp_reminder_offset(conference: ScheduledConference, now: datetime) -> int | None:
    """The latest offset before `rsvp_by` that has come since the invitation, if any.

    Only the latest counts, as for periods: after quiet hours or a restart a unit that has
    not answered gets one reminder, not every one it missed.
    """
    window = _RsvpWindow(
        opens_at=conference.invite_at,
        deadline_at=conference.rsvp_by,
        reminder_offsets=list(conference.reminder_offsets),
    )
    return reminder_offset(window, now)


def registration_open(conference: ScheduledConference, now: datetime) -> bool:
    """Whether focal points may still register or change their unit's answer themselves."""
    return conference.state == "scheduled" and now < conference.rsvp_by


def day_before_at(
    conference: ScheduledConference, *, tz: ZoneInfo, clock: time = DAY_BEFORE_CLOCK
) -> datetime:
    """When the day-before notice is due: `clock` on the local day before the start."""
    local_day = conference.starts_at.astimezone(tz).date() - timedelta(days=1)
    return datetime.combine(local_day, clock, tzinfo=tz)


@dataclass(frozen=True)
class ReminderDue:
    """Reminders to the units that have not answered, at one offset before `rsvp_by`."""

    offset: int  # minutes before rsvp_by
    key: str  # `conf-remind:<id>:<rsvp_by epoch>:<offset>`; add `:<unit>:<person>` or `:<chat>`


@dataclass(frozen=True)
class ConferenceDue:
    """Everything due for one conference at one moment; each part names its outbox key.

    Keys carry the times they depend on, so an edited `rsvp_by` gets its own reminders and an
    edited start its own day-before notice, while nothing is sent twice for the same times.
    """

    invitation: str | None = None  # `conf-invite:<id>`: once, whatever is edited later
    reminder: ReminderDue | None = None
    day_before: str | None = None  # `conf-eve:<id>:<starts epoch>`, to attending units
    registration_closed: str | None = None  # `conf-closed:<id>:<rsvp_by epoch>`
    private_quiet_until: datetime | None = None  # private messages wait until then

    @property
    def private_allowed(self) -> bool:
        return self.private_quiet_until is None


def conference_due(
    conference: ScheduledConference,
    now: datetime,
    *,
    tz: ZoneInfo,
    quiet: QuietHours | None,
    day_before_clock: time = DAY_BEFORE_CLOCK,
) -> ConferenceDue:
    """What is due now, from the invitation until the conference starts; nothing after."""
    ident = conference.id
    if ident is None:
        raise ValueError("a conference is scheduled once it is stored (it has no id yet)")
    invited = conference.invite_at <= now
    if conference.state != "scheduled" or not invited or now >= conference.starts_at:
        return ConferenceDue()
    rsvp, starts = _epoch(conference.rsvp_by), _epoch(conference.starts_at)
    offset = rsvp_reminder_offset(conference, now)
    reminder = (
        None if offset is None else ReminderDue(offset, f"conf-remind:{ident}:{rsvp}:{offset}")
    )
    eve = day_before_at(conference, tz=tz, clock=day_before_clock) <= now
    return ConferenceDue(
        invitation=f"conf-invite:{ident}",
        reminder=reminder,
        day_before=f"conf-eve:{ident}:{starts}" if eve else None,
        registration_closed=f"conf-closed:{ident}:{rsvp}" if now >= conference.rsvp_by else None,
        private_quiet_until=quiet_until(now, tz=tz, quiet=quiet),
    )


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())
