"""The tables: clusters and their units, pledges, periods, people, submissions, outbox."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, LargeBinary, Text, UniqueConstraint, and_, or_
from sqlmodel import Field, SQLModel, col

from bot.storage.types import UTCDateTime, utcnow

__all__ = [
    "Answer",
    "AuditEvent",
    "Cluster",
    "ClusterLeadership",
    "ClusterUnit",
    "GroupChat",
    "HandledUpdate",
    "Indicator",
    "Invite",
    "Membership",
    "OutboxMessage",
    "PendingImport",
    "Period",
    "PeriodCluster",
    "Person",
    "Pledge",
    "Submission",
    "Target",
    "Unit",
    "UnitLock",
    "member_in",
]

# Named constraints let later migrations alter them, SQLite's batch mode included.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Decimal figures (targets, bounds, answers) are stored as canonical text ("1250.5", "47/53")
# so that no value is rounded through a float; answers also keep a float for aggregation.


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime)


def _moment() -> Any:
    return Field(default=None, sa_type=UTCDateTime)


class Cluster(SQLModel, table=True):
    """An emulation cluster (Cụm thi đua) or block (Khối thi đua)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str
    kind: str = Field(default="cum", max_length=8, sa_column_kwargs={"server_default": "cum"})
    letterhead: list[str] = Field(  # documents' header: parent body, then issuer
        default_factory=list, sa_type=JSON, sa_column_kwargs={"server_default": "[]"}
    )
    place_name: str | None = None  # địa danh on documents
    # The language of the cluster's group posts, whoever asked (bot/domain/i18n.py).
    language: str = Field(default="vi", max_length=8, sa_column_kwargs={"server_default": "vi"})
    created_at: datetime = _created()


class Unit(SQLModel, table=True):
    """A member unit: a commune, ward, department or sector unit. The code never changes."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str
    # Where a merged or renamed unit comes from (old codes); the lineage is a later issue.
    merged_from: list[str] = Field(
        default_factory=list, sa_type=JSON, sa_column_kwargs={"server_default": "[]"}
    )
    renamed_from: str | None = Field(default=None, max_length=64)
    created_at: datetime = _created()


class ClusterUnit(SQLModel, table=True):
    """A unit's membership of a cluster, in the order the set-up lists them, for the years it
    was a member (None: open-ended); see `member_in`."""

    __table_args__ = (UniqueConstraint("cluster_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    position: int = 0
    since_year: int | None = None  # a unit that joined an existing cluster (a merged commune)
    until_year: int | None = None  # the last year of a unit left out of a later year's file


def member_in(year: Any) -> Any:
    """The SQL condition that a `ClusterUnit` row counts in `year` (a number or a column)."""
    return and_(
        or_(col(ClusterUnit.since_year).is_(None), col(ClusterUnit.since_year) <= year),
        or_(col(ClusterUnit.until_year).is_(None), col(ClusterUnit.until_year) >= year),
    )


class ClusterLeadership(SQLModel, table=True):
    """The chair (Cụm trưởng) and vice-chair (Cụm phó) units of a cluster for a year."""

    __table_args__ = (UniqueConstraint("cluster_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id")
    year: int
    chair_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    vice_chair_unit_id: int | None = Field(default=None, foreign_key="unit.id")


class Pledge(SQLModel, table=True):
    """A cluster's pledge (giao ước thi đua) for a year: its indicators and targets."""

    __table_args__ = (UniqueConstraint("cluster_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id")
    year: int


class Indicator(SQLModel, table=True):
    """One indicator (chỉ tiêu) of a pledge, asked in `position` order."""

    __table_args__ = (UniqueConstraint("pledge_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    pledge_id: int = Field(foreign_key="pledge.id", index=True)
    position: int
    code: str = Field(max_length=64)
    name: str
    kind: str = Field(max_length=16)
    unit_label: str | None = None
    better: str | None = Field(default=None, max_length=8)
    min_value: str | None = None
    max_value: str | None = None
    integer: bool = False
    options: list[str] = Field(default_factory=list, sa_type=JSON)
    required: bool = True
    # An indicator dropped from the set-up file is retired, never deleted: answers point to it.
    active: bool = True


class Target(SQLModel, table=True):
    """A unit's target (chỉ tiêu giao) for one indicator."""

    __table_args__ = (UniqueConstraint("indicator_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    value: str


class Period(SQLModel, table=True):
    """A reporting period (kỳ báo cáo) such as the mid-year review."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str
    year: int
    covers_from: date | None = None
    covers_to: date | None = None
    opens_at: datetime = Field(sa_type=UTCDateTime)
    deadline_at: datetime = Field(sa_type=UTCDateTime)
    lock_after_minutes: int = 7 * 24 * 60
    reminder_offsets: list[int] = Field(default_factory=list, sa_type=JSON)
    digest_time: str | None = Field(default=None, max_length=5)
    quiet_hours: str | None = Field(default=None, max_length=11)
    timezone: str = "Asia/Ho_Chi_Minh"
    state: str = Field(default="scheduled", max_length=16)
    created_at: datetime = _created()


class PeriodCluster(SQLModel, table=True):
    """A cluster that reports in a period."""

    __table_args__ = (UniqueConstraint("period_id", "cluster_id"),)
    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    cluster_id: int = Field(foreign_key="cluster.id", index=True)


class Person(SQLModel, table=True):
    """Someone who talks to the bot."""

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, unique=True)
    full_name: str = ""  # Telegram's, until the person gives their own with /profile
    # The name and position (chức vụ) the person gave with /profile, for lists and papers.
    official_name: str | None = Field(default=None, max_length=200)
    position: str | None = Field(default=None, max_length=200)
    username: str | None = None
    language: str | None = Field(default=None, max_length=8)
    is_admin: bool = False
    # The draft this person is answering now; no foreign key, to keep the tables acyclic.
    active_submission_id: int | None = None
    # The targets registration this person is answering (bot/storage/pledge_tables.py), if any.
    active_registration_id: int | None = None
    unreachable_at: datetime | None = _moment()
    created_at: datetime = _created()


class Membership(SQLModel, table=True):
    """A person's role in a unit: its focal point or the chair's contact."""

    __table_args__ = (UniqueConstraint("person_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    role: str = Field(default="focal", max_length=16)
    created_at: datetime = _created()
    revoked_at: datetime | None = _moment()


class Invite(SQLModel, table=True):
    """A one-time invitation to join a unit; only the token's hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    unit_id: int = Field(foreign_key="unit.id")
    role: str = Field(default="focal", max_length=16)
    created_by: str = ""
    created_at: datetime = _created()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = _moment()
    used_by_person_id: int | None = Field(default=None, foreign_key="person.id")


class GroupChat(SQLModel, table=True):
    """A Telegram group bound to a cluster, where reminders and boards are posted."""

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, unique=True)
    title: str = ""
    cluster_id: int | None = Field(default=None, foreign_key="cluster.id", index=True)
    bound_at: datetime | None = _moment()
    unreachable_at: datetime | None = _moment()


class Submission(SQLModel, table=True):
    """One revision of a unit's figures for a period; a draft until submitted."""

    __table_args__ = (UniqueConstraint("period_id", "unit_id", "revision"),)
    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    revision: int = 1
    status: str = Field(default="draft", max_length=16)
    started_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    submitted_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = _created()
    submitted_at: datetime | None = _moment()
    late: bool = False
    # Conversation state of a draft, so that any process can continue it after a restart:
    # the question being re-asked (back or edit; otherwise the first unanswered one) and a
    # pending step (an ambiguous number to choose, an unusual figure to confirm or explain).
    cursor_indicator_id: int | None = Field(default=None, foreign_key="indicator.id")
    pending: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # A chair may return a submitted revision with a reason; the unit then submits a new one.
    returned_reason: str | None = None
    returned_at: datetime | None = _moment()
    returned_by_person_id: int | None = Field(default=None, foreign_key="person.id")


class Answer(SQLModel, table=True):
    """The answer to one indicator in one submission, as typed and as understood."""

    __table_args__ = (UniqueConstraint("submission_id", "indicator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    raw_text: str | None = None
    value: str | None = None
    value_number: float | None = None
    skipped: bool = False
    flags: list[str] = Field(default_factory=list, sa_type=JSON)
    explanation: str | None = None
    file_id: str | None = None
    file_name: str | None = None
    file_size: int | None = None
    answered_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime = _created()


class UnitLock(SQLModel, table=True):
    """An admin's exception to a period's lock for one unit: `locked` early or `unlocked` late."""

    __table_args__ = (UniqueConstraint("period_id", "unit_id"),)
    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="period.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    state: str = Field(max_length=16)  # "locked" or "unlocked"
    set_by: str = Field(default="", max_length=64)
    set_at: datetime = _created()


class PendingImport(SQLModel, table=True):
    """A set-up file sent in the chat, kept until the admin confirms or cancels it."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    file_name: str = ""
    content: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = _created()


class AuditEvent(SQLModel, table=True):
    """Who changed what, when, with the state before and after."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _created()
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64, index=True)
    entity: str = Field(max_length=32)
    entity_key: str = Field(max_length=128, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class OutboxMessage(SQLModel, table=True):
    """A message waiting to be sent; the key makes each message exist once."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    # Sent in id order per chat; `not_before` also serves as the lease of a claimed message.
    chat_id: int = Field(sa_type=BigInteger, index=True)
    method: str = Field(default="sendMessage", max_length=32)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    not_before: datetime = _created()
    created_at: datetime = _created()
    sent_at: datetime | None = _moment()
    last_error: str | None = None
    telegram_message_id: int | None = Field(default=None, sa_type=BigInteger)


class HandledUpdate(SQLModel, table=True):
    """A Telegram update already acted on: after a crash Telegram sends it again."""

    update_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    handled_at: datetime = _created()
    # The step's reply (bot/edge/kept.py), until it is known to have been sent: a process
    # killed before sending it sends it when the update comes again.
    reply: str | None = Field(default=None, sa_type=Text)


# The scoring and conference tables live in their own modules; importing them completes the
# metadata.
import bot.storage.conference_drafts  # noqa: E402
import bot.storage.conference_tables  # noqa: E402
import bot.storage.menus_shown  # noqa: E402
import bot.storage.person_turns  # noqa: E402
import bot.storage.pledge_tables  # noqa: E402
import bot.storage.received  # noqa: E402
import bot.storage.scoring_tables  # noqa: E402
import bot.storage.tick_notes  # noqa: E402
import bot.storage.vote_tables  # noqa: E402, F401
