"""Two focal points of one unit confirming at the same moment, straight on the storage."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.storage import session_scope
from bot.storage.conference_tables import ConferenceVote
from bot.storage.conferences import conference_by_code
from bot.storage.models import Person, Unit
from bot.storage.vote_options import ballot_options
from bot.storage.vote_tables import Ballot, VoteParticipation
from bot.storage.votes import Outcome, cast_ballot, open_vote, present_unit_ids
from tests.setup.conference_example import conference_file
from tests.support.desk import import_text
from tests.support.votes import mark_present

NOW = datetime(2026, 7, 10, 8, 0, tzinfo=UTC)


def _opened(engine: Engine) -> tuple[int, int, list[int]]:
    """The suy-ton vote opened with four units present; Mô Rai's id and two of its people."""
    mark_present(engine, "2026-h1-hn", ["kon-tum", "sa-thay", "dak-cam", "mo-rai"], [])
    with session_scope(engine) as session:
        conference = conference_by_code(session, code="2026-h1-hn")
        assert conference is not None
        vote = session.exec(select(ConferenceVote).where(ConferenceVote.code == "suy-ton")).one()
        options = ballot_options(session, conference=conference, vote=vote)
        present = present_unit_ids(session, conference=conference)
        open_vote(
            session, conference=conference, vote=vote, options=options, present=present,
            members=5, actor="test", now=NOW,
        )  # fmt: skip
        people = [Person(telegram_id=7001, full_name="A"), Person(telegram_id=7002, full_name="B")]
        session.add_all(people)
        session.flush()
        unit = session.exec(select(Unit).where(Unit.code == "mo-rai")).one()
        return vote.id or 0, unit.id or 0, [p.id or 0 for p in people]


def test_two_ballots_of_one_unit_confirmed_together_keep_the_first_only(
    engine: Engine, example_yaml: str
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: there is no moment to share")
    import_text(engine, conference_file(example_yaml))
    vote_id, unit_id, people = _opened(engine)
    together = threading.Barrier(2)

    def confirm(person_id: int) -> Outcome:
        with session_scope(engine) as session:
            vote = session.get(ConferenceVote, vote_id)
            assert vote is not None
            conference = conference_by_code(session, code="2026-h1-hn")
            assert conference is not None
            together.wait(timeout=10)
            return cast_ballot(
                session, conference=conference, vote=vote, unit_id=unit_id, person_id=person_id,
                choices=["dak-cam"], actor="test", now=NOW,
            ).outcome  # fmt: skip

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(confirm, people))
    assert outcomes == [Outcome.ALREADY, Outcome.CAST]
    with Session(engine) as session:
        assert len(session.exec(select(Ballot)).all()) == 1
        assert len(session.exec(select(VoteParticipation)).all()) == 1
