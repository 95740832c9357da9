"""Shared fixtures: real databases (an SQLite file, and PostgreSQL when configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.storage import make_engine, upgrade

POSTGRES_URL = os.environ.get("THIDUA_TEST_POSTGRES_URL")
# python-telegram-bot 22 warns on RetryAfter unless told to use timedeltas (as v23 will).
os.environ.setdefault("PTB_TIMEDELTA", "1")
EXAMPLE = Path(__file__).parent.parent / "examples" / "cluster.yaml"


def _postgres_or_skip() -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    message = "THIDUA_TEST_POSTGRES_URL is not set"
    if os.environ.get("CI"):
        pytest.fail(f"{message}: under CI the PostgreSQL tests must run")
    pytest.skip(message)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'thidua.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'thidua.db'}"
        return
    base = _postgres_or_skip()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    # libpq's `options` puts every connection of this URL into the test's own schema.
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine on each database."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def example_yaml() -> str:
    """The example set-up file, as shipped."""
    return EXAMPLE.read_text(encoding="utf-8")
