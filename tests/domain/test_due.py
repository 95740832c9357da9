"""What is due when: offsets, quiet hours, lateness, locking and edited deadlines (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.due import (
    Due,
    QuietHours,
    board_day,
    due_now,
    overdue_day,
    parse_quiet_hours,
    quiet_until,
    reminder_offset,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUIET = QuietHours(time(21), time(7))
DAY, HOUR = 24 * 60, 60


def at(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    """A moment in Vietnam's time, June 2026 unless told."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@dataclass
class FakePeriod:
    opens_at: datetime = field(default_factory=lambda: at(1, 8))
    deadline_at: datetime = field(default_factory=lambda: at(20, 17))
    lock_after_minutes: int = 7 * DAY
    state: str = "scheduled"
    reminder_offsets: list[int] = field(default_factory=lambda: [7 * DAY, 3 * DAY, DAY, 2 * HOUR])
    digest_time: str | None = "08:00"


PERIOD = FakePeriod()


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(1, 8), None),  # open, no offset has come
        (at(13, 16, 59), None),
        (at(13, 17), 7 * DAY),
        (at(16, 12), 7 * DAY),
        (at(17, 17), 3 * DAY),
        (at(19, 17), DAY),
        (at(20, 15), 2 * HOUR),
        (at(20, 16, 59), 2 * HOUR),
        (at(20, 17), None),  # the deadline: overdue reminders take over
        (at(31, 8, month=5), None),  # not open yet
    ],
)
def test_the_latest_offset_that_has_come_is_due(moment: datetime, expected: int | None) -> None:
    assert reminder_offset(PERIOD, moment) == expected


def test_offsets_before_the_period_opens_are_not_reminders() -> None:
    short = replace(PERIOD, opens_at=at(19, 8))
    assert reminder_offset(short, at(19, 9)) is None  # 7d and 3d fell before opening
    assert reminder_offset(short, at(19, 17)) == DAY


def test_an_edited_deadline_moves_every_reminder() -> None:
    extended = replace(PERIOD, deadline_at=at(27, 17))
    assert reminder_offset(PERIOD, at(20, 15)) == 2 * HOUR
    assert reminder_offset(extended, at(20, 15)) is None
    assert reminder_offset(extended, at(20, 17)) == 7 * DAY
    assert overdue_day(extended, at(21, 9)) is None


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(20, 16), None),
        (at(20, 17), 0),
        (at(21, 16, 59), 0),
        (at(21, 17), 1),
        (at(27, 16, 59), 6),
        (at(27, 17), None),  # locked
    ],
)
def test_one_overdue_reminder_a_day_until_the_lock(moment: datetime, expected: int | None) -> None:
    assert overdue_day(PERIOD, moment) == expected


def test_an_admin_lock_stops_everything_and_an_admin_open_keeps_late_units_reminded() -> None:
    assert (
        due_now(replace(PERIOD, state="locked"), at(15, 9), tz=TZ, quiet=None, all_submitted=False)
        == Due()
    )
    forced_open = replace(PERIOD, state="open")
    assert overdue_day(forced_open, at(30, 17)) == 10


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(1, 7), None),  # before opening
        (at(1, 8), date(2026, 6, 1)),
        (at(2, 7, 59), None),  # the day's digest time has not come
        (at(2, 8), date(2026, 6, 2)),
        (at(20, 16), date(2026, 6, 20)),
        (at(21, 9), None),  # after the deadline the group gets no more boards
    ],
)
def test_the_board_is_due_once_a_day_after_the_digest_time(
    moment: datetime, expected: date | None
) -> None:
    assert board_day(PERIOD, moment, tz=TZ) == expected


def test_a_period_opening_after_its_digest_time_gets_its_first_board_next_day() -> None:
    late_opener = replace(PERIOD, opens_at=at(1, 10))
    assert board_day(late_opener, at(1, 11), tz=TZ) is None
    assert board_day(late_opener, at(2, 8), tz=TZ) == date(2026, 6, 2)
    assert board_day(replace(PERIOD, digest_time=None), at(2, 9), tz=TZ) is None


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(13, 20, 59), None),
        (at(13, 21), at(14, 7)),
        (at(13, 23, 30), at(14, 7)),
        (at(14, 6, 59), at(14, 7)),
        (at(14, 7), None),
    ],
)
def test_quiet_hours_across_midnight(moment: datetime, expected: datetime | None) -> None:
    assert quiet_until(moment, tz=TZ, quiet=QUIET) == expected


def test_quiet_hours_within_a_day_and_in_the_periods_timezone() -> None:
    lunch = QuietHours(time(11, 30), time(13, 30))
    assert quiet_until(at(3, 12), tz=TZ, quiet=lunch) == at(3, 13, 30)
    assert quiet_until(at(3, 14), tz=TZ, quiet=lunch) is None
    # 14:00 UTC is 21:00 in Vietnam: quiet there, whatever the server's own zone.
    assert quiet_until(datetime(2026, 6, 3, 14, tzinfo=ZoneInfo("UTC")), tz=TZ, quiet=QUIET)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:00-07:00", QUIET),
        ("21:00 - 7:00", QUIET),
        ("22:30-06:15", QuietHours(time(22, 30), time(6, 15))),
        ("", None),
        ("  ", None),
        (None, None),
        ("07:00-07:00", None),
    ],
)
def test_quiet_hours_are_read_from_text(text: str | None, expected: QuietHours | None) -> None:
    assert parse_quiet_hours(text) == expected


def test_everything_due_at_the_opening() -> None:
    due = due_now(PERIOD, at(1, 8), tz=TZ, quiet=QUIET, all_submitted=False)
    assert due == Due(announce=True, board_day=date(2026, 6, 1))
    assert due.private_allowed


def test_reminders_at_night_wait_for_the_morning() -> None:
    due = due_now(PERIOD, at(19, 22), tz=TZ, quiet=QUIET, all_submitted=False)
    assert due.reminder_offset == DAY
    assert due.private_quiet_until == at(20, 7)
    assert not due.private_allowed


def test_the_summary_is_due_at_the_deadline_or_when_every_unit_is_in() -> None:
    assert not due_now(PERIOD, at(10, 9), tz=TZ, quiet=None, all_submitted=False).summary
    assert due_now(PERIOD, at(10, 9), tz=TZ, quiet=None, all_submitted=True).summary
    assert due_now(PERIOD, at(20, 17), tz=TZ, quiet=None, all_submitted=False).summary
    locked = PERIOD.deadline_at + timedelta(days=8)
    assert due_now(PERIOD, locked, tz=TZ, quiet=None, all_submitted=True) == Due()
