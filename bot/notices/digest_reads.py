"""What a tick's digests read of every due cluster at once: units, progress, leaders' people,
who is answering, today's digests queued. A query per cluster is seconds of a national tick."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cached_property
from typing import TypeVar

from sqlmodel import Session, col, select

from bot.notices.recipients import Reached, members_of_units
from bot.storage.digest import answering_since, returned_between, submitted_between
from bot.storage.models import ClusterLeadership, ClusterUnit, Period, Submission, Unit
from bot.storage.progress import UnitProgress, period_progress
from bot.storage.types import require_id

__all__ = ["DigestReads"]

_T = TypeVar("_T")
_Window = tuple[list[Submission], list[Submission]]  # submitted, returned
_CHUNK = 500  # ids per IN (…): well within every database's limit on parameters


class DigestReads:
    """The due clusters' data, each kind read for all of them the first time it is asked for."""

    def __init__(
        self,
        session: Session,
        cluster_ids: Sequence[int],
        *,
        years: Sequence[int],
        answering_since: datetime,
        progress: dict[int, dict[int, list[UnitProgress]]] | None = None,
    ) -> None:
        self.session, self.cluster_ids, self.years = session, sorted(cluster_ids), sorted(years)
        self.answering_since = answering_since
        self._progress = dict(progress or {})  # period id -> cluster id -> units' progress
        self._windows: dict[tuple[int, datetime, datetime], _Window] = {}

    @cached_property
    def units(self) -> dict[int, dict[int, str]]:
        """Cluster id -> the names of every unit it has had, by id."""
        found: dict[int, dict[int, str]] = {cluster: {} for cluster in self.cluster_ids}
        for chunk in _chunks(self.cluster_ids):
            query = (
                select(ClusterUnit.cluster_id, Unit.id, Unit.name)
                .join(Unit, col(ClusterUnit.unit_id) == Unit.id)
                .where(col(ClusterUnit.cluster_id).in_(chunk))
                .order_by(col(ClusterUnit.position), col(Unit.id))
            )
            for cluster, unit, name in self.session.exec(query):
                found[cluster][unit or 0] = name
        return found

    def progress(self, period: Period, cluster_id: int) -> list[UnitProgress]:
        """`unit_progress` of the cluster in the period."""
        if require_id(period) not in self._progress:
            self._progress[require_id(period)] = period_progress(
                self.session, period=period, cluster_ids=self.cluster_ids
            )
        return self._progress[require_id(period)][cluster_id]

    def window(self, period_id: int, since: datetime, until: datetime) -> _Window:
        """The period's revisions submitted and returned in the window, of every unit: most
        chairs' windows are the same day, read once for all clusters."""
        key = (period_id, since, until)
        if key not in self._windows:
            submitted = submitted_between(
                self.session, period_id=period_id, unit_ids=None, since=since, until=until
            )
            returned = returned_between(
                self.session, period_id=period_id, unit_ids=None, since=since, until=until
            )
            self._windows[key] = submitted, returned
        return self._windows[key]

    @cached_property
    def _leaders(self) -> tuple[dict[int, dict[int, set[int]]], dict[int, list[Reached]]]:
        """Cluster id -> year -> its chair and vice-chair units; unit id -> its people."""
        units: dict[int, dict[int, set[int]]] = {}
        for chunk in _chunks(self.cluster_ids):
            query = select(ClusterLeadership).where(
                col(ClusterLeadership.cluster_id).in_(chunk),
                col(ClusterLeadership.year).in_(self.years),
            )
            for row in self.session.exec(query):
                pair = (row.chair_unit_id, row.vice_chair_unit_id)
                units.setdefault(row.cluster_id, {})[row.year] = {u for u in pair if u is not None}
        every = {unit for years in units.values() for found in years.values() for unit in found}
        return units, members_of_units(self.session, sorted(every))

    def recipients(self, cluster_id: int, years: Sequence[int]) -> list[Reached]:
        """The people of the cluster's chair and vice-chair units for these years."""
        units, people = self._leaders
        leading = units.get(cluster_id, {})
        ids = sorted({unit for year in years for unit in leading.get(year, set())})
        return list({p.id: p for unit in ids for p in people.get(unit, [])}.values())

    @cached_property
    def busy(self) -> set[int]:
        """Of every cluster's recipients, those answering questions (`answering_since`)."""
        ids = sorted({p.id for people in self._leaders[1].values() for p in people})
        since = self.answering_since
        return set().union(
            *(answering_since(self.session, person_ids=c, since=since) for c in _chunks(ids))
        )


def _chunks(items: Sequence[_T]) -> list[Sequence[_T]]:
    return [items[start : start + _CHUNK] for start in range(0, len(items), _CHUNK)]
