"""A cluster's members by year, as the set-up file lists them for its `year`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlmodel import Session

from bot.setup import ClusterSpec
from bot.storage.import_rows import StoredRows
from bot.storage.models import Cluster, ClusterUnit, Unit

__all__ = ["import_members"]


class _Importing(Protocol):
    session: Session
    rows: StoredRows

    def upsert_later(
        self, model: type[ClusterUnit], entity: str, key: str, match: dict[str, Any],
        values: dict[str, Any],
    ) -> None: ...  # fmt: skip

    def record(self, action: str, entity: str, key: str, before: Any, after: Any) -> None: ...


def import_members(
    importer: _Importing, spec: ClusterSpec, cluster: Cluster, units: Sequence[Unit]
) -> None:
    """The listed units are members (from `year`, when they join a cluster that had members);
    with a `year`, a stored member the file leaves out was one until the year before."""
    stored = {
        row.unit_id: (row, importer.rows.stored(Unit, "id", row.unit_id)[0].code)
        for row in importer.rows.stored(ClusterUnit, "cluster_id", cluster.id)
    }
    year = spec.year
    for position, unit in enumerate(units):
        values: dict[str, Any] = {"position": position}
        row = stored.get(unit.id or 0, (None, ""))[0]
        if row is None and stored and year is not None:
            values["since_year"] = year  # a new member of a going cluster: not in its past
        if row is not None and year is not None and (row.until_year or year) < year:
            values["until_year"] = None  # listed again: a member once more
        importer.upsert_later(
            ClusterUnit,
            "cluster_unit",
            f"{spec.code}/{unit.code}",
            {"cluster_id": cluster.id, "unit_id": unit.id},
            values,
        )
    if year is None:
        return
    listed = {unit.id for unit in units}
    for unit_id, (row, code) in stored.items():
        if unit_id in listed or (row.until_year is not None and row.until_year < year):
            continue
        # Left out of the year's file: no longer a member from that year; its past stays.
        importer.record(
            "updated",
            "cluster_unit",
            f"{spec.code}/{code}",
            {"until_year": row.until_year},
            {"until_year": year - 1},
        )
        row.until_year = year - 1
        importer.session.add(row)
