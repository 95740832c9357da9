"""Conference rows: the conference and its agenda, votes defined, registrations, attendance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.types import UTCDateTime, utcnow

__all__ = [
    "AgendaEntry",
    "Attendance",
    "Conference",
    "ConferenceVote",
    "Delegate",
    "Registration",
]


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime)


def _moment() -> Any:
    return Field(default=None, sa_type=UTCDateTime)


class Conference(SQLModel, table=True):
    """A cluster's conference (hội nghị sơ kết, tổng kết, phát động), times in UTC."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str
    cluster_id: int = Field(foreign_key="cluster.id", index=True)
    period_id: int | None = Field(default=None, foreign_key="period.id")
    kind: str = Field(max_length=16)  # so-ket, tong-ket, phat-dong, other
    host_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime | None = _moment()
    place: str = ""
    place_name: str | None = None  # None: the cluster's
    invite_at: datetime = Field(sa_type=UTCDateTime)
    rsvp_by: datetime = Field(sa_type=UTCDateTime)
    reminder_offsets: list[int] = Field(default_factory=list, sa_type=JSON)
    max_delegates: int = 1
    timezone: str = "Asia/Ho_Chi_Minh"
    state: str = Field(default="scheduled", max_length=16)  # scheduled or cancelled
    # The agenda item under way (/next); no foreign key, to keep the tables acyclic.
    current_item_id: int | None = None
    # Who chaired and who took the minutes, as the chair named them (/minutes): "Nguyễn Văn
    # An, Chủ tịch UBND xã"; None leaves the minutes' line blank.
    chaired_by: str | None = Field(default=None, max_length=300)
    minutes_by: str | None = Field(default=None, max_length=300)
    created_at: datetime = _created()


class AgendaEntry(SQLModel, table=True):
    """One item of a conference's agenda, in `position` order."""

    __table_args__ = (UniqueConstraint("conference_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    position: int
    at: str | None = Field(default=None, max_length=5)  # HH:MM on the conference's day
    title: str
    presenter_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    kind: str | None = Field(default=None, max_length=16)  # `vote`


class ConferenceVote(SQLModel, table=True):
    """A vote's definition; ballots are kept elsewhere, apart from who voted."""

    __table_args__ = (UniqueConstraint("conference_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    code: str = Field(max_length=64)
    position: int = 0
    title: str
    approval: bool = False
    secret: bool = True
    seats: int = 1
    candidates: list[str] = Field(default_factory=list, sa_type=JSON)  # unit codes; []: all
    threshold: str = Field(default=">1/2", max_length=16)
    base: str = Field(default="present", max_length=16)
    quorum: str = Field(default=">1/2", max_length=16)
    elects: str | None = Field(default=None, max_length=16)  # chair or vice_chair
    elects_year: int | None = None
    state: str = Field(default="draft", max_length=16)  # draft, open, closed
    opened_at: datetime | None = _moment()
    closed_at: datetime | None = _moment()


class Registration(SQLModel, table=True):
    """One revision of a unit's answer to the invitation; the latest confirmed one stands."""

    __table_args__ = (UniqueConstraint("conference_id", "unit_id", "revision"),)
    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    revision: int = 1
    attends: bool | None = None  # None while a draft has not said
    reason: str | None = None  # why not, when the unit does not attend
    # Conversation state of a draft, so that any process can continue it after a restart.
    pending: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    started_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    confirmed_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    confirmed_by: str = Field(default="", max_length=64)  # the actor: focal point, chair, admin
    created_at: datetime = _created()
    confirmed_at: datetime | None = _moment()


class Delegate(SQLModel, table=True):
    """A member of a unit's delegation in one registration, the head first."""

    __table_args__ = (UniqueConstraint("registration_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", index=True)
    position: int = 0
    full_name: str = Field(max_length=200)
    job_title: str = Field(default="", max_length=200)  # chức vụ
    role: str = Field(default="member", max_length=16)  # head (trưởng đoàn) or member
    present: bool = False
    person_id: int | None = Field(default=None, foreign_key="person.id")


class Attendance(SQLModel, table=True):
    """Whether a unit is at the conference: present, absent or excused, and who said so."""

    __table_args__ = (UniqueConstraint("conference_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    conference_id: int = Field(foreign_key="conference.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    status: str = Field(max_length=16)  # present, absent, excused
    reason: str | None = None
    set_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    set_by: str = Field(default="", max_length=64)
    set_at: datetime = _created()
