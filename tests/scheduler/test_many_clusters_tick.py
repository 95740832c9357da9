"""One tick for many clusters, on SQLite and PostgreSQL: what it reads for all of them at
once still sends each cluster's messages to that cluster's people, each once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.models import Cluster, GroupChat, Membership, OutboxMessage, Person, Unit
from bot.storage.setup_import import apply_setup, known_clusters
from bot.storage.types import require_id
from scheduler.plan import Planner
from tests.support.factories import submit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CLUSTERS = 3


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=TZ)


def telegram_id(unit_code: str) -> int:
    """The Telegram id of a unit's focal point: `c1-u2` -> 5012."""
    cluster, _, unit = unit_code.partition("-")
    return 5000 + 10 * int(cluster[1:]) + int(unit[1:])


def setup_yaml() -> str:
    """Three clusters of three units (chair u0, vice-chair u1) in one period."""
    lines = ["clusters:"]
    for c in range(CLUSTERS):
        lines += [f"  - code: c{c}", f"    name: Cụm số {c}", "    year: 2026"]
        lines += [f"    chair: c{c}-u0", f"    vice_chair: c{c}-u1", "    units:"]
        lines += [f"      - {{code: c{c}-u{u}, name: Xã {c}-{u}}}" for u in range(3)]
    codes = ", ".join(f"c{c}" for c in range(CLUSTERS))
    lines += [
        "periods:",
        "  - code: 2026-h1",
        "    name: Sơ kết 6 tháng đầu năm 2026",
        f"    clusters: [{codes}]",
        "    year: 2026",
        "    opens: 2026-06-01 08:00",
        "    deadline: 2026-06-20 17:00",
        "    reminders: [3d]",
        "    digest: '08:00'",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def clusters(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        setup = read_setup(setup_yaml(), locale="vi", known_clusters=known_clusters(session))
        apply_setup(session, setup, actor="test")
        for unit in session.exec(select(Unit)).all():
            person = Person(telegram_id=telegram_id(unit.code), full_name=f"Đầu mối {unit.name}")
            session.add(person)
            session.flush()
            session.add(Membership(person_id=require_id(person), unit_id=require_id(unit)))
        for cluster in session.exec(select(Cluster)).all():
            chat = -100 - require_id(cluster)
            session.add(GroupChat(chat_id=chat, title=cluster.name, cluster_id=cluster.id))
    return engine


def tick(engine: Engine, now: datetime) -> int:
    # Without the tick's budget: who gets what is the point here, and on a loaded machine the
    # budget leaves summaries and digests to the next tick (tests/scheduler/test_tick_budget.py).
    with session_scope(engine) as session:
        return Planner(now=now, quiet=None, heavy_seconds=None).plan(session)


def outbox(engine: Engine, prefix: str) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        query = select(OutboxMessage).where(col(OutboxMessage.key).startswith(prefix))
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def test_each_chair_hears_of_its_own_late_units_once(clusters: Engine) -> None:
    assert tick(clusters, at(20, 17, 1)) > 0
    assert tick(clusters, at(20, 17, 1)) == 0
    lists = {
        message.chat_id: message.payload["text"] for message in outbox(clusters, "overdue-list:")
    }
    assert set(lists) == {telegram_id(f"c{c}-u0") for c in range(CLUSTERS)}
    for c in range(CLUSTERS):
        text = lists[telegram_id(f"c{c}-u0")]
        assert f"Cụm số {c}:" in text
        assert [f"Xã {c}-{u}" in text for u in range(3)] == [True] * 3
        assert f"Xã {(c + 1) % CLUSTERS}-0" not in text
    overdue = outbox(clusters, "overdue:")
    assert sorted(m.chat_id for m in overdue) == sorted(
        telegram_id(f"c{c}-u{u}") for c in range(CLUSTERS) for u in range(3)
    )


def test_each_cluster_digest_goes_to_its_own_chair_and_vice_chair(clusters: Engine) -> None:
    submit(clusters, "c1-u2", at=at(2, 9))
    tick(clusters, at(3, 8, 1))
    assert tick(clusters, at(3, 8, 1)) == 0
    digests = {message.chat_id: message.payload["text"] for message in outbox(clusters, "digest:")}
    assert set(digests) == {telegram_id("c1-u0"), telegram_id("c1-u1")}
    assert all("Cụm số 1" in text and "Xã 1-2" in text for text in digests.values())
