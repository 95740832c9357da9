"""An update Telegram delivers again after a crash is acted on once, on both databases."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from telegram import Update

from bot.fake_telegram import FakeUser
from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.models import HandledUpdate, Submission
from bot.storage.setup_import import apply_setup
from bot.storage.updates import claim_update
from tests.support.harness import Harness

OFFICER = FakeUser(id=1001, first_name="Lan", last_name="Nguyễn", language_code="vi")


def test_an_update_is_claimed_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert claim_update(session, 41)
        assert not claim_update(session, 41)
    with session_scope(engine) as session:
        assert not claim_update(session, 41)
        assert claim_update(session, 42)


def test_a_claim_rolled_back_with_its_step_leaves_the_update_to_claim_again(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        assert claim_update(session, 7)
        session.rollback()
    with session_scope(engine) as session:
        assert claim_update(session, 7)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(HandledUpdate)).one() == 1


async def test_a_step_delivered_twice_is_answered_and_saved_once(
    engine: Engine, example_yaml: str
) -> None:
    with session_scope(engine) as session:
        apply_setup(session, read_setup(example_yaml), actor="test")
    async with Harness(engine) as bot:
        await bot.join(OFFICER, "kon-tum")
        update = bot.fake.user_sends(OFFICER, "/submit")
        for _delivery in range(2):
            await bot.app.process_update(Update.de_json(update, bot.app.bot))
        questions = [m for m in bot.fake.sent_messages(OFFICER.id) if "Câu 1/" in m["text"]]
        assert len(questions) == 1
    with Session(engine) as session:
        drafts = session.exec(select(Submission).where(col(Submission.status) == "draft")).all()
        assert len(drafts) == 1
