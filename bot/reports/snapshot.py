"""A period's figures as plain frozen data: everything a summary or an export needs, loaded once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType

from sqlmodel import Session, col, select

from bot.domain import figures
from bot.domain.scoring import ClusterScores
from bot.storage import reports as queries
from bot.storage.models import Cluster, Indicator, Period, Unit
from bot.storage.scoring import load_scores
from bot.storage.types import require_id

__all__ = [
    "AnswerInfo",
    "ClusterInfo",
    "IndicatorInfo",
    "LogEntry",
    "PeriodInfo",
    "Snapshot",
    "UnitFigures",
    "UnitInfo",
    "load_snapshot",
]


@dataclass(frozen=True, slots=True)
class PeriodInfo:
    """The reporting period: its code, name, pledge year, deadline (UTC) and timezone."""

    id: int
    code: str
    name: str
    year: int
    deadline_at: datetime
    timezone: str


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A member unit."""

    id: int
    code: str
    name: str
    merged_from: tuple[str, ...] = ()  # the old units' names, for a merged unit
    renamed_from: str | None = None  # the old name's unit, for a renamed one


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    """An active indicator of the cluster's pledge."""

    id: int
    code: str
    name: str
    kind: str
    unit_label: str | None = None
    better: str | None = None  # "higher", "lower" or None
    options: tuple[str, ...] = ()
    integer: bool = False

    @property
    def spec(self) -> figures.Spec:
        """The figures module's view of the indicator (bounds do not matter for reading back)."""
        return figures.Spec(
            kind=self.kind, integer=self.integer, options=self.options, unit=self.unit_label
        )


@dataclass(frozen=True, slots=True)
class AnswerInfo:
    """One answer of a submitted revision: canonical value text and what came with it."""

    value: str | None
    value_number: float | None = None
    skipped: bool = False
    explanation: str | None = None
    flags: tuple[str, ...] = ()
    file_name: str | None = None

    def read(self, indicator: IndicatorInfo) -> figures.Value | None:
        """The value read back for the indicator; None when skipped, empty or malformed."""
        if self.skipped or self.value is None:
            return None
        try:
            return figures.from_canonical(self.value, indicator.spec)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """A unit's latest submitted revision; one the chair returned still holds the figures."""

    revision: int
    submitted_at: datetime | None
    late: bool
    submitted_by: str | None
    returned_at: datetime | None
    returned_reason: str | None
    answers: Mapping[str, AnswerInfo]  # by indicator code


@dataclass(frozen=True)
class ClusterInfo:
    """A cluster in the period: its units and indicators in order, targets, latest figures."""

    id: int
    code: str
    name: str
    units: tuple[UnitInfo, ...]
    indicators: tuple[IndicatorInfo, ...]
    targets: Mapping[str, Mapping[str, str]]  # unit code -> indicator code -> canonical target
    latest: Mapping[str, UnitFigures]  # unit code -> its latest submitted revision
    scores: ClusterScores | None = None  # when the cluster's pledge has a scoring table
    kind: str = "cum"  # cum | khoi: «Toàn cụm» or «Toàn khối» beside the units' figures

    def target(self, unit_code: str, indicator: IndicatorInfo) -> figures.Value | None:
        """The unit's target for the indicator, read back; None when it has none."""
        text = self.targets.get(unit_code, {}).get(indicator.code)
        if text is None:
            return None
        try:
            return figures.from_canonical(text, indicator.spec)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One submitted revision, for the submission log."""

    cluster_code: str
    unit_code: str
    unit_name: str
    revision: int
    submitted_at: datetime | None
    submitted_by: str | None
    late: bool
    returned_at: datetime | None
    returned_reason: str | None


@dataclass(frozen=True)
class Snapshot:
    """The period, its clusters (or the one asked for) and every submitted revision."""

    period: PeriodInfo
    clusters: tuple[ClusterInfo, ...]
    log: tuple[LogEntry, ...]


def load_snapshot(session: Session, *, period_id: int, cluster_id: int | None = None) -> Snapshot:
    """Read the period's figures in a fixed number of queries, whatever the number of units."""
    period = session.get(Period, period_id)
    if period is None:
        raise LookupError(f"no period with id {period_id}")
    clusters = queries.period_clusters(session, period_id=period_id, cluster_id=cluster_id)
    ids = [require_id(cluster) for cluster in clusters]
    units: dict[int, list[Unit]] = defaultdict(list)
    for owner, unit in queries.cluster_units(session, cluster_ids=ids, year=period.year):
        units[owner].append(unit)
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for owner, indicator in queries.pledge_indicators(session, cluster_ids=ids, year=period.year):
        indicators[owner].append(indicator)
    figures_of = _Figures(session, period_id, ids, period.year)
    old_names = _old_names(session, [unit for members in units.values() for unit in members])
    shaped = tuple(
        _cluster(
            cluster, units[cluster.id or 0], indicators[cluster.id or 0], figures_of, old_names
        )
        for cluster in clusters
    )
    scored = load_scores(session, period_id=period_id, cluster_ids=ids)
    shaped = tuple(replace(c, scores=scored[c.id]) if c.id in scored else c for c in shaped)
    return Snapshot(_period(period), shaped, _log(session, period_id, shaped))


class _Figures:
    """Targets, latest revisions and their answers of the whole period, indexed by ids."""

    def __init__(self, session: Session, period_id: int, cluster_ids: list[int], year: int):
        self.targets: dict[int, dict[int, str]] = defaultdict(dict)
        for unit_id, indicator_id, value in queries.pledge_targets(
            session, cluster_ids=cluster_ids, year=year
        ):
            self.targets[unit_id][indicator_id] = value
        self.revisions = {
            row.unit_id: row
            for row in queries.latest_revisions(
                session, period_id=period_id, cluster_ids=cluster_ids
            )
        }
        self.answers = {
            (row.submission_id, row.indicator_id): AnswerInfo(
                row.value,
                row.value_number,
                row.skipped,
                row.explanation,
                tuple(row.flags),
                row.file_name,
            )
            for row in queries.latest_answers(session, period_id=period_id, cluster_ids=cluster_ids)
        }


def _period(period: Period) -> PeriodInfo:
    return PeriodInfo(
        id=require_id(period),
        code=period.code,
        name=period.name,
        year=period.year,
        deadline_at=period.deadline_at,
        timezone=period.timezone,
    )


def _indicator(indicator: Indicator) -> IndicatorInfo:
    return IndicatorInfo(
        id=require_id(indicator),
        code=indicator.code,
        name=indicator.name,
        kind=indicator.kind,
        unit_label=indicator.unit_label,
        better=indicator.better,
        options=tuple(indicator.options),
        integer=indicator.integer,
    )


def _old_names(session: Session, units: list[Unit]) -> dict[str, str]:
    """Code -> name of the units the given ones were merged or renamed from."""
    codes = {c for u in units for c in (*(u.merged_from or ()), u.renamed_from) if c}
    if not codes:
        return {}
    return dict(session.exec(select(Unit.code, Unit.name).where(col(Unit.code).in_(codes))).all())


def _unit_info(unit: Unit, old_names: dict[str, str]) -> UnitInfo:
    renamed = old_names.get(unit.renamed_from, unit.renamed_from) if unit.renamed_from else None
    return UnitInfo(
        require_id(unit),
        unit.code,
        unit.name,
        merged_from=tuple(old_names.get(code, code) for code in unit.merged_from or ()),
        renamed_from=renamed,
    )


def _cluster(
    cluster: Cluster,
    units: list[Unit],
    indicators: list[Indicator],
    figures_of: _Figures,
    old_names: dict[str, str],
) -> ClusterInfo:
    shown = tuple(_indicator(indicator) for indicator in indicators)
    unit_targets: dict[str, Mapping[str, str]] = {}
    latest: dict[str, UnitFigures] = {}
    for unit in units:
        own = figures_of.targets.get(unit.id or 0, {})
        unit_targets[unit.code] = MappingProxyType(
            {i.code: own[i.id] for i in shown if i.id in own}
        )
        if (revision := figures_of.revisions.get(unit.id or 0)) is not None:
            latest[unit.code] = _unit_figures(revision, shown, figures_of.answers)
    return ClusterInfo(
        id=require_id(cluster),
        code=cluster.code,
        name=cluster.name,
        kind=cluster.kind,
        units=tuple(_unit_info(unit, old_names) for unit in units),
        indicators=shown,
        targets=MappingProxyType(unit_targets),
        latest=MappingProxyType(latest),
    )


def _unit_figures(
    revision: queries.RevisionRow,
    indicators: tuple[IndicatorInfo, ...],
    answers: dict[tuple[int, int], AnswerInfo],
) -> UnitFigures:
    # Keyed by this cluster's indicators only: a unit in two clusters answers two pledges.
    own = {
        i.code: answer
        for i in indicators
        if (answer := answers.get((revision.submission_id, i.id))) is not None
    }
    return UnitFigures(
        revision=revision.revision,
        submitted_at=revision.submitted_at,
        late=revision.late,
        submitted_by=revision.submitted_by,
        returned_at=revision.returned_at,
        returned_reason=revision.returned_reason,
        answers=MappingProxyType(own),
    )


def _log(
    session: Session, period_id: int, clusters: tuple[ClusterInfo, ...]
) -> tuple[LogEntry, ...]:
    home: dict[int, tuple[str, UnitInfo]] = {}
    for cluster in clusters:
        for unit in cluster.units:
            home.setdefault(unit.id, (cluster.code, unit))
    entries = []
    for row in queries.submission_log(
        session, period_id=period_id, cluster_ids=[cluster.id for cluster in clusters]
    ):
        cluster_code, unit = home[row.unit_id]
        entries.append(
            LogEntry(
                cluster_code=cluster_code,
                unit_code=unit.code,
                unit_name=unit.name,
                revision=row.revision,
                submitted_at=row.submitted_at,
                submitted_by=row.submitted_by,
                late=row.late,
                returned_at=row.returned_at,
                returned_reason=row.returned_reason,
            )
        )
    return tuple(entries)
