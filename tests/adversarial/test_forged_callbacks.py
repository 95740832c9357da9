"""Forged button data through the real application: a polite old-button answer, never a
traceback, and nothing said about another unit's rows that is not said about a missing one."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.domain.callbacks import MAX_ID, Callback, Shape, decode, encode
from bot.fake_telegram import FakeUser
from bot.flow.actions import SHAPES, Action, DraftKind
from bot.storage.models import Indicator, Period, Submission, Unit
from tests.flow.pledging import LAN, pledge_bot, register_directly
from tests.support.desk import ADMIN, FOCAL, OTHER_CHAIR, desk_bot, last, submit_figures
from tests.support.harness import DURING_PERIOD, Harness

APOLOGY = "Xin lỗi, bot gặp sự cố"
STALE_BUTTON = "Nút này đã cũ"
MISSING = MAX_ID  # an id no row has


@pytest.fixture
async def bot(engine: Engine, example_yaml: str) -> AsyncIterator[Harness]:
    async with desk_bot(engine, example_yaml) as harness:
        yield harness


async def pressed(bot: Harness, user: FakeUser, data: str) -> str:
    """What `user` is told after pressing forged `data` on one of the bot's own messages to
    them: the new messages' texts and the press's toast, in one string."""
    message = last(bot.fake.sent_messages(user.id))
    replies = await bot.press_data(user, message, data)
    toasts = [call.params.get("text") or "" for call in bot.fake.calls_to("answerCallbackQuery")]
    return "\n".join([*(reply.get("text", "") for reply in replies), toasts[-1] if toasts else ""])


def row_id(engine: Engine, table: Any, code: str) -> int:
    with Session(engine) as session:
        row = session.exec(select(table).where(table.code == code)).one()
        return int(row.id)


@pytest.mark.parametrize(
    "data",
    [
        "a:" + "9" * 60,  # past every integer: OverflowError on SQLite, once
        "dc:" + "9" * 20,
        "e:" + "1" * 19 + ":1",
        "p:1:" + "9" * 40,
        "u:" + "9" * 60,
        "ok:١٢٣",  # digits of another script, which int() reads
        "dc:-1",
        "dc:",
        "dc:5:6:7:8",
        "a:1:2:y:more",
        "ok",
        "a:1:2:\u202ey",
        "a:1:2: y",
        "zz:1",
        "x" * 65,
        "lang:" + "9" * 60,
    ],
)
async def test_forged_button_data_gets_the_old_button_answer_without_a_traceback(
    bot: Harness, data: str, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.send(FOCAL, "/submit")
    with caplog.at_level(logging.WARNING):
        told = await pressed(bot, FOCAL, data)
    assert STALE_BUTTON in told and APOLOGY not in told, told
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("words", ["ok:" + "9" * 50, "ok:" + "4" * 12, "no:١٢٣"])
async def test_a_forged_desk_button_is_answered_politely_without_a_traceback(
    bot: Harness, words: str, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.send(ADMIN, "/help")
    with caplog.at_level(logging.WARNING):
        told = await pressed(bot, ADMIN, f"c:import:{words}")
    assert told.strip() and APOLOGY not in told, told
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_another_units_rows_are_answered_as_if_they_did_not_exist(
    bot: Harness, engine: Engine
) -> None:
    """A chair of kt-cum3 presses buttons naming kt-cum2's submissions, drafts and period."""
    submitted = submit_figures(engine, "mo-rai", DURING_PERIOD, {"thu-ngan-sach": "70"})
    await bot.send(FOCAL, "/submit")  # mo-rai's new draft, revision 2
    with Session(engine) as session:
        draft = session.exec(select(Submission).where(col(Submission.status) == "draft")).one()
        indicator = session.exec(select(Indicator).where(Indicator.code == "thu-ngan-sach")).first()
    assert draft.id is not None and indicator is not None
    own_unit, their_period = row_id(engine, Unit, "dak-ha"), row_id(engine, Period, "2026-h1")
    await bot.send(OTHER_CHAIR, "/submit")
    forged = {
        f"ok:{submitted}:00000000": f"ok:{MISSING}:00000000",
        f"ok:{draft.id}": f"ok:{MISSING}",
        f"dc:{draft.id}": f"dc:{MISSING}",
        f"e:{draft.id}:{indicator.id}": f"e:{MISSING}:{indicator.id}",
        f"a:{draft.id}:{indicator.id}:s": f"a:{MISSING}:{indicator.id}:s",
        f"u:{row_id(engine, Unit, 'mo-rai')}": f"u:{MISSING}",
        f"p:{own_unit}:{their_period}": f"p:{own_unit}:{MISSING}",
    }
    for theirs, missing in forged.items():
        told = await pressed(bot, OTHER_CHAIR, theirs)
        assert told == await pressed(bot, OTHER_CHAIR, missing), theirs
        assert "lần" not in told and "Mô Rai" not in told and "Sơ kết" not in told, told
    with Session(engine) as session:
        kept = session.exec(select(Submission).where(col(Submission.period_id) == their_period))
        assert {row.unit_id for row in kept} == {draft.unit_id}  # no draft of dak-ha there


async def test_another_units_registration_of_targets_is_answered_as_a_missing_one(
    engine: Engine,
) -> None:
    async with pledge_bot(engine) as bot:
        theirs = register_directly(engine, "sa-thay")  # registered: revision 1
        await bot.send(LAN, "/targets")
        for action in ("tok", "tdc", "te"):
            told = await pressed(bot, LAN, f"{action}:{theirs}:1")
            assert told == await pressed(bot, LAN, f"{action}:{MISSING}:1"), action
            assert "lần" not in told, told


def test_every_conversation_action_has_a_shape_for_each_kind_of_draft() -> None:
    assert set(SHAPES) == {kind.prefix + action for kind in DraftKind for action in Action}
    assert decode(encode("ta", 7, 8, "y"), SHAPES) == Callback("ta", ("7", "8", "y"))
    assert not decode("ta:7:8", SHAPES).action


def test_decode_keeps_our_own_buttons_and_refuses_every_other_shape() -> None:
    shapes = {"a": Shape.exactly(3), "ok": Shape(1, 2)}
    assert decode(encode("a", 12, 34, "y"), shapes) == Callback("a", ("12", "34", "y"))
    assert decode("ok:12", shapes) == Callback("ok", ("12",))
    assert decode(f"ok:{MAX_ID}:ab12cd34", shapes).int_arg(0) == MAX_ID
    for data in ("a:12:34", "a:1:2:3:4", "b:1", "ok:", "", None, "ok:" + "1" * 70):
        assert decode(data, shapes).action == "", data
    assert decode(f"ok:{MAX_ID + 1}", shapes).int_arg(0) is None
    assert decode("ok:0012", shapes).int_arg(0) == 12
    assert decode("ok:-12", shapes).int_arg(0) == -12  # a self-score question's id
    assert decode(f"ok:-{MAX_ID + 1}", shapes).int_arg(0) is None
    assert decode("a:" + "9" * 18, {"a": Shape(1, 1)}).action == "a"  # within bigint
    assert decode("a:" + "9" * 19, {"a": Shape(1, 1)}).action == ""
