"""A cluster summary: per indicator each unit's value, % of target, cluster total and best unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from bot.domain import figures
from bot.domain.scoring import ClusterScores
from bot.reports.snapshot import ClusterInfo, IndicatorInfo, PeriodInfo, Snapshot, UnitInfo

__all__ = [
    "ANSWERED",
    "AVERAGE",
    "OPTION_COUNTS",
    "RATIO",
    "SUM",
    "YES_COUNT",
    "Aggregate",
    "ClusterSummary",
    "IndicatorSummary",
    "Summary",
    "UnitResult",
    "build_summary",
    "of_target",
]

# How the cluster's figure is formed, by indicator kind.
SUM, RATIO, AVERAGE, YES_COUNT, OPTION_COUNTS, ANSWERED = (
    "sum",
    "ratio",
    "average",
    "yes_count",
    "option_counts",
    "answered",
)
_METHODS = {
    "number": SUM,
    "ratio": RATIO,
    "percent": AVERAGE,
    "yesno": YES_COUNT,
    "choice": OPTION_COUNTS,
    "text": ANSWERED,
    "file": ANSWERED,
}
_RANKED = ("number", "percent", "ratio")
_AVERAGE_STEP = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class UnitResult:
    """One unit's figure for one indicator."""

    unit: UnitInfo
    submitted: bool  # the unit has a submitted revision (possibly returned)
    value: figures.Value | None  # None: not submitted, skipped or not answered
    target: figures.Value | None = None
    of_target: Decimal | None = None  # value / target: 1 is 100 %
    explanation: str | None = None
    returned: bool = False

    @property
    def answered(self) -> bool:
        """Whether there is a value to show."""
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Aggregate:
    """The cluster's figure for one indicator, formed as `method` says."""

    method: str
    answered: int  # units with a value
    units: int  # units in the cluster
    value: figures.Value | None = None  # SUM and AVERAGE: a Decimal; RATIO: a Ratio
    of_target: Decimal | None = None  # SUM: sum of values / sum of their targets
    yes: int = 0  # YES_COUNT: answers «có»
    options: tuple[tuple[str, int], ...] = ()  # OPTION_COUNTS: each option and how many chose it


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    """One indicator across the cluster."""

    indicator: IndicatorInfo
    results: tuple[UnitResult, ...]
    aggregate: Aggregate
    best: tuple[UnitResult, ...] = ()  # ties share the place; empty without `better`
    best_on_target: bool = False  # the best were found on % of target, not on the raw figure


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    """A cluster's figures: how many units submitted, and each indicator."""

    code: str
    name: str
    units: int
    submitted: int
    indicators: tuple[IndicatorSummary, ...]
    scores: ClusterScores | None = None  # with a scoring table: every layer and the ranking
    lineage: tuple[UnitInfo, ...] = ()  # the merged and renamed units, told once
    kind: str = "cum"  # cum | khoi


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary of a period for its clusters (or the one asked for)."""

    period: PeriodInfo
    clusters: tuple[ClusterSummary, ...]


def build_summary(snapshot: Snapshot) -> Summary:
    """Compile the snapshot: no database, no Telegram, the same result every time."""
    return Summary(snapshot.period, tuple(_cluster(cluster) for cluster in snapshot.clusters))


def _cluster(cluster: ClusterInfo) -> ClusterSummary:
    return ClusterSummary(
        code=cluster.code,
        name=cluster.name,
        units=len(cluster.units),
        submitted=sum(1 for unit in cluster.units if unit.code in cluster.latest),
        indicators=tuple(_indicator(cluster, indicator) for indicator in cluster.indicators),
        scores=cluster.scores,
        lineage=tuple(u for u in cluster.units if u.merged_from or u.renamed_from),
        kind=cluster.kind,
    )


def _indicator(cluster: ClusterInfo, indicator: IndicatorInfo) -> IndicatorSummary:
    results = tuple(_result(cluster, indicator, unit) for unit in cluster.units)
    best, on_target = _best(indicator, results)
    return IndicatorSummary(
        indicator=indicator,
        results=results,
        aggregate=_aggregate(indicator, results),
        best=best,
        best_on_target=on_target,
    )


def _result(cluster: ClusterInfo, indicator: IndicatorInfo, unit: UnitInfo) -> UnitResult:
    figures_of = cluster.latest.get(unit.code)
    target = cluster.target(unit.code, indicator)
    if figures_of is None:
        return UnitResult(unit, submitted=False, value=None, target=target)
    answer = figures_of.answers.get(indicator.code)
    value = answer.read(indicator) if answer is not None else None
    return UnitResult(
        unit,
        submitted=True,
        value=value,
        target=target,
        of_target=of_target(value, target),
        explanation=answer.explanation if answer is not None else None,
        returned=figures_of.returned_at is not None,
    )


def of_target(value: figures.Value | None, target: figures.Value | None) -> Decimal | None:
    """value / target for figures that have a size; None without both or with a zero target."""
    sized = (Decimal, figures.Ratio)  # bool is not among them: yes/no has no % of target
    if not isinstance(value, sized) or not isinstance(target, sized):
        return None
    top, bottom = figures.as_number(value), figures.as_number(target)
    if top is None or not bottom:
        return None
    return top / bottom


def _aggregate(indicator: IndicatorInfo, results: Sequence[UnitResult]) -> Aggregate:
    method = _METHODS[indicator.kind]
    values = [result.value for result in results if result.value is not None]
    base = Aggregate(method, answered=len(values), units=len(results))
    if method == SUM:
        numbers = [value for value in values if isinstance(value, Decimal)]
        return replace(base, value=sum(numbers, Decimal(0)), of_target=_sum_of_target(results))
    if method == RATIO:
        ratios = [value for value in values if isinstance(value, figures.Ratio)]
        top = sum((ratio.numerator for ratio in ratios), Decimal(0))
        bottom = sum((ratio.denominator for ratio in ratios), Decimal(0))
        return replace(base, value=figures.Ratio(top, bottom) if ratios else None)
    if method == AVERAGE:
        numbers = [value for value in values if isinstance(value, Decimal)]
        return replace(base, value=_average(numbers))
    if method == YES_COUNT:
        return replace(base, yes=sum(1 for value in values if value is True))
    if method == OPTION_COUNTS:
        counts = tuple((option, values.count(option)) for option in indicator.options)
        return replace(base, options=counts)
    return base


def _sum_of_target(results: Sequence[UnitResult]) -> Decimal | None:
    """The units' summed values over their summed targets, counting units that have both."""
    pairs = [
        (result.value, result.target)
        for result in results
        if isinstance(result.value, Decimal) and isinstance(result.target, Decimal)
    ]
    targets = sum((target for _value, target in pairs), Decimal(0))
    if not targets:
        return None
    return sum((value for value, _target in pairs), Decimal(0)) / targets


def _average(numbers: Sequence[Decimal]) -> Decimal | None:
    if not numbers:
        return None
    mean = (sum(numbers, Decimal(0)) / len(numbers)).quantize(_AVERAGE_STEP, ROUND_HALF_UP)
    return Decimal(format(mean.normalize(), "f"))  # 104.50 -> 104.5, 100.00 -> 100


def _best(
    indicator: IndicatorInfo, results: Sequence[UnitResult]
) -> tuple[tuple[UnitResult, ...], bool]:
    """The leading units (ties share the place) and whether they lead on % of target.

    Units of different sizes are compared on % of their own target when every unit with a
    figure has one (as the provinces' scoring tables do); otherwise on the figure itself.
    """
    if indicator.better not in ("higher", "lower") or indicator.kind not in _RANKED:
        return (), False
    sized = [
        (value, result)
        for result in results
        if isinstance(value := result.value, Decimal | figures.Ratio)
    ]
    on_target = bool(sized) and all(result.of_target is not None for _v, result in sized)
    ranked = [
        (number, result)
        for value, result in sized
        if (number := result.of_target if on_target else figures.as_number(value)) is not None
    ]
    if not ranked:
        return (), False
    pick = max if indicator.better == "higher" else min
    top = pick(number for number, _result in ranked)
    return tuple(result for number, result in ranked if number == top), on_target
