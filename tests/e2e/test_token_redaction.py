"""The real processes never write the bot token: not in log lines, tracebacks, or Python's own
printing of an uncaught exception or a warning."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.fake_telegram import FakeTelegram, FakeUser

TOKEN = "7654321:AAH-e2e-redaction-secret-part-0123456789"
SECRET_PART = TOKEN.split(":", 1)[1]
OFFICER = FakeUser(id=5011, first_name="Hoa")


def _env(fake: FakeTelegram, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'thidua.db'}",
        "THIDUA_ADMINS": "",
    }


def _assert_no_token(output: str) -> None:
    assert TOKEN not in output
    assert SECRET_PART not in output


@pytest.mark.parametrize("command", ["run", "scheduler"])
def test_a_rejected_token_is_not_in_the_traceback_python_prints(
    tmp_path: Path, command: str
) -> None:
    with FakeTelegram(token=TOKEN) as fake:
        fake.fail_next("getMe", status=401, description="Unauthorized", times=10)
        finished = subprocess.run(
            [sys.executable, "-m", "bot", command],
            env=_env(fake, tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
    output = finished.stdout + finished.stderr
    # PTB's "The token `…` was rejected by the server", printed by sys.excepthook.
    assert "The token `<token>` was rejected" in finished.stderr, output[-3000:]
    _assert_no_token(output)


def test_a_proxy_page_that_echoes_the_path_leaves_no_token_in_the_log(tmp_path: Path) -> None:
    with FakeTelegram(token=TOKEN) as fake:
        fake.answer_next_with_page("getUpdates", times=2)
        fake.answer_next_with_page("sendMessage", times=2)  # the reply, then the apology
        log = tmp_path / "bot.log"
        with log.open("w") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                env=_env(fake, tmp_path),
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
            try:
                assert fake.wait_for(lambda: len(fake.calls_to("getUpdates")) > 2, timeout=60)
                fake.user_sends(OFFICER, "/start")
                assert fake.wait_for(lambda: _refused_sends(fake) == 2, timeout=60)
            finally:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
    output = log.read_text(encoding="utf-8", errors="replace")
    # PTB logs each refused call, and the error handler the update's traceback.
    assert "POST /bot<token>/getUpdates" in output, output[-3000:]
    assert "POST /bot<token>/sendMessage" in output, output[-3000:]
    _assert_no_token(output)


def _refused_sends(fake: FakeTelegram) -> int:
    return sum(1 for call in fake.calls_to("sendMessage") if call.status == 502)


WARN_AND_CRASH = """
import threading
import warnings

from bot.edge.logs import protect_output, redact_token


def refused():
    raise OSError("sendMessage to /bot{token}/ refused")


protect_output()
redact_token({token!r})
warnings.warn("proxy said: POST /bot{token}/getMe")
thread = threading.Thread(target=refused)
thread.start()
thread.join()
raise RuntimeError("https://api.telegram.org/bot{token}/getMe refused")
"""


def test_warnings_and_uncaught_exceptions_are_printed_without_the_token() -> None:
    finished = subprocess.run(
        [sys.executable, "-c", WARN_AND_CRASH.format(token=TOKEN)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 1
    assert "UserWarning: proxy said: POST /bot<token>/getMe" in finished.stderr
    assert "OSError: sendMessage to /bot<token>/ refused" in finished.stderr  # in a thread
    assert "RuntimeError: https://api.telegram.org/bot<token>/getMe" in finished.stderr
    _assert_no_token(finished.stdout + finished.stderr)
