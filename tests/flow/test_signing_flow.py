"""The chair sends the registered targets for signing; each unit signs; the last one completes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.storage.models import AuditEvent, Indicator, Pledge, Target, Unit
from bot.storage.pledge_tables import PledgeWindow
from tests.flow.pledging import (
    CHAIR,
    GROUP,
    OFFICERS,
    UNITS,
    last,
    pledge_bot,
    queued_for,
    register_directly,
)
from tests.support.harness import Harness

# Every unit's targets for the six indicators that take one.
TARGETS = {
    code: {
        "thu-ngan-sach": str(100 + n),
        "gtsx-ke-hoach": "105",
        "xa-ntm": str(2 + n),
        "quy-vi-nguoi-ngheo": "500",
        "hs-bo-hoc": "0.5",
        "tcd-htt": f"{10 + n}/20",
    }
    for n, code in enumerate(UNITS)
}


def register_everyone(engine: Engine) -> None:
    for code in UNITS:
        register_directly(engine, code, TARGETS[code])


def sign_button(engine: Engine, code: str) -> str:
    """The callback data of «Ký giao ước» in the newest request queued for a unit's officer."""
    requests = queued_for(engine, OFFICERS[code].id, ":sign:")
    assert requests, f"no request to sign for {code}"
    markup: dict[str, Any] = requests[-1].payload["reply_markup"]
    return str(markup["inline_keyboard"][0][0]["callback_data"])


async def press_notice(bot: Harness, engine: Engine, code: str) -> list[dict[str, Any]]:
    """The unit's officer presses «Ký giao ước» on the request the bot sent."""
    officer = OFFICERS[code]
    message = bot.fake.sent_messages(officer.id)[-1]
    return await bot.press_data(officer, message, sign_button(engine, code))


def pledge_targets(engine: Engine) -> dict[tuple[str, str], str]:
    with Session(engine) as session:
        rows = session.exec(
            select(Unit.code, Indicator.code, Target.value)
            .join(Target, col(Target.unit_id) == Unit.id)
            .join(Indicator, col(Indicator.id) == Target.indicator_id)
            .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
            .where(Pledge.year == 2027)
        ).all()
    return {(unit, indicator): value for unit, indicator, value in rows}


async def test_signing_waits_until_every_unit_has_registered(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        register_directly(engine, "kon-tum")
        reply = last(await bot.send(CHAIR, "/pledge kt-cum2 2027 sign"))
        assert "Chưa thể gửi ký" in reply["text"] and "Xã Sa Thầy" in reply["text"]
        assert queued_for(engine, OFFICERS["kon-tum"].id, ":sign:") == []


async def test_each_unit_sees_its_own_targets_and_signs(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        register_everyone(engine)
        reply = last(await bot.send(CHAIR, "/pledge kt-cum2 2027 sign"))
        assert "để 5 đơn vị ký" in reply["text"]
        assert queued_for(engine, GROUP.id, ":signing:")
        request = queued_for(engine, OFFICERS["sa-thay"].id, ":sign:")[-1].payload["text"]
        assert "101 tỷ đồng" in request and "11/20" in request and "100 tỷ đồng" not in request
        shown = last(await bot.send(OFFICERS["sa-thay"], "/sign"))
        assert "101 tỷ đồng" in shown["text"]
        signed = last(await bot.press(OFFICERS["sa-thay"], shown, "Ký giao ước"))
        assert "Đã ký giao ước thi đua năm 2027 cho Xã Sa Thầy" in signed["text"]
        again = last(await press_notice(bot, engine, "sa-thay"))
        assert "đã ký giao ước năm 2027 lúc" in again["text"]
        with Session(engine) as session:
            event = session.exec(
                select(AuditEvent).where(AuditEvent.action == "pledge.signed")
            ).one()
        assert event.entity_key == "sa-thay" and event.actor == f"telegram:{OFFICERS['sa-thay'].id}"


async def test_a_unit_cannot_sign_until_its_returned_registration_is_fixed(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        register_everyone(engine)
        await bot.send(CHAIR, "/pledge kt-cum2 2027 sign")
        await bot.send(CHAIR, "/pledge kt-cum2 2027 return sa-thay Chỉ tiêu thu ngân sách thấp")
        refused = last(await press_notice(bot, engine, "sa-thay"))
        assert "đã được cụm trưởng trả lại" in refused["text"] and "/targets" in refused["text"]
        officer = OFFICERS["sa-thay"]
        review = last(await bot.send(officer, "/targets"))
        assert "trả lại bản đăng ký chỉ tiêu lần 1" in review["text"]
        question = last(await bot.press(officer, review, "✏️ 1"))
        review = last(await bot.send(officer, "130"))
        receipt = last(await bot.press(officer, review, "Xác nhận đăng ký"))
        assert "Lần đăng ký: 2" in receipt["text"] and question
        request = queued_for(engine, officer.id, ":sign:")[-1].payload["text"]
        assert "130 tỷ đồng" in request
        signed = last(await press_notice(bot, engine, "sa-thay"))
        assert "Đã ký giao ước" in signed["text"]


async def test_an_older_request_to_sign_shows_the_targets_as_they_are_now(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        register_everyone(engine)
        await bot.send(CHAIR, "/pledge kt-cum2 2027 sign")
        old = sign_button(engine, "dak-cam")
        await bot.send(CHAIR, "/pledge kt-cum2 2027 return dak-cam Sai tỷ lệ")
        register_directly(engine, "dak-cam", TARGETS["dak-cam"] | {"thu-ngan-sach": "150"})
        officer = OFFICERS["dak-cam"]
        message = bot.fake.sent_messages(officer.id)[-1]
        shown = last(await bot.press_data(officer, message, old))
        assert "đã thay đổi" in shown["text"] and "150 tỷ đồng" in shown["text"]


async def test_the_last_signature_writes_the_targets_and_tells_the_group(engine: Engine) -> None:
    async with pledge_bot(engine) as bot:
        register_everyone(engine)
        await bot.send(CHAIR, "/pledge kt-cum2 2027 sign")
        for code in UNITS[:-1]:
            await press_notice(bot, engine, code)
        assert pledge_targets(engine) == {}
        final = last(await press_notice(bot, engine, UNITS[-1]))
        assert "ký cuối cùng" in final["text"]
        expected = {(u, i): v for u, values in TARGETS.items() for i, v in values.items()}
        assert pledge_targets(engine) == expected
        told = queued_for(engine, GROUP.id, ":signed:")
        assert told and "Cả 5 đơn vị" in told[0].payload["text"]
        with Session(engine) as session:
            window = session.exec(select(PledgeWindow)).one()
            written = session.exec(
                select(AuditEvent).where(
                    AuditEvent.action == "import.created", AuditEvent.entity == "target"
                )
            ).all()
        assert window.signed_at is not None
        assert {event.entity_key for event in written} >= {"kt-cum2/2027/ia-dal/tcd-htt"}
        assert len([e for e in written if "/2027/" in e.entity_key]) == len(expected)
        reply = last(await bot.send(OFFICERS["dak-cam"], "/targets"))
        assert "chưa mở đăng ký" in reply["text"]
