"""Cases for the scoring engine's tests: a one-leaf table, units with one figure each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from bot.domain.figures import Value
from bot.domain.scoring import (
    PEOPLE,
    SELF,
    TARGET,
    ClusterScores,
    Leaf,
    ScoringTable,
    UnitEntry,
    score_cluster,
)

TEN = Decimal(10)
UNITS = ("a", "b", "c", "d", "e", "f")


def leaf(rule: str = TARGET, **values: object) -> Leaf:
    """A leaf `x` of maximum 10 scoring indicator `x` by the rule (unless scored by people)."""
    fields: dict[str, object] = {"key": "x", "title": "X", "max": TEN, "rule": rule}
    fields["indicator"] = None if rule == PEOPLE else "x"
    fields.update(values)
    return Leaf(**fields)  # type: ignore[arg-type]


def entries(
    figures: Sequence[Value | None], targets: Sequence[Value | None] = ()
) -> tuple[UnitEntry, ...]:
    """Units a, b, c… with one figure (None: not answered) and target (None: none) each."""
    padded = list(targets) + [None] * (len(figures) - len(targets))
    return tuple(
        UnitEntry(
            code=UNITS[index],
            figures={} if figure is None else {"x": figure},
            targets={} if target is None else {"x": target},
        )
        for index, (figure, target) in enumerate(zip(figures, padded, strict=True))
    )


def scores_of(one: Leaf, units: tuple[UnitEntry, ...], layer: str = SELF) -> list[Decimal | None]:
    """Each unit's score for the one leaf, in the units' order."""
    result = score_cluster(ScoringTable((one,)), units)
    return [standing_leaves(result, unit.code, layer).get(one.key) for unit in units]


def standing_leaves(result: ClusterScores, unit: str, layer: str = SELF) -> Mapping[str, Decimal]:
    """The unit's leaf scores in the layer."""
    ranking = result.layer(layer)
    assert ranking is not None
    standing = ranking.of(unit)
    assert standing is not None
    return standing.leaves
