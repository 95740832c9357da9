"""Properties of the scoring engine: bounds, monotony, the leader's maximum, the ranking."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.scoring import (
    BONUS,
    PENALTY,
    PEOPLE,
    PER,
    SELF,
    TARGET,
    Leaf,
    ScoringTable,
    UnitEntry,
    round_score,
    score_cluster,
)
from tests.support.scoring_cases import UNITS, entries, leaf, scores_of

D = Decimal


_AMOUNTS = st.decimals(min_value=-50, max_value=1000, places=2, allow_nan=False)
_TARGETS = st.one_of(st.none(), st.decimals(min_value=0, max_value=500, places=1))
_MAXIMA = st.decimals(min_value="0.5", max_value=50, places=1)
_RULES = st.sampled_from([TARGET, PER, BONUS, PENALTY])


@st.composite
def _clusters(draw: st.DrawFn) -> tuple[Leaf, tuple[UnitEntry, ...]]:
    """A leaf of a random rule and 1–6 units with figures (some missing) and targets."""
    rule = draw(_RULES)
    made = leaf(
        rule,
        max=draw(_MAXIMA),
        lower_is_better=draw(st.booleans()),
        rate=draw(st.decimals(min_value="0.5", max_value=10, places=1)),
    )
    count = draw(st.integers(min_value=1, max_value=6))
    figures = draw(st.lists(st.one_of(st.none(), _AMOUNTS), min_size=count, max_size=count))
    targets = draw(st.lists(_TARGETS, min_size=count, max_size=count))
    return made, entries(figures, targets)


@given(_clusters())
def test_every_leaf_score_stays_within_its_bounds(case: tuple[Leaf, tuple[UnitEntry, ...]]) -> None:
    leaf, units = case
    low, high = leaf.bounds
    for score in scores_of(leaf, units):
        assert score is not None and low <= score <= high


@given(_clusters(), st.integers(min_value=0, max_value=5), _AMOUNTS)
def test_raising_a_figure_on_a_higher_is_better_indicator_never_lowers_its_score(
    case: tuple[Leaf, tuple[UnitEntry, ...]], pick: int, raise_by: Decimal
) -> None:
    leaf, units = case
    leaf = Leaf(leaf.key, leaf.title, leaf.max, TARGET, indicator="x")
    unit = units[pick % len(units)]
    before = unit.figures.get("x")
    if not isinstance(before, Decimal):
        return
    raised = UnitEntry(unit.code, figures={"x": before + abs(raise_by)}, targets=unit.targets)
    after = tuple(raised if u.code == unit.code else u for u in units)
    index = units.index(unit)
    old, new = scores_of(leaf, units)[index], scores_of(leaf, after)[index]
    assert old is not None and new is not None and new >= old


def _achievements(units: tuple[UnitEntry, ...]) -> list[tuple[Decimal, int]]:
    """(A/T, position) of each unit with a figure and a target above 0."""
    found = []
    for index, unit in enumerate(units):
        actual, target = unit.figures.get("x"), unit.targets.get("x")
        if isinstance(actual, Decimal) and isinstance(target, Decimal) and target > 0:
            found.append((actual / target, index))
    return found


@given(_clusters())
def test_the_leader_gets_the_maximum(case: tuple[Leaf, tuple[UnitEntry, ...]]) -> None:
    leaf, units = case
    leaf = Leaf(leaf.key, leaf.title, leaf.max, TARGET, indicator="x")
    over = [(r, index) for r, index in _achievements(units) if r > 1]
    if over:
        assert scores_of(leaf, units)[max(over)[1]] == round_score(leaf.max)


_TOTALS = st.lists(
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
    min_size=1,
    max_size=6,
)


@given(_TOTALS)
def test_the_ranking_is_a_permutation_of_the_units_sorted_by_total(
    totals: list[Decimal | None],
) -> None:
    units = tuple(
        UnitEntry(UNITS[i], submitted=t is not None, self_scores={"x": t or D(0)})
        for i, t in enumerate(totals)
    )
    standings = (
        score_cluster(ScoringTable((leaf(PEOPLE, max=D(100)),)), units).layers[SELF].standings
    )
    assert sorted(s.unit for s in standings) == sorted(UNITS[: len(totals)])
    ranked = [s for s in standings if s.rank is not None]
    assert [s.total for s in ranked] == sorted((s.total for s in ranked), reverse=True)
    assert all(s.rank is None for s in standings[len(ranked) :])
    for position, standing in enumerate(ranked, start=1):
        better = sum(1 for other in ranked if other.total > standing.total)
        assert standing.rank == better + 1
        assert standing.tied == (sum(1 for o in ranked if o.total == standing.total) > 1)
        assert position >= standing.rank
