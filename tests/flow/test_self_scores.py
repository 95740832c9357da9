"""Self-scores (tự chấm) at the end of a submission, through the real application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.domain import figures
from bot.domain.scoring import SELF, UnitEntry, score_cluster
from bot.fake_telegram import FakeUser
from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.models import Indicator, Pledge, Submission, Target, Unit
from bot.storage.scoring import load_scores
from bot.storage.scoring_tables import SelfScore
from bot.storage.setup_import import apply_setup
from tests.support.harness import Harness
from tests.support.scoring import ids, scoring_yaml

OFFICER = FakeUser(id=1001, first_name="Lan", last_name="Nguyễn", language_code="vi")
TO_CHUC = "Tự chấm: Tổ chức phát động, sơ kết, tổng kết phong trào thi đua (tối đa 10 điểm)"
DIEN_HINH = "Tự chấm: Phát hiện, nhân rộng điển hình tiên tiến (tối đa 10 điểm)"
# kon-tum's figures, close to its targets, as typed, then the yes/no and choice pressed.
TYPED = ["620", "104,5", "8", "1800", "0,3", "47/53"]
COUNTS = ["3", "1", "0"]  # sáng kiến, khen thưởng, vi phạm


@pytest.fixture
async def bot(engine: Engine) -> AsyncIterator[Harness]:
    with session_scope(engine) as session:
        apply_setup(session, read_setup(scoring_yaml()), actor="test")
    async with Harness(engine) as harness:
        yield harness


def last(messages: list[dict[str, Any]]) -> dict[str, Any]:
    assert messages, "the bot sent nothing"
    return messages[-1]


async def answer_the_figures(bot: Harness) -> dict[str, Any]:
    """Join kon-tum and answer its 14 figures; returns the question after them."""
    await bot.join(OFFICER, "kon-tum")
    reply = last(await bot.send(OFFICER, "/submit"))
    for value in TYPED:
        reply = last(await bot.send(OFFICER, value))
    reply = last(await bot.press(OFFICER, reply, "Có"))
    reply = last(await bot.press(OFFICER, reply, "Tốt"))
    reply = last(await bot.send(OFFICER, "Hoàn thành 3 công trình trọng điểm."))
    reply = last(await bot.press(OFFICER, reply, "Bỏ qua"))  # kiến nghị
    reply = last(await bot.press(OFFICER, reply, "Bỏ qua"))  # the report file
    for value in COUNTS:
        reply = last(await bot.send(OFFICER, value))
    return reply


def kept_scores(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        rows = session.exec(select(SelfScore.criterion_key, SelfScore.value)).all()
        return dict(rows)


async def test_the_self_score_questions_come_after_the_figures(bot: Harness) -> None:
    question = await answer_the_figures(bot)
    assert f"Câu 15/16 · {TO_CHUC}" in question["text"]
    assert "từ 0 đến 10" in question["text"]
    question = last(await bot.send(OFFICER, "8,5"))
    assert f"Câu 16/16 · {DIEN_HINH}" in question["text"]


async def test_a_self_score_over_the_maximum_is_refused_politely_and_asked_again(
    bot: Harness, engine: Engine
) -> None:
    await answer_the_figures(bot)
    reply = last(await bot.send(OFFICER, "11"))
    assert "không được vượt quá 10" in reply["text"] and TO_CHUC in reply["text"]
    reply = last(await bot.send(OFFICER, "-1"))
    assert TO_CHUC in reply["text"] and "Xin lỗi" not in reply["text"]
    assert kept_scores(engine) == {}


async def test_each_self_score_is_kept_as_typed_the_vietnamese_way(
    bot: Harness, engine: Engine
) -> None:
    await answer_the_figures(bot)
    await bot.send(OFFICER, "8,5")
    assert kept_scores(engine) == {"to-chuc": "8.5"}


async def test_a_restart_in_the_middle_keeps_the_self_scores(bot: Harness, engine: Engine) -> None:
    await answer_the_figures(bot)
    await bot.send(OFFICER, "8,5")
    await bot.restart()
    offer = last(await bot.send(OFFICER, "/submit"))
    assert "15/16" in offer["text"]
    question = last(await bot.press(OFFICER, offer, "câu 16"))
    assert DIEN_HINH in question["text"]
    review = last(await bot.send(OFFICER, "9"))
    assert f"15. {TO_CHUC}: 8,5" in review["text"] and f"16. {DIEN_HINH}: 9" in review["text"]
    assert kept_scores(engine) == {"to-chuc": "8.5", "dien-hinh": "9"}


async def test_a_self_score_changed_from_the_review_replaces_the_kept_one(
    bot: Harness, engine: Engine
) -> None:
    await answer_the_figures(bot)
    await bot.send(OFFICER, "8,5")
    review = last(await bot.send(OFFICER, "9"))
    question = last(await bot.press(OFFICER, review, "✏️ 15"))
    assert TO_CHUC in question["text"] and "Đã trả lời: 8,5" in question["text"]
    review = last(await bot.send(OFFICER, "7"))
    assert f"15. {TO_CHUC}: 7" in review["text"]
    receipt = last(await bot.press(OFFICER, review, "Xác nhận nộp"))
    assert "Đã nộp số liệu" in receipt["text"]
    assert kept_scores(engine) == {"to-chuc": "7", "dien-hinh": "9"}


async def test_the_receipt_shows_the_self_scores_and_the_engines_total(
    bot: Harness, engine: Engine
) -> None:
    await answer_the_figures(bot)
    await bot.send(OFFICER, "8,5")
    review = last(await bot.send(OFFICER, "9"))
    receipt = last(await bot.press(OFFICER, review, "Xác nhận nộp"))["text"]
    assert "Tổ chức phát động, sơ kết, tổng kết phong trào thi đua: 8,5/10 điểm" in receipt
    assert "Phát hiện, nhân rộng điển hình tiên tiến: 9/10 điểm" in receipt
    stored = stored_total(engine)
    assert stored == engine_total(engine, {"to-chuc": Decimal("8.5"), "dien-hinh": Decimal(9)})
    shown = figures.format_value(stored, figures.Spec(kind="number"), locale="vi")
    assert (
        f"Tổng điểm tự chấm (tạm tính, theo số liệu các đơn vị đã nộp đến lúc này): {shown}/100"
        in receipt
    )


async def test_a_new_revision_starts_with_the_last_self_scores(
    bot: Harness, engine: Engine
) -> None:
    await answer_the_figures(bot)
    await bot.send(OFFICER, "8,5")
    review = last(await bot.send(OFFICER, "9"))
    await bot.press(OFFICER, review, "Xác nhận nộp")
    review = last(await bot.send(OFFICER, "/submit"))
    assert "lần 2" in review["text"] and f"15. {TO_CHUC}: 8,5" in review["text"]
    receipt = last(await bot.press(OFFICER, review, "Xác nhận nộp"))
    assert "Lần nộp: 2" in receipt["text"] and "8,5/10 điểm" in receipt["text"]
    with Session(engine) as session:
        second = session.exec(select(Submission).where(Submission.revision == 2)).one()
        scores = session.exec(
            select(SelfScore.criterion_key).where(SelfScore.submission_id == second.id)
        ).all()
    assert sorted(scores) == ["dien-hinh", "to-chuc"]


async def test_starting_over_clears_the_self_scores_too(bot: Harness, engine: Engine) -> None:
    await answer_the_figures(bot)
    await bot.send(OFFICER, "8,5")
    offer = last(await bot.send(OFFICER, "/submit"))
    question = last(await bot.press(OFFICER, offer, "Làm lại"))
    assert "Câu 1/16" in question["text"]
    assert kept_scores(engine) == {}


def stored_total(engine: Engine) -> Decimal:
    """kon-tum's self-score total as storage computes it."""
    period_id, cluster_id, _unit = ids(engine, "kon-tum")
    with Session(engine) as session:
        layer = load_scores(session, period_id=period_id)[cluster_id].layer(SELF)
    assert layer is not None
    standing = layer.of("kon-tum")
    assert standing is not None
    return standing.total


def engine_total(engine: Engine, own: dict[str, Decimal]) -> Decimal:
    """kon-tum's total by the pure engine, from the figures as typed and its targets."""
    table = read_setup(scoring_yaml()).pledges[0].scoring
    assert table is not None
    typed = {
        "thu-ngan-sach": "620",
        "gtsx-ke-hoach": "104.5",
        "xa-ntm": "8",
        "quy-vi-nguoi-ngheo": "1800",
        "hs-bo-hoc": "0.3",
        "tcd-htt": "47/53",
        "giao-quan": "true",
        "cchc": "Tốt",
        "sang-kien": "3",
        "khen-thuong": "1",
        "vi-pham": "0",
    }
    with Session(engine) as session:
        kinds = dict(session.exec(select(Indicator.code, Indicator.kind)).all())
        targets = session.exec(
            select(Indicator.code, Target.value)
            .join(Target, col(Target.indicator_id) == Indicator.id)
            .join(Unit, col(Unit.id) == Target.unit_id)
            .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
            .where(Unit.code == "kon-tum", Pledge.year == 2026)
        ).all()
        others = session.exec(select(Unit.code).where(Unit.code != "kon-tum")).all()

    def read(code: str, text: str) -> figures.Value:
        return figures.from_canonical(text, figures.Spec(kind=kinds[code]))

    entry = UnitEntry(
        code="kon-tum",
        figures={code: read(code, text) for code, text in typed.items()},
        targets={code: read(code, text) for code, text in targets},
        self_scores=own,
    )
    units = (entry, *(UnitEntry(code=code, submitted=False) for code in others))
    standing = score_cluster(table, units).layers[SELF].of("kon-tum")
    assert standing is not None
    return standing.total
