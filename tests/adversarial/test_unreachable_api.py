"""The Bot API unreachable at start-up: one line saying so, tries again until it answers; a stop
meanwhile ends the process cleanly. For `thidua run` and `thidua scheduler` alike."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.edge.connect import MAX_PAUSE, pauses
from bot.fake_telegram import FakeTelegram, FakeUser
from tests.support.bot_process import free_port

OFFICER = FakeUser(id=5021, first_name="Hoa", language_code="vi")
TOKEN = "123456:TEST-TOKEN"
UNREACHABLE = "Không kết nối được Bot API của Telegram"
COMMANDS = pytest.mark.parametrize("command", ["run", "scheduler"])


@contextmanager
def started(command: str, tmp_path: Path, port: int, locale: str = "vi") -> Iterator[Path]:
    """`thidua <command>` pointed at `port`; yields its log (stdout and stderr)."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'thidua.db'}",
        "THIDUA_LOCALE": locale,
        "THIDUA_EMBEDDED_SCHEDULER": "false",
    }
    log = tmp_path / f"{command}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", command], env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        yield log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, log.read_text(errors="replace")[-3000:]


def until(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def unreachable_lines(log: Path) -> list[str]:
    return [line for line in log.read_text(errors="replace").splitlines() if UNREACHABLE in line]


@COMMANDS
def test_an_unreachable_bot_api_is_said_in_one_line_and_tried_until_it_answers(
    tmp_path: Path, command: str
) -> None:
    port = free_port()  # nothing listens there yet
    fake = FakeTelegram(token=TOKEN, port=port)
    try:
        with started(command, tmp_path, port) as log:
            until(lambda: len(unreachable_lines(log)) >= 2, "two tries said")
            fake.start()  # the network is back
            if command == "run":
                until(lambda: bool(fake.calls_to("getUpdates")), "polling")
                fake.user_sends(OFFICER, "/help")
                assert "/help" in fake.wait_for_messages(OFFICER.id, 1, timeout=60)[0]["text"]
            else:
                until(lambda: "scheduler started" in log.read_text(errors="replace"), "ticking")
    finally:
        fake.stop()
    output = log.read_text(errors="replace")
    waiting, connected, _after = output.partition("Đã kết nối được Bot API của Telegram.")
    assert connected and "Traceback" not in waiting
    first, second = unreachable_lines(log)[:2]
    assert "thử lại sau 1 giây" in first and "thử lại sau 2 giây" in second


@COMMANDS
def test_a_stop_while_the_bot_api_is_unreachable_ends_the_process_cleanly(
    tmp_path: Path, command: str
) -> None:
    with started(command, tmp_path, free_port(), locale="en") as log:
        until(lambda: "Could not reach Telegram's Bot API" in log.read_text(), "a try said")
    output = log.read_text(errors="replace")
    assert "Traceback" not in output and TOKEN not in output


def test_the_pauses_between_tries_double_up_to_a_minute() -> None:
    waits = pauses()
    assert [next(waits) for _try in range(9)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert MAX_PAUSE == 60
