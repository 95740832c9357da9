"""The processes of a deployment on one database: webhook workers behind a proxy, and
`thidua scheduler` processes, each a real child process."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import yaml
from click.testing import CliRunner
from sqlalchemy import text

from bot.cli import main
from bot.fake_telegram import FakeTelegram, FakeUser
from bot.storage import make_engine
from tests.support.bot_process import WEBHOOK_SECRET, free_port, wait_until_healthy

__all__ = [
    "ANSWERS",
    "Worker",
    "answers_by_unit",
    "join_by_invite",
    "officer_of",
    "start_scheduler",
    "stop",
    "units_of",
    "wait_until",
]

# The example's first seven questions, each with an answer that asks nothing back (without
# targets), as the officer types it and as the answer table keeps it.
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
    """One `thidua run --webhook` process, started (`ready()` waits until it serves); posts go
    to it directly, as a proxy would send them."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/telegram"
        command = [sys.executable, "-m", "bot", "run", "--webhook", "--listen", "127.0.0.1"]
        command += ["--port", str(self.port), "--url", self.url]
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
        self.http = httpx.Client(trust_env=False, timeout=60)

    def ready(self) -> None:
        wait_until_healthy(self.process, self.port, self.log_text)

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


def stop(process: subprocess.Popen[bytes], signum: int = signal.SIGTERM) -> None:
    """Signal a child process (SIGTERM: as systemd stops a unit) and wait for its end."""
    if process.poll() is None:
        process.send_signal(signum)
        process.wait(timeout=30)


def join_by_invite(
    fake: FakeTelegram,
    env: dict[str, str],
    workers: list[Worker],
    units: list[str],
    *,
    pause: float = 0.0,
) -> dict[int, str]:
    """An officer for each unit opens an invite, posted to the workers in turn; officer ids
    from 7000, each with their unit's code. With `pause`, each next officer waits for the
    greeting and the name question before them, and that long after."""
    runner = CliRunner()
    unit_of: dict[int, str] = {}
    for n, unit in enumerate(units):
        invite = runner.invoke(main, ["invite", "--unit", unit], env=env)
        assert invite.exit_code == 0, invite.output
        officer = officer_of(7000 + n)
        joined = fake.user_sends(officer, f"/start {invite.output.split()[1]}")
        assert workers[n % 2].post(joined) == 200
        unit_of[officer.id] = unit
        if pause:
            fake.wait_for_messages(officer.id, 2, timeout=60)
            time.sleep(pause)
    return unit_of


def start_scheduler(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`thidua scheduler` as a child process, writing to `log`."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "scheduler"], env=env, stdout=output, stderr=output
        )


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    """Whether `predicate()` came to hold within `timeout` seconds (asked every 50 ms)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def units_of(setup: Path) -> list[str]:
    """The codes of every unit in a set-up file, cluster by cluster."""
    tree = yaml.safe_load(setup.read_text(encoding="utf-8"))
    return [unit["code"] for cluster in tree["clusters"] for unit in cluster["units"]]


def answers_by_unit(database_url: str) -> dict[str, list[tuple[str, str]]]:
    """Every stored answer, as (indicator, value) in question order, by unit code."""
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


def officer_of(user_id: int) -> FakeUser:
    return FakeUser(id=user_id, first_name=f"Cán bộ {user_id}")
