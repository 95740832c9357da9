"""The conference vote through the real application: opened by the chair, one ballot per
unit in the private chats, the group's count edited in place, the tally, and its secrecy."""

from __future__ import annotations

import asyncio
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from bot.cli import main
from bot.fake_telegram import FakeUser
from bot.storage.conferences import conference_by_code
from bot.storage.models import AuditEvent, ClusterLeadership, HandledUpdate, OutboxMessage, Unit
from bot.storage.vote_results import vote_tallies
from bot.storage.vote_tables import Ballot, VoteParticipation
from tests.setup.conference_example import conference_file
from tests.support.desk import (
    CHAIR,
    FOCAL,
    GROUP,
    OTHER_CHAIR,
    OTHER_FOCAL,
    STRANGER,
    VICE_CHAIR,
    desk_bot,
    last,
    reply_to,
    texts,
)
from tests.support.harness import Harness
from tests.support.votes import ballot_message, cast, deliver, mark_present, vote_id

IA = FakeUser(id=9701, first_name="Hà", username="ha_ia")  # the absent unit's focal point
SECOND_FOCAL = FakeUser(id=9801, first_name="Tú", username="tu_kp")  # Mô Rai's other one
PRESENT = ["kon-tum", "sa-thay", "dak-cam", "mo-rai"]
H1 = "2026-h1-hn"


def unit_id(engine: Engine, code: str) -> int:
    with Session(engine) as session:
        return session.exec(select(Unit).where(Unit.code == code)).one().id or 0


def group_text(bot: Harness) -> str:
    return texts(bot.fake.sent_messages(GROUP.id))


async def open_suy_ton(bot: Harness) -> list[dict[str, object]]:
    """The chair's path: /vote, the conference, the vote, «Mở biểu quyết»; ballots delivered."""
    asked = last(await bot.send(CHAIR, "/vote"))
    votes = last(await bot.press(CHAIR, asked, "sơ kết"))
    card = last(await bot.press(CHAIR, votes, "Suy tôn"))
    assert "bỏ phiếu kín" in card["text"] and "hơn một nửa" in card["text"]
    opened = await bot.press(CHAIR, card, "Mở biểu quyết")
    await deliver(bot)
    return opened


async def test_five_units_four_present_three_vote_and_the_rest_is_refused(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        await bot.join(IA, "ia-dal")
        mark_present(engine, H1, PRESENT, ["ia-dal"])
        opened = last(await open_suy_ton(bot))
        assert "4 đơn vị có mặt" in opened["text"]
        assert "Đã bỏ phiếu 0/4 đơn vị" in group_text(bot)
        assert "Phiếu bầu kín" in ballot_message(bot, FOCAL)["text"]
        with pytest.raises(AssertionError):
            ballot_message(bot, IA)  # the absent unit gets no ballot

        receipts = []
        for user in (CHAIR, VICE_CHAIR, FOCAL):
            reply = last(await cast(bot, user, "Xã Mô Rai"))
            found = re.search(r"Mã phiếu: ([0-9a-f]{16})", reply["text"])
            assert found, reply["text"]
            receipts.append(found[1])
        await deliver(bot)
        assert "Đã bỏ phiếu 3/4 đơn vị" in group_text(bot)  # the post, edited in place
        assert len(bot.fake.sent_messages(GROUP.id)) == 1

        vote = vote_id(engine, "suy-ton")
        mo_rai, ia = unit_id(engine, "mo-rai"), unit_id(engine, "ia-dal")
        ballot = ballot_message(bot, OTHER_FOCAL)
        again = last(await bot.press_data(FOCAL, ballot, f"vb:c:{vote}:{mo_rai}:1"))
        assert "đã bỏ phiếu" in again["text"]
        absent = last(await bot.press_data(IA, ballot, f"vb:c:{vote}:{ia}:1"))
        assert absent["text"].startswith("⛔") and "có mặt" in absent["text"]
        borrowed = last(await bot.press_data(IA, ballot, f"vb:c:{vote}:{mo_rai}:1"))
        assert "không phải đầu mối" in borrowed["text"]
        dak_cam = unit_id(engine, "dak-cam")
        forged = last(await bot.press_data(OTHER_FOCAL, ballot, f"vb:c:{vote}:{dak_cam}:4095"))
        assert "không hợp lệ" in forged["text"]
        stranger = last(await bot.press_data(STRANGER, ballot, f"vb:c:{vote}:{dak_cam}:1"))
        assert stranger["text"].startswith("⛔")
        other = await bot.join(OTHER_CHAIR, "dak-ha")
        assert other
        dak_ha = unit_id(engine, "dak-ha")
        outsider = last(await bot.press_data(OTHER_CHAIR, ballot, f"vb:c:{vote}:{dak_ha}:1"))
        assert outsider["text"].startswith("⛔")

        closed = await bot.send(CHAIR, f"/closevote {H1} suy-ton")
        assert "Đã kết thúc" in texts(closed) and "Xã Mô Rai: 3 phiếu (75%)" in texts(closed)
        late = last(await bot.press_data(OTHER_FOCAL, ballot, f"vb:c:{vote}:{dak_cam}:1"))
        assert "đã kết thúc" in late["text"]
        await deliver(bot)

        tally = group_text(bot)
        assert "Kết quả: Xã Mô Rai." in tally
        assert "Đã bỏ phiếu 3/4 đơn vị; 0 phiếu không chọn ai; 1 đơn vị không bỏ phiếu." in tally
        assert "hơn một nửa số đơn vị có mặt (4), tức ít nhất 3 phiếu" in tally
        assert all(f"{receipt}: Xã Mô Rai" in tally for receipt in receipts)
        assert "biểu quyết «Suy tôn" in tally and "đã kết thúc" in tally
        with Session(engine) as session:
            assert len(session.exec(select(Ballot)).all()) == 3
            assert len(session.exec(select(VoteParticipation)).all()) == 3
            conference = conference_by_code(session, code=H1)
            assert conference is not None
            [kept] = vote_tallies(session, conference.id or 0)
        assert (kept.ballots, kept.units_present, kept.units_total, kept.secret) == (3, 4, 5, True)
        assert kept.rows[0].label == "Xã Mô Rai" and kept.rows[0].passes


async def test_a_vote_without_its_quorum_does_not_open_and_says_why(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        mark_present(engine, H1, ["kon-tum", "sa-thay"], ["dak-cam"])
        reply = last(await bot.send(CHAIR, f"/vote {H1} suy-ton open"))
        assert "Có mặt 2/5 đơn vị, cần hơn một nửa" in reply["text"]
        with Session(engine) as session:
            assert session.exec(select(OutboxMessage)).all() == []


async def test_remind_reaches_only_the_present_units_that_have_not_voted(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        await bot.join(IA, "ia-dal")
        mark_present(engine, H1, PRESENT, ["ia-dal"])
        await open_suy_ton(bot)
        for user in (CHAIR, VICE_CHAIR, FOCAL):
            await cast(bot, user)  # «Không chọn ai»
        reply = last(await bot.send(CHAIR, "/remind", chat=GROUP))
        assert "Đã nhắc 1 đầu mối" in reply["text"] and "Phường Đăk Cấm" in reply["text"]
        with Session(engine) as session:
            keys = [r.key for r in session.exec(select(OutboxMessage)) if ":remind:" in r.key]
        assert len(keys) == 1 and f":{unit_id(engine, 'dak-cam')}:" in keys[0]
        await deliver(bot)
        assert "Nhắc" in ballot_message(bot, OTHER_FOCAL)["text"]
        await cast(bot, OTHER_FOCAL)  # the last present unit: the vote closes by itself
        await deliver(bot)
        assert "4 phiếu không chọn ai" in group_text(bot)
        assert "không đơn vị nào đạt tỷ lệ cần thiết" in group_text(bot)


async def test_two_focal_points_of_one_unit_pressing_at_once_give_one_ballot(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        await bot.join(SECOND_FOCAL, "mo-rai")
        mark_present(engine, H1, PRESENT, ["ia-dal"])
        await open_suy_ton(bot)
        reviews = []
        for user in (FOCAL, SECOND_FOCAL):
            await bot.press(user, ballot_message(bot, user), "Phường Kon Tum")
            reviews.append(last(await bot.press(user, ballot_message(bot, user), "Xem lại")))
        first, second = await asyncio.gather(
            bot.press(FOCAL, reviews[0], "Bỏ phiếu"),
            bot.press(SECOND_FOCAL, reviews[1], "Bỏ phiếu"),
        )
        answers = sorted([texts(first), texts(second)], key=lambda t: "Mã phiếu" in t)
        assert "đã bỏ phiếu" in answers[0] and "Mã phiếu" in answers[1]
        with Session(engine) as session:
            assert len(session.exec(select(Ballot)).all()) == 1
            assert len(session.exec(select(VoteParticipation)).all()) == 1


async def test_after_a_secret_vote_nothing_stored_links_a_ballot_to_its_unit_or_person(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        mark_present(engine, H1, PRESENT, ["ia-dal"])
        await open_suy_ton(bot)
        receipts = []
        for user, choice in ((CHAIR, "Mô Rai"), (VICE_CHAIR, "Đăk Cấm"), (FOCAL, "")):
            reply = texts(await cast(bot, user, *([choice] if choice else [])))
            receipts.append(re.findall(r"Mã phiếu: (\w+)", reply)[0])
        columns = {c["name"] for c in inspect(engine).get_columns("ballot")}
        assert columns == {"id", "vote_id", "receipt", "choices"}
        with Session(engine) as session:
            ids = [row.id for row in session.exec(select(Ballot))]
            assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids) and len(set(ids)) == 3
            assert {row.receipt for row in session.exec(select(Ballot))} == set(receipts)
            if engine.dialect.name == "sqlite":
                with pytest.raises(OperationalError):
                    session.execute(text("SELECT rowid FROM ballot"))
            # Nothing else the bot keeps names a receipt: not the kept replies, not the audit.
            replies = [row.reply or "" for row in session.exec(select(HandledUpdate))]
            events = [str(row.after) for row in session.exec(select(AuditEvent))]
            queued = [str(row.payload) for row in session.exec(select(OutboxMessage))]
            assert not any(r in kept for r in receipts for kept in replies + events + queued)
            voted = session.exec(select(VoteParticipation)).all()
            assert [(row.choices, row.receipt) for row in voted] == [(None, None)] * 3


async def test_an_open_approval_made_in_the_chat_closes_when_every_unit_has_voted(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        mark_present(engine, H1, PRESENT, ["ia-dal"])
        asked = last(await bot.send(CHAIR, "/vote"))
        votes = last(await bot.press(CHAIR, asked, "sơ kết"))
        prompt = last(await bot.press(CHAIR, votes, "Tạo biểu quyết mới"))
        assert prompt["text"].endswith(" new")
        title = "Thông qua chương trình công tác 6 tháng cuối năm"
        card = last(await reply_to(bot, CHAIR, prompt, title))
        assert "Đã tạo biểu quyết mới" in card["text"]
        card = last(await bot.press(CHAIR, card, "Thông qua"))
        card = last(await bot.press(CHAIR, card, "Công khai"))
        assert "biểu quyết công khai" in card["text"] and "Tán thành" in card["text"]
        await bot.press(CHAIR, card, "Mở biểu quyết")
        await deliver(bot)
        for user, answer in ((CHAIR, "Tán thành"), (VICE_CHAIR, "Tán thành"), (FOCAL, "Tán thành")):
            await cast(bot, user, answer)
        await cast(bot, OTHER_FOCAL, "Không tán thành")
        await deliver(bot)
        tally = group_text(bot)
        assert "Tán thành: 3 phiếu (75%)" in tally and "Kết quả: thông qua." in tally
        assert "Phường Đăk Cấm: Không tán thành" in tally  # an open vote shows each unit's answer


async def test_an_elected_vice_chair_becomes_the_clusters_vice_chair_for_that_year(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        mark_present(engine, "2026-tk-hn", PRESENT, ["ia-dal"])
        reply = last(await bot.send(CHAIR, "/vote 2026-tk-hn bau-cum-pho open"))
        assert "4 đơn vị có mặt" in reply["text"]
        await deliver(bot)
        assert "Xã Sa Thầy" not in str(ballot_message(bot, FOCAL)["reply_markup"])
        for user in (CHAIR, VICE_CHAIR, FOCAL, OTHER_FOCAL):
            await cast(bot, user, "Phường Đăk Cấm")
        await deliver(bot)
        assert "Phường Đăk Cấm là Cụm phó năm 2027" in group_text(bot)
        with Session(engine) as session:
            row = session.exec(
                select(ClusterLeadership).where(ClusterLeadership.year == 2027)
            ).one()
            assert row.vice_chair_unit_id == unit_id(engine, "dak-cam")
            events = session.exec(
                select(AuditEvent).where(AuditEvent.action == "leadership.elected")
            ).all()
            assert len(events) == 1
    url = engine.url.render_as_string(hide_password=False)
    env = {"DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": "", "THIDUA_LOCALE": "vi"}
    printed = CliRunner().invoke(main, ["votes", "--conference", "2026-tk-hn"], env=env)
    assert printed.exit_code == 0, printed.output
    assert "Kết quả biểu quyết «Bầu Cụm phó năm 2027»" in printed.output
    assert "Phường Đăk Cấm: 4 phiếu (80%) ✅" in printed.output  # of all five units


async def test_a_chair_of_another_cluster_cannot_open_this_clusters_vote(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        mark_present(engine, H1, PRESENT, [])
        reply = last(await bot.send(OTHER_CHAIR, f"/vote {H1} suy-ton open"))
        assert reply["text"].startswith("⛔")
        reply = last(await bot.send(OTHER_CHAIR, "/vote", chat=GROUP))
        assert reply["text"].startswith("⛔")
