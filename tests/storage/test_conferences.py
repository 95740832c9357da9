"""Conferences on SQLite and PostgreSQL: imported idempotently, answers, delegates, attendance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from bot.setup import read_setup
from bot.setup.changes import change_lines
from bot.storage import session_scope
from bot.storage.conference_import import known_periods
from bot.storage.conference_tables import (
    AgendaEntry,
    Conference,
    ConferenceVote,
    Registration,
)
from bot.storage.conferences import (
    AttendanceCount,
    DelegateEntry,
    DelegateRow,
    RegistrationState,
    agenda_of,
    attendance_counts,
    conference_by_code,
    conference_units,
    conference_year,
    conferences_of,
    confirm_registration,
    delegates_list,
    due_conferences,
    registration_states,
    set_attendance,
    votes_of,
)
from bot.storage.models import AuditEvent, Cluster, ClusterLeadership, ClusterUnit, Unit
from bot.storage.setup_import import Change, apply_setup, known_clusters
from tests.setup.conference_example import Tree, as_text, conference_file, example_tree

NOW = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)


def _import(engine: Engine, text: str) -> list[Change]:
    with session_scope(engine) as session:
        setup = read_setup(
            text, known_clusters=known_clusters(session), known_periods=known_periods(session)
        )
        return apply_setup(session, setup, actor="test")


def _conference(session: Session, code: str = "2026-h1-hn") -> Conference:
    conference = conference_by_code(session, code=code)
    assert conference is not None
    return conference


def _unit(session: Session, code: str) -> int:
    unit = session.exec(select(Unit).where(Unit.code == code)).one()
    assert unit.id is not None
    return unit.id


@pytest.fixture
def imported(engine: Engine, example_yaml: str) -> Engine:
    """A database with the example file and its two conferences imported."""
    _import(engine, conference_file(example_yaml))
    return engine


def test_importing_writes_the_conferences_agendas_votes_and_cluster_keys(imported: Engine) -> None:
    with Session(imported) as session:
        first, second = _conference(session), _conference(session, "2026-tk-hn")
        assert first.starts_at == datetime(2026, 7, 10, 7, 0, tzinfo=UTC)
        assert (first.max_delegates, first.reminder_offsets) == (3, [3 * 1440, 1440])
        assert first.host_unit_id == _unit(session, "sa-thay")
        assert first.period_id is not None and second.period_id is None
        assert second.host_unit_id == _unit(session, "kon-tum")  # the chair's unit for 2026
        assert [e.title for e in agenda_of(session, conference_id=first.id or 0)][-1] == "Bế mạc"
        template = agenda_of(session, conference_id=second.id or 0)
        assert (
            template[1].title == "Báo cáo tổng kết công tác thi đua, khen thưởng năm 2026 của Cụm"
        )
        votes = votes_of(session, conference_id=first.id or 0)
        assert [(v.code, v.approval, v.secret, v.threshold) for v in votes] == [
            ("thong-qua", True, False, ">1/2"),
            ("suy-ton", False, True, ">1/2"),
        ]
        (election,) = votes_of(session, conference_id=second.id or 0)
        assert (election.candidates, election.elects, election.elects_year) == (
            ["dak-cam", "mo-rai", "ia-dal"],
            "vice_chair",
            2027,
        )
        assert (election.threshold, election.base) == (">=2/3", "all")
        cluster = session.exec(select(Cluster)).one()
        assert (cluster.kind, cluster.place_name) == ("cum", "Kon Tum")
        assert cluster.letterhead == ["UBND TỈNH QUẢNG NGÃI", "CỤM THI ĐUA SỐ 2"]
        years = session.exec(select(ClusterLeadership.year, ClusterLeadership.chair_unit_id)).all()
        assert sorted(years) == [
            (2026, _unit(session, "kon-tum")),
            (2027, _unit(session, "sa-thay")),
        ]


def test_importing_the_same_file_again_changes_nothing(imported: Engine, example_yaml: str) -> None:
    assert _import(imported, conference_file(example_yaml)) == []


def test_the_preview_lists_conferences_agenda_votes_and_leaders_like_the_rest(
    engine: Engine, example_yaml: str
) -> None:
    lines = change_lines(
        _import(engine, conference_file(example_yaml)), timezone="Asia/Ho_Chi_Minh", locale="vi"
    )
    starts = [line.split(":")[0] for line in lines]
    assert "Thêm hội nghị 2026-h1-hn" in starts
    assert "Thêm mục chương trình 2026-h1-hn/1" in starts
    assert "Thêm biểu quyết 2026-h1-hn/suy-ton" in starts
    assert "Thêm cụm trưởng, cụm phó kt-cum2/2027" in starts
    assert not any("{" in line for line in lines)


def _reimport(engine: Engine, example_yaml: str, edit: Callable[[Tree], None]) -> list[str]:
    tree = example_tree(example_yaml)
    edit(tree)
    return change_lines(_import(engine, as_text(tree)), timezone="Asia/Ho_Chi_Minh", locale="vi")


def test_an_edited_registration_deadline_is_one_update(imported: Engine, example_yaml: str) -> None:
    def later(tree: Tree) -> None:
        tree["conferences"][0]["rsvp_by"] = "2026-07-08 17:00"

    (line,) = _reimport(imported, example_yaml, later)
    assert line == (
        "Sửa hạn đăng ký dự hội nghị 2026-h1-hn: 17:00 ngày 7/7/2026 → 17:00 ngày 8/7/2026"
    )
    with Session(imported) as session:
        assert _conference(session).rsvp_by == datetime(2026, 7, 8, 10, 0, tzinfo=UTC)


def test_a_shorter_agenda_in_the_file_removes_the_rest_and_the_current_item(
    imported: Engine, example_yaml: str
) -> None:
    with session_scope(imported) as session:
        conference = _conference(session)
        conference.current_item_id = agenda_of(session, conference_id=conference.id or 0)[3].id

    def shorter(tree: Tree) -> None:
        del tree["conferences"][0]["agenda"][2:]

    assert _reimport(imported, example_yaml, shorter) == [
        "Bỏ mục chương trình 2026-h1-hn/3: “Biểu quyết thông qua báo cáo”",
        "Bỏ mục chương trình 2026-h1-hn/4: “Bế mạc”",
    ]
    with Session(imported) as session:
        conference = _conference(session)
        assert len(agenda_of(session, conference_id=conference.id or 0)) == 2
        assert conference.current_item_id is None


def test_an_agenda_typed_in_the_chat_survives_a_file_without_one(
    imported: Engine, example_yaml: str
) -> None:
    with session_scope(imported) as session:
        conference = _conference(session, "2026-tk-hn")
        for entry in agenda_of(session, conference_id=conference.id or 0)[1:]:
            session.delete(entry)
        session.flush()
        agenda_of(session, conference_id=conference.id or 0)[0].title = "Khai mạc"
    assert _import(imported, conference_file(example_yaml)) == []
    with Session(imported) as session:
        conference = _conference(session, "2026-tk-hn")
        assert [e.title for e in agenda_of(session, conference_id=conference.id or 0)] == [
            "Khai mạc"
        ]


def test_an_opened_vote_is_left_alone_and_a_draft_left_out_is_removed(
    imported: Engine, example_yaml: str
) -> None:
    with session_scope(imported) as session:
        conference = _conference(session)
        votes_of(session, conference_id=conference.id or 0)[1].state = "open"

    def changed(tree: Tree) -> None:
        votes = tree["conferences"][0]["votes"]
        votes[1]["threshold"] = ">=2/3"
        del votes[0]

    lines = _reimport(imported, example_yaml, changed)
    assert lines == [
        "Bỏ biểu quyết 2026-h1-hn/thong-qua: “Thông qua báo cáo sơ kết 6 tháng đầu năm 2026 "
        "của Cụm”"
    ]
    with Session(imported) as session:
        (kept,) = votes_of(session, conference_id=_conference(session).id or 0)
        assert (kept.code, kept.threshold, kept.state) == ("suy-ton", ">1/2", "open")


def test_a_vice_chair_elected_later_survives_the_next_import(
    imported: Engine, example_yaml: str
) -> None:
    with session_scope(imported) as session:
        row = session.exec(select(ClusterLeadership).where(ClusterLeadership.year == 2027)).one()
        row.vice_chair_unit_id = _unit(session, "dak-cam")
    assert _import(imported, conference_file(example_yaml)) == []
    with Session(imported) as session:
        row = session.exec(select(ClusterLeadership).where(ClusterLeadership.year == 2027)).one()
        assert row.vice_chair_unit_id == _unit(session, "dak-cam")


def test_a_block_and_unit_lineage_are_stored(imported: Engine, example_yaml: str) -> None:
    def renamed(tree: Tree) -> None:
        cluster = tree["clusters"][0]
        cluster["kind"] = "khoi"
        cluster["units"].append({"code": "xa-moi", "name": "Xã Mới", "merged_from": ["a", "b"]})

    lines = _reimport(imported, example_yaml, renamed)
    assert "Sửa loại cụm kt-cum2: Cụm thi đua → Khối thi đua" in lines
    with Session(imported) as session:
        unit = session.exec(select(Unit).where(Unit.code == "xa-moi")).one()
        assert (unit.merged_from, unit.renamed_from) == (["a", "b"], None)


def test_known_periods_name_their_clusters(imported: Engine) -> None:
    with Session(imported) as session:
        assert known_periods(session) == {"2026-h1": frozenset({"kt-cum2"})}


def test_a_clusters_conferences_come_soonest_first_and_due_between_invitation_and_start(
    imported: Engine,
) -> None:
    with Session(imported) as session:
        cluster_id = session.exec(select(Cluster.id)).one() or 0
        codes = [c.code for c in conferences_of(session, cluster_id=cluster_id)]
        assert codes == ["2026-h1-hn", "2026-tk-hn"]

        def due(moment: datetime) -> list[str]:
            return [c.code for c in due_conferences(session, now=moment)]

        assert due(datetime(2026, 6, 26, 0, 59, tzinfo=UTC)) == []
        assert due(datetime(2026, 6, 26, 1, 0, tzinfo=UTC)) == ["2026-h1-hn"]
        assert due(datetime(2026, 7, 10, 7, 0, tzinfo=UTC)) == []  # it has started
        assert due(datetime(2026, 12, 5, tzinfo=UTC)) == ["2026-tk-hn"]
        _conference(session, "2026-tk-hn").state = "cancelled"
        session.flush()
        assert due(datetime(2026, 12, 5, tzinfo=UTC)) == []


def _register(
    session: Session, unit: str, attends: bool, *names: str, when: datetime = NOW
) -> None:
    confirm_registration(
        session,
        conference=_conference(session),
        unit_id=_unit(session, unit),
        attends=attends,
        delegates=[DelegateEntry(name, "Phó Chủ tịch UBND") for name in names],
        reason=None if attends else "Trùng lịch tiếp đoàn công tác của tỉnh",
        actor="test",
        now=when,
    )


def test_registration_states_tell_who_attends_who_not_and_who_has_not_answered(
    imported: Engine,
) -> None:
    with session_scope(imported) as session:
        _register(session, "sa-thay", True, "Nguyễn Văn A", "Trần Thị B", "Lê Văn C")
        _register(session, "dak-cam", False)
        states = {
            s.unit_code: s for s in registration_states(session, conference=_conference(session))
        }
        assert list(states) == ["kon-tum", "sa-thay", "dak-cam", "mo-rai", "ia-dal"]
        assert states["sa-thay"].state is RegistrationState.ATTENDING
        head = states["sa-thay"].head
        assert head is not None and (head.full_name, head.role) == ("Nguyễn Văn A", "head")
        assert [d.role for d in states["sa-thay"].delegates] == ["head", "member", "member"]
        assert states["dak-cam"].state is RegistrationState.NOT_ATTENDING
        assert states["dak-cam"].reason == "Trùng lịch tiếp đoàn công tác của tỉnh"
        assert [code for code, s in states.items() if not s.answered] == [
            "kon-tum",
            "mo-rai",
            "ia-dal",
        ]


def test_the_latest_confirmed_answer_stands_and_earlier_ones_are_kept(imported: Engine) -> None:
    with session_scope(imported) as session:
        _register(session, "sa-thay", True, "Nguyễn Văn A")
        _register(session, "sa-thay", False, when=NOW + timedelta(hours=2))
        conference = _conference(session)
        (unit,) = [s for s in registration_states(session, conference=conference) if s.answered]
        assert (unit.state, unit.revision, unit.delegates) == (
            RegistrationState.NOT_ATTENDING,
            2,
            (),
        )
        stored = session.exec(select(func.count()).select_from(Registration)).one()
        assert stored == 2
        audit = session.exec(
            select(AuditEvent.entity_key).where(AuditEvent.action == "conference.register")
        ).all()
        assert audit == ["2026-h1-hn/sa-thay", "2026-h1-hn/sa-thay"]


def test_a_draft_does_not_count_as_an_answer(imported: Engine) -> None:
    with session_scope(imported) as session:
        conference = _conference(session)
        session.add(
            Registration(conference_id=conference.id or 0, unit_id=_unit(session, "sa-thay"))
        )
        session.flush()
        assert not any(s.answered for s in registration_states(session, conference=conference))


@pytest.mark.parametrize(
    ("attends", "names"),
    [(True, ()), (True, ("A", "B", "C", "D")), (False, ("A",))],
    ids=["attends-without-delegates", "more-than-allowed", "absent-with-delegates"],
)
def test_a_registration_that_breaks_the_limits_is_refused(
    imported: Engine, attends: bool, names: tuple[str, ...]
) -> None:
    with session_scope(imported) as session, pytest.raises(ValueError):
        _register(session, "sa-thay", attends, *names)


def test_the_delegates_list_has_each_attending_units_delegates_heads_first(
    imported: Engine,
) -> None:
    with session_scope(imported) as session:
        _register(session, "mo-rai", True, "Đinh Văn D")
        _register(session, "sa-thay", True, "Nguyễn Văn A", "Trần Thị B")
        _register(session, "dak-cam", False)
        rows = delegates_list(session, conference=_conference(session))
        assert rows == [
            DelegateRow(
                "sa-thay", "Xã Sa Thầy", "Nguyễn Văn A", "Phó Chủ tịch UBND", "head", False
            ),
            DelegateRow(
                "sa-thay", "Xã Sa Thầy", "Trần Thị B", "Phó Chủ tịch UBND", "member", False
            ),
            DelegateRow("mo-rai", "Xã Mô Rai", "Đinh Văn D", "Phó Chủ tịch UBND", "head", False),
        ]


def test_attendance_counts_units_present_absent_excused_and_unmarked(imported: Engine) -> None:
    with session_scope(imported) as session:
        conference = _conference(session)
        for unit, status in [
            ("sa-thay", "present"),
            ("dak-cam", "present"),
            ("kon-tum", "absent"),
        ]:
            set_attendance(
                session,
                conference=conference,
                unit_id=_unit(session, unit),
                status=status,
                actor="test",
                now=NOW,
            )
        set_attendance(
            session,
            conference=conference,
            unit_id=_unit(session, "kon-tum"),
            status="excused",
            reason="Ốm",
            actor="chair:1",
            now=NOW,
        )
        counts = attendance_counts(session, conference=conference)
        assert counts == AttendanceCount(members=5, present=2, absent=0, excused=1)
        assert (counts.unmarked, counts.turnout.present, counts.turnout.members) == (2, 2, 5)
        changes = session.exec(
            select(AuditEvent.before, AuditEvent.after)
            .where(AuditEvent.action == "conference.attendance")
            .order_by(col(AuditEvent.id))
        ).all()
        assert changes[-1] == (
            {"status": "absent", "reason": None},
            {"status": "excused", "reason": "Ốm"},
        )


def test_an_unknown_attendance_status_is_refused(imported: Engine) -> None:
    with session_scope(imported) as session, pytest.raises(ValueError):
        set_attendance(
            session,
            conference=_conference(session),
            unit_id=_unit(session, "sa-thay"),
            status="late",
            actor="test",
            now=NOW,
        )


def test_the_agenda_entries_keep_their_order_and_presenting_unit(imported: Engine) -> None:
    with Session(imported) as session:
        entries = agenda_of(session, conference_id=_conference(session).id or 0)
        assert [e.position for e in entries] == [0, 1, 2, 3]
        assert entries[1].presenter_unit_id == _unit(session, "kon-tum")
        assert (entries[2].at, entries[2].kind) == ("15:40", "vote")
        total = session.exec(select(func.count()).select_from(AgendaEntry)).one()
        assert total == 4 + len(
            agenda_of(session, conference_id=_conference(session, "2026-tk-hn").id or 0)
        )
        assert session.exec(select(func.count()).select_from(ConferenceVote)).one() == 3


def test_a_conference_calls_only_the_units_that_are_members_in_its_year(imported: Engine) -> None:
    with session_scope(imported) as session:
        left = session.exec(
            select(ClusterUnit).where(ClusterUnit.unit_id == _unit(session, "ia-dal"))
        ).one()
        left.until_year = 2025  # gone into another unit before 2026
        joined = session.exec(
            select(ClusterUnit).where(ClusterUnit.unit_id == _unit(session, "mo-rai"))
        ).one()
        joined.since_year = 2027  # a member from next year on
    with Session(imported) as session:
        conference = _conference(session)
        assert conference_year(session, conference) == 2026
        called = [state.unit_code for state in registration_states(session, conference=conference)]
        assert called == ["kon-tum", "sa-thay", "dak-cam"]
        assert [u.code for u in conference_units(session, conference)] == called
        assert attendance_counts(session, conference=conference).members == 3
