"""Odd text, odd files and forged buttons in the conversation: a polite reply, nothing lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.domain.checks import evidence_refusal
from bot.domain.sizes import file_size
from bot.fake_telegram import FakeUser
from bot.storage.models import Answer, Submission
from tests.support.desk import FOCAL, OTHER_CHAIR, desk_bot, last, texts
from tests.support.harness import Harness, buttons

PDF = "application/pdf"
# Answers for mo-rai close to its targets, in pledge order (questions 1-6).
MO_RAI = ["70", "100", "3", "300", "1", "10/12"]


@pytest.fixture
async def bot(engine: Engine, example_yaml: str) -> AsyncIterator[Harness]:
    async with desk_bot(engine, example_yaml) as harness:
        yield harness


def saved_answers(engine: Engine) -> list[Answer]:
    with Session(engine) as session:
        return list(session.exec(select(Answer)).all())


def submitted(engine: Engine) -> list[Submission]:
    with Session(engine) as session:
        query = select(Submission).where(col(Submission.status) == "submitted")
        return list(session.exec(query).all())


async def to_the_file_question(bot: Harness, user: FakeUser = FOCAL) -> dict[str, Any]:
    """Answer questions 1-10 of the example pledge; returns question 11 (the report file)."""
    reply = last(await bot.send(user, "/submit"))
    for value in MO_RAI:
        reply = last(await bot.send(user, value))
    for label in ("Có", "Khá", "Bỏ qua", "Bỏ qua"):
        reply = last(await bot.press(user, reply, label))
    assert "Câu 11/11" in reply["text"]
    return reply


@pytest.mark.parametrize(
    "text",
    [
        "\u202e054",  # a right-to-left override before the digits
        "4\u200b50",  # a zero-width space inside
        "1e999999",
        "NaN",
        "∞",
        "9" * 5000,
        "'; DROP TABLE answer; --",
        "💰💰💰",
        "\x00\x07",
    ],
    ids=["rtl", "zero-width", "exponent", "nan", "infinity", "5000-digits", "sql", "emoji", "nul"],
)
async def test_odd_text_for_a_number_gets_the_same_question_again(
    bot: Harness, engine: Engine, text: str
) -> None:
    first = last(await bot.send(FOCAL, "/submit"))
    assert "Câu 1/11" in first["text"]
    reply = last(await bot.send(FOCAL, text))
    assert "Câu 1/11" in reply["text"] and len(reply["text"]) < 4096
    assert saved_answers(engine) == []


async def test_an_oversized_or_odd_text_answer_is_refused_or_kept_exactly(
    bot: Harness, engine: Engine
) -> None:
    reply = last(await bot.send(FOCAL, "/submit"))
    for value in MO_RAI:
        reply = last(await bot.send(FOCAL, value))
    reply = last(await bot.press(FOCAL, reply, "Có"))
    reply = last(await bot.press(FOCAL, reply, "Khá"))
    assert "Câu 9/11" in last(await bot.send(FOCAL, "x" * 5000))["text"]
    odd = '=HYPERLINK("http://evil.example")\n<b>đậm</b> \u202e ✅'
    assert "Câu 10/11" in last(await bot.send(FOCAL, odd))["text"]
    assert [answer.value for answer in saved_answers(engine) if answer.value == odd] == [odd]


async def test_an_empty_file_is_refused_as_evidence_and_the_question_repeated(
    bot: Harness, engine: Engine
) -> None:
    await to_the_file_question(bot)
    reply = last(await bot.send_document(FOCAL, file_name="trong.pdf", mime_type=PDF, file_size=0))
    assert "trống (0 byte)" in reply["text"] and "Câu 11/11" in reply["text"]
    assert not [answer for answer in saved_answers(engine) if answer.file_id]


async def test_a_small_file_is_shown_with_its_size_as_it_is(bot: Harness) -> None:
    await to_the_file_question(bot)
    review = await bot.send_document(
        FOCAL, file_name="bao-cao.pdf", mime_type=PDF, file_size=300, content=b"%PDF" * 75
    )
    assert "bao-cao.pdf (300 byte)" in texts(review)


@pytest.mark.parametrize(
    ("name", "size", "refused"),
    [
        ("../../etc/passwd", 100, "không phải PDF, DOCX hay XLSX"),
        ("bao-cao.pdf.exe", 100, "không phải PDF, DOCX hay XLSX"),
        ("a" * 300 + ".pdf", 21 * 1024 * 1024, "quá lớn"),
    ],
    ids=["traversal", "double-extension", "oversized"],
)
async def test_an_odd_file_is_refused_and_the_question_repeated(
    bot: Harness, engine: Engine, name: str, size: int, refused: str
) -> None:
    await to_the_file_question(bot)
    reply = last(await bot.send_document(FOCAL, file_name=name, mime_type=PDF, file_size=size))
    assert refused in reply["text"] and "Câu 11/11" in reply["text"]
    assert not [answer for answer in saved_answers(engine) if answer.file_id]


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 byte"),
        (1, "1 byte"),
        (1000, "1.000 byte"),  # the thousands mark, as every other figure
        (1023, "1.023 byte"),
        (1024, "1 KB"),
        (1536, "1,5 KB"),
        (350 * 1024, "350 KB"),
        (1024 * 1024, "1 MB"),
        (int(1.25 * 1024 * 1024), "1,2 MB"),
        (20 * 1024 * 1024, "20 MB"),
    ],
)
def test_a_file_size_is_shown_as_it_is(size: int, shown: str) -> None:
    assert file_size(size, "vi") == shown


def test_an_empty_file_is_no_evidence_but_an_unknown_size_is_not_held_against_it() -> None:
    assert evidence_refusal("a.pdf", 0, "vi") is not None
    assert evidence_refusal("a.pdf", None, "vi") is None
    assert evidence_refusal("a.PDF", 1, "vi") is None
    assert "0 byte" in (evidence_refusal("a.pdf", 0, "en") or "")


async def test_buttons_forged_from_another_clusters_draft_change_nothing_there(
    bot: Harness, engine: Engine
) -> None:
    """A chair of kt-cum3 replays the data of a kt-cum2 officer's buttons in their own chat."""
    question = last(await bot.send(FOCAL, "/submit"))
    reply = last(await bot.send(FOCAL, "450"))
    stolen = [data for _label, data in buttons(reply) + buttons(question)]
    own = last(await bot.send(OTHER_CHAIR, "/submit"))
    before = [(answer.id, answer.value) for answer in saved_answers(engine)]
    seen = []
    for data in [*stolen, *(f"{action}:{data.split(':', 1)[1]}" for action in ("ok", "a", "e")
                            for data in stolen if ":" in data)]:  # fmt: skip
        seen += await bot.press_data(OTHER_CHAIR, own, data)
    assert [(answer.id, answer.value) for answer in saved_answers(engine)] == before
    assert submitted(engine) == []
    shown = texts(seen)
    assert "Mô Rai" not in shown and "450" not in shown
