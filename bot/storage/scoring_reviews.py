"""Writing scores: a unit's own scores, the chair's changes and the unit's answer, approvals."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, col, delete, select

from bot.domain import figures
from bot.domain.scoring import CLUSTER, PEOPLE, Leaf
from bot.storage.audit import record_event
from bot.storage.models import Cluster, ClusterUnit, Period, Submission, Unit
from bot.storage.scoring import LOCKED, UNLOCKED, load_scores, scoring_tables
from bot.storage.scoring_tables import ApprovedScore, ScoreApproval, ScoreChange, SelfScore
from bot.storage.types import require_id, utcnow

__all__ = [
    "ScoresLocked",
    "approval_of",
    "approve_scores",
    "change_score",
    "explain_change",
    "record_self_score",
    "score_changes",
    "unlock_scores",
]


class ScoresLocked(Exception):
    """The cluster's scores for the period are approved: an admin must unlock them first."""


def record_self_score(
    session: Session,
    *,
    submission_id: int,
    cluster_id: int,
    criterion_key: str,
    value: Decimal,
    person_id: int | None = None,
) -> SelfScore:
    """Save the unit's own score on a people-scored criterion (0 to its maximum) in a revision."""
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise LookupError(f"no submission with id {submission_id}")
    period = _period(session, submission.period_id)
    leaf = _leaf(session, cluster_id, period.year, criterion_key)
    if leaf.rule != PEOPLE or not 0 <= value <= leaf.max:
        raise ValueError(f"{value} is not a self-score for {criterion_key}")
    row = session.exec(
        select(SelfScore).where(
            SelfScore.submission_id == submission_id,
            SelfScore.cluster_id == cluster_id,
            SelfScore.criterion_key == criterion_key,
        )
    ).first()
    row = row or SelfScore(
        submission_id=submission_id, cluster_id=cluster_id, criterion_key=criterion_key, value=""
    )
    row.value, row.answered_by_person_id, row.answered_at = _text(value), person_id, utcnow()
    session.add(row)
    session.flush()
    return row


def change_score(
    session: Session,
    *,
    period_id: int,
    cluster_id: int,
    unit_id: int,
    criterion_key: str,
    value: Decimal,
    reason: str,
    actor: str,
    person_id: int | None = None,
) -> ScoreChange:
    """The chair changes a unit's score on one criterion, with a reason the unit sees."""
    period = _period(session, period_id)
    if _locked(session, period_id, cluster_id):
        raise ScoresLocked(f"scores of cluster {cluster_id} in period {period_id} are approved")
    leaf = _leaf(session, cluster_id, period.year, criterion_key)
    low, high = leaf.bounds
    if not low <= value <= high or not reason.strip():
        raise ValueError(f"{value} with reason {reason!r} is not a change for {criterion_key}")
    unit = _member(session, cluster_id, unit_id)
    before = _cluster_value(session, period_id, cluster_id, unit.code, criterion_key)
    change = ScoreChange(
        period_id=period_id,
        cluster_id=cluster_id,
        unit_id=unit_id,
        criterion_key=criterion_key,
        value=_text(value),
        reason=reason.strip(),
        changed_by=actor,
        changed_by_person_id=person_id,
    )
    session.add(change)
    after = {"value": change.value, "reason": change.reason}
    _audit(
        session, actor, "score.change", period, cluster_id, unit.code, criterion_key, before, after
    )
    session.flush()
    return change


def explain_change(
    session: Session, *, change_id: int, text: str, person_id: int | None, actor: str
) -> ScoreChange:
    """Keep the unit's explanation (giải trình) of a change, for the chair to read."""
    change = session.get(ScoreChange, change_id)
    if change is None:
        raise LookupError(f"no score change with id {change_id}")
    if not text.strip():
        raise ValueError("an explanation needs some text")
    before = None if change.explanation is None else {"explanation": change.explanation}
    change.explanation = text.strip()
    change.explained_by_person_id, change.explained_at = person_id, utcnow()
    session.add(change)
    record_event(
        session,
        actor=actor,
        action="score.explain",
        entity="score_change",
        entity_key=str(change_id),
        before=before,
        after={"explanation": change.explanation},
    )
    session.flush()
    return change


def score_changes(session: Session, *, period_id: int, cluster_id: int) -> list[ScoreChange]:
    """Every change of the cluster's scores in the period, oldest first."""
    return list(
        session.exec(
            select(ScoreChange)
            .where(ScoreChange.period_id == period_id, ScoreChange.cluster_id == cluster_id)
            .order_by(col(ScoreChange.id))
        ).all()
    )


def approval_of(session: Session, *, period_id: int, cluster_id: int) -> ScoreApproval | None:
    """The cluster's approval in the period, locked or unlocked; None if never approved."""
    return session.exec(
        select(ScoreApproval).where(
            ScoreApproval.period_id == period_id, ScoreApproval.cluster_id == cluster_id
        )
    ).first()


def approve_scores(
    session: Session, *, period_id: int, cluster_id: int, actor: str
) -> ScoreApproval:
    """Lock the cluster scores as they are now as the approved scores (điểm duyệt)."""
    approval = approval_of(session, period_id=period_id, cluster_id=cluster_id)
    if approval is not None and approval.state == LOCKED:
        return approval
    scores = load_scores(session, period_id=period_id, cluster_ids=[cluster_id]).get(cluster_id)
    if scores is None:
        raise LookupError(f"cluster {cluster_id} has no scoring table in period {period_id}")
    approval = _set_state(session, approval, period_id, cluster_id, LOCKED, actor)
    approval_id = require_id(approval)
    session.exec(delete(ApprovedScore).where(col(ApprovedScore.approval_id) == approval_id))
    unit_ids = {unit.code: require_id(unit) for unit in _units(session, cluster_id)}
    totals = {}
    for standing in scores.layers[CLUSTER].standings:
        totals[standing.unit] = str(standing.total)
        for key, value in standing.leaves.items():
            session.add(
                ApprovedScore(
                    approval_id=approval_id,
                    unit_id=unit_ids[standing.unit],
                    criterion_key=key,
                    value=_text(value),
                )
            )
    _audit(
        session,
        actor,
        "score.approve",
        _period(session, period_id),
        cluster_id,
        "",
        "",
        None,
        totals,
    )
    session.flush()
    return approval


def unlock_scores(
    session: Session, *, period_id: int, cluster_id: int, actor: str
) -> ScoreApproval:
    """Unlock approved scores so that the chair may change them again (until approved again)."""
    approval = approval_of(session, period_id=period_id, cluster_id=cluster_id)
    if approval is None or approval.state != LOCKED:
        raise ValueError(f"scores of cluster {cluster_id} in period {period_id} are not locked")
    approval = _set_state(session, approval, period_id, cluster_id, UNLOCKED, actor)
    period = _period(session, period_id)
    _audit(session, actor, "score.unlock", period, cluster_id, "", "", {"state": LOCKED}, {})
    session.flush()
    return approval


# -- helpers -------------------------------------------------------------------------------------


def _period(session: Session, period_id: int) -> Period:
    period = session.get(Period, period_id)
    if period is None:
        raise LookupError(f"no period with id {period_id}")
    return period


def _leaf(session: Session, cluster_id: int, year: int, key: str) -> Leaf:
    table = scoring_tables(session, cluster_ids=[cluster_id], year=year).get(cluster_id)
    leaf = None if table is None else table.leaf(key)
    if leaf is None:
        raise LookupError(f"cluster {cluster_id} has no criterion {key!r} in {year}")
    return leaf


def _units(session: Session, cluster_id: int) -> list[Unit]:
    return list(
        session.exec(
            select(Unit)
            .join(ClusterUnit, col(ClusterUnit.unit_id) == Unit.id)
            .where(ClusterUnit.cluster_id == cluster_id)
        ).all()
    )


def _member(session: Session, cluster_id: int, unit_id: int) -> Unit:
    unit = next((u for u in _units(session, cluster_id) if u.id == unit_id), None)
    if unit is None:
        raise LookupError(f"unit {unit_id} is not a member of cluster {cluster_id}")
    return unit


def _locked(session: Session, period_id: int, cluster_id: int) -> bool:
    approval = approval_of(session, period_id=period_id, cluster_id=cluster_id)
    return approval is not None and approval.state == LOCKED


def _cluster_value(
    session: Session, period_id: int, cluster_id: int, unit_code: str, key: str
) -> dict[str, str] | None:
    """The unit's cluster score on the criterion before a change, for the audit log."""
    scores = load_scores(session, period_id=period_id, cluster_ids=[cluster_id]).get(cluster_id)
    standing = None if scores is None else scores.layers[CLUSTER].of(unit_code)
    value = None if standing is None else standing.leaves.get(key)
    return None if value is None else {"value": _text(value)}


def _set_state(
    session: Session,
    approval: ScoreApproval | None,
    period_id: int,
    cluster_id: int,
    state: str,
    actor: str,
) -> ScoreApproval:
    approval = approval or ScoreApproval(
        period_id=period_id, cluster_id=cluster_id, state=state, set_by=actor
    )
    approval.state, approval.set_by, approval.set_at = state, actor, utcnow()
    session.add(approval)
    session.flush()
    return approval


def _audit(
    session: Session,
    actor: str,
    action: str,
    period: Period,
    cluster_id: int,
    unit_code: str,
    key: str,
    before: dict[str, str] | None,
    after: dict[str, str],
) -> None:
    """An audit event keyed `period/cluster[/unit/criterion]` by codes, as people read them."""
    cluster = session.get(Cluster, cluster_id)
    parts = [period.code, cluster.code if cluster else str(cluster_id), unit_code, key]
    record_event(
        session,
        actor=actor,
        action=action,
        entity="score",
        entity_key="/".join(part for part in parts if part)[:128],
        before=before,
        after=after,
    )


def _text(value: Decimal) -> str:
    return figures.to_canonical(value)
