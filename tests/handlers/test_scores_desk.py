"""Scoring in the chat, through the real application: /scores, /rescore and the unit's answer
(giải trình), /approve and its unlock; what a focal point may see and do."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.domain.scoring import APPROVED, CLUSTER
from bot.storage import session_scope
from bot.storage.models import AuditEvent, Cluster, OutboxMessage, Period
from bot.storage.scoring import load_scores
from bot.storage.scoring_reviews import record_self_score, score_changes
from bot.storage.scoring_tables import ScoreChange
from scheduler.sender import Sender
from tests.support.desk import (
    ADMIN,
    CHAIR,
    FOCAL,
    OTHER_CHAIR,
    OTHER_FOCAL,
    desk_bot,
    last,
    press_exact,
    reply_to,
    submit_figures,
    texts,
)
from tests.support.harness import Harness, buttons
from tests.support.scoring import FIGURES, OWN, scoring_yaml

TO_CHUC = "Tổ chức phát động, sơ kết, tổng kết phong trào thi đua"
# Mô Rai, the focal point's unit, submits too: four units ranked, Ia Đal unsubmitted.
MO_RAI = dict(FIGURES["sa-thay"], **{"sang-kien": "5", "cchc": "Tốt"})
OWN_MO_RAI = {"to-chuc": "9", "dien-hinh": "8"}


@asynccontextmanager
async def scoring_bot(engine: Engine) -> AsyncIterator[Harness]:
    """The desk set-up with the example's scoring table; four of the five units submitted."""
    async with desk_bot(engine, scoring_yaml()) as bot:
        cluster_id = _ids(engine)[1]
        answers = {**FIGURES, "mo-rai": MO_RAI}
        own = {**OWN, "mo-rai": OWN_MO_RAI}
        for unit, values in answers.items():
            submission_id = submit_figures(engine, unit, bot.now, values)
            with session_scope(engine) as session:
                for key, value in own[unit].items():
                    record_self_score(
                        session,
                        submission_id=submission_id,
                        cluster_id=cluster_id,
                        criterion_key=key,
                        value=Decimal(value),
                    )
        yield bot


def _ids(engine: Engine) -> tuple[int, int]:
    """(period id, cluster id) of 2026-h1 and kt-cum2."""
    with Session(engine) as session:
        period = session.exec(select(Period).where(Period.code == "2026-h1")).one()
        cluster = session.exec(select(Cluster).where(Cluster.code == "kt-cum2")).one()
        return period.id or 0, cluster.id or 0


def _changes(engine: Engine) -> list[ScoreChange]:
    period_id, cluster_id = _ids(engine)
    with Session(engine) as session:
        return score_changes(session, period_id=period_id, cluster_id=cluster_id)


def _leaf(engine: Engine, layer: str, unit: str, key: str) -> Decimal | None:
    period_id, cluster_id = _ids(engine)
    with Session(engine) as session:
        ranking = load_scores(session, period_id=period_id)[cluster_id].layer(layer)
    standing = ranking.of(unit) if ranking else None
    return standing.leaves.get(key) if standing else None


def _outbox(engine: Engine, chat_id: int) -> list[OutboxMessage]:
    with Session(engine) as session:
        query = select(OutboxMessage).where(OutboxMessage.chat_id == chat_id)
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


async def _deliver(bot: Harness) -> None:
    """The outbox sender sends what is due, through the same fake Telegram."""
    sender = Sender(bot.app.bot, bot.engine)
    try:
        await sender.send_due()
        await sender.drain()
    finally:
        await sender.close()


async def _rescore_by_buttons(bot: Harness, value: str, reason: str) -> list[dict[str, Any]]:
    """The chair changes Mô Rai's «Tổ chức phát động…» by buttons, then two prompts."""
    question = last(await bot.send(CHAIR, "/rescore"))
    assert "đơn vị nào" in question["text"]
    question = last(await press_exact(bot, CHAIR, question, "Xã Mô Rai"))
    assert "tiêu chí nào" in question["text"]
    prompt = last(await bot.press(CHAIR, question, "Tổ chức phát động"))
    assert "tự chấm 9,00" in prompt["text"]
    assert prompt["text"].endswith("/rescore 2026-h1 kt-cum2 mo-rai to-chuc")
    prompt = last(await reply_to(bot, CHAIR, prompt, value))
    assert prompt["text"].endswith("/rescore 2026-h1 kt-cum2 mo-rai to-chuc 7.5")
    return await reply_to(bot, CHAIR, prompt, reason)


async def test_the_chair_sees_the_ranking_with_classes_gaps_and_the_unsubmitted_unit_last(
    engine: Engine,
) -> None:
    async with scoring_bot(engine) as bot:
        reply = last(await bot.send(CHAIR, "/scores"))
        lines = reply["text"].splitlines()
        assert lines[0] == "🏅 Chấm điểm · Cụm thi đua số 2 – tỉnh Quảng Ngãi"
        assert "điểm cụm chấm" in lines[1]
        ranked = [line for line in lines if line[:2] in ("1.", "2.", "3.", "4.")]
        assert ranked == [
            "1. Xã Mô Rai: 93,07 điểm · Xuất sắc",
            "2. Phường Kon Tum: 79,00 điểm · Khá",
            "3. Xã Sa Thầy: 68,62 điểm · Khá",
            "4. Phường Đăk Cấm: 55,47 điểm",
        ]
        assert lines[-1] == "– Xã Ia Đal: chưa nộp, chưa xếp hạng"
        gap = "⚠️ Thiếu số liệu, tính 0 điểm: Phát hiện, nhân rộng điển hình tiên tiến"
        assert gap in reply["text"]
        assert [label for label, _data in buttons(reply)] == ["✏️ Sửa điểm"]


async def test_a_tie_is_flagged_for_the_chair(engine: Engine) -> None:
    async with scoring_bot(engine) as bot:
        # Sa Thầy 68,62 with «Điển hình» 0 (missing) gets 10; Kon Tum 79,00 loses 0,38.
        typed = "/rescore 2026-h1 kt-cum2 sa-thay dien-hinh 10 Có điển hình được nhân rộng"
        assert "Đã sửa điểm" in last(await bot.send(CHAIR, typed))["text"]
        typed = "/rescore 2026-h1 kt-cum2 kon-tum to-chuc 8,62 Báo cáo nộp muộn"
        assert "Đã sửa điểm" in last(await bot.send(CHAIR, typed))["text"]
        text = last(await bot.send(CHAIR, "/scores 2026-h1 kt-cum2"))["text"]
        assert "2. Phường Kon Tum: 78,62 điểm (tự chấm 79,00) · Khá · ⚖️ đồng hạng" in text
        assert "2. Xã Sa Thầy: 78,62 điểm (tự chấm 68,62) · Khá · ⚖️ đồng hạng" in text
        assert "⚖️ Đồng hạng: cụm trưởng quyết định thứ tự khi bình xét." in text


async def test_the_chair_changes_a_leaf_by_buttons_and_the_unit_explains(engine: Engine) -> None:
    async with scoring_bot(engine) as bot:
        replies = await _rescore_by_buttons(bot, "7,5", "Chưa có báo cáo sơ kết")
        done = last(replies)["text"]
        assert f"Đã sửa điểm «{TO_CHUC[:47]}…» của Xã Mô Rai" in done
        assert "9,00 → 7,50" in done and "91,57 điểm, hạng 1" in done
        assert "Đã báo cho 1 người" in done
        [change] = _changes(engine)
        assert (change.value, change.reason) == ("7.5", "Chưa có báo cáo sơ kết")
        assert _leaf(engine, CLUSTER, "mo-rai", "to-chuc") == Decimal("7.50")

        # The focal point is told, with the reason and a button to answer.
        await _deliver(bot)
        told = last(bot.fake.sent_messages(FOCAL.id))
        assert "Trần Hoa đã sửa điểm của Xã Mô Rai" in told["text"]
        assert "9,00 → 7,50" in told["text"] and "Lý do: Chưa có báo cáo sơ kết" in told["text"]
        prompt = last(await bot.press(FOCAL, told, "Giải trình"))
        assert prompt["text"].endswith(f"/scores explain {change.id}")
        answer = "Đơn vị đã gửi báo cáo sơ kết ngày 15/6, kèm công văn"
        assert "Đã lưu giải trình" in last(await reply_to(bot, FOCAL, prompt, answer))["text"]
        assert _changes(engine)[0].explanation == answer

        # The chair is told, and sees the answer under the change.
        [explained] = _outbox(engine, CHAIR.id)
        told_chair = explained.payload["text"]
        assert answer in told_chair and "Xã Mô Rai giải trình" in told_chair
        text = last(await bot.send(CHAIR, "/scores"))["text"]
        assert f"✏️ {TO_CHUC[:47]}…: 9,00 → 7,50. Lý do: Chưa có báo cáo sơ kết" in text
        assert f"💬 Giải trình: {answer}" in text
        with Session(engine) as session:
            actions = set(session.exec(select(AuditEvent.action)).all())
        assert {"score.change", "score.explain"} <= actions


async def test_a_wrong_value_is_refused_politely_and_asked_again(engine: Engine) -> None:
    async with scoring_bot(engine) as bot:
        typed = "/rescore 2026-h1 kt-cum2 mo-rai to-chuc"
        prompt = last(await bot.send(CHAIR, typed))
        replies = await reply_to(bot, CHAIR, prompt, "12")
        assert "không được vượt quá 10" in replies[0]["text"]
        assert replies[-1]["text"].endswith(typed)
        replies = await reply_to(bot, CHAIR, replies[-1], "7,125")
        assert "hai chữ số thập phân" in replies[0]["text"]
        # The value and the reason in one answer.
        done = last(await reply_to(bot, CHAIR, replies[-1], "8 Thiếu kế hoạch"))["text"]
        assert "9,00 → 8,00" in done
        assert [c.reason for c in _changes(engine)] == ["Thiếu kế hoạch"]


async def test_a_penalty_is_typed_as_the_points_taken_off(engine: Engine) -> None:
    async with scoring_bot(engine) as bot:
        typed = "/rescore 2026-h1 kt-cum2 mo-rai vi-pham 10 Thêm một vụ bị phê bình"
        assert "-5,00 → -10,00" in last(await bot.send(CHAIR, typed))["text"]
        assert _leaf(engine, CLUSTER, "mo-rai", "vi-pham") == Decimal("-10.00")


async def test_approved_scores_are_locked_until_an_admin_unlocks_them(engine: Engine) -> None:
    async with scoring_bot(engine) as bot:
        offer = last(await bot.send(ADMIN, "/approve 2026-h1 kt-cum2"))
        assert "1. Xã Mô Rai: 93,07 điểm · Xuất sắc" in offer["text"]
        done = last(await press_exact(bot, ADMIN, offer, "✅ Duyệt và khóa"))
        assert "Đã duyệt và khóa điểm" in done["text"]
        assert _leaf(engine, APPROVED, "mo-rai", "to-chuc") == Decimal("9.00")
        assert "điểm duyệt, đã khóa" in last(await bot.send(CHAIR, "/scores"))["text"]

        typed = "/rescore 2026-h1 kt-cum2 mo-rai to-chuc 7 Chưa có báo cáo"
        refused = last(await bot.send(CHAIR, typed))["text"]
        assert "đã duyệt, cần quản trị viên mở khóa" in refused
        assert _changes(engine) == []

        offer = last(await bot.send(ADMIN, "/approve 2026-h1 kt-cum2"))
        assert "đã duyệt lúc" in offer["text"]
        assert "Đã mở khóa" in last(await press_exact(bot, ADMIN, offer, "🔓 Mở khóa"))["text"]
        assert "Đã sửa điểm" in last(await bot.send(CHAIR, typed))["text"]
        await bot.send(ADMIN, "/approve 2026-h1 kt-cum2 lock")
        # The last reviewer's value wins, not the highest.
        assert _leaf(engine, APPROVED, "mo-rai", "to-chuc") == Decimal("7.00")
        with Session(engine) as session:
            actions = list(session.exec(select(AuditEvent.action)).all())
        assert actions.count("score.approve") == 2 and "score.unlock" in actions


async def test_a_focal_point_sees_only_their_own_unit_and_changes_nothing(engine: Engine) -> None:
    async with scoring_bot(engine) as bot:
        await bot.send(CHAIR, "/rescore 2026-h1 kt-cum2 mo-rai to-chuc 7,5 Chưa có báo cáo")
        own = last(await bot.send(FOCAL, "/scores"))
        assert own["text"].splitlines()[:3] == [
            "🏅 Điểm của Xã Mô Rai · kỳ «Sơ kết 6 tháng đầu năm 2026»",
            "Hạng 1/4 · 91,57 điểm (điểm cụm chấm) · Xuất sắc",
            "Tự chấm: 93,07 điểm",
        ]
        assert "Lý do: Chưa có báo cáo" in own["text"]
        [(label, _data)] = buttons(own)
        assert label.startswith("✍️ Giải trình: Tổ chức phát động")

        other = last(await bot.send(OTHER_FOCAL, "/scores 2026-h1 kt-cum2"))["text"]
        assert "Phường Đăk Cấm" in other
        assert "Mô Rai" not in other and "Chưa có báo cáo" not in other
        refused = await bot.send(OTHER_FOCAL, "/rescore 2026-h1 kt-cum2 dak-cam to-chuc 10 Tự sửa")
        assert last(refused)["text"].startswith("⛔")
        assert last(await bot.send(FOCAL, "/approve 2026-h1 kt-cum2 lock"))["text"].startswith("⛔")
        assert len(_changes(engine)) == 1


async def test_forged_buttons_change_nothing(engine: Engine) -> None:
    async with scoring_bot(engine) as bot:
        await bot.send(CHAIR, "/rescore 2026-h1 kt-cum2 mo-rai to-chuc 7,5 Chưa có báo cáo")
        [change] = _changes(engine)
        period_id, cluster_id = _ids(engine)
        # Another unit's focal point answers Mô Rai's change with a forged button.
        message = last(await bot.send(OTHER_FOCAL, "/scores"))
        data = f"c:scores:explain:{change.id}"
        reply = last(await bot.press_data(OTHER_FOCAL, message, data))
        assert reply["text"].startswith("⛔")
        typed = await bot.send(OTHER_FOCAL, f"/scores explain {change.id} Không đúng")
        assert last(typed)["text"].startswith("⛔")
        assert _changes(engine)[0].explanation is None
        # The chair of another cluster reaches for this one; a focal point for /approve.
        message = last(await bot.send(OTHER_CHAIR, "/help"))
        forged = f"c:rescore:#p{period_id}:#c{cluster_id}:#u1:to-chuc:0:Sai"
        reply = last(await bot.press_data(OTHER_CHAIR, message, forged))
        assert reply["text"].startswith("⛔")
        message = last(await bot.send(FOCAL, "/help"))
        forged = f"c:approve:#p{period_id}:#c{cluster_id}:lock"
        pressed = await bot.press_data(FOCAL, message, forged)
        assert not any(m.get("text", "").startswith("✅") for m in pressed)
        assert _leaf(engine, APPROVED, "mo-rai", "to-chuc") is None
        assert len(_changes(engine)) == 1


async def test_a_cluster_without_a_scoring_table_is_said_so(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        for user, command in ((CHAIR, "/scores"), (CHAIR, "/rescore"), (ADMIN, "/approve")):
            assert "Chưa có cụm nào có bảng chấm điểm" in texts(await bot.send(user, command))


async def test_a_long_table_comes_in_several_messages_with_the_buttons_on_the_last(
    engine: Engine,
) -> None:
    async with scoring_bot(engine) as bot:
        reason = "Hồ sơ minh chứng chưa đầy đủ theo hướng dẫn. " * 20  # 900 characters
        for key in ("to-chuc", "dien-hinh", "xa-ntm", "cchc", "tcd-htt"):
            typed = f"/rescore 2026-h1 kt-cum2 mo-rai {key} 1 {reason}"
            assert "Đã sửa điểm" in last(await bot.send(CHAIR, typed))["text"]
        replies = await bot.send(CHAIR, "/scores")
        assert len(replies) >= 2 and all(len(m["text"]) <= 4096 for m in replies)
        assert texts(replies).count("Lý do: Hồ sơ minh chứng") == 5
        assert buttons(replies[-1]) and not any(buttons(m) for m in replies[:-1])
