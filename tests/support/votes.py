"""A conference vote driven through the real application: attendance, the outbox delivered
to the fake Bot API, ballots pressed as their focal points would."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from bot.fake_telegram import FakeUser
from bot.storage import session_scope
from bot.storage.conference_tables import ConferenceVote
from bot.storage.conferences import conference_by_code, set_attendance
from bot.storage.models import OutboxMessage, Unit
from bot.storage.outbox import FAILED, SENT
from scheduler.sender import Limits, Sender
from tests.support.harness import Harness, buttons

__all__ = ["ballot_message", "cast", "deliver", "mark_present", "vote_id"]


def mark_present(engine: Engine, conference: str, present: list[str], absent: list[str]) -> None:
    """The roll-call, as the chair's /checkin would leave it."""
    with session_scope(engine) as session:
        row = conference_by_code(session, code=conference)
        assert row is not None
        for status, codes in (("present", present), ("absent", absent)):
            for code in codes:
                unit = session.exec(select(Unit).where(Unit.code == code)).one()
                set_attendance(
                    session, conference=row, unit_id=unit.id or 0, status=status, actor="test",
                    now=row.starts_at,
                )  # fmt: skip


def vote_id(engine: Engine, code: str) -> int:
    with Session(engine) as session:
        row = session.exec(select(ConferenceVote).where(ConferenceVote.code == code)).one()
        return row.id or 0


async def deliver(bot: Harness) -> None:
    """Send everything the outbox holds, as the scheduler's sender would (windows scaled)."""
    sender = Sender(bot.app.bot, bot.engine, limits=Limits(scale=1000.0), clock=lambda: bot.now)
    try:
        for _attempt in range(200):
            started = await sender.send_due()
            await sender.drain()
            if not started and not _waiting(bot.engine):
                return
            if not started:
                await asyncio.sleep(0.01)
        raise AssertionError("the outbox did not drain")
    finally:
        await sender.close()


def _waiting(engine: Engine) -> int:
    with Session(engine) as session:
        done = (SENT, FAILED)
        query = select(func.count()).where(col(OutboxMessage.status).not_in(done))
        return int(session.exec(query).one())


def ballot_message(bot: Harness, user: FakeUser) -> dict[str, Any]:
    """The latest message in the user's private chat with ballot buttons."""
    for message in reversed(bot.fake.sent_messages(user.id)):
        if any(data.startswith("vb:") for _label, data in buttons(message)):
            return message
    raise AssertionError(f"no ballot for {user.first_name}")


async def cast(bot: Harness, user: FakeUser, *labels: str) -> list[dict[str, Any]]:
    """Choose `labels` on the user's ballot (none: «Không chọn ai»), review, «Bỏ phiếu»."""
    for label in labels:
        await bot.press(user, ballot_message(bot, user), label)
    if not labels:
        await bot.press(user, ballot_message(bot, user), "Không chọn ai")
    elif "Xem lại" in str(buttons(ballot_message(bot, user))):
        await bot.press(user, ballot_message(bot, user), "Xem lại")
    return await bot.press(user, ballot_message(bot, user), "Bỏ phiếu")
