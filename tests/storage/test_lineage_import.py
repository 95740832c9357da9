"""Importing merged units: membership by year, the old units' past kept, later periods left."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.reports.snapshot import load_snapshot
from bot.storage.models import AuditEvent, ClusterUnit, Period, Pledge, Unit
from bot.storage.pledge_progress import registration_progress
from bot.storage.progress import unit_progress
from bot.storage.submissions import cluster_in_period, periods_of_unit
from tests.support.lineage import YEAR_2025, YEAR_2026, import_file, submitted


def _codes_in(engine: Engine, period_code: str) -> list[str]:
    with Session(engine) as session:
        period = session.exec(select(Period).where(Period.code == period_code)).one()
        (cluster,) = load_snapshot(session, period_id=period.id or 0).clusters
        progress = unit_progress(session, period=period, cluster_id=cluster.id)
    assert [unit.code for unit in progress] == [unit.code for unit in cluster.units]
    return [unit.code for unit in progress]


def _unit(session: Session, code: str) -> Unit:
    return session.exec(select(Unit).where(Unit.code == code)).one()


def test_a_unit_left_out_of_next_years_file_is_a_member_only_of_the_years_it_was(
    engine: Engine,
) -> None:
    import_file(engine, YEAR_2025)
    submitted(engine, "xa-cu-1", "2025-cn", {"thu": "10"})
    import_file(engine, YEAR_2026)
    assert _codes_in(engine, "2025-cn") == ["xa-cu-1", "xa-cu-2", "xa-khac"]
    assert _codes_in(engine, "2026-h1") == ["xa-moi", "xa-khac"]
    with Session(engine) as session:
        old, new = _unit(session, "xa-cu-1"), _unit(session, "xa-moi")
        assert [p.code for p, _c, _l in periods_of_unit(session, old.id or 0)] == ["2025-cn"]
        assert [p.code for p, _c, _l in periods_of_unit(session, new.id or 0)] == ["2026-h1"]
        period = session.exec(select(Period).where(Period.code == "2026-h1")).one()
        assert cluster_in_period(session, period_id=period.id or 0, unit_id=old.id or 0) is None
        assert new.merged_from == ["xa-cu-1", "xa-cu-2"]
        left = session.exec(
            select(AuditEvent).where(AuditEvent.entity_key == "cum-moi/xa-cu-1")
        ).all()
        assert any((e.after or {}).get("until_year") == 2025 for e in left)
        (figures,) = load_snapshot(
            session,
            period_id=session.exec(select(Period.id).where(Period.code == "2025-cn")).one() or 0,
        ).clusters
    assert figures.units  # the old unit's submission of 2025 is still there to read


def test_a_rename_reads_its_lineage_and_a_later_years_file_ends_what_it_leaves_out(
    engine: Engine,
) -> None:
    import_file(engine, YEAR_2025)
    import_file(engine, YEAR_2026)
    renamed = YEAR_2026.replace(
        "      - {code: xa-khac, name: Xã Khác}",
        "      - {code: phuong-a, name: Phường A, renamed_from: xa-khac}",
    ).replace("year: 2026", "year: 2027")
    import_file(engine, renamed)
    with Session(engine) as session:
        assert _unit(session, "phuong-a").renamed_from == "xa-khac"
        rows = {
            code: (row.since_year, row.until_year)
            for row, code in session.exec(
                select(ClusterUnit, Unit.code).join(Unit, col(Unit.id) == ClusterUnit.unit_id)
            ).all()
        }
    assert rows == {
        "xa-cu-1": (None, 2025),
        "xa-cu-2": (None, 2025),
        "xa-khac": (None, 2026),
        "xa-moi": (2026, None),
        "phuong-a": (2027, None),
    }
    assert _codes_in(engine, "2026-h1") == ["xa-moi", "xa-khac"]


def test_next_years_pledge_is_registered_by_that_years_members(engine: Engine) -> None:
    import_file(engine, YEAR_2025)
    import_file(engine, YEAR_2026)
    with Session(engine) as session:
        pledges = {p.year: p for p in session.exec(select(Pledge)).all()}
        this_year = [u.unit.code for u in registration_progress(session, pledges[2026])]
        last_year = [u.unit.code for u in registration_progress(session, pledges[2025])]
    assert this_year == ["xa-moi", "xa-khac"]
    assert last_year == ["xa-cu-1", "xa-cu-2", "xa-khac"]
