"""Where a pledge's registration stands: each unit's state, the signed targets, the export rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.storage.audit import record_event
from bot.storage.directory import units_of_cluster
from bot.storage.models import Cluster, Pledge, Target, Unit
from bot.storage.pledge_tables import TargetAnswer, TargetRegistration
from bot.storage.pledges import target_indicators
from bot.storage.types import require_id

__all__ = [
    "MISSING",
    "REGISTERED",
    "RETURNED",
    "SIGNED",
    "PledgeRow",
    "UnitTargets",
    "pledge_rows",
    "registered_answers",
    "registration_progress",
    "write_targets",
]

MISSING, REGISTERED, RETURNED, SIGNED = "missing", "registered", "returned", "signed"


@dataclass(frozen=True)
class UnitTargets:
    """One unit's registration: its newest registered revision and a draft being written."""

    unit: Unit
    latest: TargetRegistration | None  # the newest registered ("submitted") revision
    drafted: int | None  # answers in the draft being written, if there is one

    @property
    def state(self) -> str:
        if self.latest is None:
            return MISSING
        if self.latest.returned_at is not None:
            return RETURNED
        return SIGNED if self.latest.signed_at is not None else REGISTERED

    @property
    def owes(self) -> bool:
        """Whether the unit still has to register: nothing yet, or returned for correction."""
        return self.state in (MISSING, RETURNED)


def registration_progress(session: Session, pledge: Pledge) -> list[UnitTargets]:
    """Every unit of the pledge's cluster, in set-up order, with where its registration stands."""
    rows = session.exec(
        select(TargetRegistration)
        .where(TargetRegistration.pledge_id == pledge.id)
        .order_by(col(TargetRegistration.revision))
    ).all()
    latest: dict[int, TargetRegistration] = {}
    drafts: dict[int, int] = {}
    for row in rows:
        if row.status == "submitted":
            latest[row.unit_id] = row
        else:
            drafts[row.unit_id] = require_id(row)
    counts = _answer_counts(session, list(drafts.values()))
    return [
        UnitTargets(
            unit,
            latest.get(require_id(unit)),
            counts.get(drafts[require_id(unit)], 0) if require_id(unit) in drafts else None,
        )
        for unit in units_of_cluster(session, pledge.cluster_id, pledge.year)
    ]


def _answer_counts(session: Session, registration_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = dict.fromkeys(registration_ids, 0)
    for registration_id in session.exec(
        select(TargetAnswer.registration_id).where(
            col(TargetAnswer.registration_id).in_(registration_ids)
        )
    ):
        counts[registration_id] += 1
    return counts


def registered_answers(
    session: Session, registration_ids: list[int]
) -> dict[int, dict[int, TargetAnswer]]:
    """Registration id -> indicator id -> its target, for several registrations at once."""
    found: dict[int, dict[int, TargetAnswer]] = {i: {} for i in registration_ids}
    for answer in session.exec(
        select(TargetAnswer).where(col(TargetAnswer.registration_id).in_(registration_ids))
    ):
        found[answer.registration_id][answer.indicator_id] = answer
    return found


def write_targets(
    session: Session, *, pledge: Pledge, progress: list[UnitTargets], actor: str
) -> int:
    """The signed targets become the pledge's `Target` rows, audited as an import writes them."""
    cluster = session.get(Cluster, pledge.cluster_id)
    indicators = {require_id(i): i for i in target_indicators(session, require_id(pledge))}
    signed = [u for u in progress if u.latest is not None]
    answers = registered_answers(session, [require_id(u.latest) for u in signed if u.latest])
    written = 0
    for unit_targets in signed:
        assert unit_targets.latest is not None
        for indicator_id, answer in answers[require_id(unit_targets.latest)].items():
            if answer.value is None or indicator_id not in indicators:
                continue
            key = f"{cluster.code if cluster else ''}/{pledge.year}/{unit_targets.unit.code}/"
            key += indicators[indicator_id].code
            written += _write_target(
                session, indicator_id, require_id(unit_targets.unit), answer.value, key, actor
            )
    return written


def _write_target(
    session: Session, indicator_id: int, unit_id: int, value: str, key: str, actor: str
) -> int:
    """Create or update one target; audited under the import's actions, which also tells every
    process's question cache that the set-up changed."""
    target = session.exec(
        select(Target).where(Target.indicator_id == indicator_id, Target.unit_id == unit_id)
    ).first()
    if target is not None and target.value == value:
        return 0
    before = None if target is None else {"value": target.value}
    action = "import.created" if target is None else "import.updated"
    target = target or Target(indicator_id=indicator_id, unit_id=unit_id, value=value)
    target.value = value
    session.add(target)
    record_event(
        session,
        actor=actor,
        action=action,
        entity="target",
        entity_key=key,
        before=before,
        after={"value": value},
    )
    return 1


@dataclass(frozen=True)
class PledgeRow:
    """One unit's target for one indicator, as exported."""

    cluster: str
    year: int
    unit_code: str
    unit_name: str
    indicator_code: str
    indicator_name: str
    target: str | None  # canonical, as in the export ("1250.5", "47/53")
    registered_at: datetime | None
    signed_at: datetime | None


def pledge_rows(session: Session, *, cluster: Cluster, pledge: Pledge) -> list[PledgeRow]:
    """One row per unit and indicator that takes a target, in set-up and pledge order."""
    indicators = target_indicators(session, require_id(pledge))
    progress = registration_progress(session, pledge)
    answers = registered_answers(session, [require_id(u.latest) for u in progress if u.latest])
    rows = []
    for unit_targets in progress:
        latest = unit_targets.latest
        given = answers[require_id(latest)] if latest else {}
        for indicator in indicators:
            answer = given.get(require_id(indicator))
            rows.append(
                PledgeRow(
                    cluster=cluster.code,
                    year=pledge.year,
                    unit_code=unit_targets.unit.code,
                    unit_name=unit_targets.unit.name,
                    indicator_code=indicator.code,
                    indicator_name=indicator.name,
                    target=answer.value if answer else None,
                    registered_at=latest.submitted_at if latest else None,
                    signed_at=latest.signed_at if latest else None,
                )
            )
    return rows
