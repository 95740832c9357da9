"""Apply a checked set-up file: update by code, add what is new, never delete figures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, select

from bot.domain import figures
from bot.domain.collection import collector_paused
from bot.setup import ClusterSpec, IndicatorSpec, PeriodSpec, PledgeSpec, SetupFile
from bot.storage.conference_import import (
    cluster_values,
    import_conferences,
    import_leaders,
    unit_values,
)
from bot.storage.import_rows import NEW_AS_PLAIN, StoredRows, codes_by_code, is_waiting
from bot.storage.membership_import import import_members
from bot.storage.models import (
    Cluster,
    ClusterLeadership,
    ClusterUnit,
    Indicator,
    Period,
    PeriodCluster,
    Pledge,
    Target,
    Unit,
)
from bot.storage.pledge_import import import_registration
from bot.storage.pledge_tables import PledgeWindow
from bot.storage.scoring_import import import_scoring
from bot.storage.types import require_id

__all__ = ["Change", "apply_setup", "known_clusters"]

Row = TypeVar("Row", bound=SQLModel)


@dataclass(frozen=True, slots=True)
class Change:
    """One row the import created, updated, retired or removed."""

    action: str
    entity: str
    key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def known_clusters(session: Session) -> dict[str, frozenset[str]]:
    """Cluster code -> its unit codes, as stored, so that a file may refer to them."""
    pairs = (
        select(Cluster.code, Unit.code)
        .join(ClusterUnit, col(ClusterUnit.cluster_id) == Cluster.id)
        .join(Unit, col(Unit.id) == ClusterUnit.unit_id)
    )
    return codes_by_code(session, pairs, select(Cluster.code))


def apply_setup(session: Session, setup: SetupFile, *, actor: str) -> list[Change]:
    """Write `setup` into the session (not committed) and return what changed."""
    with collector_paused():
        return _Importer(session, actor).run(setup)


class _Importer:
    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor
        self.changes: list[Change] = []
        self.rows = StoredRows(session)

    def run(self, setup: SetupFile) -> list[Change]:
        for cluster in setup.clusters:
            self.cluster(cluster)
        for pledge in setup.pledges:
            self.pledge(pledge)
        for period in setup.periods:
            self.period(period)
        import_conferences(self, setup.conferences)
        self.rows.flush(self.audit_events())
        return self.changes

    def record(self, action: str, entity: str, key: str, before: Any, after: Any) -> None:
        self.changes.append(Change(action, entity, key, _plain(before), _plain(after)))

    def audit_events(self) -> Iterator[dict[str, Any]]:
        """An audit event for each change, made as they are written (not all at once)."""
        for change in self.changes:
            yield {
                "actor": self.actor,
                "action": f"import.{change.action}",
                "entity": change.entity,
                "entity_key": change.key,
                "before": change.before,
                "after": change.after,
            }

    def upsert(
        self,
        model: type[Row],
        entity: str,
        key: str,
        match: dict[str, Any],
        values: dict[str, Any],
        *,
        flush: bool = True,
    ) -> Row:
        """The row matching `match`, created (with its id unless `flush` is off) or updated."""
        row = self.rows.find(model, match)
        if row is None:
            if model in NEW_AS_PLAIN:
                row = self.rows.add_plain(model, match, values)
                if flush:
                    self.rows.give_ids()
            else:
                row = model(**match, **values)
                self.session.add(row)
                if flush:
                    self.session.flush()
                self.rows.added(row)
            self.record("created", entity, key, None, values)
            return row
        self._bring_up(row, entity, key, values)
        return row

    def upsert_later(
        self, model: type[Row], entity: str, key: str, match: dict[str, Any], values: dict[str, Any]
    ) -> None:
        """Like `upsert`, for a row nothing refers to: a new one is inserted in bulk, at the end."""
        row = self.rows.find(model, match)
        if row is None:
            self.rows.insert_later(model, match, values)
            self.record("created", entity, key, None, values)
        elif not is_waiting(row):  # a row inserted later is already as the file says
            self._bring_up(row, entity, key, values)

    def _bring_up(self, row: SQLModel, entity: str, key: str, values: dict[str, Any]) -> None:
        before = {name: getattr(row, name) for name, v in values.items() if getattr(row, name) != v}
        if before:
            self.rows.update(row, {name: values[name] for name in before})
            self.record("updated", entity, key, before, {name: values[name] for name in before})

    def cluster_id(self, code: str) -> int:
        row = self.rows.find(Cluster, {"code": code})
        assert row is not None  # the reader checked every code the file refers to
        return require_id(row)

    def unit_id(self, code: str) -> int:
        row = self.rows.find(Unit, {"code": code})
        assert row is not None
        return require_id(row)

    def cluster(self, spec: ClusterSpec) -> None:
        cluster = self.upsert(
            Cluster,
            "cluster",
            spec.code,
            {"code": spec.code},
            {"name": spec.name, **cluster_values(spec)},
            flush=False,
        )
        units = [
            self.upsert(
                Unit,
                "unit",
                unit_spec.code,
                {"code": unit_spec.code},
                {"name": unit_spec.name, **unit_values(unit_spec)},
                flush=False,
            )
            for unit_spec in spec.units
        ]
        self.rows.give_ids()  # the cluster and its new units get their ids, a statement each
        self.session.flush()
        import_members(self, spec, cluster, units)
        if spec.year is not None:
            roles = {
                "chair_unit_id": self.unit_id(spec.chair) if spec.chair else None,
                "vice_chair_unit_id": self.unit_id(spec.vice_chair) if spec.vice_chair else None,
            }
            self.upsert(
                ClusterLeadership,
                "leadership",
                f"{spec.code}/{spec.year}",
                {"cluster_id": cluster.id, "year": spec.year},
                roles,
                flush=False,  # nothing refers to it: written with the next flush
            )
        import_leaders(self, spec, require_id(cluster))

    def pledge(self, spec: PledgeSpec) -> None:
        key = f"{spec.cluster}/{spec.year}"
        pledge = self.upsert(
            Pledge,
            "pledge",
            key,
            {"cluster_id": self.cluster_id(spec.cluster), "year": spec.year},
            {},
        )
        by_code = {}
        for position, indicator_spec in enumerate(spec.indicators):
            by_code[indicator_spec.code] = self.upsert(
                Indicator,
                "indicator",
                f"{key}/{indicator_spec.code}",
                {"pledge_id": pledge.id, "code": indicator_spec.code},
                _indicator_values(indicator_spec, position),
                flush=False,
            )
        self.rows.give_ids()  # the new indicators get their ids in one statement
        self.retire_missing_indicators(pledge, key, set(by_code))
        wanted = set()
        for unit_code, values in spec.targets.items():
            unit_id = self.unit_id(unit_code)
            for code, value in values.items():
                indicator = by_code[code]
                wanted.add((indicator.id, unit_id))
                self.upsert_later(
                    Target,
                    "target",
                    f"{key}/{unit_code}/{code}",
                    {"indicator_id": indicator.id, "unit_id": unit_id},
                    {"value": value},
                )
        # Targets the units registered and signed are the pledge's own: a file without them
        # keeps them.
        windows = self.rows.stored(PledgeWindow, "pledge_id", pledge.id)
        if not any(window.signed_at is not None for window in windows):
            self.remove_missing_targets(key, by_code, wanted)
        import_scoring(
            self, pledge_id=require_id(pledge), key=key, table=spec.scoring, indicators=by_code
        )
        import_registration(self, pledge_id=require_id(pledge), key=key, spec=spec.registration)

    def retire_missing_indicators(self, pledge: Pledge, key: str, codes: set[str]) -> None:
        # Answers refer to indicators, so one left out of the file is retired, not deleted.
        for indicator in self.rows.stored(Indicator, "pledge_id", pledge.id):
            if indicator.code not in codes and indicator.active:
                indicator.active = False
                self.record(
                    "retired",
                    "indicator",
                    f"{key}/{indicator.code}",
                    {"active": True},
                    {"active": False},
                )

    def remove_missing_targets(
        self, key: str, by_code: dict[str, Indicator], wanted: set[tuple[int | None, int]]
    ) -> None:
        for indicator_code, indicator in by_code.items():
            for target in self.rows.stored(Target, "indicator_id", indicator.id):
                if (target.indicator_id, target.unit_id) in wanted:
                    continue
                self.rows.delete(target)
                (unit,) = self.rows.stored(Unit, "id", target.unit_id)
                self.record(
                    "removed",
                    "target",
                    f"{key}/{unit.code}/{indicator_code}",
                    {"value": target.value},
                    None,
                )

    def period(self, spec: PeriodSpec) -> None:
        period = self.upsert(Period, "period", spec.code, {"code": spec.code}, _period_values(spec))
        for cluster_code in spec.clusters:
            self.upsert_later(
                PeriodCluster,
                "period_cluster",
                f"{spec.code}/{cluster_code}",
                {"period_id": period.id, "cluster_id": self.cluster_id(cluster_code)},
                {},
            )


def _indicator_values(spec: IndicatorSpec, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "name": spec.name,
        "kind": spec.kind,
        "unit_label": spec.unit,
        "better": spec.better,
        "min_value": None if spec.min is None else figures.to_canonical(spec.min),
        "max_value": None if spec.max is None else figures.to_canonical(spec.max),
        "integer": spec.integer,
        "options": list(spec.options),
        "required": spec.required,
        "active": True,
    }


def _period_values(spec: PeriodSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "year": spec.year,
        "covers_from": spec.covers[0] if spec.covers else None,
        "covers_to": spec.covers[1] if spec.covers else None,
        "opens_at": spec.opens,
        "deadline_at": spec.deadline,
        "lock_after_minutes": spec.lock_after_minutes,
        "reminder_offsets": list(spec.reminder_minutes),
        "digest_time": spec.digest,
        "quiet_hours": spec.quiet_hours,
        "timezone": spec.timezone,
    }


_SIMPLE = (str, int, float, type(None))  # (bool is an int)


def _plain(value: Any) -> Any:
    """A JSON-ready copy, for the audit log and for printing; a mapping of plain values is
    itself (its callers build one for each row and leave it): a national set-up's 126,000
    targets at the limits would copy 30 MB of them."""
    if isinstance(value, dict):
        if all(isinstance(item, _SIMPLE) for item in value.values()):
            return value
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
