"""Heavy work beyond a tick's time budget waits for the next tick: each piece once, none lost."""

from __future__ import annotations

from datetime import datetime, time
from time import monotonic
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.domain.due import QuietHours
from bot.notices.budget import Budget
from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.models import Cluster, GroupChat, OutboxMessage
from bot.storage.setup_import import apply_setup, known_clusters
from scheduler.plan import Planner
from tests.support.factories import example_cluster

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUIET = QuietHours(time(21), time(7))
AFTER_DEADLINE = datetime(2026, 6, 20, 17, 1, tzinfo=TZ)
SECOND_CLUSTER = (
    "clusters:\n  - code: kt-cum3\n    name: Cụm thi đua số 3\n    units:\n"
    "      - {code: dak-ha, name: Xã Đăk Hà}\n"
    "periods:\n  - code: 2026-h1\n    name: Sơ kết 6 tháng đầu năm 2026\n"
    "    clusters: [kt-cum2, kt-cum3]\n    year: 2026\n    opens: 2026-06-01 08:00\n"
    "    deadline: 2026-06-20 17:00\n    reminders: [7d]\n"
)


def two_clusters_with_groups(engine: Engine) -> None:
    example_cluster(engine)
    with session_scope(engine) as session:
        setup = read_setup(SECOND_CLUSTER, locale="vi", known_clusters=known_clusters(session))
        apply_setup(session, setup, actor="test")
        second = session.exec(select(Cluster).where(Cluster.code == "kt-cum3")).one()
        session.add(GroupChat(chat_id=-3_000, title="Cụm 3", cluster_id=second.id))


def summary_workbooks(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        keys = session.exec(
            select(OutboxMessage.key).where(col(OutboxMessage.key).startswith("summary:"))
        ).all()
    return sorted(key for key in keys if key.endswith(":workbook"))


def tick(engine: Engine, heavy_seconds: float | None) -> int:
    with session_scope(engine) as session:
        planner = Planner(now=AFTER_DEADLINE, quiet=QUIET, heavy_seconds=heavy_seconds)
        return planner.plan(session)


def test_summaries_beyond_the_budget_come_one_tick_later_each_once(engine: Engine) -> None:
    two_clusters_with_groups(engine)
    tick(engine, heavy_seconds=0)  # no time at all: still one piece of work per tick
    first = summary_workbooks(engine)
    assert len(first) == 1
    tick(engine, heavy_seconds=0)
    both = summary_workbooks(engine)
    assert len(both) == 2 and set(first) < set(both)
    assert tick(engine, heavy_seconds=0) == 0  # nothing left, nothing twice
    assert summary_workbooks(engine) == both


def test_without_a_limit_every_summary_goes_in_one_tick(engine: Engine) -> None:
    two_clusters_with_groups(engine)
    tick(engine, heavy_seconds=None)
    assert len(summary_workbooks(engine)) == 2


def test_the_first_piece_is_always_allowed_and_the_rest_counted() -> None:
    budget = Budget(0)
    assert budget.allow()
    assert not budget.allow() and not budget.allow()
    assert budget.deferred == 2
    assert all(Budget(None).allow() for _ in range(3))


def test_the_ticks_own_work_counts_against_its_budget() -> None:
    # The tick started two seconds ago (reminders and lists took them): only one piece now.
    late = Budget(1.2, started=monotonic() - 2)
    assert late.allow() and not late.allow()
    assert late.deferred == 1
    early = Budget(60, started=monotonic())
    assert early.allow() and early.allow() and early.deferred == 0
