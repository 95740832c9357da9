"""The real `thidua run` process over HTTP to the fake Bot API: a submission, and a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlmodel import Session

from bot.cli import main
from bot.fake_telegram import FakeTelegram, FakeUser
from bot.storage import make_engine
from tests.support.bot_process import example_tree, open_now, write_setup
from tests.support.harness import button_data

OFFICER = FakeUser(id=5005, first_name="Hoa", language_code="vi")
ANSWERS_1_TO_5 = ["450", "104,5", "7", "1200", "0,3"]


class RunningBot:
    """A `thidua run` child process against the fake, restartable and killable."""

    def __init__(self, fake: FakeTelegram, env: dict[str, str], log: Path) -> None:
        self.fake, self.env, self.log = fake, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], env=self.env, stdout=log, stderr=log
            )

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no flush, nothing."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def say(self, words: str) -> dict[str, Any]:
        """The officer types; returns the bot's next message."""
        count = len(self.fake.sent_messages(OFFICER.id))
        self.fake.user_sends(OFFICER, words)
        return self.wait_reply(count)

    def join(self, token: str) -> dict[str, Any]:
        """The officer opens the invite: the greeting, once the name question after it came."""
        count = len(self.fake.sent_messages(OFFICER.id))
        self.fake.user_sends(OFFICER, f"/start {token}")
        self.wait_reply(count + 1)
        return self.fake.sent_messages(OFFICER.id)[count]

    def press(self, message: dict[str, Any], label: str) -> dict[str, Any]:
        count = len(self.fake.sent_messages(OFFICER.id))
        self.fake.user_presses(OFFICER, message, button_data(message, label))
        return self.wait_reply(count)

    def wait_reply(self, count: int) -> dict[str, Any]:
        try:
            return self.fake.wait_for_messages(OFFICER.id, count + 1, timeout=30)[-1]
        except TimeoutError:
            raise AssertionError(self.log.read_text(errors="replace")[-3000:]) from None


@pytest.fixture
def bot(tmp_path: Path, database_url: str) -> Iterator[RunningBot]:
    with FakeTelegram() as fake:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "DATABASE_URL": database_url,
            "THIDUA_LOCALE": "vi",
        }
        runner = CliRunner()
        assert (
            runner.invoke(
                main, ["import", str(write_setup(tmp_path, open_now(example_tree())))], env=env
            ).exit_code
            == 0
        )
        invite = runner.invoke(main, ["invite", "--unit", "kon-tum"], env=env)
        assert invite.exit_code == 0, invite.output
        link, token = invite.output.split()
        assert link == f"https://t.me/{fake.bot_username}?start={token}"
        running = RunningBot(fake, env, tmp_path / "bot.log")
        running.start()
        running.token = token  # type: ignore[attr-defined]
        try:
            yield running
        finally:
            if running.process and running.process.poll() is None:
                running.process.terminate()
                running.process.wait(timeout=20)


def _stored_answers(database_url: str) -> dict[str, str]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        rows = session.execute(
            text("SELECT i.code, a.value FROM answer a JOIN indicator i ON i.id = a.indicator_id")
        ).all()
    engine.dispose()
    return {code: value for code, value in rows}


def _wait_until_written(database_url: str) -> None:
    """Until the bot has written that every update was handled and every reply sent."""
    engine = make_engine(database_url)
    pending = text(
        "SELECT (SELECT count(*) FROM received_update)"
        " + (SELECT count(*) FROM handledupdate WHERE reply IS NOT NULL)"
    )
    try:
        for _attempt in range(600):
            with engine.connect() as connection:
                if connection.execute(pending).scalar_one() == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("the bot never wrote that its updates were handled")
    finally:
        engine.dispose()


def _finish(bot: RunningBot, question_6: dict[str, Any]) -> dict[str, Any]:
    assert "Câu 6/11" in question_6["text"], question_6["text"]
    reply = bot.say("47/53")
    reply = bot.press(reply, "Có")
    reply = bot.press(reply, "Tốt")
    reply = bot.press(reply, "Bỏ qua")
    reply = bot.press(reply, "Bỏ qua")
    review = bot.press(reply, "Bỏ qua")
    assert "Xem lại số liệu" in review["text"]
    return bot.press(review, "Xác nhận nộp")


def test_a_whole_submission_over_http_with_the_real_process(bot: RunningBot) -> None:
    greeting = bot.join(bot.token)  # type: ignore[attr-defined]
    assert "Phường Kon Tum" in greeting["text"]
    reply = bot.say("/submit")
    assert "Câu 1/11" in reply["text"]
    for value in ANSWERS_1_TO_5:
        reply = bot.say(value)
    receipt = _finish(bot, reply)
    assert "Đã nộp số liệu" in receipt["text"] and "Lần nộp: 1" in receipt["text"]
    assert bot.fake.calls_to("setMyCommands")


def test_a_sigkill_after_the_fifth_answer_loses_nothing(bot: RunningBot, database_url: str) -> None:
    bot.join(bot.token)  # type: ignore[attr-defined]
    bot.say("/submit")
    for value in ANSWERS_1_TO_5:
        question_6 = bot.say(value)
    assert "Câu 6/11" in question_6["text"]
    # Killed after the turn was written as done: a kill in the moment between a reply and
    # that write sends the reply again after the restart (at least once).
    _wait_until_written(database_url)
    bot.kill()
    bot.start()
    offer = bot.say("/submit")
    assert "5/11" in offer["text"]
    question_6 = bot.press(offer, "câu 6")
    receipt = _finish(bot, question_6)
    assert "Lần nộp: 1" in receipt["text"]
    stored = _stored_answers(database_url)
    assert [
        stored[c]
        for c in ("thu-ngan-sach", "gtsx-ke-hoach", "xa-ntm", "quy-vi-nguoi-ngheo", "hs-bo-hoc")
    ] == ["450", "104.5", "7", "1200", "0.3"]
