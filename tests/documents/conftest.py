"""The example cluster with three units' figures submitted, and its summary."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.domain import figures
from bot.reports import ClusterSummary, PeriodInfo, Snapshot, build_summary, load_snapshot
from bot.storage import session_scope
from bot.storage import submissions as store
from bot.storage.models import Person, Unit
from bot.storage.types import require_id
from tests.support.factories import example_cluster, period, person_id_of

SUBMITTED_AT = datetime(2026, 6, 18, 2, 30, tzinfo=UTC)
# Canonical answers by indicator code; mo-rai and ia-dal have not submitted.
ANSWERS: dict[str, dict[str, str]] = {
    "kon-tum": {
        "thu-ngan-sach": "450",
        "gtsx-ke-hoach": "104.5",
        "xa-ntm": "7",
        "quy-vi-nguoi-ngheo": "1250.5",
        "hs-bo-hoc": "0.3",
        "tcd-htt": "47/53",
        "giao-quan": "true",
        "cchc": "Tốt",
        "noi-bat": "Vượt thu ngân sách 12% so với cùng kỳ.",
    },
    "sa-thay": {
        "thu-ngan-sach": "120.75",
        "gtsx-ke-hoach": "98",
        "xa-ntm": "5",
        "quy-vi-nguoi-ngheo": "450",
        "hs-bo-hoc": "0.5",
        "tcd-htt": "20/25",
        "giao-quan": "false",
        "cchc": "Khá",
        "kien-nghi": "Đề nghị tỉnh hỗ trợ kinh phí làm đường giao thông nông thôn.",
    },
    "dak-cam": {
        "thu-ngan-sach": "60.25",
        "gtsx-ke-hoach": "101",
        "xa-ntm": "3",
        "quy-vi-nguoi-ngheo": "1000",
        "hs-bo-hoc": "0.9",
        "tcd-htt": "15/18",
        "giao-quan": "true",
        "cchc": "Tốt",
    },
}


def submit_answers(engine: Engine, unit_code: str, answers: Mapping[str, str]) -> None:
    """The unit's focal point answers these indicators and submits, as the flow stores it."""
    with session_scope(engine) as session:
        the_period = period(session)
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        person = session.exec(
            select(Person).where(Person.telegram_id == person_id_of(unit_code))
        ).one()
        cluster = store.cluster_of_unit(session, require_id(unit))
        assert cluster is not None
        indicators = store.indicators_for(
            session, cluster_id=require_id(cluster), year=the_period.year
        )
        draft = store.start_draft(
            session, period_id=require_id(the_period), unit_id=require_id(unit), person=person
        )
        for indicator in indicators:
            if indicator.code not in answers:
                continue
            value = answers[indicator.code]
            spec = figures.Spec(kind=indicator.kind, options=tuple(indicator.options))
            number = figures.as_number(figures.from_canonical(value, spec))
            store.save_answer(
                session,
                draft=draft,
                indicator_id=require_id(indicator),
                person=person,
                raw_text=value,
                value=value,
                value_number=None if number is None else float(number),
            )
        store.submit_draft(
            session, draft=draft, person=person, unit=unit, now=SUBMITTED_AT, late=False
        )


def build_example(engine: Engine) -> None:
    """The example cluster; kon-tum, sa-thay and dak-cam have submitted their figures."""
    example_cluster(engine, group=False)
    for unit_code, answers in ANSWERS.items():
        submit_answers(engine, unit_code, answers)


@pytest.fixture
def example(engine: Engine) -> Engine:
    """The example cluster with three units' figures, on each database."""
    build_example(engine)
    return engine


def snapshot_of(engine: Engine) -> Snapshot:
    """The example period's snapshot, as the export and the summary load it."""
    with Session(engine) as session:
        return load_snapshot(session, period_id=require_id(period(session)))


@pytest.fixture
def summary(example: Engine) -> tuple[ClusterSummary, PeriodInfo]:
    """The example cluster's summary and its period."""
    built = build_summary(snapshot_of(example))
    return built.clusters[0], built.period
