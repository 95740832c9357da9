"""A draft's state read in one statement: its answers and a returned revision come with it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.storage import session_scope
from bot.storage import submissions as store
from bot.storage.models import Person, Submission, Unit
from bot.storage.types import require_id
from tests.support.factories import example_cluster, period, person_id_of

AT = datetime(2026, 6, 18, 2, 30, tzinfo=UTC)


def _statements(engine: Engine) -> list[str]:
    """Every statement the engine runs from now on."""
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def count(*args: object) -> None:
        seen.append(str(args[2]))

    return seen


def _ids(session: Session) -> tuple[int, int, Person]:
    unit = session.exec(select(Unit).where(Unit.code == "kon-tum")).one()
    person = session.exec(select(Person).where(Person.telegram_id == person_id_of("kon-tum"))).one()
    return require_id(period(session)), require_id(unit), person


def _submit_revision(engine: Engine, values: list[str], *, returned: bool = False) -> None:
    """A draft answered with `values` (one per indicator, in order), submitted."""
    with session_scope(engine) as session:
        period_id, unit_id, person = _ids(session)
        draft = store.start_draft(session, period_id=period_id, unit_id=unit_id, person=person)
        for indicator_id, value in zip(
            _indicator_ids(session, period_id, unit_id)[: len(values)], values, strict=True
        ):
            store.save_answer(
                session, draft=draft, indicator_id=indicator_id, person=person, value=value
            )
        unit = session.get(Unit, unit_id)
        assert unit is not None
        store.submit_draft(session, draft=draft, person=person, unit=unit, now=AT, late=False)
        if returned:
            draft.returned_at, draft.returned_by_person_id = AT, person.id
            session.add(draft)


def _indicator_ids(session: Session, period_id: int, unit_id: int) -> list[int]:
    cluster = store.cluster_in_period(session, period_id=period_id, unit_id=unit_id)
    assert cluster is not None
    return [
        require_id(i)
        for i in store.indicators_for(session, cluster_id=require_id(cluster), year=2026)
    ]


def test_a_fresh_draft_has_no_answers_and_nothing_returned(engine: Engine) -> None:
    example_cluster(engine)
    with session_scope(engine) as session:
        period_id, unit_id, person = _ids(session)
        draft, answers = store.start_draft_with_answers(
            session, period_id=period_id, unit_id=unit_id, person=person
        )
        assert answers == {}
        seen = _statements(engine)
        state = store.draft_state(
            session, submission_id=require_id(draft), person_id=require_id(person)
        )
        assert len(seen) == 1
    assert state is not None
    assert (state.submission.id, state.member, state.answers, state.returned_id) == (
        draft.id,
        True,
        {},
        None,
    )


def test_answers_come_with_the_state_and_with_the_copy(engine: Engine) -> None:
    example_cluster(engine)
    _submit_revision(engine, ["1", "2", "3"])
    with session_scope(engine) as session:
        period_id, unit_id, person = _ids(session)
        revisions, history = store.newest_revisions_with_history(
            session, period_id=period_id, unit_id=unit_id
        )
        assert [s.revision for s in revisions] == [1]
        assert history == store.history_version(session, unit_id=unit_id, period_id=period_id)
        draft, copied = store.start_draft_with_answers(
            session, period_id=period_id, unit_id=unit_id, person=person, revisions=revisions
        )
        assert all(a.submission_id == draft.id for a in copied.values())
        assert {k: a.value for k, a in copied.items()} == {
            k: a.value for k, a in store.answers_of(session, require_id(draft)).items()
        }
        assert sorted(a.value or "" for a in copied.values()) == ["1", "2", "3"]
        state = store.draft_state(
            session, submission_id=require_id(draft), person_id=require_id(person)
        )
        assert state is not None
        # The same rows as the copy gave: what the next step reads is what was copied.
        assert state.answers == copied
        assert state.returned_id is None


def test_a_returned_revision_is_known_with_the_draft(engine: Engine) -> None:
    example_cluster(engine)
    _submit_revision(engine, ["1"])
    _submit_revision(engine, ["2"], returned=True)
    with session_scope(engine) as session:
        period_id, unit_id, person = _ids(session)
        revisions, _history = store.newest_revisions_with_history(
            session, period_id=period_id, unit_id=unit_id
        )
        returned = max(revisions, key=lambda s: s.revision)
        draft = store.start_draft(
            session, period_id=period_id, unit_id=unit_id, person=person, revisions=revisions
        )
        state = store.draft_state(
            session, submission_id=require_id(draft), person_id=require_id(person)
        )
        assert state is not None
        assert state.returned_id == returned.id
        assert [a.value for a in state.answers.values()] == ["2"]
        # Only the newest submitted revision counts: once resubmitted, nothing is returned.
        unit = session.get(Unit, unit_id)
        assert unit is not None
        store.submit_draft(session, draft=draft, person=person, unit=unit, now=AT, late=False)
        later = store.start_draft(session, period_id=period_id, unit_id=unit_id, person=person)
        state = store.draft_state(
            session, submission_id=require_id(later), person_id=require_id(person)
        )
        assert state is not None and state.returned_id is None
        assert session.get(Submission, returned.id) is returned


def test_a_unit_that_revised_often_gets_its_two_newest_revisions(engine: Engine) -> None:
    example_cluster(engine)
    for value in ("1", "2", "3"):
        _submit_revision(engine, [value])

    def newest() -> list[tuple[int, str]]:
        with session_scope(engine) as session:
            period_id, unit_id, _person = _ids(session)
            revisions, _history = store.newest_revisions_with_history(
                session, period_id=period_id, unit_id=unit_id
            )
            return [(s.revision, s.status) for s in revisions]

    assert newest() == [(2, "submitted"), (3, "submitted")]
    with session_scope(engine) as session:
        period_id, unit_id, person = _ids(session)
        store.start_draft(session, period_id=period_id, unit_id=unit_id, person=person)
    assert newest() == [(3, "submitted"), (4, "draft")]
