"""Pledge rows: the registration of next year's targets, each unit's registrations, signatures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.types import UTCDateTime, utcnow

__all__ = ["DEFAULT_REMINDERS", "PledgeWindow", "TargetAnswer", "TargetRegistration"]

DEFAULT_REMINDERS = [3 * 24 * 60, 24 * 60]  # minutes before the deadline: 3 days, 1 day


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime)


def _moment() -> Any:
    return Field(default=None, sa_type=UTCDateTime)


class PledgeWindow(SQLModel, table=True):
    """When a pledge's units register their targets (đăng ký chỉ tiêu), and its signing.

    It has a period's times (`bot.domain.periods.PeriodTimes`), so the scheduler's rules of
    what is due apply to it as they are: registrations are still taken after the deadline, until
    the pledge is sent for signing.
    """

    id: int | None = Field(default=None, primary_key=True)
    pledge_id: int = Field(foreign_key="pledge.id", unique=True)
    opens_at: datetime = Field(sa_type=UTCDateTime)
    deadline_at: datetime = Field(sa_type=UTCDateTime)
    timezone: str = "Asia/Ho_Chi_Minh"
    lock_after_minutes: int = 365 * 24 * 60
    state: str = Field(default="scheduled", max_length=16)  # "open" once opened by hand
    reminder_offsets: list[int] = Field(
        default_factory=lambda: list(DEFAULT_REMINDERS), sa_type=JSON
    )
    digest_time: str | None = Field(default="08:00", max_length=5)
    opened_by: str = Field(default="", max_length=64)
    # The chair sends the registered targets for signing (ký giao ước) once every unit is in.
    signing_at: datetime | None = _moment()
    signing_by: str | None = Field(default=None, max_length=64)
    # Every unit signed: the targets became the pledge's `Target` rows.
    signed_at: datetime | None = _moment()
    created_at: datetime = _created()


class TargetRegistration(SQLModel, table=True):
    """One revision of a unit's targets for a pledge; a draft until registered ("submitted").

    Its conversation state has the columns of a submission's (`bot.storage.models.Submission`),
    so the same conversation asks it; a unit's focal point signs its latest revision.
    """

    __table_args__ = (UniqueConstraint("pledge_id", "unit_id", "revision"),)
    id: int | None = Field(default=None, primary_key=True)
    pledge_id: int = Field(foreign_key="pledge.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    revision: int = 1
    status: str = Field(default="draft", max_length=16)
    started_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    submitted_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = _created()
    submitted_at: datetime | None = _moment()
    cursor_indicator_id: int | None = Field(default=None, foreign_key="indicator.id")
    pending: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    returned_reason: str | None = None
    returned_at: datetime | None = _moment()
    returned_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    signed_at: datetime | None = _moment()
    signed_by_person_id: int | None = Field(default=None, foreign_key="person.id")


class TargetAnswer(SQLModel, table=True):
    """A unit's target for one indicator in one registration, as typed and as understood."""

    __table_args__ = (UniqueConstraint("registration_id", "indicator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="targetregistration.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    raw_text: str | None = None
    value: str | None = None
    value_number: float | None = None
    skipped: bool = False
    flags: list[str] = Field(default_factory=list, sa_type=JSON)
    explanation: str | None = None
    answered_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime = _created()

    # A target is never a file: these read as a submission's answer without one.
    @property
    def file_id(self) -> str | None:
        return None

    @property
    def file_name(self) -> str | None:
        return None

    @property
    def file_size(self) -> int | None:
        return None
