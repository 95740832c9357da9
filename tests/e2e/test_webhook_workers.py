"""Two `thidua run --webhook` workers on one PostgreSQL: one officer's updates, posted to both
in turn a few tens of milliseconds apart (a phone reconnecting after a dead zone), are applied
once each, in order; the same update posted to both at once is answered once."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import text

from bot.cli import main
from bot.fake_telegram import FakeTelegram, FakeUser
from bot.storage import make_engine
from tests.conftest import EXAMPLE
from tests.support.bot_process import WEBHOOK_SECRET, free_port

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

OFFICERS = 10
# The first seven questions, each with an answer that asks nothing back, as the officer types it
# and as the answer table keeps it.
ANSWERS = [
    ("thu-ngan-sach", "450", "450"),
    ("gtsx-ke-hoach", "95", "95"),
    ("xa-ntm", "3", "3"),
    ("quy-vi-nguoi-ngheo", "1200", "1200"),
    ("hs-bo-hoc", "1", "1"),
    ("tcd-htt", "47/53", "47/53"),
    ("giao-quan", "có", "true"),
]


class Worker:
    """One `thidua run --webhook` process; posts go to it directly, as a proxy would send them."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/telegram"
        command = [sys.executable, "-m", "bot", "run", "--webhook", "--listen", "127.0.0.1"]
        command += ["--port", str(self.port), "--url", self.url]
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
        self.http = httpx.Client(trust_env=False, timeout=60)
        self._wait_until_healthy()

    def post(self, update: dict[str, Any]) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        return self.http.post(self.url, content=json.dumps(update), headers=headers).status_code

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.http.close()

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited:\n{self.log_text()[-3000:]}")
            try:
                if self.http.get(f"http://127.0.0.1:{self.port}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.05)
        raise AssertionError(f"the worker never became healthy:\n{self.log_text()[-3000:]}")


def ten_units_file(tmp_path: Path) -> Path:
    """The example with ten units (one officer each: a draft is the unit's), its period open."""
    tree = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    units = tree["clusters"][0]["units"]
    # Without targets no answer is far from its target: none asks back, each takes one message.
    del tree["pledges"][0]["targets"]
    units += [{"code": f"xa-{n:02}", "name": f"Xã thử {n}"} for n in range(OFFICERS - len(units))]
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    period = tree["periods"][0]
    period["opens"] = (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    period["deadline"] = (now + timedelta(days=10)).strftime("%Y-%m-%d %H:%M")
    path = tmp_path / "cluster.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    return path


@contextmanager
def two_workers(
    tmp_path: Path, database_url: str
) -> Iterator[tuple[FakeTelegram, list[Worker], dict[int, str]]]:
    """The fake Bot API, two workers on the database, and each officer's unit, joined."""
    with FakeTelegram() as fake, ExitStack() as stack:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "DATABASE_URL": database_url,
            "THIDUA_LOCALE": "vi",
            "THIDUA_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "THIDUA_EMBEDDED_SCHEDULER": "false",
        }
        runner = CliRunner()
        setup = ten_units_file(tmp_path)
        imported = runner.invoke(main, ["import", str(setup)], env=env)
        assert imported.exit_code == 0, imported.output
        units = [u["code"] for u in yaml.safe_load(setup.read_text())["clusters"][0]["units"]]
        workers = []
        for n in range(2):
            worker = Worker(env, tmp_path / f"worker{n}.log")
            stack.callback(worker.stop)
            workers.append(worker)
        unit_of: dict[int, str] = {}
        for n, unit in enumerate(units):
            invite = runner.invoke(main, ["invite", "--unit", unit], env=env)
            assert invite.exit_code == 0, invite.output
            officer = officer_of(7000 + n)
            joined = fake.user_sends(officer, f"/start {invite.output.split()[1]}")
            assert workers[n % 2].post(joined) == 200
            unit_of[officer.id] = unit
        yield fake, workers, unit_of


def burst(
    fake: FakeTelegram,
    workers: list[Worker],
    officer: FakeUser,
    words: list[str],
    statuses: list[int],
) -> None:
    """Post the officer's messages to the workers in turn, 30 to 50 ms apart, not waiting for
    the answers; return once every post has been answered (its status in `statuses`)."""
    posts = []
    for n, said in enumerate(words):
        update = fake.user_sends(officer, said)
        post = threading.Thread(
            target=lambda u=update, w=workers[n % 2]: statuses.append(w.post(u))
        )
        post.start()
        posts.append(post)
        time.sleep(random.uniform(0.03, 0.05))
    for post in posts:
        post.join(timeout=120)


def answers_by_unit(database_url: str) -> dict[str, list[tuple[str, str]]]:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT u.code, i.code, a.value FROM answer a"
                " JOIN indicator i ON i.id = a.indicator_id"
                " JOIN submission s ON s.id = a.submission_id JOIN unit u ON u.id = s.unit_id"
                " ORDER BY u.code, i.id"
            )
        ).all()
    engine.dispose()
    found: dict[str, list[tuple[str, str]]] = {}
    for unit, indicator, value in rows:
        found.setdefault(unit, []).append((indicator, value))
    return found


def test_one_officers_burst_across_two_workers_is_applied_once_and_in_order(
    tmp_path: Path, database_url: str
) -> None:
    with two_workers(tmp_path, database_url) as (fake, workers, unit_of):
        wait_for_greetings(fake, unit_of)
        words = ["/submit"] + [said for _, said, _ in ANSWERS]
        statuses: list[int] = []
        officers = [
            threading.Thread(target=burst, args=(fake, workers, who, words, statuses))
            for who in [officer_of(user_id) for user_id in unit_of]
        ]
        for officer in officers:
            officer.start()
        for officer in officers:
            officer.join(timeout=300)
        logs = [worker.log_text() for worker in workers]

    assert statuses == [200] * len(words) * len(unit_of)
    # Every answer once, against its own question; none lost, none doubled.
    expected = [(indicator, value) for indicator, _, value in ANSWERS]
    assert answers_by_unit(database_url) == {unit: expected for unit in unit_of.values()}
    for user_id in unit_of:  # the greeting and the name question, then one reply per message
        assert len(fake.sent_messages(user_id)) == 2 + 1 + len(ANSWERS), user_id
    assert not any("update failed" in log for log in logs)


def test_the_same_update_posted_to_both_workers_at_once_is_answered_once(
    tmp_path: Path, database_url: str
) -> None:
    with two_workers(tmp_path, database_url) as (fake, workers, unit_of):
        wait_for_greetings(fake, unit_of)
        posts = []
        statuses: list[int] = []
        for user_id in unit_of:
            officer = officer_of(user_id)
            for said in ("/submit", "450"):
                update = fake.user_sends(officer, said)
                for worker in workers:
                    post = threading.Thread(
                        target=lambda u=update, w=worker: statuses.append(w.post(u))
                    )
                    post.start()
                    posts.append(post)
                time.sleep(0.3)  # the second message after the first's answer
        for post in posts:
            post.join(timeout=120)
        logs = [worker.log_text() for worker in workers]

    assert statuses == [200] * len(posts)
    for user_id in unit_of:
        replies = [message["text"] for message in fake.sent_messages(user_id)[2:]]
        assert len(replies) == 2, replies
        assert "Câu 1/11" in replies[0] and "Câu 2/11" in replies[1]
    stored = answers_by_unit(database_url)
    assert stored == {unit: [("thu-ngan-sach", "450")] for unit in unit_of.values()}
    assert not any("update failed" in log for log in logs)


def officer_of(user_id: int) -> FakeUser:
    return FakeUser(id=user_id, first_name=f"Cán bộ {user_id}")


def wait_for_greetings(fake: FakeTelegram, unit_of: dict[int, str]) -> None:
    for user_id in unit_of:
        fake.wait_for_messages(user_id, 2, timeout=60)  # the greeting, the name question
