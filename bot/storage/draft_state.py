"""What every step of a submission checks first, read in one statement: the draft, its period,
the person's membership, the unit's history and lock, its answers; and the set-up's version."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Integer, and_, bindparam, case, exists, null, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from bot.storage.models import Answer, AuditEvent, Membership, Period, Submission, UnitLock

__all__ = [
    "ANSWER_COLUMNS",
    "SETUP_ACTIONS",
    "AnswerRow",
    "DraftState",
    "draft_state",
    "history_version",
    "history_version_of",
    "setup_version",
]


@dataclass(slots=True)
class AnswerRow:
    """A submission's answer as a plain row: every step reads a draft's answers, and an ORM
    object for each cost more than the statement; `update_row` writes one back."""

    __table__: ClassVar[Any] = Answer.__table__  # type: ignore[attr-defined]

    id: int
    submission_id: int
    indicator_id: int
    raw_text: str | None
    value: str | None
    value_number: float | None
    skipped: bool
    flags: list[str]
    explanation: str | None
    file_id: str | None
    file_name: str | None
    file_size: int | None
    answered_by_person_id: int | None
    answered_at: datetime


# The answer table's columns, in the order of `AnswerRow`'s fields: a row is built by position.
ANSWER_COLUMNS = tuple(AnswerRow.__table__.c[f.name] for f in fields(AnswerRow))
assert len(ANSWER_COLUMNS) == len(AnswerRow.__table__.c), "AnswerRow must have every column"


@dataclass(frozen=True)
class DraftState:
    """A draft with what every step needs to check first, read in one query."""

    submission: Submission
    period: Period
    member: bool  # the person still belongs to the draft's unit
    history: int  # see `history_version`
    lock: str | None  # an admin's exception for the unit in the period (`UnitLock.state`)
    answers: dict[int, AnswerRow]  # indicator id -> the submission's answer
    # The unit's newest submitted revision for the period, if a chair returned it (its id).
    returned_id: int | None


# Each change a set-up import makes is audited under one of these actions (see
# bot/storage/setup_import.py); equality keeps the query right under any collation.
SETUP_ACTIONS = ("import.created", "import.updated", "import.retired", "import.removed")

# The statements every step runs are built once: building and keying a statement costs more
# CPU than SQLite takes to run it.
_SETUP_VERSION = select(func.coalesce(func.max(AuditEvent.id), 0)).where(
    col(AuditEvent.action).in_(SETUP_ACTIONS)
)


def history_version_of(unit_id: Any, period_id: Any) -> Any:
    """The unit's newest submitted revision in another period, as a scalar subquery."""
    other = aliased(Submission)
    return (
        select(func.coalesce(func.max(other.id), 0))
        .where(other.unit_id == unit_id, other.status == "submitted", other.period_id != period_id)
        .scalar_subquery()
    )


_MEMBER: ColumnElement[bool] = exists().where(
    col(Membership.person_id) == bindparam("person_id"),
    col(Membership.unit_id) == Submission.unit_id,
    col(Membership.revoked_at).is_(None),
)
_LOCK = (
    select(UnitLock.state)
    .where(
        col(UnitLock.period_id) == Submission.period_id,
        col(UnitLock.unit_id) == Submission.unit_id,
    )
    .scalar_subquery()
)


def _returned_revision() -> Any:
    """The id of the newest submitted revision of the submission's unit and period, if returned."""
    other = aliased(Submission)
    return (
        select(case((col(other.returned_at).is_not(None), other.id)))
        .where(
            other.period_id == Submission.period_id,
            other.unit_id == Submission.unit_id,
            other.status == "submitted",
        )
        .order_by(col(other.revision).desc())
        .limit(1)
        .scalar_subquery()
    )


def _draft_state() -> Any:
    """The state and the answers (as plain columns) in one statement: a step waits for one
    round trip, not two.

    A row for the state, then a row for each answer, each with the other part empty: a plain
    join would repeat the submission and period in every row, and decoding those again costs
    about as much as the round trip saved.
    """
    submission_id: ColumnElement[int] = bindparam("submission_id", type_=Integer)
    slot = union_all(
        select(col(Answer.id).label("answer_id")).where(col(Answer.submission_id) == submission_id),
        select(null().label("answer_id")),  # the state's row
    ).subquery("slot")
    return (
        select(Submission, Period)
        .add_columns(
            _MEMBER,
            history_version_of(Submission.unit_id, Submission.period_id),
            _LOCK,
            _returned_revision(),
            *ANSWER_COLUMNS,
        )
        .select_from(slot)
        .outerjoin(Answer, col(Answer.id) == slot.c.answer_id)
        .outerjoin(
            Submission, and_(slot.c.answer_id.is_(None), col(Submission.id) == submission_id)
        )
        .outerjoin(Period, col(Period.id) == Submission.period_id)
    )


_DRAFT_STATE = _draft_state()
_ANSWER_AT = 6  # the answer's columns come after the submission, period and four checks
_HISTORY_VERSION = select(history_version_of(bindparam("unit_id"), bindparam("period_id")))


def draft_state(session: Session, *, submission_id: int, person_id: int) -> DraftState | None:
    """The submission (a draft or not), its period, the person's membership, its history,
    the unit's lock exception, its answers and a returned previous revision."""
    rows = session.execute(
        _DRAFT_STATE, {"submission_id": submission_id, "person_id": person_id}
    ).all()
    state = next((row for row in rows if row[0] is not None), None)
    if state is None:
        return None
    submission, period, is_member, history, lock, returned_id = state[:_ANSWER_AT]
    answers = {
        row[_ANSWER_AT + 2]: AnswerRow(*row[_ANSWER_AT:])
        for row in rows
        if row[_ANSWER_AT] is not None
    }
    return DraftState(submission, period, bool(is_member), history, lock, answers, returned_id)


def setup_version(session: Session) -> int:
    """A number that grows whenever a set-up import changes anything."""
    return session.exec(_SETUP_VERSION).one() or 0


def history_version(session: Session, *, unit_id: int, period_id: int) -> int:
    """A number that changes whenever the unit submits in another period (its last values)."""
    row = session.execute(_HISTORY_VERSION, {"unit_id": unit_id, "period_id": period_id}).one()
    return int(row[0])
