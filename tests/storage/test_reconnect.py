"""A database connection dropped under the bot (a PostgreSQL restart) costs nobody an answer."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.fake_telegram import FakeUser
from bot.setup import read_setup
from bot.storage import once_more_if_disconnected, session_scope
from bot.storage.setup_import import apply_setup
from tests.conftest import POSTGRES_URL
from tests.support.harness import Harness

OFFICER = FakeUser(id=1001, first_name="Lan", last_name="Nguyễn", language_code="vi")


def _drop_connections(engine: Engine) -> None:
    """End, from outside, the server side of every connection the engine's pool holds."""
    with session_scope(engine) as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    assert POSTGRES_URL is not None
    dsn = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


@pytest.fixture
def postgres(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("only a server's connections drop")
    return engine


def test_work_on_a_dropped_connection_runs_once_more_on_a_fresh_one(postgres: Engine) -> None:
    def work() -> int:
        with session_scope(postgres) as session:
            return int(session.execute(text("SELECT 41 + 1")).scalar_one())

    _drop_connections(postgres)
    with pytest.raises(OperationalError):  # what a step met before
        work()
    _drop_connections(postgres)
    assert once_more_if_disconnected(work) == 42


async def test_an_answer_after_the_connection_dropped_is_saved_and_answered(
    postgres: Engine, example_yaml: str
) -> None:
    with session_scope(postgres) as session:
        apply_setup(session, read_setup(example_yaml), actor="test")
    async with Harness(postgres) as bot:
        await bot.join(OFFICER, "kon-tum")
        question = (await bot.send(OFFICER, "/submit"))[-1]
        assert "Câu 1/11" in question["text"]
        _drop_connections(postgres)
        replies = await bot.send(OFFICER, "450")
    assert [r["text"][:7] for r in replies] == ["Câu 2/1"]
