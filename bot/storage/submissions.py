"""Queries behind a submission: its drafts, answers and revisions. What every step checks
first is in `draft_state`, what a unit is asked in `asking`; both are exported here too."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Integer, bindparam, insert, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, delete, select

from bot.storage.asking import (
    chair_unit,
    cluster_in_period,
    cluster_of_unit,
    indicators_for,
    last_values,
    periods_of_unit,
    targets_for,
)
from bot.storage.audit import record_event
from bot.storage.draft_state import (
    ANSWER_COLUMNS,
    SETUP_ACTIONS,
    AnswerRow,
    DraftState,
    draft_state,
    history_version,
    history_version_of,
    setup_version,
)
from bot.storage.models import Answer, Person, Submission, Unit
from bot.storage.pledge_tables import TargetAnswer
from bot.storage.row_writes import insert_row, update_row
from bot.storage.types import require_id, utcnow

__all__ = [
    "SETUP_ACTIONS",
    "AnswerRow",
    "DraftState",
    "StoredAnswer",
    "answers_of",
    "blank_answer",
    "chair_unit",
    "cluster_in_period",
    "cluster_of_unit",
    "delete_answers",
    "draft_of",
    "draft_state",
    "history_version",
    "indicators_for",
    "last_values",
    "latest_submitted",
    "newest_revisions_with_history",
    "periods_of_unit",
    "revisions_of",
    "save_answer",
    "setup_version",
    "start_draft",
    "start_draft_with_answers",
    "submit_draft",
    "targets_for",
    "write_answer",
]

StoredAnswer = Answer | AnswerRow  # a submission's answer, as loaded or as read with its draft
Kept = TypeVar("Kept", bound=StoredAnswer | TargetAnswer)

# The statements every step runs are built once: building and keying a statement costs more
# CPU than SQLite takes to run it.
_ANSWERS = select(Answer).where(col(Answer.submission_id) == bindparam("submission_id"))
_REVISIONS = (
    select(Submission)
    .where(
        col(Submission.period_id) == bindparam("period_id"),
        col(Submission.unit_id) == bindparam("unit_id"),
    )
    .order_by(col(Submission.revision))
)
# The two newest are all a new step needs: a draft is always the newest revision (started as
# the next one, and revisions are unique), and every other revision is a submitted one. Not
# every revision: a unit that revised often would build an object for each at every /submit.
# Uncorrelated, the version is computed once whatever the number of rows.
_NEWEST_REVISIONS_WITH_HISTORY = (
    select(Submission)
    .where(
        col(Submission.period_id) == bindparam("period_id"),
        col(Submission.unit_id) == bindparam("unit_id"),
    )
    .order_by(col(Submission.revision).desc())
    .limit(2)
    .add_columns(history_version_of(bindparam("unit_id"), bindparam("period_id")))
)
_LATEST_SUBMITTED = (
    select(Submission)
    .where(
        col(Submission.period_id) == bindparam("period_id"),
        col(Submission.unit_id) == bindparam("unit_id"),
        col(Submission.status) == "submitted",
    )
    .order_by(col(Submission.revision).desc())
    .limit(1)  # the ORM would otherwise build an object for every older revision
)


# A conditional update: two focal points pressing «Xác nhận» together submit once.
_SUBMIT = (
    update(Submission)
    .where(col(Submission.id) == bindparam("draft_id"), col(Submission.status) == "draft")
    .values(
        status="submitted",
        submitted_at=bindparam("submitted_at"),
        submitted_by_person_id=bindparam("submitted_by_person_id"),
        late=bindparam("late"),
        cursor_indicator_id=None,
        pending=None,
    )
    .execution_options(synchronize_session=False)
)


def _copy_answers() -> Any:
    """A new draft's answers, copied from the previous revision inside the database and
    returned as rows: the draft needs no second statement to read them."""
    table = Answer.__table__  # type: ignore[attr-defined]
    copied = [c for c in table.columns if c.name not in ("id", "submission_id")]
    copy = insert(table).from_select(
        ["submission_id", *(c.name for c in copied)],
        select(bindparam("draft_id", type_=Integer), *copied).where(
            table.c.submission_id == bindparam("previous_id")
        ),
    )
    return copy.returning(*ANSWER_COLUMNS)


_COPY_ANSWERS = _copy_answers()


def revisions_of(session: Session, *, period_id: int, unit_id: int) -> list[Submission]:
    """Every revision of the unit for the period, the draft included, oldest first."""
    return list(session.exec(_REVISIONS, params={"period_id": period_id, "unit_id": unit_id}))


def newest_revisions_with_history(
    session: Session, *, period_id: int, unit_id: int
) -> tuple[list[Submission], int]:
    """The unit's two newest revisions, oldest first (the draft if any, and the newest
    submitted one, as `revisions_of` would give them), and its `history_version`."""
    params = {"period_id": period_id, "unit_id": unit_id}
    rows = session.execute(_NEWEST_REVISIONS_WITH_HISTORY, params).all()
    if not rows:  # the unit's first draft for the period: no row carries the version
        return [], history_version(session, unit_id=unit_id, period_id=period_id)
    return [submission for submission, _history in reversed(rows)], int(rows[0][1])


def latest_submitted(session: Session, *, period_id: int, unit_id: int) -> Submission | None:
    """The unit's newest submitted revision for the period."""
    return session.exec(
        _LATEST_SUBMITTED, params={"period_id": period_id, "unit_id": unit_id}
    ).first()


def draft_of(session: Session, *, period_id: int, unit_id: int) -> Submission | None:
    """The unit's draft for the period, if one is in progress."""
    return session.exec(
        select(Submission).where(
            Submission.period_id == period_id,
            Submission.unit_id == unit_id,
            Submission.status == "draft",
        )
    ).first()


def start_draft(
    session: Session,
    *,
    period_id: int,
    unit_id: int,
    person: Person,
    revisions: list[Submission] | None = None,
) -> Submission:
    """A new draft: the next revision, prefilled with the last submitted answers if any.

    `revisions` (from `revisions_of`, in this transaction) saves reading them again.
    """
    draft, _answers = start_draft_with_answers(
        session, period_id=period_id, unit_id=unit_id, person=person, revisions=revisions
    )
    return draft


def start_draft_with_answers(
    session: Session,
    *,
    period_id: int,
    unit_id: int,
    person: Person,
    revisions: list[Submission] | None = None,
) -> tuple[Submission, dict[int, AnswerRow]]:
    """`start_draft`, and the new draft's answers as `draft_state` would read them."""
    if revisions is None:
        revisions = revisions_of(session, period_id=period_id, unit_id=unit_id)
    submitted = [s for s in revisions if s.status == "submitted"]
    draft = Submission(
        period_id=period_id,
        unit_id=unit_id,
        revision=max((s.revision for s in revisions), default=0) + 1,
        status="draft",
        started_by_person_id=person.id,
    )
    session.add(draft)
    session.flush()
    if not submitted:
        return draft, {}  # a draft just made, in this transaction: nothing answers it yet
    previous = max(submitted, key=lambda s: s.revision)
    params = {"draft_id": require_id(draft), "previous_id": previous.id}
    copied = [AnswerRow(*row) for row in session.connection().execute(_COPY_ANSWERS, params)]
    return draft, {answer.indicator_id: answer for answer in copied}


def answers_of(session: Session, submission_id: int) -> dict[int, Answer]:
    """Indicator id -> answer, for one submission or draft."""
    rows = session.exec(_ANSWERS, params={"submission_id": submission_id}).all()
    return {answer.indicator_id: answer for answer in rows}


def delete_answers(session: Session, submission_id: int) -> None:
    """Empty a draft, to start over."""
    session.exec(delete(Answer).where(col(Answer.submission_id) == submission_id))


def save_answer(
    session: Session,
    *,
    draft: Submission,
    indicator_id: int,
    person: Person,
    answers: dict[int, StoredAnswer] | None = None,
    **values: Any,
) -> StoredAnswer:
    """Create or replace the draft's answer to one indicator.

    `answers` (the draft's answers as read in this transaction) saves looking the answer up.
    """
    answer: StoredAnswer | None
    if answers is not None:
        answer = answers.get(indicator_id)
    else:
        answer = session.exec(
            select(Answer).where(
                Answer.submission_id == draft.id, Answer.indicator_id == indicator_id
            )
        ).first()
    owner = {"submission_id": require_id(draft), "indicator_id": indicator_id}
    model: type[StoredAnswer] = AnswerRow  # a new answer comes back as a plain row
    return write_answer(
        session, answer, model, owner=owner, person=person, fields=blank_answer() | values
    )


def blank_answer(*, files: bool = True) -> dict[str, Any]:
    """Every field that saving an answer replaces, empty (a new list each time)."""
    fields: dict[str, Any] = {
        "raw_text": None,
        "value": None,
        "value_number": None,
        "skipped": False,
        "flags": [],
        "explanation": None,
    }
    return fields | ({"file_id": None, "file_name": None, "file_size": None} if files else {})


def write_answer(
    session: Session,
    answer: Kept | None,
    model: type[Kept],
    *,
    owner: dict[str, int],
    person: Person,
    fields: dict[str, Any],
) -> Kept:
    """Give the answer (of a submission or of targets, loaded or a plain row) these fields, by
    this person, now; without one, a new answer of `model` for `owner` (its draft and
    indicator). Written at once by one statement (the new answer's id read back by its
    INSERT): no unit of work to flush."""
    values = fields | {"answered_by_person_id": person.id, "answered_at": utcnow()}
    if answer is None:
        return insert_row(session, model, **owner, **values)
    update_row(session, answer, **values)
    return answer


def submit_draft(
    session: Session, *, draft: Submission, person: Person, unit: Unit, now: datetime, late: bool
) -> bool:
    """Turn the draft into a submitted revision, once, and audit it; False if already done."""
    values: dict[str, Any] = {
        "status": "submitted",
        "submitted_at": now,
        "submitted_by_person_id": person.id,
        "late": late,
        "cursor_indicator_id": None,
        "pending": None,
    }
    result = session.execute(
        _SUBMIT,
        {"draft_id": draft.id, "submitted_at": now, "submitted_by_person_id": person.id,
         "late": late},
    )  # fmt: skip
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    # The row now holds exactly these values: no need to read it back.
    for name, value in values.items():
        set_committed_value(draft, name, value)
    record_event(
        session,
        actor=f"telegram:{person.telegram_id}",
        action="submission.submitted",
        entity="unit",
        entity_key=unit.code,
        after={"period_id": draft.period_id, "revision": draft.revision, "late": late},
    )
    return True
