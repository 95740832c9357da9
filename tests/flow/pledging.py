"""Next year's pledge of the example cluster, its units' people, this year's results."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.fake_telegram import FakeChat, FakeUser
from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.admin import bind_group
from bot.storage.models import (
    Answer,
    Cluster,
    Indicator,
    OutboxMessage,
    Period,
    Pledge,
    Submission,
    Unit,
)
from bot.storage.pledge_tables import TargetAnswer, TargetRegistration
from bot.storage.setup_import import apply_setup
from bot.storage.types import require_id
from tests.support.factories import EXAMPLE
from tests.support.harness import Harness

ADMIN = FakeUser(id=9001, first_name="Quản trị", language_code="vi")
CHAIR = FakeUser(id=9101, first_name="Hoa", last_name="Trần", language_code="vi")
GROUP = FakeChat(id=-100777, type="supergroup", title="Cụm 2 Kon Tum")
UNITS = ("kon-tum", "sa-thay", "dak-cam", "mo-rai", "ia-dal")
# One focal point per unit: Lan is kon-tum's.
OFFICERS = {
    code: FakeUser(id=7001 + n, first_name=f"Đầu mối {n + 1}", language_code="vi")
    for n, code in enumerate(UNITS)
}
LAN = OFFICERS["kon-tum"]
# 10:00 on 5 December 2026 in Kon Tum: the registration opened on 1 December.
DURING_REGISTRATION = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
NEXT_YEAR = {
    "cluster": "kt-cum2",
    "year": 2027,
    "indicators_from": 2026,
    "registration": {"opens": "2026-12-01 08:00", "deadline": "2026-12-20 17:00"},
}
# kon-tum's 2026 figures (its targets: 620, 8, 1500, 0.3 for the four with one).
RESULTS = {
    "thu-ngan-sach": "650",
    "gtsx-ke-hoach": "104.5",
    "xa-ntm": "8",
    "quy-vi-nguoi-ngheo": "1500",
    "hs-bo-hoc": "0.3",
    "tcd-htt": "47/53",
}
# Targets that need no confirmation: at or beyond 2026's results.
TYPED = ["700", "105,5", "9", "1600", "0,25", "48/53"]
STORED = {
    "thu-ngan-sach": "700",
    "gtsx-ke-hoach": "105.5",
    "xa-ntm": "9",
    "quy-vi-nguoi-ngheo": "1600",
    "hs-bo-hoc": "0.25",
    "tcd-htt": "48/53",
}


def pledge_yaml() -> str:
    """The example set-up with next year's pledge to register."""
    tree: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    tree["pledges"].append(NEXT_YEAR)
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


@asynccontextmanager
async def pledge_bot(engine: Engine, *, results: bool = True) -> AsyncIterator[Harness]:
    """The cluster with its 2027 pledge open for registration; everyone joined; a bound group."""
    with session_scope(engine) as session:
        apply_setup(session, read_setup(pledge_yaml()), actor="test")
    if results:
        submit_results(engine, "kon-tum", RESULTS)
    async with Harness(engine, THIDUA_ADMINS=str(ADMIN.id)) as bot:
        await bot.join(CHAIR, "kon-tum", role="chair")
        for code, officer in OFFICERS.items():
            await bot.join(officer, code)
        with session_scope(engine) as session:
            cluster = session.exec(select(Cluster).where(Cluster.code == "kt-cum2")).one()
            bind_group(
                session, chat_id=GROUP.id, title=GROUP.title or "", cluster=cluster, actor="test",
                now=bot.now,
            )  # fmt: skip
        bot.now = DURING_REGISTRATION
        yield bot


def submit_results(engine: Engine, unit_code: str, values: dict[str, str]) -> None:
    """A unit's submitted figures for the 2026 mid-year period: its results of this year."""
    with session_scope(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        period = session.exec(select(Period).where(Period.code == "2026-h1")).one()
        submission = Submission(
            period_id=require_id(period),
            unit_id=require_id(unit),
            status="submitted",
            submitted_at=datetime(2026, 6, 10, 3, 0, tzinfo=UTC),
        )
        session.add(submission)
        session.flush()
        for code, value in values.items():
            indicator = indicator_of(session, code, 2026)
            session.add(
                Answer(submission_id=require_id(submission), indicator_id=indicator, value=value)
            )


def indicator_of(session: Session, code: str, year: int) -> int:
    """The id of an indicator of the example cluster's pledge for a year."""
    return require_id(
        session.exec(
            select(Indicator)
            .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
            .where(Indicator.code == code, Pledge.year == year)
        ).one()
    )


def register_directly(engine: Engine, unit_code: str, values: dict[str, str] | None = None) -> int:
    """A unit's registered targets for 2027, written as the conversation would; its id."""
    with session_scope(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        pledge = session.exec(select(Pledge).where(Pledge.year == 2027)).one()
        top = session.exec(
            select(TargetRegistration.revision)
            .where(TargetRegistration.unit_id == unit.id, TargetRegistration.pledge_id == pledge.id)
            .order_by(col(TargetRegistration.revision).desc())
        ).first()
        registration = TargetRegistration(
            pledge_id=require_id(pledge),
            unit_id=require_id(unit),
            revision=(top or 0) + 1,
            status="submitted",
            submitted_at=DURING_REGISTRATION,
        )
        session.add(registration)
        session.flush()
        for code, value in (values or {"thu-ngan-sach": "100"}).items():
            session.add(
                TargetAnswer(
                    registration_id=require_id(registration),
                    indicator_id=indicator_of(session, code, 2027),
                    value=value,
                )
            )
        return require_id(registration)


def registered(engine: Engine, unit_code: str = "kon-tum") -> dict[str, TargetAnswer]:
    """The unit's targets in its newest registered revision, by indicator code."""
    with Session(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        latest = session.exec(
            select(TargetRegistration)
            .where(TargetRegistration.unit_id == unit.id, TargetRegistration.status == "submitted")
            .order_by(col(TargetRegistration.revision).desc())
        ).first()
        if latest is None:
            return {}
        rows = session.exec(
            select(Indicator.code, TargetAnswer)
            .join(TargetAnswer, col(TargetAnswer.indicator_id) == Indicator.id)
            .where(TargetAnswer.registration_id == latest.id)
        ).all()
        return dict(rows)


def queued_for(engine: Engine, chat_id: int, key_part: str = "") -> list[OutboxMessage]:
    """The outbox messages for a chat whose key contains `key_part`, oldest first."""
    with Session(engine) as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.chat_id == chat_id)
            .order_by(col(OutboxMessage.id))
        ).all()
        return [row for row in rows if key_part in row.key]


def last(messages: list[dict[str, Any]]) -> dict[str, Any]:
    assert messages, "the bot sent nothing"
    return messages[-1]
