"""The scoring engine: every leaf, subtotal, total, rank and class, exactly as DOMAIN.md sets them.

Arithmetic is exact (fractions); each leaf is rounded half-up to two decimals and subtotals and
totals are sums of the rounded leaves. Leader-relative rules need the whole cluster, so the
engine scores all its units at once. Three layers: the self-score (tự chấm), the cluster score
(the chair's changes on top) and the approved score (điểm duyệt, locked by an admin); the last
reviewer's value wins, never the highest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TypeAlias

from bot.domain.figures import Ratio, Value
from bot.domain.scoring_table import (
    APPROVED,
    BONUS,
    CHOICE,
    CLUSTER,
    LAYERS,
    PENALTY,
    PEOPLE,
    PER,
    RULES,
    SELF,
    TARGET,
    YESNO,
    ClusterScores,
    Criterion,
    Grade,
    Group,
    Leaf,
    Ranking,
    Reviews,
    ScoringTable,
    Standing,
    UnitEntry,
)

__all__ = [
    "APPROVED",
    "BONUS",
    "CHOICE",
    "CLUSTER",
    "LAYERS",
    "PENALTY",
    "PEOPLE",
    "PER",
    "RULES",
    "SELF",
    "TARGET",
    "YESNO",
    "ClusterScores",
    "Criterion",
    "Grade",
    "Group",
    "Leaf",
    "Ranking",
    "Reviews",
    "ScoringTable",
    "Standing",
    "UnitEntry",
    "round_score",
    "score_cluster",
]

_CENT = Decimal("0.01")
Exact: TypeAlias = Fraction | Decimal  # a score before rounding: no digit lost
# Products of figures with points are exact: no figure comes near this many digits.
_WIDE = Context(prec=200)


def score_cluster(
    table: ScoringTable, units: tuple[UnitEntry, ...], reviews: Reviews | None = None
) -> ClusterScores:
    """Score every unit of a cluster in every layer reached."""
    reviews = reviews or Reviews()
    own: dict[str, dict[str, Decimal]] = {unit.code: {} for unit in units}
    missing: dict[str, set[str]] = {unit.code: set() for unit in units}
    submitted = tuple(unit for unit in units if unit.submitted)
    for leaf in table.leaves:
        for code, score in _leaf_scores(leaf, submitted).items():
            own[code][leaf.key] = Decimal(0) if score is None else round_score(score)
            if score is None:
                missing[code].add(leaf.key)
    chair = {
        code: _overlaid(table, leaves, reviews.changes.get(code)) for code, leaves in own.items()
    }
    layers = {
        SELF: _ranking(SELF, table, units, own),
        CLUSTER: _ranking(CLUSTER, table, units, chair),
    }
    if reviews.approved is not None:
        locked = {u.code: _overlaid(table, {}, reviews.approved.get(u.code)) for u in units}
        layers[APPROVED] = _ranking(APPROVED, table, units, locked)
    frozen_missing = {code: frozenset(keys) for code, keys in missing.items()}
    return ClusterScores(table, units, MappingProxyType(frozen_missing), MappingProxyType(layers))


def round_score(value: Exact) -> Decimal:
    """Two decimals, half away from zero (Decimal's ROUND_HALF_UP), from an exact value."""
    if isinstance(value, Decimal):
        return value.quantize(_CENT, rounding=ROUND_HALF_UP, context=_WIDE)
    numerator, denominator = value.numerator, value.denominator
    cents = (200 * abs(numerator) + denominator) // (2 * denominator)
    return Decimal(-cents if numerator < 0 else cents).scaleb(-2)


# -- one leaf across the cluster -----------------------------------------------------------------


def _leaf_scores(leaf: Leaf, units: tuple[UnitEntry, ...]) -> dict[str, Exact | None]:
    """Each submitted unit's exact score for the leaf; None where its figure is missing."""
    if leaf.rule == TARGET:
        return _target_scores(leaf, units)
    if leaf.rule == PEOPLE:
        return {unit.code: _own_score(leaf, unit) for unit in units}
    return {
        unit.code: _single_score(leaf, unit.figures.get(leaf.indicator or "")) for unit in units
    }


def _own_score(leaf: Leaf, unit: UnitEntry) -> Decimal | None:
    given = unit.self_scores.get(leaf.key)
    return None if given is None else min(max(given, Decimal(0)), leaf.max)


def _single_score(leaf: Leaf, value: Value | None) -> Exact | None:
    """A leaf whose score depends on the unit's own figure only (no division: decimals)."""
    if leaf.rule == YESNO:
        return None if not isinstance(value, bool) else leaf.max if value else Decimal(0)
    if leaf.rule == CHOICE:
        return None if not isinstance(value, str) else leaf.points.get(value, Decimal(0))
    if isinstance(value, Decimal):
        count: Exact = _WIDE.multiply(leaf.rate or Decimal(0), max(value, Decimal(0)))
        capped: Exact = min(count, leaf.max)
    else:  # a ratio counted as x/y
        number = _number(value)
        if number is None:
            return None
        capped = min(Fraction(leaf.rate or 0) * max(number, Fraction(0)), Fraction(leaf.max))
    return -capped if leaf.rule == PENALTY else capped


def _target_scores(leaf: Leaf, units: tuple[UnitEntry, ...]) -> dict[str, Exact | None]:
    """Against each unit's target; units without one against the best of their peers."""
    scores: dict[str, Exact | None] = {}
    achieved: dict[str, Fraction] = {}  # r, finite
    untargeted: dict[str, Fraction] = {}
    for unit in units:
        actual = _number(unit.figures.get(leaf.indicator or ""))
        target = _number(unit.targets.get(leaf.indicator or ""))
        if actual is None:
            scores[unit.code] = None
        elif target is None or target <= 0:
            untargeted[unit.code] = actual
        elif not leaf.lower_is_better:
            achieved[unit.code] = max(actual, Fraction(0)) / target  # r = A/T
        elif actual > 0:
            achieved[unit.code] = target / actual  # r = T/A
        else:
            scores[unit.code] = leaf.max  # A = 0 when lower is better: r = ∞, a leader
    scores.update(_against_targets(leaf, achieved))
    scores.update(_against_peers(leaf, untargeted))
    return scores


def _against_targets(leaf: Leaf, achieved: dict[str, Fraction]) -> dict[str, Exact | None]:
    """r < 1: M·r/2; r = 1: M/2; the leader M; another over-achiever a share of the rest."""
    half = Fraction(leaf.max) / 2
    leader = max((r for r in achieved.values() if r > 1), default=None)
    scores: dict[str, Exact | None] = {}
    for code, r in achieved.items():
        if r <= 1:
            scores[code] = half * r
        elif leader is None or r == leader:
            scores[code] = leaf.max
        else:  # behind the leader: M/2 + (M/2)·(r − 1)/(R − 1)
            scores[code] = half + half * (r - 1) / (leader - 1)
    return scores


def _against_peers(leaf: Leaf, untargeted: dict[str, Fraction]) -> dict[str, Fraction | None]:
    """M·A/max(A), or M·min(A)/A when lower is better (A = 0 gets M); 0 if the maximum is 0."""
    if not untargeted:
        return {}
    top = Fraction(leaf.max)
    if leaf.lower_is_better:
        least = min(untargeted.values())
        return {
            code: top if actual <= 0 else _clamped(top * least / actual, leaf)
            for code, actual in untargeted.items()
        }
    best = max(untargeted.values())
    if best <= 0:
        return {code: Fraction(0) for code in untargeted}
    return {code: _clamped(top * actual / best, leaf) for code, actual in untargeted.items()}


def _number(value: Value | None) -> Fraction | None:
    """A number or a ratio x/y as an exact fraction; None for anything else."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, Ratio):
        if value.denominator == 0:
            return None
        return Fraction(value.numerator) / Fraction(value.denominator)
    return Fraction(value)


def _clamped(score: Fraction, leaf: Leaf) -> Fraction:
    low, high = leaf.bounds
    return min(max(score, Fraction(low)), Fraction(high))


# -- layers, subtotals and the ranking -------------------------------------------------------------


def _overlaid(
    table: ScoringTable, below: Mapping[str, Decimal], values: Mapping[str, Decimal] | None
) -> dict[str, Decimal]:
    """The leaves of the layer below with a reviewer's values on top (the last one wins)."""
    leaves = dict(below)
    if not values:
        return leaves
    for leaf in table.leaves:
        if leaf.key in values:
            leaves[leaf.key] = round_score(_clamped(Fraction(values[leaf.key]), leaf))
    return leaves


def _ranking(
    layer: str,
    table: ScoringTable,
    units: tuple[UnitEntry, ...],
    leaves: dict[str, dict[str, Decimal]],
) -> Ranking:
    """Descending total; equal totals share a rank (1, 2, 2, 4); unsubmitted units last."""
    totals = {unit.code: sum(leaves[unit.code].values(), Decimal(0)) for unit in units}
    ranked = sorted((u for u in units if u.submitted), key=lambda u: -totals[u.code])
    sharing = Counter(totals[unit.code] for unit in ranked)
    standings, rank, previous = [], 0, None
    for position, unit in enumerate(ranked, start=1):
        total = totals[unit.code]
        if total != previous:
            rank, previous = position, total
        standings.append(_standing(table, unit, leaves[unit.code], total, rank, sharing[total] > 1))
    standings += [
        _standing(table, unit, leaves[unit.code], totals[unit.code], None, False)
        for unit in units
        if not unit.submitted
    ]
    return Ranking(layer, tuple(standings))


def _standing(
    table: ScoringTable,
    unit: UnitEntry,
    leaves: dict[str, Decimal],
    total: Decimal,
    rank: int | None,
    tied: bool,
) -> Standing:
    subtotals = {
        code: sum((leaves.get(key, Decimal(0)) for key in keys), Decimal(0))
        for code, keys in table.group_keys.items()
    }
    return Standing(
        unit=unit.code,
        submitted=unit.submitted,
        leaves=MappingProxyType(leaves),
        subtotals=MappingProxyType(subtotals),
        total=total,
        rank=rank,
        tied=tied,
        grade=table.grade(total) if rank is not None else None,
    )
