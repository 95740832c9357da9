"""An update in flight when the bot is killed is handled after the restart, answered once.

Telegram is told an update arrived (the next getUpdates offset, or the webhook's 200) only once
the database keeps it (polling) or once it has been handled (webhook); a step's reply is kept
with its claim, so a reply a killed process never sent goes out after the restart.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session
from telegram import Update

from bot.domain.replies import Button, Reply
from bot.edge.kept import keep, unkeep
from bot.edge.send import Attachment, Item, Prompt
from bot.storage import make_engine, session_scope
from bot.storage.received import keep_received, to_replay
from tests.support.bot_process import OFFICER, BotProcess, bot_process
from tests.support.desk import FOCAL, desk_bot, last
from tests.support.harness import Harness

MODES = pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])


def stored_answers(database_url: str, code: str) -> list[str]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        rows = session.execute(
            text(
                "SELECT a.value FROM answer a JOIN indicator i ON i.id = a.indicator_id "
                "WHERE i.code = :code"
            ),
            {"code": code},
        ).all()
    engine.dispose()
    return [value for (value,) in rows]


def until(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Wait for a condition the fake cannot signal (the database's state)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def at_question_1(bot: BotProcess) -> int:
    """The officer joins and opens the draft; returns how many messages they have."""
    assert "Phường Kon Tum" in bot.join()["text"]
    assert "Câu 1/11" in bot.say("/submit")["text"]
    return len(bot.fake.sent_messages(OFFICER.id))


def restart_and_expect_question_2(bot: BotProcess, before: int) -> None:
    """After the restart: the answer is answered, once, and the conversation goes on."""
    bot.start()
    if bot.webhook:
        bot.deliver()  # Telegram posts again what got no 2xx
    assert "Câu 2/11" in bot.wait_for_messages(before + 1)[-1]["text"]
    assert "Câu 3/11" in bot.say("104,5")["text"]
    shown = [message["text"] for message in bot.fake.sent_messages(OFFICER.id)[before:]]
    assert sum("Câu 2/11" in text for text in shown) == 1, shown


@MODES
def test_an_answer_whose_reply_was_on_its_way_at_a_sigkill_is_answered_once_after_the_restart(
    tmp_path: Path, database_url: str, webhook: bool
) -> None:
    with bot_process(tmp_path, database_url, webhook=webhook) as bot:
        before = at_question_1(bot)
        sends = len(bot.fake.calls_to("sendMessage"))
        # The reply leaves after the step committed, and never arrives.
        bot.fake.stall_next("sendMessage", seconds=300, lost=True)
        bot.type("450")
        assert bot.fake.wait_for(lambda: len(bot.fake.calls_to("sendMessage")) > sends, 60)
        bot.kill()
        restart_and_expect_question_2(bot, before)
    assert stored_answers(database_url, "thu-ngan-sach") == ["450"]


@contextmanager
def answers_locked(database_url: str) -> Iterator[Connection]:
    """A transaction holding the answer table: steps that save an answer wait for it."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        connection.execute(text("LOCK TABLE answer IN EXCLUSIVE MODE"))
        try:
            yield connection
        finally:
            connection.rollback()
    engine.dispose()


def someone_waits_for_a_lock(connection: Connection) -> bool:
    waiting = connection.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
    return bool(waiting.scalar_one())


def confirmed(bot: BotProcess, update_id: int) -> bool:
    """Whether a getUpdates has confirmed the update (asked for those after it)."""
    offsets = [call.params.get("offset") or 0 for call in bot.fake.calls_to("getUpdates")]
    return any(int(offset) > update_id for offset in offsets)


# On SQLite a lock blocks every writer, so keeping the update too: PostgreSQL blocks the step.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@MODES
def test_an_answer_whose_step_was_blocked_at_a_sigkill_is_handled_after_the_restart(
    tmp_path: Path, database_url: str, webhook: bool
) -> None:
    with bot_process(tmp_path, database_url, webhook=webhook) as bot:
        before = at_question_1(bot)
        with answers_locked(database_url) as lock:
            watcher = make_engine(database_url)
            with watcher.connect() as watching:
                update_id = bot.type("450")
                until(lambda: someone_waits_for_a_lock(watching), "the step waits for the lock")
            watcher.dispose()
            if not webhook:  # Telegram was told the update arrived (kept, or only queued)
                assert bot.fake.wait_for(lambda: confirmed(bot, update_id), 60)
            bot.kill()
            lock.rollback()
        restart_and_expect_question_2(bot, before)
    assert stored_answers(database_url, "thu-ngan-sach") == ["450"]


async def test_a_reply_kept_by_a_process_that_died_goes_out_when_the_update_comes_again(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as first:
        await first.send(FOCAL, "/submit")
        update = first.fake.user_sends(FOCAL, "70")
        await first.app.process_update(Update.de_json(update, first.app.bot))
        answered = first.fake.sent_messages(FOCAL.id)[-1]["text"]
        # A second process on the same database, started while the first has not yet written
        # that the reply went out (killed, say).
        async with Harness(engine, first.fake) as second:
            before = len(second.fake.sent_messages(FOCAL.id))
            await second.app.process_update(Update.de_json(update, second.app.bot))
            again = second.fake.sent_messages(FOCAL.id)[before:]
            assert [message["text"] for message in again] == [answered]
            await second.app.process_update(Update.de_json(update, second.app.bot))
            assert len(second.fake.sent_messages(FOCAL.id)) == before + 1  # known sent now
    assert "Câu 2/" in answered


async def test_an_update_answered_before_a_clean_restart_is_not_answered_again(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        update = bot.fake.user_sends(FOCAL, "/submit")
        await bot.app.process_update(Update.de_json(update, bot.app.bot))
        count = len(bot.fake.sent_messages(FOCAL.id))
        await bot.restart()  # a clean shutdown writes what was sent
        await bot.app.process_update(Update.de_json(update, bot.app.bot))
        assert len(bot.fake.sent_messages(FOCAL.id)) == count
        assert "Câu 2/" in last(await bot.send(FOCAL, "70"))["text"]
        assert "Câu 1/" in bot.fake.sent_messages(FOCAL.id)[count - 1]["text"]


def test_a_kept_reply_reads_back_as_it_was_kept() -> None:
    items: list[Item] = [
        Reply("Câu 2/11 “Thu”", ((Button("Có", "a:1:2:y"), Button("Xem", url="https://x.vn")),)),
        Reply("Đã lưu.", main_keyboard=True, notice="✅"),
        Prompt("Lý do trả lại?", placeholder="Lý do"),
        Attachment("tong-hop.xlsx", b"\x00PK\xff", caption="Tổng hợp", photo=False),
    ]
    kept = unkeep(keep(items, locale="en", clear_buttons=True))
    assert (kept.items, kept.locale, kept.clear_buttons) == (items, "en", True)


def test_a_kept_update_that_keeps_killing_the_process_is_given_up(engine: Engine) -> None:
    with session_scope(engine) as session:
        keep_received(session, [(7, '{"update_id": 7}'), (8, '{"update_id": 8}')])
        keep_received(session, [(7, '{"update_id": 7, "again": true}')])  # sent twice
    for _start in range(3):
        with session_scope(engine) as session:
            again, given_up = to_replay(session, most=3)
            assert (again, given_up) == ([(7, '{"update_id": 7}'), (8, '{"update_id": 8}')], [])
    with session_scope(engine) as session:
        assert to_replay(session, most=3) == ([], [7, 8])
    with session_scope(engine) as session:
        assert to_replay(session, most=3) == ([], [])
