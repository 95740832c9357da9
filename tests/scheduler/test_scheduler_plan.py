"""The tick on a real database: who gets which message when, each exactly once."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.domain.due import QuietHours
from bot.notices.reminders import remind_now
from bot.storage import session_scope
from bot.storage.models import OutboxMessage, Period, Person
from bot.storage.outbox import mark_sent
from scheduler.plan import Planner
from tests.support.factories import (
    CHAIR_PERSON,
    GROUP_CHAT,
    UNITS,
    example_cluster,
    period,
    person_id_of,
    submit,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUIET = QuietHours(time(21), time(7))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def cluster(engine: Engine) -> Engine:
    example_cluster(engine)
    return engine


def tick(engine: Engine, now: datetime) -> int:
    with session_scope(engine) as session:
        return Planner(now=now, quiet=QUIET).plan(session)


def outbox(engine: Engine, prefix: str = "") -> list[OutboxMessage]:
    with session_scope(engine) as session:
        return list(
            session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.key).startswith(prefix))
                .order_by(col(OutboxMessage.id))
            ).all()
        )


def chats(messages: list[OutboxMessage]) -> set[int]:
    return {message.chat_id for message in messages}


def test_nothing_before_the_period_opens(cluster: Engine) -> None:
    assert tick(cluster, at(1, 7, 59)) == 0
    assert outbox(cluster) == []


def test_the_opening_is_announced_in_the_group_once(cluster: Engine) -> None:
    assert tick(cluster, at(1, 8)) == 2  # the announcement and the first board
    assert tick(cluster, at(1, 8, 1)) == 0
    announcement, board = outbox(cluster)
    assert announcement.key.startswith("open:") and announcement.chat_id == GROUP_CHAT
    assert "Sơ kết 6 tháng đầu năm 2026" in announcement.payload["text"]
    assert "Số liệu tính từ 15/12/2025 đến 14/6/2026." in announcement.payload["text"]
    assert "20/6/2026" in announcement.payload["text"]
    assert announcement.payload["_submit_button"] == "vi"
    assert board.key.startswith("board:") and "0/5 đơn vị đã nộp" in board.payload["text"]


def test_reminders_go_only_to_units_that_owe(cluster: Engine) -> None:
    submit(cluster, "sa-thay", at=at(5, 9))
    tick(cluster, at(13, 17))  # seven days before the deadline
    private = outbox(cluster, "remind:")
    owing = {person_id_of(code) for code in UNITS if code != "sa-thay"}
    assert chats(private) == owing
    assert all("Hạn nộp: 17:00 ngày 20/6/2026 (còn 7 ngày)" in m.payload["text"] for m in private)
    (group_post,) = outbox(cluster, "missing:")
    assert group_post.payload["text"].startswith("⏰ Còn 4/5 đơn vị chưa nộp")
    assert "Xã Sa Thầy" not in group_post.payload["text"]
    assert tick(cluster, at(13, 18)) == 0  # the same offset is never sent twice


def test_a_unit_that_submits_between_two_reminders_gets_only_the_first(cluster: Engine) -> None:
    tick(cluster, at(13, 17))
    submit(cluster, "dak-cam", at=at(14, 10))
    tick(cluster, at(17, 17))
    dak_cam = person_id_of("dak-cam")
    first = [m for m in outbox(cluster, "remind:") if f":{7 * 1440}:" in m.key]
    second = [m for m in outbox(cluster, "remind:") if f":{3 * 1440}:" in m.key]
    assert dak_cam in chats(first)
    assert dak_cam not in chats(second)
    assert len(second) == 4


def test_a_draft_in_progress_is_mentioned_in_the_reminder(cluster: Engine) -> None:
    from bot.storage.models import Answer, Indicator, Submission, Unit
    from bot.storage.types import require_id

    with session_scope(cluster) as session:
        unit = session.exec(select(Unit).where(Unit.code == "mo-rai")).one()
        draft = Submission(
            period_id=require_id(period(session)), unit_id=require_id(unit), status="draft"
        )
        session.add(draft)
        session.flush()
        for indicator in session.exec(select(Indicator).limit(3)).all():
            answer = Answer(
                submission_id=require_id(draft), indicator_id=require_id(indicator), value="1"
            )
            session.add(answer)
    tick(cluster, at(13, 17))
    (reminder,) = [m for m in outbox(cluster, "remind:") if m.chat_id == person_id_of("mo-rai")]
    assert "Bản nháp đã trả lời 3/11 câu" in reminder.payload["text"]


def test_private_reminders_wait_for_quiet_hours_to_end(cluster: Engine) -> None:
    # The one-day reminder falls due at 17:00; the bot was down until 22:00.
    tick(cluster, at(19, 22))
    assert outbox(cluster, "remind:") == []
    assert len(outbox(cluster, "missing:")) == 1  # groups are not kept quiet
    tick(cluster, at(20, 7))
    assert len(outbox(cluster, "remind:")) == 5


def test_a_period_may_switch_quiet_hours_off(cluster: Engine) -> None:
    with session_scope(cluster) as session:
        row = period(session)
        row.quiet_hours = "00:00-00:01"
        session.add(row)
    tick(cluster, at(19, 22))
    assert len(outbox(cluster, "remind:")) == 5


def test_an_edited_deadline_takes_effect_without_restart(cluster: Engine) -> None:
    tick(cluster, at(19, 17))  # one day before the old deadline
    with session_scope(cluster) as session:
        row = period(session)
        row.deadline_at = at(27, 17)
        session.add(row)
    tick(cluster, at(20, 17))  # seven days before the new one
    texts = [m.payload["text"] for m in outbox(cluster, "remind:")]
    assert len(texts) == 10
    assert sum("27/6/2026 (còn 7 ngày)" in text for text in texts) == 5
    assert outbox(cluster, "overdue") == []


def test_after_the_deadline_late_units_and_the_chair_hear_once_a_day(cluster: Engine) -> None:
    submit(cluster, "kon-tum", at=at(10, 9))
    tick(cluster, at(20, 17))
    tick(cluster, at(20, 18))
    overdue = outbox(cluster, "overdue:")
    assert chats(overdue) == {person_id_of(code) for code in UNITS[1:]}
    assert all("vẫn được nhận và ghi là nộp muộn" in m.payload["text"] for m in overdue)
    (chair_list,) = outbox(cluster, "overdue-list:")
    assert chair_list.chat_id == CHAIR_PERSON
    assert chair_list.payload["text"].count("• ") == 4
    assert "👉 Gõ /remind để nhắc lại ngay các đơn vị này" in chair_list.payload["text"]
    tick(cluster, at(21, 17))
    assert len(outbox(cluster, "overdue:")) == 8
    assert len(outbox(cluster, "overdue-list:")) == 2


def test_nothing_once_the_period_locks(cluster: Engine) -> None:
    tick(cluster, at(27, 17) + timedelta(minutes=1))
    assert outbox(cluster) == []


def test_an_admin_lock_silences_the_period(cluster: Engine) -> None:
    with session_scope(cluster) as session:
        row = period(session)
        row.state = "locked"
        session.add(row)
    assert tick(cluster, at(13, 17)) == 0


def test_unreachable_people_and_revoked_members_are_skipped(cluster: Engine) -> None:
    from bot.storage.models import Membership

    with session_scope(cluster) as session:
        gone = session.exec(select(Person).where(Person.telegram_id == person_id_of("ia-dal")))
        person = gone.one()
        person.unreachable_at = at(2, 9)
        session.add(person)
        membership = session.exec(
            select(Membership).where(Membership.person_id == person_id_of("dak-cam") - 1000)
        ).one()
        membership.revoked_at = at(2, 9)
        session.add(membership)
    tick(cluster, at(13, 17))
    assert chats(outbox(cluster, "remind:")) == {
        person_id_of(code) for code in ("kon-tum", "sa-thay", "mo-rai")
    }


def test_the_board_is_edited_in_place_when_a_unit_submits(cluster: Engine) -> None:
    tick(cluster, at(2, 8))
    (board,) = outbox(cluster, "board:")
    with session_scope(cluster) as session:
        mark_sent(session, board.id or 0, now=at(2, 8), telegram_message_id=77)
    assert tick(cluster, at(2, 9)) == 0  # nothing changed: no edit
    submit(cluster, "mo-rai", at=at(2, 9, 30))
    tick(cluster, at(2, 9, 31))
    tick(cluster, at(2, 9, 32))
    (edit,) = outbox(cluster, f"{board.key}:edit:")
    assert edit.method == "editMessageText"
    assert edit.payload["message_id"] == 77
    assert "1/5 đơn vị đã nộp" in edit.payload["text"]
    assert "✅ Xã Mô Rai" in edit.payload["text"]
    tick(cluster, at(3, 8))  # a new day, a new board message
    assert len(outbox(cluster, "board:")) == 3


def test_remind_now_reaches_owing_units_at_once_or_after_quiet_hours(cluster: Engine) -> None:
    submit(cluster, "kon-tum", at=at(3, 9))
    with session_scope(cluster) as session:
        queued = remind_now(
            session,
            period=period(session),
            cluster_id=None,
            now=at(4, 22),
            actor="telegram:1",
            quiet=QUIET,
        )
    assert queued == 5  # four people and one group post
    private = [m for m in outbox(cluster, "remind-now:") if m.chat_id > 0]
    assert len(private) == 4
    assert all(m.not_before == at(5, 7) for m in private)


def test_two_clusters_in_one_period_each_get_their_own_messages(engine: Engine) -> None:
    from tests.support.factories import EXAMPLE

    second = EXAMPLE.read_text(encoding="utf-8")
    example_cluster(engine)
    # A second cluster with one unit, reporting in the same period.
    extra = (
        "clusters:\n  - code: kt-cum3\n    name: Cụm thi đua số 3\n    units:\n"
        "      - {code: dak-ha, name: Xã Đăk Hà}\n"
        "periods:\n  - code: 2026-h1\n    name: Sơ kết 6 tháng đầu năm 2026\n"
        "    clusters: [kt-cum2, kt-cum3]\n    year: 2026\n    opens: 2026-06-01 08:00\n"
        "    deadline: 2026-06-20 17:00\n    reminders: [7d]\n    digest: '08:00'\n"
    )
    assert second  # the example is the first cluster
    from bot.setup import read_setup
    from bot.storage.setup_import import apply_setup, known_clusters

    with session_scope(engine) as session:
        setup = read_setup(extra, locale="vi", known_clusters=known_clusters(session))
        apply_setup(session, setup, actor="test")
        assert session.exec(select(Period)).one().reminder_offsets == [7 * 1440]
    tick(engine, at(13, 17))
    assert len(outbox(engine, "remind:")) == 5  # the new unit has no focal point yet
    assert len(outbox(engine, "missing:")) == 1  # only kt-cum2 has a bound group
