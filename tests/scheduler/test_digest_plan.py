"""The chair's daily digest from the tick, on SQLite and PostgreSQL: once a day at the digest
time, what came in since the last one, nothing when nothing did."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.domain.due import QuietHours
from bot.notices.digest import plan_digests
from bot.storage import session_scope
from bot.storage.models import (
    Answer,
    Cluster,
    Indicator,
    OutboxMessage,
    Person,
    Submission,
    Unit,
)
from bot.storage.types import require_id
from scheduler.plan import Planner
from tests.support.conference import add_conference, register
from tests.support.factories import example_cluster, period, person_id_of, submit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUIET = QuietHours(time(21), time(7))
CHAIRS = {person_id_of("kon-tum"), person_id_of("sa-thay")}  # chair and vice-chair units


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def cluster(engine: Engine) -> Engine:
    example_cluster(engine)
    return engine


def digests(engine: Engine, now: datetime) -> list[OutboxMessage]:
    """Run the digest part of the tick at `now`; the digests it queued."""
    with session_scope(engine) as session:
        before = _keys(session)
        plan_digests(session, now=now, locale="vi", quiet=QUIET)
        rows = session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.key).startswith("digest:"))
            .order_by(col(OutboxMessage.id))
        ).all()
        return [row for row in rows if row.key not in before]


def _keys(session: Session) -> set[str]:
    return set(session.exec(select(OutboxMessage.key)).all())


def unusual(engine: Engine, submission_id: int, explanation: str) -> None:
    """An unusual figure the unit confirmed, with its explanation."""
    with session_scope(engine) as session:
        indicator = session.exec(select(Indicator).where(Indicator.code == "thu-ngan-sach")).one()
        session.add(
            Answer(
                submission_id=submission_id,
                indicator_id=indicator.id or 0,
                raw_text="900",
                value="900",
                value_number=900,
                flags=["unusual"],
                explanation=explanation,
            )
        )


def returned(engine: Engine, submission_id: int, when: datetime, reason: str) -> None:
    with session_scope(engine) as session:
        row = session.get(Submission, submission_id)
        assert row is not None
        row.returned_at, row.returned_reason = when, reason


def test_nothing_when_nothing_came_in(cluster: Engine) -> None:
    assert digests(cluster, at(2, 8, 5)) == []
    assert digests(cluster, at(3, 8, 5)) == []


def test_the_chair_and_vice_chair_get_what_came_in_once_a_day(cluster: Engine) -> None:
    submit(cluster, "sa-thay", at=at(2, 10))
    assert digests(cluster, at(2, 11)) == []  # it came after today's digest time
    sent = digests(cluster, at(3, 8))
    assert {row.chat_id for row in sent} == CHAIRS
    text = sent[0].payload["text"]
    assert (
        "Kính gửi đồng chí cụm trưởng, cụm phó" in text and "«Sơ kết 6 tháng đầu năm 2026»" in text
    )
    assert "Đã nộp: Xã Sa Thầy (lần 1)." in text
    assert "Còn thiếu 4/5 đơn vị: Phường Kon Tum, Phường Đăk Cấm" in text
    assert (
        "⏭ Hạn gần nhất: hạn nộp số liệu «Sơ kết 6 tháng đầu năm 2026», 17:00 ngày 20/6/2026"
        in text
    )
    assert digests(cluster, at(3, 9)) == []  # once a day


def test_the_next_digest_covers_only_what_came_after_the_last(cluster: Engine) -> None:
    first = submit(cluster, "sa-thay", at=at(2, 10))
    digests(cluster, at(3, 8))
    late = submit(cluster, "dak-cam", at=at(3, 12))
    submit(cluster, "sa-thay", at=at(3, 15), revision=2, late=True)
    unusual(cluster, late, "Thu tiền sử dụng đất một lần")
    returned(cluster, first, at(3, 13), "Thiếu số liệu quý II")
    text = digests(cluster, at(4, 8))[0].payload["text"]
    assert "Đã nộp: Phường Đăk Cấm (lần 1), Xã Sa Thầy (nộp lại, lần 2) – nộp muộn." in text
    assert "Sa Thầy (lần 1)" not in text
    assert "• Phường Đăk Cấm – Tổng thu ngân sách nhà nước trên địa bàn: 900 – Thu tiền" in text
    assert "↩️ Đã trả lại Xã Sa Thầy để sửa: Thiếu số liệu quý II" in text
    assert digests(cluster, at(5, 8)) == []


def test_quiet_hours_hold_the_digest_until_they_end(cluster: Engine) -> None:
    with session_scope(cluster) as session:
        period(session).digest_time = "06:00"
    submit(cluster, "sa-thay", at=at(2, 10))
    assert digests(cluster, at(3, 6, 30)) == []
    assert {row.chat_id for row in digests(cluster, at(3, 7))} == CHAIRS


def test_registrations_of_an_open_conference_come_in_the_words_of_a_block(
    cluster: Engine,
) -> None:
    with session_scope(cluster) as session:
        session.exec(select(Cluster)).one().kind = "khoi"
    add_conference(cluster)
    register(cluster, "kon-tum", ("Nguyễn Văn An", "Phó Chủ tịch"), ("Lê Thị Bình", ""))
    register(cluster, "mo-rai", reason="Trùng lịch")
    text = digests(cluster, at(9, 8))[0].payload["text"]
    assert "Kính gửi đồng chí khối trưởng, khối phó" in text
    assert "Đã đăng ký: Phường Kon Tum (2 đại biểu), Xã Mô Rai (không dự)." in text
    assert "Chưa đăng ký 3/5 đơn vị: Xã Sa Thầy, Phường Đăk Cấm, Xã Ia Đal." in text
    assert (
        "hạn đăng ký đại biểu «Hội nghị sơ kết 6 tháng đầu năm 2026», 17:00 ngày 11/6/2026" in text
    )


def test_the_tick_queues_the_digest_with_everything_else(cluster: Engine) -> None:
    submit(cluster, "sa-thay", at=at(2, 10))
    with session_scope(cluster) as session:
        Planner(now=at(3, 8), quiet=QUIET).plan(session)
        keys = set(session.exec(select(OutboxMessage.key)).all())
    day = at(3, 8).date().isoformat()
    assert sum(1 for key in keys if key.startswith("digest:") and key.endswith(day)) == 2


def answering(engine: Engine, unit_code: str, *, started: datetime, answered: datetime) -> None:
    """The unit's focal point is in the middle of a draft, last answered at `answered`."""
    with session_scope(engine) as session:
        person = session.exec(select(Person).where(Person.telegram_id == person_id_of(unit_code)))
        who = person.one()
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        indicator = session.exec(select(Indicator).order_by(col(Indicator.id))).first()
        assert indicator is not None
        draft = Submission(
            period_id=require_id(period(session)),
            unit_id=require_id(unit),
            started_by_person_id=who.id,
            created_at=started,
        )
        session.add(draft)
        session.flush()
        session.add(
            Answer(
                submission_id=require_id(draft),
                indicator_id=require_id(indicator),
                raw_text="1",
                value="1",
                answered_at=answered,
            )
        )
        who.active_submission_id = draft.id


def test_a_chair_answering_questions_gets_the_digest_once_they_pause(cluster: Engine) -> None:
    submit(cluster, "dak-cam", at=at(2, 10))
    answering(cluster, "sa-thay", started=at(3, 7, 50), answered=at(3, 7, 58))
    assert {row.chat_id for row in digests(cluster, at(3, 8))} == {person_id_of("kon-tum")}
    assert digests(cluster, at(3, 8, 5)) == []  # still answering: held
    held = digests(cluster, at(3, 8, 9))
    assert [row.chat_id for row in held] == [person_id_of("sa-thay")]
    assert "đến 08:00 ngày 3/6/2026" in held[0].payload["text"]  # the same window


def test_a_draft_left_for_later_does_not_hold_the_digest(cluster: Engine) -> None:
    submit(cluster, "dak-cam", at=at(2, 10))
    answering(cluster, "sa-thay", started=at(2, 15), answered=at(2, 16))
    assert {row.chat_id for row in digests(cluster, at(3, 8))} == CHAIRS
