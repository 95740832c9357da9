"""Queries behind a submission: what to ask a unit, its drafts, answers and revisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    case,
    exists,
    insert,
    null,
    union_all,
    update,
)
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, delete, func, select

from bot.storage.audit import record_event
from bot.storage.models import (
    Answer,
    AuditEvent,
    Cluster,
    ClusterLeadership,
    ClusterUnit,
    Indicator,
    Membership,
    Period,
    PeriodCluster,
    Person,
    Pledge,
    Submission,
    Target,
    Unit,
    UnitLock,
    member_in,
)
from bot.storage.types import require_id, utcnow

__all__ = [
    "SETUP_ACTIONS",
    "DraftState",
    "answers_of",
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
    "periods_of_unit",
    "revisions_of",
    "revisions_with_history",
    "save_answer",
    "setup_version",
    "start_draft",
    "start_draft_with_answers",
    "submit_draft",
    "targets_for",
]


@dataclass(frozen=True)
class DraftState:
    """A draft with what every step needs to check first, read in one query."""

    submission: Submission
    period: Period
    member: bool  # the person still belongs to the draft's unit
    history: int  # see `history_version`
    lock: str | None  # an admin's exception for the unit in the period (`UnitLock.state`)
    answers: dict[int, Answer]  # indicator id -> the submission's answer (`answers_of`)
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


def _history_version(unit_id: Any, period_id: Any) -> Any:
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
    """The state and the answers in one statement: a step waits for one round trip, not two.

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
            _history_version(Submission.unit_id, Submission.period_id),
            _LOCK,
            _returned_revision(),
            Answer,
        )
        .select_from(slot)
        .outerjoin(Answer, col(Answer.id) == slot.c.answer_id)
        .outerjoin(
            Submission, and_(slot.c.answer_id.is_(None), col(Submission.id) == submission_id)
        )
        .outerjoin(Period, col(Period.id) == Submission.period_id)
    )


_DRAFT_STATE = _draft_state()
_HISTORY_VERSION = select(_history_version(bindparam("unit_id"), bindparam("period_id")))
_ANSWERS = select(Answer).where(col(Answer.submission_id) == bindparam("submission_id"))
_REVISIONS = (
    select(Submission)
    .where(
        col(Submission.period_id) == bindparam("period_id"),
        col(Submission.unit_id) == bindparam("unit_id"),
    )
    .order_by(col(Submission.revision))
)
# Uncorrelated, the version is computed once however many revisions there are.
_REVISIONS_WITH_HISTORY = _REVISIONS.add_columns(
    _history_version(bindparam("unit_id"), bindparam("period_id"))
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
_PERIODS_OF_UNIT = (
    select(Period, Cluster, UnitLock.state)
    .join(PeriodCluster, col(PeriodCluster.period_id) == Period.id)
    .join(Cluster, col(Cluster.id) == PeriodCluster.cluster_id)
    .join(ClusterUnit, col(ClusterUnit.cluster_id) == Cluster.id)
    # At most one exception per period and unit (unique): no row is repeated.
    .outerjoin(
        UnitLock,
        and_(col(UnitLock.period_id) == Period.id, col(UnitLock.unit_id) == ClusterUnit.unit_id),
    )
    # A unit reports in the periods of the years it is a member (a merged unit's old
    # communes keep their past periods, and leave the later ones).
    .where(col(ClusterUnit.unit_id) == bindparam("unit_id"), member_in(Period.year))
    .order_by(col(Period.deadline_at), col(Period.id))
)


def _copy_answers() -> Any:
    """A new draft's answers, copied from the previous revision inside the database and
    returned as rows of the session: the draft needs no second statement to read them."""
    table = Answer.__table__  # type: ignore[attr-defined]
    copied = [c for c in table.columns if c.name not in ("id", "submission_id")]
    copy = insert(table).from_select(
        ["submission_id", *(c.name for c in copied)],
        select(bindparam("draft_id", type_=Integer), *copied).where(
            table.c.submission_id == bindparam("previous_id")
        ),
    )
    return select(Answer).from_statement(copy.returning(*table.columns))


_COPY_ANSWERS = _copy_answers()


def draft_state(session: Session, *, submission_id: int, person_id: int) -> DraftState | None:
    """The submission (a draft or not), its period, the person's membership, its history,
    the unit's lock exception, its answers and a returned previous revision."""
    rows = session.execute(
        _DRAFT_STATE, {"submission_id": submission_id, "person_id": person_id}
    ).all()
    state = next((row for row in rows if row[0] is not None), None)
    if state is None:
        return None
    submission, period, is_member, history, lock, returned_id, _none = state
    answers = {row[-1].indicator_id: row[-1] for row in rows if row[-1] is not None}
    return DraftState(submission, period, bool(is_member), history, lock, answers, returned_id)


def setup_version(session: Session) -> int:
    """A number that grows whenever a set-up import changes anything."""
    return session.exec(_SETUP_VERSION).one() or 0


def history_version(session: Session, *, unit_id: int, period_id: int) -> int:
    """A number that changes whenever the unit submits in another period (its last values)."""
    row = session.execute(_HISTORY_VERSION, {"unit_id": unit_id, "period_id": period_id}).one()
    return int(row[0])


def cluster_in_period(session: Session, *, period_id: int, unit_id: int) -> Cluster | None:
    """The cluster in which the unit reports in the period."""
    return session.exec(
        select(Cluster)
        .join(PeriodCluster, col(PeriodCluster.cluster_id) == Cluster.id)
        .join(ClusterUnit, col(ClusterUnit.cluster_id) == Cluster.id)
        .join(Period, col(Period.id) == PeriodCluster.period_id)
        .where(
            PeriodCluster.period_id == period_id,
            ClusterUnit.unit_id == unit_id,
            member_in(Period.year),
        )
        .order_by(col(ClusterUnit.id))
    ).first()


def revisions_of(session: Session, *, period_id: int, unit_id: int) -> list[Submission]:
    """Every revision of the unit for the period, the draft included, oldest first."""
    return list(session.exec(_REVISIONS, params={"period_id": period_id, "unit_id": unit_id}))


def revisions_with_history(
    session: Session, *, period_id: int, unit_id: int
) -> tuple[list[Submission], int]:
    """`revisions_of`, and the unit's `history_version` read with them."""
    params = {"period_id": period_id, "unit_id": unit_id}
    rows = session.execute(_REVISIONS_WITH_HISTORY, params).all()
    if not rows:  # the unit's first draft for the period: no row carries the version
        return [], history_version(session, unit_id=unit_id, period_id=period_id)
    return [submission for submission, _history in rows], int(rows[0][1])


def periods_of_unit(session: Session, unit_id: int) -> list[tuple[Period, Cluster, str | None]]:
    """Every period in which the unit reports, with the cluster it reports in and an admin's
    lock exception for the unit (`UnitLock.state`), oldest first."""
    rows = session.execute(_PERIODS_OF_UNIT, {"unit_id": unit_id}).all()
    return [(period, cluster, lock) for period, cluster, lock in rows]


def cluster_of_unit(session: Session, unit_id: int) -> Cluster | None:
    """The cluster a unit belongs to (the first listed, if several)."""
    return session.exec(
        select(Cluster)
        .join(ClusterUnit, col(ClusterUnit.cluster_id) == Cluster.id)
        .where(ClusterUnit.unit_id == unit_id)
        .order_by(col(ClusterUnit.id))
    ).first()


def chair_unit(session: Session, cluster_id: int, year: int) -> Unit | None:
    """The chair unit (Cụm trưởng) of a cluster for a year, if known."""
    return session.exec(
        select(Unit)
        .join(ClusterLeadership, col(ClusterLeadership.chair_unit_id) == Unit.id)
        .where(ClusterLeadership.cluster_id == cluster_id, ClusterLeadership.year == year)
    ).first()


def indicators_for(session: Session, *, cluster_id: int, year: int) -> list[Indicator]:
    """The active indicators of the cluster's pledge for the year, in the order asked."""
    return list(
        session.exec(
            select(Indicator)
            .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
            .where(Pledge.cluster_id == cluster_id, Pledge.year == year, col(Indicator.active))
            .order_by(col(Indicator.position))
        ).all()
    )


def targets_for(session: Session, *, unit_id: int, indicator_ids: list[int]) -> dict[int, str]:
    """Indicator id -> the unit's target (canonical text)."""
    rows = session.exec(
        select(Target.indicator_id, Target.value).where(
            Target.unit_id == unit_id, col(Target.indicator_id).in_(indicator_ids)
        )
    ).all()
    return dict(rows)


def last_values(session: Session, *, unit_id: int, before: Period) -> dict[str, str]:
    """Indicator code -> the unit's value in its latest earlier submitted period."""
    rows = session.exec(
        select(Indicator.code, Answer.value, Period.deadline_at, Submission.revision)
        .join(Answer, col(Answer.indicator_id) == Indicator.id)
        .join(Submission, col(Submission.id) == Answer.submission_id)
        .join(Period, col(Period.id) == Submission.period_id)
        .where(
            Submission.unit_id == unit_id,
            Submission.status == "submitted",
            col(Period.deadline_at) < before.deadline_at,
            col(Answer.value).is_not(None),
        )
        .order_by(col(Period.deadline_at), col(Submission.revision))
    ).all()
    # Later rows overwrite earlier ones: the newest period and revision win.
    return {code: value for code, value, _deadline, _revision in rows if value is not None}


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
) -> tuple[Submission, dict[int, Answer]]:
    """`start_draft`, and the new draft's answers as `answers_of` would read them."""
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
    copied = session.scalars(
        _COPY_ANSWERS, {"draft_id": require_id(draft), "previous_id": previous.id}
    ).all()
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
    answers: dict[int, Answer] | None = None,
    **values: Any,
) -> Answer:
    """Create or replace the draft's answer to one indicator.

    `answers` (the draft's answers as read in this transaction) saves looking the answer up.
    """
    if answers is not None:
        answer = answers.get(indicator_id)
    else:
        answer = session.exec(
            select(Answer).where(
                Answer.submission_id == draft.id, Answer.indicator_id == indicator_id
            )
        ).first()
    fields = {
        "raw_text": None,
        "value": None,
        "value_number": None,
        "skipped": False,
        "flags": [],
        "explanation": None,
        "file_id": None,
        "file_name": None,
        "file_size": None,
        **values,
    }
    if answer is None:
        answer = Answer(submission_id=require_id(draft), indicator_id=indicator_id, **fields)
    else:
        for name, value in fields.items():
            setattr(answer, name, value)
    answer.answered_by_person_id = person.id
    answer.answered_at = utcnow()
    session.add(answer)
    session.flush()
    return answer


def submit_draft(
    session: Session, *, draft: Submission, person: Person, unit: Unit, now: datetime, late: bool
) -> bool:
    """Turn the draft into a submitted revision, once, and audit it; False if already done."""
    # A conditional update: two focal points pressing «Xác nhận» together submit once.
    values: dict[str, Any] = {
        "status": "submitted",
        "submitted_at": now,
        "submitted_by_person_id": person.id,
        "late": late,
        "cursor_indicator_id": None,
        "pending": None,
    }
    result = session.execute(
        update(Submission)
        .where(col(Submission.id) == draft.id, col(Submission.status) == "draft")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
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
    # No flush: the event is written with the step's other changes, in one unit of work.
    return True
