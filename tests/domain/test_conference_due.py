"""What is due for a conference when: invitation, reminders, the day before, closing (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.conference_due import (
    ConferenceDue,
    ReminderDue,
    conference_due,
    day_before_at,
    registration_open,
    rsvp_reminder_offset,
)
from bot.domain.due import QuietHours

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUIET = QuietHours(time(21), time(7))
DAY = 24 * 60


def at(day: int, hour: int, minute: int = 0, month: int = 7) -> datetime:
    """A moment in Vietnam's time, July 2026 unless told."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@dataclass
class FakeConference:
    """The example's mid-year conference: invited 26 June, registration by 7 July 17:00."""

    id: int | None = 7
    invite_at: datetime = field(default_factory=lambda: at(26, 8, month=6))
    rsvp_by: datetime = field(default_factory=lambda: at(7, 17))
    starts_at: datetime = field(default_factory=lambda: at(10, 14))
    reminder_offsets: list[int] = field(default_factory=lambda: [3 * DAY, DAY])
    state: str = "scheduled"


CONFERENCE = FakeConference()
RSVP = int(at(7, 17).timestamp())
STARTS = int(at(10, 14).timestamp())


def _due(conference: FakeConference, now: datetime) -> ConferenceDue:
    return conference_due(conference, now, tz=TZ, quiet=QUIET)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(26, 7, 59, month=6), ConferenceDue()),  # before the invitation
        (at(26, 8, month=6), ConferenceDue(invitation="conf-invite:7")),
        (at(4, 16, 59), ConferenceDue(invitation="conf-invite:7")),
        (
            at(4, 17),
            ConferenceDue(
                invitation="conf-invite:7",
                reminder=ReminderDue(3 * DAY, f"conf-remind:7:{RSVP}:{3 * DAY}"),
            ),
        ),
        (
            at(6, 17),
            ConferenceDue(
                invitation="conf-invite:7", reminder=ReminderDue(DAY, f"conf-remind:7:{RSVP}:{DAY}")
            ),
        ),
        (
            at(7, 17),
            ConferenceDue(invitation="conf-invite:7", registration_closed=f"conf-closed:7:{RSVP}"),
        ),
        (
            at(9, 8),
            ConferenceDue(
                invitation="conf-invite:7",
                day_before=f"conf-eve:7:{STARTS}",
                registration_closed=f"conf-closed:7:{RSVP}",
            ),
        ),
        (at(10, 14), ConferenceDue()),  # it has started: nothing more is sent
    ],
)
def test_what_is_due_follows_the_clock(moment: datetime, expected: ConferenceDue) -> None:
    assert _due(CONFERENCE, moment) == expected


def test_only_the_latest_reminder_that_has_come_is_due() -> None:
    assert rsvp_reminder_offset(CONFERENCE, at(6, 18)) == DAY  # 3d has passed too
    assert rsvp_reminder_offset(CONFERENCE, at(5, 12)) == 3 * DAY


def test_offsets_that_fall_before_the_invitation_are_not_reminders() -> None:
    late_invitation = replace(CONFERENCE, invite_at=at(5, 9))
    assert rsvp_reminder_offset(late_invitation, at(5, 10)) is None
    assert rsvp_reminder_offset(late_invitation, at(6, 17)) == DAY


def test_an_edited_rsvp_by_gets_its_own_reminder_keys() -> None:
    extended = replace(CONFERENCE, rsvp_by=at(8, 12))
    before, after = _due(CONFERENCE, at(6, 17)), _due(extended, at(7, 12))
    assert before.reminder is not None and after.reminder is not None
    assert before.reminder.offset == after.reminder.offset == DAY
    assert before.reminder.key != after.reminder.key
    assert _due(extended, at(7, 17)).registration_closed is None


def test_an_edited_start_gets_its_own_day_before_notice() -> None:
    moved = replace(CONFERENCE, starts_at=at(11, 8))
    assert _due(moved, at(9, 8)).day_before is None
    notice = _due(moved, at(10, 8)).day_before
    assert notice is not None and notice != _due(CONFERENCE, at(9, 8)).day_before


def test_the_day_before_notice_is_at_eight_on_the_local_day_before() -> None:
    early = replace(CONFERENCE, starts_at=at(10, 6))  # 23:00 UTC on the 9th
    assert day_before_at(early, tz=TZ) == at(9, 8)
    assert _due(CONFERENCE, at(9, 7, 59)).day_before is None


def test_private_messages_wait_out_the_quiet_hours() -> None:
    night = _due(CONFERENCE, at(4, 22))
    assert night.reminder is not None
    assert not night.private_allowed
    assert night.private_quiet_until == at(5, 7)
    assert _due(CONFERENCE, at(5, 7)).private_allowed


def test_a_cancelled_conference_owes_nothing() -> None:
    assert _due(replace(CONFERENCE, state="cancelled"), at(6, 17)) == ConferenceDue()


def test_a_conference_must_be_stored_before_it_is_scheduled() -> None:
    with pytest.raises(ValueError):
        _due(replace(CONFERENCE, id=None), at(6, 17))


def test_registration_is_open_until_rsvp_by() -> None:
    assert registration_open(CONFERENCE, at(7, 16, 59))
    assert not registration_open(CONFERENCE, at(7, 17))
    assert not registration_open(replace(CONFERENCE, state="cancelled"), at(1, 8))
