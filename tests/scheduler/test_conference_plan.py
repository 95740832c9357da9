"""A conference's notices from the tick on a real database: who gets what when, each once."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.domain.due import QuietHours
from bot.storage import session_scope
from bot.storage.conference_tables import Conference
from bot.storage.conferences import DelegateEntry, confirm_registration
from bot.storage.models import Cluster, OutboxMessage, Unit
from bot.storage.outbox import mark_sent
from bot.storage.registrations import open_draft
from bot.storage.types import require_id
from scheduler.plan import Planner
from tests.setup.conference_example import conference_file
from tests.support.factories import EXAMPLE, GROUP_CHAT, UNITS, example_cluster, person_id_of

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUIET = QuietHours(time(21), time(7))
PEOPLE = {person_id_of(code) for code in UNITS}


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def cluster(engine: Engine) -> Engine:
    """The example cluster with its conferences; 2026-h1-hn invites on 26 June at 08:00."""
    example_cluster(engine, yaml=conference_file(EXAMPLE.read_text(encoding="utf-8")))
    return engine


def tick(engine: Engine, now: datetime) -> int:
    with session_scope(engine) as session:
        return Planner(now=now, quiet=QUIET).plan(session)


def outbox(engine: Engine, prefix: str) -> list[OutboxMessage]:
    with Session(engine) as session:
        query = select(OutboxMessage).where(col(OutboxMessage.key).startswith(prefix))
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def conference_id(engine: Engine) -> int:
    with Session(engine) as session:
        found = session.exec(select(Conference).where(Conference.code == "2026-h1-hn")).one()
        return require_id(found)


def register(engine: Engine, code: str, *, attends: bool = True, now: datetime) -> None:
    with session_scope(engine) as session:
        conference = session.get(Conference, conference_id(engine))
        assert conference is not None
        unit = session.exec(select(Unit).where(Unit.code == code)).one()
        delegates = [DelegateEntry("Nguyễn Văn An", "Phó Chủ tịch UBND xã")] if attends else []
        confirm_registration(
            session,
            conference=conference,
            unit_id=require_id(unit),
            attends=attends,
            delegates=delegates,
            reason=None if attends else "Trùng lịch tiếp công dân",
            actor="test",
            now=now,
        )


def edit_conference(engine: Engine, **changes: object) -> None:
    with session_scope(engine) as session:
        conference = session.get(Conference, conference_id(engine))
        assert conference is not None
        for name, value in changes.items():
            setattr(conference, name, value)
        session.add(conference)


def test_nothing_goes_out_before_the_invitation_time(cluster: Engine) -> None:
    tick(cluster, at(6, 26, 7, 59))
    assert outbox(cluster, "conf-") == []


def test_the_invitation_goes_to_the_group_and_every_focal_point_once(cluster: Engine) -> None:
    tick(cluster, at(6, 26, 8))
    queued = outbox(cluster, f"conf-invite:{conference_id(cluster)}:")
    invitations = [m for m in queued if m.method == "sendMessage"]  # the group's has its .docx
    assert {m.chat_id for m in invitations} == PEOPLE | {GROUP_CHAT}
    assert len(invitations) == 6
    group = next(m for m in invitations if m.chat_id == GROUP_CHAT)
    text = group.payload["text"]
    for part in (
        "GIẤY MỜI",
        "Hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2026",
        "14:00 ngày 10/7/2026 (đến 17:00)",
        "Hội trường UBND xã Sa Thầy",
        "Đơn vị đăng cai: Xã Sa Thầy",
        "Hạn đăng ký đại biểu: 17:00 ngày 7/7/2026",
        "14:10 Báo cáo sơ kết của Cụm (Phường Kon Tum)",
        "tối đa 3 đại biểu",
    ):
        assert part in text
    assert group.payload["_start_button"]["start"] == f"rsvp-{conference_id(cluster)}"
    private = next(m for m in invitations if m.chat_id == person_id_of("dak-cam"))
    assert "Kính gửi: Phường Đăk Cấm" in private.payload["text"]
    assert private.payload["_start_button"]["text"] == "📝 Đăng ký đại biểu"


def test_ticking_again_queues_nothing_new(cluster: Engine) -> None:
    tick(cluster, at(6, 26, 8))
    before = len(outbox(cluster, "conf-"))
    tick(cluster, at(6, 26, 9))
    tick(cluster, at(6, 27, 9))
    assert len(outbox(cluster, "conf-")) == before


def test_private_invitations_wait_for_the_end_of_quiet_hours(cluster: Engine) -> None:
    edit_conference(cluster, invite_at=at(6, 26, 22))
    tick(cluster, at(6, 26, 22))
    assert {m.chat_id for m in outbox(cluster, "conf-invite:")} == {GROUP_CHAT}
    tick(cluster, at(6, 27, 7))
    assert {m.chat_id for m in outbox(cluster, "conf-invite:")} == PEOPLE | {GROUP_CHAT}


def test_an_edited_time_or_place_sends_one_short_notice_per_chat(cluster: Engine) -> None:
    tick(cluster, at(6, 26, 8))
    edit_conference(cluster, starts_at=at(7, 10, 8), ends_at=at(7, 10, 11))
    tick(cluster, at(6, 28, 9))
    tick(cluster, at(6, 28, 10))
    changes = outbox(cluster, "conf-change:")
    assert {m.chat_id for m in changes} == PEOPLE | {GROUP_CHAT} and len(changes) == 6
    text = changes[0].payload["text"]
    assert "Thời gian mới: 08:00 ngày 10/7/2026 (đến 11:00)" in text
    assert "trước đây: 14:00 ngày 10/7/2026" in text and "Địa điểm" not in text
    edit_conference(cluster, place="Hội trường UBND phường Kon Tum")
    tick(cluster, at(6, 29, 9))
    assert len(outbox(cluster, "conf-change:")) == 12
    assert (
        "Địa điểm mới: Hội trường UBND phường Kon Tum"
        in outbox(cluster, "conf-change:")[-1].payload["text"]
    )


def test_an_edit_back_and_forth_is_told_each_time(cluster: Engine) -> None:
    tick(cluster, at(6, 26, 8))
    for day, place in (
        (27, "Nhà văn hóa xã"),
        (28, "Hội trường UBND xã Sa Thầy"),
        (29, "Nhà văn hóa xã"),
    ):
        edit_conference(cluster, place=place)
        tick(cluster, at(6, day, 9))
    group = [m for m in outbox(cluster, "conf-change:") if m.chat_id == GROUP_CHAT]
    assert len(group) == 3


def test_reminders_go_only_to_units_without_a_confirmed_registration(cluster: Engine) -> None:
    tick(cluster, at(6, 26, 8))
    register(cluster, "kon-tum", now=at(6, 27, 9))
    register(cluster, "sa-thay", attends=False, now=at(6, 27, 10))
    with session_scope(cluster) as session:  # a draft is not an answer
        conference = session.get(Conference, conference_id(cluster))
        unit = session.exec(select(Unit).where(Unit.code == "dak-cam")).one()
        assert conference is not None
        open_draft(
            session, conference=conference, unit_id=require_id(unit), pending={}, now=at(6, 28, 9)
        )
    tick(cluster, at(7, 4, 17))  # three days before 7 July 17:00
    reminders = outbox(cluster, "conf-remind:")
    owing = {person_id_of(code) for code in ("dak-cam", "mo-rai", "ia-dal")}
    assert {m.chat_id for m in reminders} == owing | {GROUP_CHAT}
    group = next(m for m in reminders if m.chat_id == GROUP_CHAT)
    assert group.payload["text"].startswith("⏰ Còn 3/5 đơn vị chưa đăng ký đại biểu")
    assert "Phường Đăk Cấm" in group.payload["text"] and "Xã Sa Thầy" not in group.payload["text"]
    assert all("_start_button" in m.payload for m in reminders)
    tick(cluster, at(7, 4, 18))
    assert len(outbox(cluster, "conf-remind:")) == len(reminders)


def test_a_unit_that_answered_before_the_second_offset_is_not_reminded_again(
    cluster: Engine,
) -> None:
    tick(cluster, at(6, 26, 8))
    tick(cluster, at(7, 4, 17))
    register(cluster, "mo-rai", now=at(7, 5, 9))
    tick(cluster, at(7, 6, 17))  # one day before
    second = [m for m in outbox(cluster, "conf-remind:") if ":1440:" in m.key]
    assert person_id_of("mo-rai") not in {m.chat_id for m in second}
    assert len([m for m in second if m.chat_id > 0]) == 4


def test_the_board_is_posted_once_and_edited_in_place_as_answers_come(cluster: Engine) -> None:
    tick(cluster, at(6, 26, 8))
    (board,) = outbox(cluster, "conf-board:")
    assert board.chat_id == GROUP_CHAT and "0/5 đơn vị đã trả lời" in board.payload["text"]
    with session_scope(cluster) as session:
        mark_sent(session, board.id or 0, now=at(6, 26, 8), telegram_message_id=91)
    assert tick(cluster, at(6, 26, 9)) == 0
    register(cluster, "mo-rai", now=at(6, 27, 9))
    tick(cluster, at(6, 27, 9, 1))
    tick(cluster, at(6, 27, 9, 2))
    (edit,) = outbox(cluster, f"{board.key}:edit:")
    assert edit.method == "editMessageText" and edit.payload["message_id"] == 91
    text = edit.payload["text"]
    assert "1/5 đơn vị đã trả lời" in text
    assert "Xã Mô Rai: 1 đại biểu, trưởng đoàn Nguyễn Văn An (Phó Chủ tịch UBND xã)" in text
    assert "⬜ Chưa trả lời (4):" in text
    register(cluster, "ia-dal", attends=False, now=at(6, 27, 10))
    tick(cluster, at(6, 27, 10, 1))
    assert len(outbox(cluster, f"{board.key}:edit:")) == 2
    assert (
        "Xã Ia Đal: Trùng lịch tiếp công dân"
        in outbox(cluster, f"{board.key}:edit:")[-1].payload["text"]
    )


def test_the_day_before_attending_units_get_time_place_and_agenda(cluster: Engine) -> None:
    tick(cluster, at(6, 26, 8))
    register(cluster, "kon-tum", now=at(6, 27, 9))
    register(cluster, "sa-thay", attends=False, now=at(6, 27, 9))
    tick(cluster, at(7, 9, 7, 59))
    assert outbox(cluster, "conf-eve:") == []
    tick(cluster, at(7, 9, 8))
    (eve,) = outbox(cluster, "conf-eve:")
    assert eve.chat_id == person_id_of("kon-tum")
    for part in (
        "diễn ra vào ngày mai",
        "14:00 ngày 10/7/2026",
        "Hội trường UBND xã Sa Thầy",
        "16:40 Bế mạc",
        "trưởng đoàn Nguyễn Văn An",
    ):
        assert part in eve.payload["text"]


def test_nothing_after_the_start_nor_for_a_cancelled_conference(cluster: Engine) -> None:
    tick(cluster, at(7, 10, 14))
    assert outbox(cluster, "conf-") == []
    edit_conference(cluster, state="cancelled")
    tick(cluster, at(6, 27, 9))
    assert outbox(cluster, "conf-") == []


def test_a_block_is_called_khoi_in_the_invitation(cluster: Engine) -> None:
    with session_scope(cluster) as session:
        found = session.exec(select(Cluster)).one()
        found.kind = "khoi"
        session.add(found)
    tick(cluster, at(6, 26, 8))
    group = next(m for m in outbox(cluster, "conf-invite:") if m.chat_id == GROUP_CHAT)
    assert "các đơn vị trong khối" in group.payload["text"]


def test_the_registration_button_is_gone_after_the_deadline(cluster: Engine) -> None:
    tick(cluster, at(6, 26, 8))
    (board,) = outbox(cluster, "conf-board:")
    with session_scope(cluster) as session:
        mark_sent(session, board.id or 0, now=at(6, 26, 8), telegram_message_id=91)
    register(cluster, "mo-rai", now=at(7, 7, 16))
    tick(cluster, at(7, 7, 18) + timedelta(minutes=1))
    (edit,) = outbox(cluster, f"{board.key}:edit:")
    assert "_start_button" not in edit.payload and "Đã hết hạn đăng ký" in edit.payload["text"]
