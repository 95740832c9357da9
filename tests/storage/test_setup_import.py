"""Importing a set-up file into SQLite and PostgreSQL: idempotent, by code, never losing figures."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.models import (
    Answer,
    AuditEvent,
    Cluster,
    ClusterLeadership,
    ClusterUnit,
    Indicator,
    Period,
    PeriodCluster,
    Pledge,
    Submission,
    Target,
    Unit,
)
from bot.storage.setup_import import apply_setup, known_clusters
from bot.storage.types import require_id


def _import(engine: Engine, text: str) -> list[tuple[str, str, str]]:
    with session_scope(engine) as session:
        setup = read_setup(text, known_clusters=known_clusters(session))
        changes = apply_setup(session, setup, actor="test")
    return [(c.action, c.entity, c.key) for c in changes]


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_importing_the_example_creates_the_cluster_units_indicators_targets_and_period(
    engine: Engine, example_yaml: str
) -> None:
    _import(engine, example_yaml)
    with Session(engine) as session:
        counts = {
            m.__name__: _count(session, m)
            for m in (
                Cluster,
                Unit,
                ClusterUnit,
                ClusterLeadership,
                Pledge,
                Indicator,
                Target,
                Period,
                PeriodCluster,
            )
        }
        assert counts == {
            "Cluster": 1,
            "Unit": 5,
            "ClusterUnit": 5,
            "ClusterLeadership": 1,
            "Pledge": 1,
            "Indicator": 11,
            "Target": 20,
            "Period": 1,
            "PeriodCluster": 1,
        }
        names = session.exec(select(Indicator.code).order_by(col(Indicator.position))).all()
        assert names[:3] == ["thu-ngan-sach", "gtsx-ke-hoach", "xa-ntm"]
        period = session.exec(select(Period)).one()
        assert period.deadline_at.isoformat() == "2026-06-20T10:00:00+00:00"
        assert period.reminder_offsets == [10080, 4320, 1440, 120]
        assert period.state == "scheduled"


def test_importing_the_same_file_twice_changes_nothing(engine: Engine, example_yaml: str) -> None:
    assert _import(engine, example_yaml)
    with Session(engine) as session:
        events = _count(session, AuditEvent)
    assert _import(engine, example_yaml) == []
    with Session(engine) as session:
        assert _count(session, AuditEvent) == events


def test_a_changed_file_updates_by_code_and_keeps_submitted_figures(
    engine: Engine, example_yaml: str
) -> None:
    _import(engine, example_yaml)
    with session_scope(engine) as session:
        period = session.exec(select(Period)).one()
        unit = session.exec(select(Unit).where(Unit.code == "dak-cam")).one()
        indicator = session.exec(select(Indicator).where(Indicator.code == "noi-bat")).one()
        submission = Submission(
            period_id=require_id(period), unit_id=require_id(unit), status="submitted"
        )
        session.add(submission)
        session.flush()
        session.add(
            Answer(
                submission_id=require_id(submission),
                indicator_id=require_id(indicator),
                value="Tốt",
            )
        )

    tree = yaml.safe_load(example_yaml)
    tree["clusters"][0]["units"][2]["name"] = "Xã Đăk Cấm"  # merged and renamed, same code
    tree["pledges"][0]["indicators"] = [
        i for i in tree["pledges"][0]["indicators"] if i["code"] != "noi-bat"
    ]
    tree["pledges"][0]["targets"]["dak-cam"]["xa-ntm"] = 4
    del tree["pledges"][0]["targets"]["ia-dal"]
    tree["periods"][0]["deadline"] = "2026-06-25 17:00"
    changes = _import(engine, yaml.safe_dump(tree, allow_unicode=True))

    assert ("updated", "unit", "dak-cam") in changes
    assert ("retired", "indicator", "kt-cum2/2026/noi-bat") in changes
    assert ("updated", "target", "kt-cum2/2026/dak-cam/xa-ntm") in changes
    assert ("removed", "target", "kt-cum2/2026/ia-dal/xa-ntm") in changes
    assert ("updated", "period", "2026-h1") in changes
    with Session(engine) as session:
        assert session.exec(select(Unit.name).where(Unit.code == "dak-cam")).one() == "Xã Đăk Cấm"
        retired = session.exec(select(Indicator).where(Indicator.code == "noi-bat")).one()
        assert retired.active is False
        assert session.exec(select(Answer.value)).all() == ["Tốt"]
        assert _count(session, Target) == 16


def test_every_import_change_is_in_the_audit_log_with_before_and_after(
    engine: Engine, example_yaml: str
) -> None:
    _import(engine, example_yaml)
    _import(
        engine, example_yaml.replace("deadline: 2026-06-20 17:00", "deadline: 2026-06-22 17:00")
    )
    with Session(engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "import.updated")).one()
    assert (event.actor, event.entity, event.entity_key) == ("test", "period", "2026-h1")
    assert event.before == {"deadline_at": "2026-06-20T10:00:00+00:00"}
    assert event.after == {"deadline_at": "2026-06-22T17:00:00+07:00"}


def test_a_unique_code_cannot_be_stored_twice(engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Unit(code="sa-thay", name="A"))
        session.add(Unit(code="sa-thay", name="B"))
        session.flush()
