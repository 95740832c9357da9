"""The scoring table (bảng chấm điểm) as plain data, with the engine's inputs and results."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from typing import TypeAlias

from bot.domain.figures import Value

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
    "walk",
]

# How a leaf scores: against the unit's target (or its peers), yes/no, points per option,
# points per occurrence, a bonus or a penalty outside the base maximum, or by people.
TARGET, YESNO, CHOICE, PER, BONUS, PENALTY, PEOPLE = (
    "target",
    "yesno",
    "choice",
    "per",
    "bonus",
    "penalty",
    "people",
)
RULES = (TARGET, YESNO, CHOICE, PER, BONUS, PENALTY, PEOPLE)
# The self-score (tự chấm), the cluster score (the chair's changes) and the approved score.
SELF, CLUSTER, APPROVED = "self", "cluster", "approved"
LAYERS = (SELF, CLUSTER, APPROVED)


@dataclass(frozen=True, slots=True)
class Leaf:
    """A criterion that scores one thing; `key` is its code, or its indicator's code."""

    key: str
    title: str
    max: Decimal  # M; for a bonus or a penalty, its cap B
    rule: str
    indicator: str | None = None
    lower_is_better: bool = False
    points: Mapping[str, Decimal] = field(default_factory=dict)  # CHOICE: option -> points
    rate: Decimal | None = None  # PER, BONUS, PENALTY: points per occurrence

    @property
    def bounds(self) -> tuple[Decimal, Decimal]:
        """The lowest and highest score the leaf can give."""
        return (-self.max, Decimal(0)) if self.rule == PENALTY else (Decimal(0), self.max)

    @property
    def in_base(self) -> bool:
        """Whether the leaf counts towards its group's maximum (bonus and penalty do not)."""
        return self.rule not in (BONUS, PENALTY)


@dataclass(frozen=True, slots=True)
class Group:
    """A group of criteria with its maximum (none for a group of bonuses and penalties)."""

    code: str
    title: str
    max: Decimal | None
    items: tuple[Criterion, ...]


Criterion: TypeAlias = Group | Leaf


@dataclass(frozen=True, slots=True)
class Grade:
    """A classification (xếp loại) and the lowest total that reaches it."""

    name: str
    threshold: Decimal


@dataclass(frozen=True)
class ScoringTable:
    """The criteria tree and the classes, highest threshold first."""

    criteria: tuple[Criterion, ...]
    classes: tuple[Grade, ...] = ()

    @cached_property
    def leaves(self) -> tuple[Leaf, ...]:
        """Every leaf, in the table's order."""
        return tuple(leaf for leaf, _groups in walk(self.criteria, ()))

    @cached_property
    def groups(self) -> tuple[Group, ...]:
        """Every group, parents before their children."""
        return tuple(_groups_of(self.criteria))

    @cached_property
    def group_keys(self) -> Mapping[str, tuple[str, ...]]:
        """Group code -> the keys of every leaf under it."""
        keys: dict[str, list[str]] = {group.code: [] for group in self.groups}
        for leaf, parents in walk(self.criteria, ()):
            for group in parents:
                keys[group.code].append(leaf.key)
        return MappingProxyType({code: tuple(found) for code, found in keys.items()})

    def leaf(self, key: str) -> Leaf | None:
        """The leaf with this key."""
        return next((leaf for leaf in self.leaves if leaf.key == key), None)

    @property
    def base_max(self) -> Decimal:
        """The maximum without bonuses: the sum of the base leaves' maxima."""
        return sum((leaf.max for leaf in self.leaves if leaf.in_base), Decimal(0))

    def grade(self, total: Decimal) -> str | None:
        """The highest class the total reaches."""
        reached = [grade for grade in self.classes if total >= grade.threshold]
        return max(reached, key=lambda grade: grade.threshold).name if reached else None


@dataclass(frozen=True)
class UnitEntry:
    """One unit's inputs: its latest submitted figures, its targets and its own scores."""

    code: str
    name: str = ""
    submitted: bool = True
    figures: Mapping[str, Value] = field(default_factory=dict)  # by indicator code
    targets: Mapping[str, Value] = field(default_factory=dict)  # by indicator code
    self_scores: Mapping[str, Decimal] = field(default_factory=dict)  # people leaves, by key


@dataclass(frozen=True)
class Reviews:
    """The reviewers' values, unit code -> leaf key -> score: the chair's, then the approved."""

    changes: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    approved: Mapping[str, Mapping[str, Decimal]] | None = None  # None until an admin approves


@dataclass(frozen=True, slots=True)
class Standing:
    """One unit in one layer: leaf scores (absent: not reached), subtotals, total, rank."""

    unit: str
    submitted: bool
    leaves: Mapping[str, Decimal]
    subtotals: Mapping[str, Decimal]  # by group code
    total: Decimal
    rank: int | None = None  # None: the unit has not submitted
    tied: bool = False  # shares its rank: the chair decides
    grade: str | None = None


@dataclass(frozen=True)
class Ranking:
    """A layer's standings in rank order, the units that have not submitted last."""

    layer: str
    standings: tuple[Standing, ...]

    def of(self, unit: str) -> Standing | None:
        """The unit's standing."""
        return next((s for s in self.standings if s.unit == unit), None)


@dataclass(frozen=True)
class ClusterScores:
    """The cluster's scores: the table, the units in set-up order, and each layer reached."""

    table: ScoringTable
    units: tuple[UnitEntry, ...]
    missing: Mapping[str, frozenset[str]]  # unit -> leaves scored 0 for a missing figure
    layers: Mapping[str, Ranking]  # SELF and CLUSTER always; APPROVED once approved

    def layer(self, name: str) -> Ranking | None:
        """The layer's ranking, or None when it is not reached yet."""
        return self.layers.get(name)

    def changed(self, unit: str) -> frozenset[str]:
        """The leaves where the chair's value differs from the self-score."""
        own, chair = self.layers[SELF].of(unit), self.layers[CLUSTER].of(unit)
        if own is None or chair is None:
            return frozenset()
        keys = set(own.leaves) | set(chair.leaves)
        return frozenset(k for k in keys if own.leaves.get(k) != chair.leaves.get(k))


def walk(
    criteria: tuple[Criterion, ...], parents: tuple[Group, ...]
) -> Iterator[tuple[Leaf, tuple[Group, ...]]]:
    """Each leaf with the groups above it, outermost first."""
    for criterion in criteria:
        if isinstance(criterion, Leaf):
            yield criterion, parents
        else:
            yield from walk(criterion.items, (*parents, criterion))


def _groups_of(criteria: tuple[Criterion, ...]) -> Iterator[Group]:
    for criterion in criteria:
        if isinstance(criterion, Group):
            yield criterion
            yield from _groups_of(criterion.items)
