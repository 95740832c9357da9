"""The example cluster with its mid-year conference invited, its units' focal points joined."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.fake_telegram import FakeChat, FakeUser
from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.admin import bind_group
from bot.storage.conference_import import known_periods
from bot.storage.conference_tables import Conference
from bot.storage.conferences import UnitRegistration, registration_states
from bot.storage.models import Cluster
from bot.storage.setup_import import apply_setup, known_clusters
from tests.setup.conference_example import conference_file
from tests.support.harness import Harness

__all__ = [
    "ADMIN",
    "CHAIR",
    "GROUP",
    "OFFICERS",
    "TZ",
    "conference_bot",
    "import_conferences",
    "last",
    "local",
    "states",
]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
EXAMPLE = Path(__file__).parents[2] / "examples" / "cluster.yaml"
ADMIN = FakeUser(id=9001, first_name="Quản trị", language_code="vi")
CHAIR = FakeUser(id=9101, first_name="Hoa", last_name="Trần", language_code="vi")
GROUP = FakeChat(id=-100888, type="supergroup", title="Cụm 2 Kon Tum")
UNITS = ("kon-tum", "sa-thay", "dak-cam", "mo-rai", "ia-dal")
OFFICERS = {
    code: FakeUser(id=8001 + n, first_name=f"Đầu mối {n + 1}", language_code="vi")
    for n, code in enumerate(UNITS)
}


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of 2026 in Kon Tum's time."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def import_conferences(engine: Engine) -> None:
    """The example set-up with its two conferences (2026-h1-hn: invited 26 June 08:00,
    registration until 7 July 17:00, at most 3 delegates, on 10 July at 14:00)."""
    text = conference_file(EXAMPLE.read_text(encoding="utf-8"))
    with session_scope(engine) as session:
        setup = read_setup(
            text, known_clusters=known_clusters(session), known_periods=known_periods(session)
        )
        apply_setup(session, setup, actor="test")


@asynccontextmanager
async def conference_bot(engine: Engine) -> AsyncIterator[Harness]:
    """Everyone joined and the group bound; the clock on 1 July, registration open."""
    import_conferences(engine)
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
        bot.now = local(7, 1, 10)
        yield bot


def states(engine: Engine, code: str = "2026-h1-hn") -> dict[str, UnitRegistration]:
    """Each unit's confirmed answer to the conference, by unit code."""
    with Session(engine) as session:
        conference = session.exec(select(Conference).where(Conference.code == code)).one()
        return {
            unit.unit_code: unit for unit in registration_states(session, conference=conference)
        }


def last(messages: list[dict[str, Any]]) -> dict[str, Any]:
    assert messages, "the bot sent nothing"
    return messages[-1]
