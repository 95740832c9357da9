"""Import a pledge's scoring table: criteria and classes by key, dropping what the file dropped."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from sqlmodel import SQLModel

from bot.domain import figures
from bot.domain.scoring import Criterion, Group, Leaf, ScoringTable
from bot.storage.import_rows import Importing
from bot.storage.models import Indicator
from bot.storage.scoring_tables import GROUP, ScoringClass, ScoringCriterion

__all__ = ["import_scoring"]

# Model name -> (entity in the change list, the column that names a row within its pledge).
_ENTITIES = {
    "ScoringCriterion": ("scoring_criterion", "key"),
    "ScoringClass": ("scoring_class", "name"),
}


def import_scoring(
    importer: Importing,
    *,
    pledge_id: int,
    key: str,
    table: ScoringTable | None,
    indicators: Mapping[str, Indicator],
) -> None:
    """Bring the pledge's stored table to the file's (none: the stored one is removed)."""
    criteria = list(_flattened(table.criteria if table else (), None))
    for position, (criterion, parent) in enumerate(criteria):
        importer.upsert(
            ScoringCriterion,
            _ENTITIES["ScoringCriterion"][0],
            f"{key}/{_key(criterion)}",
            {"pledge_id": pledge_id, "key": _key(criterion)},
            _criterion_values(criterion, parent, position, indicators),
        )
    kept = {_key(criterion) for criterion, _parent in criteria}
    _remove_others(importer, ScoringCriterion, pledge_id, key, kept)
    grades = table.classes if table else ()
    for grade in grades:
        importer.upsert(
            ScoringClass,
            _ENTITIES["ScoringClass"][0],
            f"{key}/{grade.name}",
            {"pledge_id": pledge_id, "name": grade.name},
            {"threshold": _text(grade.threshold)},
        )
    _remove_others(importer, ScoringClass, pledge_id, key, {grade.name for grade in grades})


def _flattened(
    criteria: tuple[Criterion, ...], parent: str | None
) -> Iterator[tuple[Criterion, str | None]]:
    """Each criterion with its parent group's code, parents before their items."""
    for criterion in criteria:
        yield criterion, parent
        if isinstance(criterion, Group):
            yield from _flattened(criterion.items, criterion.code)


def _key(criterion: Criterion) -> str:
    return criterion.key if isinstance(criterion, Leaf) else criterion.code


def _criterion_values(
    criterion: Criterion, parent: str | None, position: int, indicators: Mapping[str, Indicator]
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "parent_key": parent,
        "position": position,
        "title": criterion.title,
        "max_points": None if criterion.max is None else _text(criterion.max),
    }
    if isinstance(criterion, Group):
        return values | {"rule": GROUP, "indicator_id": None, "points": {}, "rate": None}
    indicator = indicators.get(criterion.indicator) if criterion.indicator else None
    return values | {
        "rule": criterion.rule,
        "indicator_id": None if indicator is None else indicator.id,
        "points": {option: _text(p) for option, p in criterion.points.items()},
        "rate": None if criterion.rate is None else _text(criterion.rate),
    }


def _remove_others(
    importer: Importing,
    model: type[ScoringCriterion] | type[ScoringClass],
    pledge_id: int,
    key: str,
    kept: set[str],
) -> None:
    """Delete the pledge's rows the file no longer has: nothing else refers to them by id."""
    entity, name_field = _ENTITIES[model.__name__]
    rows: list[SQLModel] = importer.rows.stored(model, "pledge_id", pledge_id)
    for row in rows:
        name = getattr(row, name_field)
        if name not in kept:
            before = row.model_dump(exclude={"id", "pledge_id"})
            importer.session.delete(row)
            importer.record("removed", entity, f"{key}/{name}", before, None)


def _text(value: Decimal) -> str:
    return figures.to_canonical(value)
