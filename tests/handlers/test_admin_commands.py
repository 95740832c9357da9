"""What admin commands change: periods, unit locks, invites, roles, broadcasts, the audit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.domain.periods import Phase, phase
from bot.fake_telegram import FakeUser
from bot.storage.locks import unit_phase
from bot.storage.models import (
    AuditEvent,
    Cluster,
    ClusterLeadership,
    ClusterUnit,
    Invite,
    Membership,
    OutboxMessage,
    Period,
    Person,
    Unit,
    UnitLock,
)
from tests.support.desk import (
    ADMIN,
    CHAIR,
    FOCAL,
    GROUP,
    OTHER_FOCAL,
    desk_bot,
    import_text,
    last,
    press_exact,
    reply_to,
    texts,
)
from tests.support.harness import Harness, buttons

PERIOD = "Sơ kết 6 tháng đầu năm 2026"


def events(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def period_row(engine: Engine, code: str = "2026-h1") -> Period:
    with Session(engine) as session:
        return session.exec(select(Period).where(Period.code == code)).one()


def unit_state(engine: Engine, unit_code: str, now: Any) -> Phase:
    with Session(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        period = session.exec(select(Period).where(Period.code == "2026-h1")).one()
        return unit_phase(session, period=period, unit_id=unit.id or 0, now=now)


async def test_open_then_lock_a_period_with_buttons_and_both_are_audited(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        question = last(await bot.send(ADMIN, "/open"))
        assert "Chọn kỳ báo cáo" in question["text"]
        reply = last(await press_exact(bot, ADMIN, question, PERIOD))
        assert "Đã mở kỳ" in reply["text"]
        assert period_row(engine).state == "open"
        assert "đang mở rồi" in last(await bot.send(ADMIN, "/open 2026-h1"))["text"]

        question = last(await bot.send(ADMIN, "/lock 2026-h1"))
        reply = last(await press_exact(bot, ADMIN, question, "🔒 Khóa sổ cả kỳ"))
        assert "Đã khóa sổ kỳ" in reply["text"] and "/unlock" in reply["text"]
        assert phase(period_row(engine), bot.now) is Phase.LOCKED

        [opened] = events(engine, "period.opened")
        [locked] = events(engine, "period.locked")
        assert opened.actor == f"telegram:{ADMIN.id}" and opened.entity_key == "2026-h1"
        assert (opened.before, opened.after) == ({"state": "scheduled"}, {"state": "open"})
        assert (locked.before, locked.after) == ({"state": "open"}, {"state": "locked"})


async def test_one_unit_is_locked_early_and_another_unlocked_after_the_period_locks(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        reply = last(await bot.send(ADMIN, "/lock 2026-h1 mo-rai"))
        assert "Đã khóa sổ riêng Xã Mô Rai" in reply["text"]
        assert unit_state(engine, "mo-rai", bot.now) is Phase.LOCKED
        assert unit_state(engine, "dak-cam", bot.now) is Phase.OPEN
        assert "khóa sổ" in last(await bot.send(FOCAL, "/submit"))["text"]

        await bot.send(ADMIN, "/lock 2026-h1 *")
        question = last(await bot.send(ADMIN, "/unlock"))
        question = last(await press_exact(bot, ADMIN, question, PERIOD))
        reply = last(await press_exact(bot, ADMIN, question, "Phường Đăk Cấm"))
        assert "Đã mở khóa cho Phường Đăk Cấm" in reply["text"]
        assert unit_state(engine, "dak-cam", bot.now) is Phase.LATE
        assert unit_state(engine, "ia-dal", bot.now) is Phase.LOCKED
        with Session(engine) as session:
            locks = {row.state for row in session.exec(select(UnitLock))}
        assert locks == {"locked", "unlocked"}
        unlocked = events(engine, "unit.unlocked")[0]
        assert unlocked.entity_key == "dak-cam" and unlocked.after == {
            "period": "2026-h1",
            "state": "unlocked",
        }


async def test_an_invite_by_buttons_gives_a_one_time_link_that_joins_the_unit(
    engine: Engine, example_yaml: str
) -> None:
    newcomer = FakeUser(id=9901, first_name="Tâm")
    async with desk_bot(engine, example_yaml) as bot:
        question = last(await bot.send(ADMIN, "/invite"))
        question = last(
            await press_exact(bot, ADMIN, question, "Cụm thi đua số 2 – tỉnh Quảng Ngãi (kt-cum2)")
        )
        question = last(await press_exact(bot, ADMIN, question, "Xã Ia Đal"))
        replies = await press_exact(bot, ADMIN, question, "Đầu mối nộp số liệu")
        link = replies[-1]["text"]
        assert "dùng được một lần" in replies[0]["text"]
        assert link.startswith("https://t.me/thidua_test_bot?start=")
        joined = (await bot.send(newcomer, f"/start {link.split('start=')[1]}"))[0]
        assert "Xã Ia Đal" in joined["text"]
        with Session(engine) as session:
            invite = session.exec(select(Invite).where(col(Invite.used_at).is_not(None))).all()
        assert any(row.created_by == f"telegram:{ADMIN.id}" for row in invite)


async def test_revoking_a_member_by_buttons_ends_their_role_and_is_audited(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        question = last(await bot.send(ADMIN, "/revoke mo-rai"))
        assert "Thu hồi quyền của ai" in question["text"]
        reply = last(await press_exact(bot, ADMIN, question, "Nguyễn Lan"))
        assert "Đã thu hồi quyền của Nguyễn Lan tại: Xã Mô Rai" in reply["text"]
        assert "chưa thuộc đơn vị nào" in last(await bot.send(FOCAL, "/submit"))["text"]
        [event] = events(engine, "role.revoked")
        assert event.entity_key == "mo-rai"
        assert event.before == {"person": FOCAL.id, "role": "focal"}

        reply = last(await bot.send(ADMIN, "/revoke @minh_kr"))
        assert "Phường Đăk Cấm" in reply["text"]
        with Session(engine) as session:
            person = session.exec(select(Person).where(Person.telegram_id == OTHER_FOCAL.id)).one()
            active = session.exec(
                select(Membership).where(
                    Membership.person_id == person.id, col(Membership.revoked_at).is_(None)
                )
            ).all()
        assert active == []
        assert "Không tìm thấy" in last(await bot.send(ADMIN, "/revoke @nobody"))["text"]


async def test_an_admin_sets_the_chair_from_the_cluster_list(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        listing = last(await bot.send(ADMIN, "/clusters"))
        assert "cụm trưởng 2026: Phường Kon Tum" in listing["text"]
        details = last(await press_exact(bot, ADMIN, listing, "⚙️ kt-cum2"))
        units = last(await press_exact(bot, ADMIN, details, "Cụm trưởng 2026"))
        reply = last(await press_exact(bot, ADMIN, units, "Phường Đăk Cấm"))
        assert "Phường Đăk Cấm là cụm trưởng" in reply["text"]
        with Session(engine) as session:
            cluster = session.exec(select(Cluster).where(Cluster.code == "kt-cum2")).one()
            row = session.exec(
                select(ClusterLeadership).where(
                    ClusterLeadership.year == 2026, ClusterLeadership.cluster_id == cluster.id
                )
            ).first()
            dak_cam = session.exec(select(Unit).where(Unit.code == "dak-cam")).one()
        assert row is not None and row.chair_unit_id == dak_cam.id
        [event] = events(engine, "role.chair_set")
        assert event.before == {"chair": "kon-tum"} and event.after == {"chair": "dak-cam"}
        # The new chair's people may now follow the cluster; the old chair's may not.
        assert "0/5" in last(await bot.send(OTHER_FOCAL, "/board"))["text"]
        assert last(await bot.send(CHAIR, "/board"))["text"].startswith("⛔")


async def test_lists_of_clusters_units_periods_and_members(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        assert "kt-cum3" in last(await bot.send(ADMIN, "/clusters"))["text"]
        units = last(await bot.send(ADMIN, "/units kt-cum2"))["text"]
        assert "kon-tum – Phường Kon Tum (Cụm trưởng năm 2026)" in units
        assert "sa-thay – Xã Sa Thầy (Cụm phó năm 2026)" in units
        assert "👑" not in units and "🥈" not in units  # no emoji stands for a title
        periods = last(await bot.send(ADMIN, "/periods"))["text"]
        assert "2026-h1" in periods and "đang mở" in periods and "20/6/2026" in periods
        members = last(await bot.send(ADMIN, "/members mo-rai"))["text"]
        assert "Nguyễn Lan" in members and "@lan_kp" in members and "đầu mối" in members
        assert "Không tìm thấy cụm «nope»" in texts(await bot.send(ADMIN, "/units nope"))


async def test_the_lists_of_a_cluster_show_its_members_this_year(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        with Session(engine) as session:
            gone = session.exec(select(Unit).where(Unit.code == "ia-dal")).one()
            membership = session.exec(
                select(ClusterUnit).where(ClusterUnit.unit_id == gone.id)
            ).one()
            membership.until_year = 2025  # merged into another unit before this year
            session.add(membership)
            session.commit()
        units = last(await bot.send(ADMIN, "/units kt-cum2"))["text"]
        members = last(await bot.send(ADMIN, "/members kt-cum2"))["text"]
        clusters = last(await bot.send(ADMIN, "/clusters"))["text"]
    assert "(4):" in units and "Xã Ia Đal" not in units and "Xã Mô Rai" in units
    assert "Xã Ia Đal" not in members and "Xã Mô Rai" in members
    assert "4 đơn vị" in clusters


async def test_a_broadcast_is_queued_once_per_bound_group_and_audited(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        reply = last(await bot.send(ADMIN, "/broadcast kt-cum2 Họp sơ kết lúc 8:00 thứ Hai."))
        assert "Cụm 2 Kon Tum" in reply["text"]
        with Session(engine) as session:
            [message] = session.exec(select(OutboxMessage)).all()
        assert message.chat_id == GROUP.id and message.key.startswith("broadcast:")
        assert "Họp sơ kết lúc 8:00 thứ Hai." in message.payload["text"]
        [event] = events(engine, "broadcast.sent")
        assert event.entity_key == "kt-cum2" and str(event.id) in message.key
        reply = last(await bot.send(ADMIN, "/broadcast kt-cum3 Xin chào"))
        assert "chưa có nhóm nào" in reply["text"] and "/bind kt-cum3" in reply["text"]


async def test_a_broadcast_without_text_asks_for_it_and_the_reply_is_sent(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        question = last(await bot.send(ADMIN, "/broadcast"))
        prompt = last(
            await press_exact(bot, ADMIN, question, "Cụm thi đua số 2 – tỉnh Quảng Ngãi (kt-cum2)")
        )
        assert prompt["text"].endswith("/broadcast kt-cum2")
        assert bot.fake.calls_to("sendMessage")[-1].params["reply_markup"]["force_reply"]
        reply = last(await reply_to(bot, ADMIN, prompt, "Nhớ nộp trước thứ Sáu."))
        assert "Thông báo đang được gửi tới" in reply["text"]
        with Session(engine) as session:
            [message] = session.exec(select(OutboxMessage)).all()
        assert "Nhớ nộp trước thứ Sáu." in message.payload["text"]


async def test_the_audit_of_a_unit_reads_who_did_what(engine: Engine, example_yaml: str) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        await bot.send(ADMIN, "/lock 2026-h1 mo-rai")
        question = last(await bot.send(ADMIN, "/audit"))
        question = last(
            await press_exact(bot, ADMIN, question, "Cụm thi đua số 2 – tỉnh Quảng Ngãi (kt-cum2)")
        )
        text = last(await press_exact(bot, ADMIN, question, "Xã Mô Rai"))["text"]
        assert "Xã Mô Rai" in text
        assert "Quản trị: khóa sổ riêng đơn vị" in text and "trạng thái: đã khóa sổ" in text
        assert "Nguyễn Lan: tham gia đơn vị (vai trò: đầu mối nộp số liệu)" in text
        # In sentences: no field names, no ids, no JSON, times in local time.
        assert "state" not in text and "invite_id" not in text and "{" not in text
        assert "tạo lời mời (vai trò: đầu mối nộp số liệu; hết hạn: " in text
        assert "+00:00" not in text and "T0" not in text


async def test_every_button_of_every_question_fits_telegrams_64_bytes(
    engine: Engine, example_yaml: str
) -> None:
    long_code = "a" * 64
    import_text(engine, example_yaml.replace("2026-h1", long_code).replace("dak-cam", "k" * 64))
    async with Harness(engine, THIDUA_ADMINS=str(ADMIN.id)) as bot:
        sent = []
        for command in (
            "/lock",
            f"/lock {long_code}",
            "/unlock",
            "/export",
            f"/export {long_code}",
        ):
            sent += await bot.send(ADMIN, command)
        data = [value for message in sent for _label, value in buttons(message)]
        assert data and all(len(value.encode()) <= 64 for value in data)
