"""The handover: next year's chair and vice-chair announced in the group, by /handover or at the
year-end conference's item, and the chair's commands theirs from 1 January."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.storage.conference_tables import AgendaEntry
from bot.storage.conferences import conference_by_code
from bot.storage.models import OutboxMessage
from tests.setup.conference_example import conference_file
from tests.support.conference import deliver
from tests.support.desk import ADMIN, CHAIR, FOCAL, GROUP, desk_bot, last, texts
from tests.support.harness import Harness


def announcements(bot: Harness) -> list[str]:
    sent = bot.fake.sent_messages(GROUP.id)
    return [m["text"] for m in sent if (m.get("text") or "").startswith("📣 Công bố")]


def handover_item(engine: Engine) -> int:
    """The number of the year-end conference's «Công bố Cụm trưởng, Cụm phó» item."""
    with Session(engine) as session:
        conference = conference_by_code(session, code="2026-tk-hn")
        assert conference is not None
        query = select(AgendaEntry).where(AgendaEntry.conference_id == conference.id)
        entries = list(session.exec(query.order_by(col(AgendaEntry.position))))
    return next(n for n, e in enumerate(entries, start=1) if e.kind == "handover")


async def test_the_chair_announces_next_years_chair_and_vice_chair_in_the_group(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        reply = last(await bot.send(ADMIN, "/clusters kt-cum2 vice 2027 dak-cam"))
        assert reply["text"].startswith("✅")
        reply = last(await bot.send(CHAIR, "/handover"))
        await deliver(bot)
        posted = announcements(bot)
    assert "Đã đăng công bố cụm trưởng, cụm phó năm 2027" in reply["text"]
    assert len(posted) == 1
    text = posted[0]
    assert text.startswith("📣 Công bố Cụm trưởng, Cụm phó năm 2027")
    assert "• Cụm trưởng: Xã Sa Thầy" in text and "• Cụm phó: Phường Đăk Cấm" in text
    assert "Từ ngày 01/01/2027" in text and "các đồng chí của Xã Sa Thầy" in text
    assert "Cảm ơn Phường Kon Tum đã hoàn thành nhiệm vụ cụm trưởng năm 2026" in text


async def test_in_the_group_the_announcement_is_the_answer_and_a_year_may_be_named(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        answer = await bot.send(CHAIR, "/handover 2027", chat=GROUP)
        posted = announcements(bot)
        missing = last(await bot.send(ADMIN, "/handover kt-cum2 2030"))
    assert len(answer) == 1 and posted == [answer[0]["text"]]
    assert "• Cụm phó: chưa có" in posted[0]
    assert "Chưa có cụm trưởng, cụm phó năm 2030" in missing["text"]
    assert "/clusters kt-cum2 chair 2030" in missing["text"]


async def test_the_year_end_conference_announces_the_new_leaders_at_its_item_once(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        number = handover_item(engine)
        await bot.send(CHAIR, f"/next 2026-tk-hn {number - 1}")
        await deliver(bot)
        assert announcements(bot) == []
        await bot.send(CHAIR, f"/next 2026-tk-hn {number}")
        await bot.send(CHAIR, f"/next 2026-tk-hn {number}")  # the item again: no second post
        await deliver(bot)
        posted = announcements(bot)
    assert len(posted) == 1 and "• Cụm trưởng: Xã Sa Thầy" in posted[0]


async def test_next_years_chair_gets_the_chair_commands_from_the_first_of_january(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, conference_file(example_yaml)) as bot:
        await bot.send(ADMIN, "/clusters kt-cum2 chair 2027 mo-rai")
        before = last(await bot.send(FOCAL, "/summary"))
        bot.now = datetime(2027, 1, 2, 2, 0, tzinfo=UTC)
        after = await bot.send(FOCAL, "/summary")
        with Session(engine) as session:
            queued = session.exec(select(OutboxMessage.key)).all()
    assert before["text"].startswith("⛔")
    assert not texts(after).startswith("⛔")
    assert not any(key.startswith("handover:") for key in queued)
