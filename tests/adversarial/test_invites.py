"""One-time invites: replayed, raced by two people, used after expiry."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.fake_telegram import FakeUser
from bot.storage import session_scope
from bot.storage.models import Membership, Person, Unit
from bot.storage.people import InviteOutcome, create_invite, redeem_invite
from tests.support.desk import import_text, last
from tests.support.harness import DURING_PERIOD, Harness

FIRST = FakeUser(id=7001, first_name="Thắng")
SECOND = FakeUser(id=7002, first_name="Thua")


def _invite(engine: Engine, unit_code: str = "mo-rai") -> str:
    with session_scope(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        token, _row = create_invite(
            session, unit=unit, role="focal", expires_in=timedelta(days=7),
            created_by="test", now=DURING_PERIOD,
        )  # fmt: skip
    return token


def _people(engine: Engine, *telegram_ids: int) -> list[int]:
    with session_scope(engine) as session:
        people = [Person(telegram_id=telegram_id) for telegram_id in telegram_ids]
        session.add_all(people)
        session.flush()
        return [person.id or 0 for person in people]


def _members(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Membership)).all())


def _lock_waiters(engine: Engine) -> int:
    """How many PostgreSQL backends wait for a row lock right now."""
    with engine.connect() as connection:
        query = "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'"
        return int(connection.execute(text(query)).scalar_one())


def test_two_people_racing_one_invite_on_postgresql_admit_exactly_one(
    engine: Engine, example_yaml: str
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has a single writer: two redemptions cannot overlap there")
    import_text(engine, example_yaml)
    token, person_ids = _invite(engine), _people(engine, FIRST.id, SECOND.id)
    outcomes: dict[int, InviteOutcome] = {}
    first_redeemed, first_may_commit = threading.Event(), threading.Event()

    def redeem(person_id: int, *, hold: bool) -> None:
        with session_scope(engine) as session:
            person = session.get(Person, person_id)
            assert person is not None
            outcomes[person_id], _unit, _role = redeem_invite(
                session, token=token, person=person, now=DURING_PERIOD
            )
            if hold:  # commit only once the other has read the invite and waits to write
                first_redeemed.set()
                first_may_commit.wait(timeout=30)

    first = threading.Thread(target=redeem, args=(person_ids[0],), kwargs={"hold": True})
    first.start()
    assert first_redeemed.wait(timeout=30)
    second = threading.Thread(target=redeem, args=(person_ids[1],), kwargs={"hold": False})
    second.start()
    for _attempt in range(300):  # until the second redemption waits for the first's row lock
        if _lock_waiters(engine):
            break
        time.sleep(0.05)
    first_may_commit.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert outcomes == {person_ids[0]: InviteOutcome.JOINED, person_ids[1]: InviteOutcome.USED}
    assert _members(engine) == 1


def test_an_invite_redeemed_again_in_a_new_session_says_used(
    engine: Engine, example_yaml: str
) -> None:
    import_text(engine, example_yaml)
    token, person_ids = _invite(engine), _people(engine, FIRST.id, SECOND.id)
    results = []
    for person_id in person_ids:
        with session_scope(engine) as session:
            person = session.get(Person, person_id)
            assert person is not None
            results.append(redeem_invite(session, token=token, person=person, now=DURING_PERIOD))
    assert [outcome for outcome, _unit, _role in results] == [
        InviteOutcome.JOINED,
        InviteOutcome.USED,
    ]
    assert _members(engine) == 1


async def test_a_replayed_invite_link_admits_only_the_first_person(
    engine: Engine, example_yaml: str
) -> None:
    import_text(engine, example_yaml)
    async with Harness(engine) as bot:
        token = bot.invite("mo-rai")
        assert "đã được ghi nhận" in (await bot.send(FIRST, f"/start {token}"))[0]["text"]
        refusal = last(await bot.send(SECOND, f"/start {token}"))["text"]
        assert "đã được dùng" in refusal
        again = last(await bot.send(FIRST, f"/start {token}"))["text"]
        assert "đã được dùng" in again
        assert _members(engine) == 1


async def test_an_expired_or_forged_invite_admits_nobody(engine: Engine, example_yaml: str) -> None:
    import_text(engine, example_yaml)
    async with Harness(engine) as bot:
        token = bot.invite("mo-rai", expires_days=1)
        bot.later(days=2)
        assert "hết hạn" in last(await bot.send(FIRST, f"/start {token}"))["text"]
        forged = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert "Không tìm thấy" in last(await bot.send(SECOND, f"/start {forged}"))["text"]
        oversized = "x" * 4000
        assert "Không tìm thấy" in last(await bot.send(SECOND, f"/start {oversized}"))["text"]
        assert _members(engine) == 0
