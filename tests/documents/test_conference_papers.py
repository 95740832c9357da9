"""A stored conference's papers: letterhead from the set-up, attendance, votes, the outbox file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx.document import Document
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.cli import main
from bot.domain.tally import Stance
from bot.reports.conference_papers import (
    invitation_draft,
    invitation_render,
    minutes_draft,
    named,
)
from bot.reports.draft import letterhead_of
from bot.setup import read_setup
from bot.storage import make_engine, session_scope, upgrade
from bot.storage.conference_import import known_periods
from bot.storage.conference_tables import Conference, ConferenceVote
from bot.storage.conferences import (
    DelegateEntry,
    conference_by_code,
    confirm_registration,
    set_attendance,
)
from bot.storage.models import Cluster, OutboxMessage, Person, Unit
from bot.storage.setup_import import apply_setup, known_clusters
from bot.storage.types import require_id
from bot.storage.vote_options import ballot_options
from bot.storage.votes import cast_ballot, close_vote, open_vote, present_unit_ids
from scheduler.plan import Planner
from scheduler.render import render_file
from tests.documents.reading import all_paragraphs, reopen, table_rows
from tests.setup.conference_example import conference_file
from tests.support.factories import EXAMPLE, GROUP_CHAT, example_cluster

NOW = datetime(2026, 7, 10, 7, 30, tzinfo=UTC)  # 14:30 in Kon Tum, during the conference


def stored_conference(engine: Engine, example_yaml: str) -> None:
    """The example with its conferences; Kon Tum's delegation registered, three units marked."""
    with session_scope(engine) as session:
        text = conference_file(example_yaml)
        setup = read_setup(
            text, known_clusters=known_clusters(session), known_periods=known_periods(session)
        )
        apply_setup(session, setup, actor="test")
    with session_scope(engine) as session:
        conference = the_conference(session)
        delegates = [
            DelegateEntry("Nguyễn Văn An", "Phó Chủ tịch UBND thành phố"),
            DelegateEntry("Trần Thị Bình", "Chuyên viên Phòng Văn hóa – Xã hội"),
        ]
        register(session, conference, "kon-tum", delegates)
        mark(session, conference, "kon-tum", "present")
        mark(session, conference, "sa-thay", "excused", "Trùng lịch họp của tỉnh")
        mark(session, conference, "dak-cam", "absent")
        confirm_registration(
            session,
            conference=conference,
            unit_id=unit_id(session, "ia-dal"),
            attends=False,
            reason="Đón đoàn công tác của Trung ương",
            actor="test",
            now=NOW,
        )


def the_conference(session: Session, code: str = "2026-h1-hn") -> Conference:
    conference = conference_by_code(session, code=code)
    assert conference is not None
    return conference


def unit_id(session: Session, code: str) -> int:
    return require_id(session.exec(select(Unit).where(Unit.code == code)).one())


def register(
    session: Session, conference: Conference, unit: str, delegates: list[DelegateEntry]
) -> None:
    confirm_registration(
        session,
        conference=conference,
        unit_id=unit_id(session, unit),
        attends=True,
        delegates=delegates,
        actor="test",
        now=NOW,
    )


def mark(
    session: Session, conference: Conference, unit: str, status: str, reason: str | None = None
) -> None:
    set_attendance(
        session,
        conference=conference,
        unit_id=unit_id(session, unit),
        status=status,
        reason=reason,
        actor="test",
        now=NOW,
    )


@pytest.fixture
def stored(engine: Engine, example_yaml: str) -> Engine:
    stored_conference(engine, example_yaml)
    return engine


def minutes_of(engine: Engine) -> Document:
    with session_scope(engine) as session:
        name, content = minutes_draft(session, conference=the_conference(session))
    assert name == "Bien-ban-2026-h1-hn.docx"
    return reopen(content)


def texts(document: Document) -> list[str]:
    return [paragraph.text for paragraph in all_paragraphs(document)]


def attendance_rows(document: Document) -> list[list[str]]:
    (table,) = [t for t in document.tables if table_rows(t)[0][:3] == ["STT", "Đơn vị", "Tham dự"]]
    return table_rows(table)[1:]


def test_the_letterhead_is_the_stored_one_and_what_is_missing_comes_from_the_name() -> None:
    stored = Cluster(
        code="kt-cum2",
        name="Cụm thi đua số 2 – tỉnh Quảng Ngãi",
        kind="khoi",
        letterhead=["UBND TỈNH QUẢNG NGÃI", "KHỐI THI ĐUA CÁC HUYỆN"],
        place_name="Kon Tum",
    )
    head = letterhead_of(stored)
    assert (head.parent, head.issuer, head.place_name, head.kind) == (
        "UBND TỈNH QUẢNG NGÃI",
        "KHỐI THI ĐUA CÁC HUYỆN",
        "Kon Tum",
        "khoi",
    )
    bare = letterhead_of(Cluster(code="c", name="Cụm thi đua số 3 – tỉnh Kiên Giang"))
    assert (bare.parent, bare.issuer, bare.place_name, bare.kind) == (
        "UBND TỈNH KIÊN GIANG",
        "CỤM THI ĐUA SỐ 3",
        "Kiên Giang",
        "cum",
    )
    assert letterhead_of(stored, place_name="Sa Thầy").place_name == "Sa Thầy"


def test_a_named_person_is_split_at_the_first_comma_and_nobody_is_a_blank() -> None:
    person = named("Nguyễn Văn An, Chủ tịch UBND xã, Trưởng đoàn")
    assert (person.name, person.position) == ("Nguyễn Văn An", "Chủ tịch UBND xã, Trưởng đoàn")
    assert named(None).name == "" and named("Y Blao").position == ""


def test_the_minutes_list_present_absent_and_excused_units_with_reasons_and_delegates(
    stored: Engine,
) -> None:
    document = minutes_of(stored)
    rows = attendance_rows(document)
    assert [row[1:3] for row in rows] == [
        ["Phường Kon Tum", "Có mặt"],
        ["Xã Sa Thầy", "Vắng có lý do: Trùng lịch họp của tỉnh"],
        ["Phường Đăk Cấm", "Vắng mặt"],
        ["Xã Mô Rai", "Chưa ghi nhận"],
        ["Xã Ia Đal", "Vắng có lý do: Đón đoàn công tác của Trung ương"],
    ]
    assert rows[0][3].splitlines() == [
        "Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND thành phố (trưởng đoàn)",
        "Đồng chí Trần Thị Bình, Chuyên viên Phòng Văn hóa – Xã hội",
    ]
    assert "Các đơn vị thành viên: có mặt 1/5 đơn vị." in texts(document)


def test_the_minutes_head_with_the_clusters_letterhead_and_the_conferences_place(
    stored: Engine,
) -> None:
    lines = texts(minutes_of(stored))
    assert "UBND TỈNH QUẢNG NGÃI" in lines and "CỤM THI ĐUA SỐ 2" in lines
    assert any(line.startswith("Sa Thầy, ngày 10 tháng 7 năm 2026") for line in lines)
    assert "Thời gian bắt đầu: 14 giờ 00 phút, ngày 10 tháng 7 năm 2026." in lines
    assert "Địa điểm: Hội trường UBND xã Sa Thầy." in lines


def test_who_chaired_and_who_wrote_are_the_stored_names_or_blanks(stored: Engine) -> None:
    lines = texts(minutes_of(stored))
    assert any(line.startswith("Chủ trì: ……") for line in lines)
    with session_scope(stored) as session:
        conference = the_conference(session)
        conference.chaired_by = "Nguyễn Văn An, Phó Chủ tịch UBND thành phố"
        conference.minutes_by = "Trần Thị Bình"
    lines = texts(minutes_of(stored))
    assert "Chủ trì: đồng chí Nguyễn Văn An, Phó Chủ tịch UBND thành phố." in lines
    assert "Thư ký: đồng chí Trần Thị Bình." in lines


def test_votes_not_held_yet_keep_their_conditions_and_say_no_vote_was_held(
    stored: Engine,
) -> None:
    document = minutes_of(stored)
    lines = texts(document)
    assert "Biểu quyết: Thông qua báo cáo sơ kết 6 tháng đầu năm 2026 của Cụm" in lines
    assert lines.count("Chưa tiến hành biểu quyết nội dung này.") == 2
    assert "Tỷ lệ cần đạt: hơn một nửa số đơn vị có mặt." in lines
    assert not [
        t for t in document.tables if table_rows(t)[0][:3] == ["STT", "Nội dung", "Số phiếu"]
    ]
    closing = next(line for line in lines if line.startswith("Hội nghị kết thúc vào"))
    assert "…… giờ …… phút" in closing  # not recorded: the secretary writes it


def test_the_invitation_is_dated_the_day_it_goes_out_and_lists_the_programme(
    stored: Engine,
) -> None:
    with session_scope(stored) as session:
        name, content = invitation_draft(session, conference=the_conference(session))
    assert name == "Giay-moi-2026-h1-hn.docx"
    lines = texts(reopen(content))
    assert any(line.startswith("Sa Thầy, ngày 26 tháng 6 năm 2026") for line in lines)
    assert "- 14:10: Báo cáo sơ kết của Cụm (trình bày: Phường Kon Tum);" in lines
    assert "Đơn vị đăng cai: Xã Sa Thầy." in lines
    assert "- Đồng chí lãnh đạo Xã Ia Đal;" in lines


def test_the_outbox_renders_the_invitation_as_a_word_document_when_it_sends(
    stored: Engine,
) -> None:
    with session_scope(stored) as session:
        conference_id = require_id(the_conference(session))
        the_conference(session).place = "Hội trường UBND tỉnh"  # changed after it was queued
    field, file, caption = render_file(stored, invitation_render(conference_id, "vi"))
    assert field == "document" and file.filename == "Giay-moi-2026-h1-hn.docx"
    assert caption.startswith("📄 Giấy mời dự Hội nghị sơ kết")
    content = file.input_file_content
    assert isinstance(content, bytes)
    assert "Địa điểm: Hội trường UBND tỉnh." in texts(reopen(content))


def test_the_minutes_command_writes_the_stored_conferences_minutes(
    tmp_path: Path, sqlite_url: str, example_yaml: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    stored_conference(engine, example_yaml)
    engine.dispose()
    monkeypatch.chdir(tmp_path)
    env = {"DATABASE_URL": sqlite_url, "TELEGRAM_BOT_TOKEN": "", "THIDUA_LOCALE": "vi"}
    args = ["minutes", "--conference", "2026-h1-hn", "--out", "bb.docx"]
    result = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Đã ghi biên bản vào bb.docx." in result.output
    assert attendance_rows(reopen((tmp_path / "bb.docx").read_bytes()))[2][2] == "Vắng mặt"
    args = ["minutes", "--conference", "khong-co"]
    result = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    assert result.exit_code == 2 and "Không có hội nghị mã «khong-co»." in result.output


def test_the_groups_invitation_post_has_the_giay_moi_attached_once(engine: Engine) -> None:
    example_cluster(engine, yaml=conference_file(EXAMPLE.read_text(encoding="utf-8")))
    invite_day = datetime(2026, 6, 26, 1, 0, tzinfo=UTC)  # 08:00 in Kon Tum
    for minutes in (0, 5):  # a second tick queues nothing more
        with session_scope(engine) as session:
            Planner(now=invite_day + timedelta(minutes=minutes)).plan(session)
    with Session(engine) as session:
        files = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.method == "sendDocument",
                col(OutboxMessage.key).startswith("conf-invite:"),
            )
        ).all()
        conference_id = require_id(the_conference(session))
    assert [(m.chat_id, m.payload["_render"]) for m in files] == [
        (GROUP_CHAT, invitation_render(conference_id, "vi"))
    ]
    _field, file, _caption = render_file(engine, files[0].payload["_render"])
    assert file.filename == "Giay-moi-2026-h1-hn.docx"


def test_a_closed_vote_gets_its_count_and_the_vote_not_held_keeps_its_conditions(
    stored: Engine,
) -> None:
    with session_scope(stored) as session:
        conference = the_conference(session)
        vote = session.exec(select(ConferenceVote).where(ConferenceVote.code == "thong-qua")).one()
        present = present_unit_ids(session, conference=conference)
        options = ballot_options(session, conference=conference, vote=vote)
        open_vote(
            session, conference=conference, vote=vote, options=options, present=present,
            members=5, actor="test", now=NOW,
        )  # fmt: skip
        voter = Person(telegram_id=7001, full_name="Nguyễn Văn An")
        session.add(voter)
        session.flush()
        cast_ballot(
            session, conference=conference, vote=vote, unit_id=unit_id(session, "kon-tum"),
            person_id=require_id(voter), choices=[Stance.FOR.value], actor="test", now=NOW,
        )  # fmt: skip
        close_vote(session, conference=conference, vote=vote, actor="test", now=NOW)
    document = minutes_of(stored)
    (counted,) = [
        t for t in document.tables if table_rows(t)[0][:3] == ["STT", "Nội dung", "Số phiếu"]
    ]
    assert table_rows(counted)[1][1:3] == ["Tán thành", "1"]
    lines = texts(document)
    assert "Kết quả: Tán thành." in lines
    assert lines.count("Chưa tiến hành biểu quyết nội dung này.") == 1  # the suy tôn
