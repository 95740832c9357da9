"""The time to score a national table: 330 clusters x 10 units x 40 leaves, in one run.

Every cluster gets the same 40-leaf table mixing every rule (against a target, relative to the
peers without one, lower is better, yes/no, choice points, points per occurrence, bonus,
penalty, scored by people) and units with random figures, a few missing; the engine scores
all clusters (exact fractions, rounding per leaf, subtotals, ranking, classes, two layers).
The baseline is a plain-Python sum of the same cells as floats: what no scoring at all costs.
Each runs once to warm up, then `--repeat` times; the median is reported.

    python -m benchmarks.scoring [--clusters 330] [--units 10] [--leaves 40] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from bot.domain.figures import Value
from bot.domain.scoring import (
    BONUS,
    CHOICE,
    PENALTY,
    PEOPLE,
    PER,
    TARGET,
    YESNO,
    ClusterScores,
    Grade,
    Group,
    Leaf,
    Reviews,
    ScoringTable,
    UnitEntry,
    score_cluster,
)

T = TypeVar("T")
# One leaf of each rule in turn; TARGET twice (against a target, lower is better).
_RULES = (TARGET, TARGET, YESNO, CHOICE, PER, TARGET, PEOPLE, BONUS, PENALTY, TARGET)
_OPTIONS = ("Tốt", "Khá", "Trung bình", "Yếu")


def national_table(leaves: int) -> ScoringTable:
    """Groups of ten leaves, each group's maximum the sum of its base leaves."""
    made = [_leaf(n) for n in range(leaves)]
    groups = []
    for start in range(0, leaves, 10):
        items = tuple(made[start : start + 10])
        base = sum((leaf.max for leaf in items if leaf.in_base), Decimal(0))
        groups.append(Group(f"g{start // 10}", f"Nhóm {start // 10 + 1}", base, items))
    classes = (
        Grade("Xuất sắc", Decimal(90) * leaves / 10),
        Grade("Tốt", Decimal(70) * leaves / 10),
    )
    return ScoringTable(tuple(groups), classes)


def _leaf(n: int) -> Leaf:
    rule = _RULES[n % len(_RULES)]
    points = {option: Decimal(10 - 3 * i) for i, option in enumerate(_OPTIONS[:3])}
    return Leaf(
        key=f"l{n}",
        title=f"Tiêu chí {n}",
        max=Decimal(10),
        rule=rule,
        indicator=None if rule == PEOPLE else f"i{n}",
        lower_is_better=n % 10 == 5,
        points=points if rule == CHOICE else {},
        rate=Decimal(2) if rule in (PER, BONUS, PENALTY) else None,
    )


def national_units(
    table: ScoringTable, clusters: int, units: int, seed: int = 2026
) -> list[tuple[UnitEntry, ...]]:
    """Each cluster's units: random figures (2 % missing), targets for 4 units in 5."""
    rng = random.Random(seed)
    return [tuple(_unit(table, rng, f"c{c}-u{u}") for u in range(units)) for c in range(clusters)]


def _unit(table: ScoringTable, rng: random.Random, code: str) -> UnitEntry:
    figures: dict[str, Value] = {}
    targets: dict[str, Value] = {}
    own: dict[str, Decimal] = {}
    for leaf in table.leaves:
        if leaf.rule == PEOPLE:
            own[leaf.key] = Decimal(rng.randint(0, 100)) / 10
            continue
        if rng.random() < 0.02 or leaf.indicator is None:
            continue  # a missing figure
        figures[leaf.indicator] = _figure(leaf, rng)
        if leaf.rule == TARGET and rng.random() < 0.8:
            targets[leaf.indicator] = Decimal(rng.randint(50, 150))
    return UnitEntry(code, code, figures=figures, targets=targets, self_scores=own)


def _figure(leaf: Leaf, rng: random.Random) -> Value:
    if leaf.rule == YESNO:
        return rng.random() < 0.7
    if leaf.rule == CHOICE:
        return rng.choice(_OPTIONS)
    if leaf.rule in (PER, BONUS, PENALTY):
        return Decimal(rng.randint(0, 6))
    return Decimal(rng.randint(0, 20000)) / 100


def score_all(
    table: ScoringTable, clusters: list[tuple[UnitEntry, ...]], reviews: Reviews
) -> list[ClusterScores]:
    """The engine over every cluster."""
    return [score_cluster(table, units, reviews) for units in clusters]


def sum_all(table: ScoringTable, clusters: list[tuple[UnitEntry, ...]]) -> float:
    """The baseline: every cell of the same table added up as a float, nothing more."""
    total = 0.0
    for units in clusters:
        for unit in units:
            for leaf in table.leaves:
                value = unit.figures.get(leaf.indicator or "", unit.self_scores.get(leaf.key))
                total += float(value) if isinstance(value, Decimal | bool) else 1.0
    return total


def _median_seconds(step: Callable[[], T], repeat: int) -> tuple[float, T]:
    result = step()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=int, default=330)
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--leaves", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    table = national_table(options.leaves)
    clusters = national_units(table, options.clusters, options.units)
    # One chair's change (in the first cluster): the cluster layer is scored as in real use.
    reviews = Reviews(changes={"c0-u0": {"l6": Decimal(5)}})
    cells = options.clusters * options.units * options.leaves
    engine_seconds, scored = _median_seconds(
        lambda: score_all(table, clusters, reviews), options.repeat
    )
    baseline_seconds, _total = _median_seconds(lambda: sum_all(table, clusters), options.repeat)
    ranked = sum(1 for scores in scored for s in scores.layers["self"].standings if s.rank)
    print(
        f"national table: {options.clusters} clusters x {options.units} units x "
        f"{options.leaves} leaves = {cells:,} cells; {ranked:,} units ranked"
    )
    print(
        f"engine (exact, 2 layers, ranking): {engine_seconds * 1000:9.1f} ms "
        f"({engine_seconds / cells * 1e6:.2f} µs per cell)"
    )
    print(f"plain-Python float sum (baseline): {baseline_seconds * 1000:9.1f} ms")
    print(f"ratio engine / baseline: {engine_seconds / baseline_seconds:.1f}x")


if __name__ == "__main__":
    main()
