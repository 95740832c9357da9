"""Webhook mode: the fake Bot API posts updates to a real `thidua run --webhook` process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.fake_telegram import FakeTelegram, FakeUser
from tests.support.bot_process import example_tree, open_now, write_setup
from tests.support.harness import button_data

OFFICER = FakeUser(id=5005, first_name="Hoa", language_code="vi")
SECRET = "webhook_SECRET-0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookBot:
    """A `thidua run --webhook` child process that the fake Bot API posts updates to."""

    def __init__(self, fake: FakeTelegram, env: dict[str, str], log: Path) -> None:
        self.fake, self.env, self.log = fake, env, log
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/telegram"
        self.http = httpx.Client(trust_env=False, timeout=10)
        self.invite = ""
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "bot", "run", "--webhook"]
        command += ["--listen", "127.0.0.1", "--port", str(self.port), "--url", self.url]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        self._wait_until_healthy()

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; returns the exit status."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def health(self) -> httpx.Response:
        return self.http.get(f"http://127.0.0.1:{self.port}/healthz")

    def say(self, words: str) -> dict[str, Any]:
        """The officer types; Telegram posts it to the webhook; returns the bot's next message."""
        count = len(self.fake.sent_messages(OFFICER.id))
        self.fake.user_sends(OFFICER, words)
        return self._delivered_reply(count)

    def join(self) -> dict[str, Any]:
        """The officer opens the invite: the greeting, once the name question after it came."""
        count = len(self.fake.sent_messages(OFFICER.id))
        self.fake.user_sends(OFFICER, f"/start {self.invite}")
        assert self.fake.deliver_pending_webhooks() == [200]
        return self.fake.wait_for_messages(OFFICER.id, count + 2, timeout=30)[count]

    def press(self, message: dict[str, Any], label: str) -> dict[str, Any]:
        count = len(self.fake.sent_messages(OFFICER.id))
        self.fake.user_presses(OFFICER, message, button_data(message, label))
        return self._delivered_reply(count)

    def _delivered_reply(self, count: int) -> dict[str, Any]:
        assert self.fake.deliver_pending_webhooks() == [200]
        try:
            return self.fake.wait_for_messages(OFFICER.id, count + 1, timeout=30)[-1]
        except TimeoutError:
            raise AssertionError(self.log_text()[-3000:]) from None

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"the bot exited:\n{self.log_text()[-3000:]}")
            try:
                if self.health().status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.05)
        raise AssertionError(f"the bot never became healthy:\n{self.log_text()[-3000:]}")

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _forged_update(text: str) -> dict[str, Any]:
    """A private message as an impostor would post it to the webhook."""
    return {
        "update_id": 900_001,
        "message": {
            "message_id": 900_001,
            "date": int(time.time()),
            "chat": {"id": OFFICER.id, "type": "private", "first_name": OFFICER.first_name},
            "from": OFFICER.as_dict(),
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


@pytest.fixture
def bot(tmp_path: Path, sqlite_url: str) -> Iterator[WebhookBot]:
    # One database suffices: webhook mode changes how updates arrive, not how they are stored.
    with FakeTelegram() as fake:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "DATABASE_URL": sqlite_url,
            "THIDUA_LOCALE": "vi",
            "THIDUA_WEBHOOK_SECRET": SECRET,
            # The scheduler's own messages would blur "which update caused which reply".
            "THIDUA_EMBEDDED_SCHEDULER": "false",
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
        running = WebhookBot(fake, env, tmp_path / "bot.log")
        running.invite = invite.output.split()[1]
        try:
            running.start()
            yield running
        finally:
            running.stop()
            running.http.close()


def test_the_bot_sets_its_webhook_and_answers_updates_posted_to_it(bot: WebhookBot) -> None:
    webhook = bot.fake.webhook
    assert webhook["url"] == bot.url
    assert webhook["secret_token"] == SECRET
    assert {"message", "edited_message", "callback_query"} <= set(webhook["allowed_updates"])
    assert not bot.fake.calls_to("getUpdates")
    assert bot.fake.calls_to("setMyCommands")  # post_init ran, as under run_polling

    greeting = bot.join()
    assert "Phường Kon Tum" in greeting["text"]
    assert "Hướng dẫn nộp số liệu" in bot.say("/help")["text"]
    question = bot.say("/submit")
    assert "Câu 1/11" in question["text"]
    question = bot.say("450")
    assert "Câu 2/11" in question["text"]
    assert "Câu 1/11" in bot.press(question, "Quay lại")["text"]


def test_the_health_endpoint_answers_while_the_bot_runs(bot: WebhookBot) -> None:
    response = bot.health()
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "pending_updates": 0}


def test_a_post_without_the_right_secret_is_refused_and_answered_by_nothing(
    bot: WebhookBot,
) -> None:
    bot.join()
    before = len(bot.fake.sent_messages(OFFICER.id))
    forged = _forged_update("/status")
    wrong = bot.http.post(bot.url, json=forged, headers={SECRET_HEADER: "guess"})
    missing = bot.http.post(bot.url, json=forged)
    assert (wrong.status_code, missing.status_code) == (403, 403)

    # The refused posts never reached the application: the next reply is the only one.
    assert "Hướng dẫn nộp số liệu" in bot.say("/help")["text"]
    assert len(bot.fake.sent_messages(OFFICER.id)) == before + 1
    assert "403 POST /telegram" in bot.log_text()


def test_a_stop_keeps_the_webhook_and_logs_neither_secret_nor_token(bot: WebhookBot) -> None:
    assert "Phường Kon Tum" in bot.join()["text"]
    assert bot.stop() == 0
    # Telegram keeps updates for a webhook that is down and delivers them after the restart.
    assert bot.fake.webhook["url"] == bot.url
    assert not bot.fake.calls_to("deleteWebhook")
    log = bot.log_text()
    assert "webhook mode: listening on 127.0.0.1" in log
    assert SECRET not in log and bot.fake.token not in log


def test_webhook_mode_without_a_public_url_exits_2_with_a_vietnamese_message() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN", "THIDUA_WEBHOOK_URL": None}
    result = CliRunner().invoke(main, ["run", "--webhook"], env=env)
    assert result.exit_code == 2
    assert "Chế độ webhook cần địa chỉ công khai" in result.output
    assert "THIDUA_WEBHOOK_URL" in result.output and "--url" in result.output


def test_a_secret_outside_telegrams_alphabet_is_refused_without_repeating_it() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN", "THIDUA_WEBHOOK_URL": "https://x.vn/tg"}
    result = CliRunner().invoke(main, ["run", "--webhook", "--secret", "mật khẩu!"], env=env)
    assert result.exit_code == 2
    assert "THIDUA_WEBHOOK_SECRET" in result.output and "mật khẩu!" not in result.output


def test_webhook_flags_without_webhook_mode_are_refused() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN"}
    result = CliRunner().invoke(main, ["run", "--port", "8443"], env=env)
    assert result.exit_code == 2
    assert "--webhook" in result.output


def test_a_port_already_in_use_exits_2_before_the_webhook_is_set(sqlite_url: str) -> None:
    with FakeTelegram() as fake, socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "DATABASE_URL": sqlite_url,
            "THIDUA_LOCALE": "vi",
            "THIDUA_EMBEDDED_SCHEDULER": "false",
        }
        command = [sys.executable, "-m", "bot", "run", "--webhook", "--port", port]
        command += ["--url", "https://bot.example.org/telegram"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, result.stderr
        assert "Không khởi động được chế độ webhook" in result.stderr
        assert not fake.calls_to("setWebhook") and fake.webhook == {}
