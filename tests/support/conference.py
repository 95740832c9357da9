"""A conference of the example cluster, and the outbox delivered to the fake (conference tests)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.domain.agenda import AgendaItem
from bot.storage import session_scope
from bot.storage.conference_admin import NewConference, create_conference
from bot.storage.conferences import DelegateEntry, conference_by_code, confirm_registration
from bot.storage.models import Cluster, OutboxMessage, Unit
from bot.storage.outbox import PENDING, SENDING
from scheduler.sender import Limits, Sender
from tests.support.harness import Harness

__all__ = ["AGENDA", "CODE", "add_conference", "deliver", "register"]

CODE = "kt-cum2-hn-test"
AGENDA = (
    AgendaItem("Tuyên bố lý do, giới thiệu đại biểu", at="14:00"),
    AgendaItem("Báo cáo sơ kết 6 tháng đầu năm 2026", at="14:10"),
    AgendaItem("Bế mạc hội nghị", at="16:40"),
)


def add_conference(engine: Engine, *, code: str = CODE, cluster: str = "kt-cum2") -> int:
    """A mid-year review on 12 June 2026 at 14:00 (after the harness's clock), three items."""
    with session_scope(engine) as session:
        row = session.exec(select(Cluster).where(Cluster.code == cluster)).one()
        new = NewConference(
            cluster=row,
            kind="so-ket",
            name="Hội nghị sơ kết 6 tháng đầu năm 2026",
            starts_at=datetime(2026, 6, 12, 7, 0, tzinfo=UTC),
            place="Hội trường UBND xã Sa Thầy",
            rsvp_by=datetime(2026, 6, 11, 10, 0, tzinfo=UTC),
            max_delegates=3,
            invite_at=datetime(2026, 6, 1, 1, 0, tzinfo=UTC),
            reminder_offsets=(1440,),
            timezone="Asia/Ho_Chi_Minh",
            host_unit_id=None,
            period_id=None,
        )
        conference = create_conference(session, new=new, agenda=AGENDA, actor="test")
        conference.code = code
        return conference.id or 0


def register(
    engine: Engine, unit_code: str, *people: tuple[str, str], reason: str | None = None
) -> None:
    """The unit's confirmed answer: these delegates (name, position), or not attending."""
    with session_scope(engine) as session:
        conference = conference_by_code(session, code=CODE)
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        assert conference is not None and unit.id is not None
        confirm_registration(
            session,
            conference=conference,
            unit_id=unit.id,
            attends=bool(people),
            delegates=[DelegateEntry(name, title) for name, title in people],
            reason=reason,
            actor="test",
            now=datetime(2026, 6, 9, tzinfo=UTC),
        )


def _unsent(engine: Engine) -> int:
    with session_scope(engine) as session:
        query = select(OutboxMessage).where(col(OutboxMessage.status).in_((PENDING, SENDING)))
        return len(session.exec(query).all())


async def deliver(bot: Harness) -> None:
    """Send everything queued in the outbox to the fake, as the scheduler's sender would."""
    sender = Sender(bot.app.bot, bot.engine, limits=Limits(scale=1000.0), backoff=0.01)
    try:
        for _attempt in range(200):
            if not await asyncio.to_thread(_unsent, bot.engine):
                return
            await sender.send_due()
            await sender.drain()
            await asyncio.sleep(0.005)
        raise AssertionError("the outbox was not delivered")
    finally:
        await sender.close()
