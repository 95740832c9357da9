"""A set-up of many clusters imported in bulk statements: every row and its audit event once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from bot.setup import read_setup
from bot.storage import import_rows, session_scope
from bot.storage.models import (
    AuditEvent,
    Cluster,
    ClusterUnit,
    Indicator,
    PeriodCluster,
    Pledge,
    Target,
    Unit,
)
from bot.storage.pledge_tables import PledgeWindow
from bot.storage.setup_import import Change, apply_setup, known_clusters
from bot.storage.types import require_id

CLUSTERS, UNITS, INDICATORS = 4, 5, 6


def _setup() -> dict[str, Any]:
    """Four clusters of five units, six indicators each, a target for every unit and one."""
    indicators = [
        {"code": f"ct-{n}", "name": f"Chỉ tiêu {n}", "kind": "number"} for n in range(INDICATORS)
    ]
    clusters, pledges = [], []
    for c in range(CLUSTERS):
        units = [f"u{c}-{n}" for n in range(UNITS)]
        clusters.append(
            {
                "code": f"cum-{c}",
                "name": f"Cụm {c}",
                "units": [{"code": u, "name": u} for u in units],
            }
        )
        targets = {u: {i["code"]: 100 + n for n, i in enumerate(indicators)} for u in units}
        pledges.append(
            {"cluster": f"cum-{c}", "year": 2026, "indicators": indicators, "targets": targets}
        )
    period = {
        "code": "2026-h1",
        "name": "Sơ kết 6 tháng",
        "clusters": [c["code"] for c in clusters],
        "opens": "2026-06-01 08:00",
        "deadline": "2026-06-20 17:00",
    }
    return {"clusters": clusters, "pledges": pledges, "periods": [period]}


def _import(engine: Engine, tree: dict[str, Any]) -> list[Change]:
    with session_scope(engine) as session:
        text = yaml.safe_dump(tree, allow_unicode=True)
        setup = read_setup(text, known_clusters=known_clusters(session))
        return apply_setup(session, setup, actor="test")


def _targets(session: Session) -> dict[tuple[str, str], str]:
    rows = session.exec(
        select(Unit.code, Indicator.code, Target.value)
        .join(Unit, col(Unit.id) == Target.unit_id)
        .join(Indicator, col(Indicator.id) == Target.indicator_id)
    ).all()
    return {(unit, indicator): value for unit, indicator, value in rows}


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seven rows a statement, so that the tables here span several statements."""
    monkeypatch.setattr(import_rows, "_CHUNK", 7)


def test_every_row_and_its_audit_event_are_written_once_across_the_statements(
    engine: Engine,
) -> None:
    changes = _import(engine, _setup())
    targets = CLUSTERS * UNITS * INDICATORS
    with Session(engine) as session:
        assert len(_targets(session)) == targets
        assert session.exec(select(func.count()).select_from(ClusterUnit)).one() == 20
        assert session.exec(select(func.count()).select_from(PeriodCluster)).one() == CLUSTERS
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert [(e.action, e.entity, e.entity_key) for e in events] == [
        (f"import.{c.action}", c.entity, c.key) for c in changes
    ]
    assert all(e.actor == "test" and e.at is not None for e in events)
    assert sum(c.entity == "target" for c in changes) == targets


def test_a_reimport_that_changes_one_target_among_many_changes_exactly_that_one(
    engine: Engine,
) -> None:
    tree = _setup()
    _import(engine, tree)
    with Session(engine) as session:
        before, events = (
            _targets(session),
            session.exec(select(func.count(col(AuditEvent.id)))).one(),
        )
    tree["pledges"][2]["targets"]["u2-3"]["ct-4"] = 777

    changes = _import(engine, tree)

    assert changes == [
        Change("updated", "target", "cum-2/2026/u2-3/ct-4", {"value": "104"}, {"value": "777"})
    ]
    with Session(engine) as session:
        assert _targets(session) == before | {("u2-3", "ct-4"): "777"}
        audit = session.exec(select(AuditEvent).where(col(AuditEvent.id) > events)).all()
    assert [(e.entity_key, e.before, e.after) for e in audit] == [
        ("cum-2/2026/u2-3/ct-4", {"value": "104"}, {"value": "777"})
    ]
    assert _import(engine, tree) == []


def test_targets_left_out_are_removed_unless_the_units_signed_their_pledge(engine: Engine) -> None:
    tree = _setup()
    _import(engine, tree)
    with session_scope(engine) as session:
        pledge = session.exec(
            select(Pledge).join(Cluster, col(Cluster.id) == Pledge.cluster_id)
            .where(Cluster.code == "cum-1")
        ).one()  # fmt: skip
        moment = datetime(2026, 1, 5, tzinfo=UTC)
        window = PledgeWindow(pledge_id=require_id(pledge), opens_at=moment, deadline_at=moment)
        window.signed_at = moment
        session.add(window)
    for c, spec in enumerate(tree["pledges"]):
        del spec["targets"][f"u{c}-0"]  # each cluster's first unit

    changes = _import(engine, tree)

    assert {c.key.rsplit("/", 1)[0] for c in changes} == {
        f"cum-{c}/2026/u{c}-0" for c in range(CLUSTERS) if c != 1
    }
    assert len(changes) == (CLUSTERS - 1) * INDICATORS
    assert all((c.action, c.entity, c.after) == ("removed", "target", None) for c in changes)
