"""A real `thidua run` process (long polling or webhook) against the fake Bot API: started,
killed with SIGKILL and started again on the same database, as after a crash."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import yaml
from click.testing import CliRunner

from bot.cli import main
from bot.fake_telegram import FakeTelegram, FakeUser
from tests.conftest import EXAMPLE

__all__ = [
    "OFFICER",
    "WEBHOOK_SECRET",
    "BotProcess",
    "bot_env",
    "bot_process",
    "example_tree",
    "free_port",
    "open_now",
    "wait_until_healthy",
    "write_setup",
]

OFFICER = FakeUser(id=5005, first_name="Hoa", language_code="vi")
WEBHOOK_SECRET = "in-flight_SECRET-0123456789"


class BotProcess:
    """`thidua run` (or `thidua run --webhook`) as a child process, killable and restartable."""

    def __init__(self, fake: FakeTelegram, env: dict[str, str], log: Path, webhook: bool) -> None:
        self.fake, self.env, self.log, self.webhook = fake, env, log, webhook
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.invite = ""
        self.posts: list[threading.Thread] = []

    def start(self) -> None:
        command = [sys.executable, "-m", "bot", "run"]
        if self.webhook:
            url = f"http://127.0.0.1:{self.port}/telegram"
            command += ["--webhook", "--port", str(self.port), "--url", url]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        if self.webhook:
            self._wait_until_healthy()

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no flush, nothing."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        for post in self.posts:
            post.join(timeout=30)  # a post in flight ends with its connection
        self.posts.clear()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def say(self, words: str) -> dict[str, Any]:
        """The officer types and waits for the bot's next message."""
        count = len(self.fake.sent_messages(OFFICER.id))
        self.type(words)
        return self.wait_for_messages(count + 1)[-1]

    def join(self) -> dict[str, Any]:
        """The officer opens the invite: the greeting, once the name question after it came."""
        count = len(self.fake.sent_messages(OFFICER.id))
        self.type(f"/start {self.invite}")
        return self.wait_for_messages(count + 2)[count]

    def type(self, words: str) -> int:
        """The officer types; a webhook gets it posted in the background, as Telegram would.
        Returns the update's id."""
        update = self.fake.user_sends(OFFICER, words)
        if self.webhook:
            self.deliver()
        return int(update["update_id"])

    def deliver(self) -> None:
        """Post the queued updates to the webhook, in a thread: a post waits for its handling."""
        post = threading.Thread(target=self._post_pending)
        post.start()
        self.posts.append(post)

    def _post_pending(self) -> None:
        with suppress(OSError):  # the bot was killed while the post waited: Telegram retries
            self.fake.deliver_pending_webhooks(timeout=60)

    def wait_for_messages(self, count: int, timeout: float = 60) -> list[dict[str, Any]]:
        try:
            return self.fake.wait_for_messages(OFFICER.id, count, timeout=timeout)
        except TimeoutError:
            raise AssertionError(self.log_text()[-4000:]) from None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        wait_until_healthy(self.process, self.port, self.log_text)


def wait_until_healthy(
    process: subprocess.Popen[bytes], port: int, log_text: Callable[[], str]
) -> None:
    """Until the webhook process on `port` answers its health check (or fails, with its log)."""
    deadline = time.monotonic() + 60
    with httpx.Client(trust_env=False, timeout=5) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"the bot exited:\n{log_text()[-3000:]}")
            try:
                if http.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.05)
    raise AssertionError(f"the bot never became healthy:\n{log_text()[-3000:]}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def example_tree() -> dict[str, Any]:
    """The example set-up file, as a tree to change."""
    tree: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return tree


def open_now(tree: dict[str, Any]) -> dict[str, Any]:
    """A set-up tree with its first period opened yesterday, its deadline in ten days (in the
    cluster's timezone)."""
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    period = tree["periods"][0]
    period["opens"] = (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    period["deadline"] = (now + timedelta(days=10)).strftime("%Y-%m-%d %H:%M")
    return tree


def write_setup(tmp_path: Path, tree: dict[str, Any]) -> Path:
    """The set-up tree as the file an admin imports."""
    path = tmp_path / "cluster.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    return path


def bot_env(fake: FakeTelegram, database_url: str) -> dict[str, str]:
    """The environment of a bot process (or a CLI command) on `database_url` against `fake`."""
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "DATABASE_URL": database_url,
        "THIDUA_LOCALE": "vi",
        "THIDUA_WEBHOOK_SECRET": WEBHOOK_SECRET,
        # The scheduler's own messages would blur "which update caused which reply".
        "THIDUA_EMBEDDED_SCHEDULER": "false",
    }


@contextmanager
def bot_process(tmp_path: Path, database_url: str, *, webhook: bool) -> Iterator[BotProcess]:
    """The example set up, an invite for Phường Kon Tum, and the bot started."""
    with FakeTelegram() as fake:
        env = bot_env(fake, database_url)
        runner = CliRunner()
        setup = write_setup(tmp_path, open_now(example_tree()))
        imported = runner.invoke(main, ["import", str(setup)], env=env)
        assert imported.exit_code == 0, imported.output
        invite = runner.invoke(main, ["invite", "--unit", "kon-tum"], env=env)
        assert invite.exit_code == 0, invite.output
        running = BotProcess(fake, env, tmp_path / "bot.log", webhook)
        running.invite = invite.output.split()[1]
        running.start()
        try:
            yield running
        finally:
            running.stop()
            for post in running.posts:
                post.join(timeout=30)
