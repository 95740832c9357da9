"""The full example (conferences, votes, scoring, next year's registration) imports cleanly."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.conference_import import known_periods
from bot.storage.conference_tables import Conference, ConferenceVote
from bot.storage.models import Pledge
from bot.storage.setup_import import apply_setup, known_clusters
from tests.conftest import EXAMPLE

FULL = EXAMPLE.with_name("cluster-full.yaml")


def _import(engine: Engine, text: str) -> int:
    with session_scope(engine) as session:
        setup = read_setup(
            text, known_clusters=known_clusters(session), known_periods=known_periods(session)
        )
        assert not setup.warnings  # every title with a comma is quoted, as advised
        return len(apply_setup(session, setup, actor="test"))


def test_the_full_example_imports_without_a_warning_and_again_changes_nothing(
    engine: Engine,
) -> None:
    text = FULL.read_text(encoding="utf-8")
    assert _import(engine, text) > 0
    assert _import(engine, text) == 0
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Conference)).one() == 2
        assert session.exec(select(func.count()).select_from(ConferenceVote)).one() == 3
        assert sorted(session.exec(select(Pledge.year))) == [2026, 2027]


def test_the_full_example_is_the_demos_cluster_with_the_same_units_and_period() -> None:
    full, base = (yaml.safe_load(Path(f).read_text(encoding="utf-8")) for f in (FULL, EXAMPLE))
    assert full["clusters"][0]["units"] == base["clusters"][0]["units"]
    assert full["periods"] == base["periods"]
    assert full["pledges"][0]["targets"] == base["pledges"][0]["targets"]
