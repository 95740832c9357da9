"""A period's scores: the stored tables, each unit's inputs and reviews, the engine's result."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.domain import figures
from bot.domain.scoring import (
    ClusterScores,
    Criterion,
    Grade,
    Group,
    Leaf,
    Reviews,
    ScoringTable,
    UnitEntry,
    score_cluster,
)
from bot.storage import reports as queries
from bot.storage.models import Indicator, Period, Pledge, Submission, Unit
from bot.storage.scoring_tables import (
    GROUP,
    ApprovedScore,
    ScoreApproval,
    ScoreChange,
    ScoringClass,
    ScoringCriterion,
    SelfScore,
)
from bot.storage.types import require_id

__all__ = ["LOCKED", "UNLOCKED", "load_scores", "scoring_tables"]

LOCKED, UNLOCKED = "locked", "unlocked"

# A fixed number of statements for the whole period, whatever the number of clusters: the
# province's 330 clusters are scored in one call, like its export.


def scoring_tables(
    session: Session, *, cluster_ids: Sequence[int], year: int
) -> dict[int, ScoringTable]:
    """Cluster id -> its pledge's scoring table for the year, for the clusters that have one."""
    rows = session.exec(
        select(Pledge.cluster_id, ScoringCriterion, Indicator.code, Indicator.better)
        .join(Pledge, col(Pledge.id) == ScoringCriterion.pledge_id)
        .join(Indicator, col(Indicator.id) == ScoringCriterion.indicator_id, isouter=True)
        .where(col(Pledge.cluster_id).in_(cluster_ids), Pledge.year == year)
        .order_by(col(Pledge.cluster_id), col(ScoringCriterion.position))
    ).all()
    criteria: dict[int, list[_Row]] = defaultdict(list)
    for cluster_id, criterion, code, better in rows:
        criteria[cluster_id].append((criterion, code, better))
    if not criteria:  # the common case without scoring: one statement, not two
        return {}
    grades: dict[int, list[Grade]] = defaultdict(list)
    for cluster_id, grade in session.exec(
        select(Pledge.cluster_id, ScoringClass)
        .join(Pledge, col(Pledge.id) == ScoringClass.pledge_id)
        .where(col(Pledge.cluster_id).in_(cluster_ids), Pledge.year == year)
    ):
        grades[cluster_id].append(Grade(grade.name, Decimal(grade.threshold)))
    return {
        cluster_id: ScoringTable(
            _tree(found),
            tuple(sorted(grades[cluster_id], key=lambda g: g.threshold, reverse=True)),
        )
        for cluster_id, found in criteria.items()
    }


def load_scores(
    session: Session, *, period_id: int, cluster_ids: Sequence[int] | None = None
) -> dict[int, ClusterScores]:
    """Cluster id -> its scores in the period (every layer reached), for clusters with a table."""
    period = session.get(Period, period_id)
    if period is None:
        raise LookupError(f"no period with id {period_id}")
    if cluster_ids is None:
        clusters = queries.period_clusters(session, period_id=period_id)
        cluster_ids = [require_id(cluster) for cluster in clusters]
    tables = scoring_tables(session, cluster_ids=cluster_ids, year=period.year)
    if not tables:
        return {}
    inputs = _Inputs(session, period, list(tables))
    return {
        cluster_id: score_cluster(table, inputs.entries(cluster_id), inputs.reviews(cluster_id))
        for cluster_id, table in tables.items()
    }


_Row = tuple[ScoringCriterion, str | None, str | None]  # a criterion, its indicator's code, better


def _tree(rows: list[_Row]) -> tuple[Criterion, ...]:
    """The criteria tree rebuilt from its rows, in the table's order."""
    children: dict[str | None, list[_Row]] = defaultdict(list)
    for row in rows:
        children[row[0].parent_key].append(row)
    return _items(children, None)


def _items(children: dict[str | None, list[_Row]], parent: str | None) -> tuple[Criterion, ...]:
    return tuple(_criterion(row, children) for row in children[parent])


def _criterion(row: _Row, children: dict[str | None, list[_Row]]) -> Criterion:
    criterion, code, better = row
    maximum = None if criterion.max_points is None else Decimal(criterion.max_points)
    if criterion.rule == GROUP:
        return Group(criterion.key, criterion.title, maximum, _items(children, criterion.key))
    return Leaf(
        key=criterion.key,
        title=criterion.title,
        max=maximum or Decimal(0),
        rule=criterion.rule,
        indicator=code,
        lower_is_better=better == "lower",
        points={option: Decimal(points) for option, points in criterion.points.items()},
        rate=None if criterion.rate is None else Decimal(criterion.rate),
    )


class _Inputs:
    """Every cluster's members, figures, targets, self-scores and reviews, loaded at once."""

    def __init__(self, session: Session, period: Period, cluster_ids: list[int]) -> None:
        period_id = require_id(period)
        self.members: dict[int, list[Unit]] = defaultdict(list)
        for cluster_id, unit in queries.cluster_units(
            session, cluster_ids=cluster_ids, year=period.year
        ):
            self.members[cluster_id].append(unit)
        self.indicators: dict[int, list[Indicator]] = defaultdict(list)
        for cluster_id, indicator in queries.pledge_indicators(
            session, cluster_ids=cluster_ids, year=period.year
        ):
            self.indicators[cluster_id].append(indicator)
        self.targets = {
            (unit_id, indicator_id): value
            for unit_id, indicator_id, value in queries.pledge_targets(
                session, cluster_ids=cluster_ids, year=period.year
            )
        }
        revisions = queries.latest_revisions(session, period_id=period_id, cluster_ids=cluster_ids)
        self.latest = {row.unit_id: row.submission_id for row in revisions}
        self.answers = {
            (row.submission_id, row.indicator_id): row
            for row in queries.latest_answers(session, period_id=period_id, cluster_ids=cluster_ids)
            if not row.skipped and row.value is not None
        }
        self.own = _self_scores(session, period_id, cluster_ids, set(self.latest.values()))
        self.changes = _changes(session, period_id, cluster_ids)
        self.approved = _approved(session, period_id, cluster_ids)

    def entries(self, cluster_id: int) -> tuple[UnitEntry, ...]:
        """The cluster's units in set-up order, each with its figures, targets and own scores."""
        return tuple(self.entry(cluster_id, unit) for unit in self.members[cluster_id])

    def entry(self, cluster_id: int, unit: Unit) -> UnitEntry:
        unit_id = require_id(unit)
        submission = self.latest.get(unit_id)
        found, targets = {}, {}
        for indicator in self.indicators[cluster_id]:
            spec = figures.Spec(kind=indicator.kind, options=tuple(indicator.options))
            answer = self.answers.get((submission or 0, require_id(indicator)))
            if answer is not None and answer.value is not None:
                found[indicator.code] = _read(answer.value, spec)
            target = self.targets.get((unit_id, require_id(indicator)))
            if target is not None:
                targets[indicator.code] = _read(target, spec)
        return UnitEntry(
            code=unit.code,
            name=unit.name,
            submitted=submission is not None,
            figures={code: value for code, value in found.items() if value is not None},
            targets={code: value for code, value in targets.items() if value is not None},
            self_scores=self.own.get((submission or 0, cluster_id), {}),
        )

    def reviews(self, cluster_id: int) -> Reviews:
        codes = {require_id(unit): unit.code for unit in self.members[cluster_id]}
        changes = {codes[u]: v for u, v in self.changes.get(cluster_id, {}).items() if u in codes}
        locked = self.approved.get(cluster_id)
        approved = (
            None if locked is None else {codes[u]: v for u, v in locked.items() if u in codes}
        )
        return Reviews(changes=changes, approved=approved)


def _read(text: str, spec: figures.Spec) -> figures.Value | None:
    try:
        return figures.from_canonical(text, spec)
    except ValueError:
        return None


def _self_scores(
    session: Session, period_id: int, cluster_ids: list[int], latest: set[int]
) -> dict[tuple[int, int], dict[str, Decimal]]:
    """(submission id, cluster id) -> leaf key -> score, for the latest revisions only."""
    rows = session.connection().execute(
        sa_select(
            col(SelfScore.submission_id),
            col(SelfScore.cluster_id),
            col(SelfScore.criterion_key),
            col(SelfScore.value),
        )
        .join(Submission, col(Submission.id) == SelfScore.submission_id)
        .where(col(Submission.period_id) == period_id, col(SelfScore.cluster_id).in_(cluster_ids))
    )
    scores: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for submission_id, cluster_id, key, value in rows:
        if submission_id in latest:
            scores[(submission_id, cluster_id)][key] = Decimal(value)
    return scores


def _changes(
    session: Session, period_id: int, cluster_ids: list[int]
) -> dict[int, dict[int, dict[str, Decimal]]]:
    """cluster id -> unit id -> leaf key -> the chair's latest value (the last change wins)."""
    changes: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for change in session.exec(
        select(ScoreChange)
        .where(ScoreChange.period_id == period_id, col(ScoreChange.cluster_id).in_(cluster_ids))
        .order_by(col(ScoreChange.id))
    ):
        changes[change.cluster_id][change.unit_id][change.criterion_key] = Decimal(change.value)
    return changes


def _approved(
    session: Session, period_id: int, cluster_ids: list[int]
) -> dict[int, dict[int, dict[str, Decimal]]]:
    """cluster id -> unit id -> leaf key -> locked score, for the clusters approved and locked."""
    approved: dict[int, dict[int, dict[str, Decimal]]] = {}
    locked = session.exec(
        select(ScoreApproval).where(
            ScoreApproval.period_id == period_id,
            col(ScoreApproval.cluster_id).in_(cluster_ids),
            ScoreApproval.state == LOCKED,
        )
    ).all()
    for approval in locked:
        approved[approval.cluster_id] = defaultdict(dict)
    by_approval = {require_id(approval): approval.cluster_id for approval in locked}
    for score in session.exec(
        select(ApprovedScore).where(col(ApprovedScore.approval_id).in_(list(by_approval)))
    ):
        approved[by_approval[score.approval_id]][score.unit_id][score.criterion_key] = Decimal(
            score.value
        )
    return approved
