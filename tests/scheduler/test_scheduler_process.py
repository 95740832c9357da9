"""The scheduler in a real process, inside `thidua run` and alone as `thidua scheduler`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy.engine import Engine

from bot.fake_telegram import FakeTelegram
from tests.support.factories import EXAMPLE, GROUP_CHAT, UNITS, example_cluster, person_id_of


def setup_open_now() -> str:
    """The example with its period opened two hours ago and a reminder due an hour ago."""
    tree = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    period = tree["periods"][0]
    period["opens"] = (now - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    period["deadline"] = (now + timedelta(hours=20)).strftime("%Y-%m-%d %H:%M")
    period["reminders"] = ["21h"]
    period.pop("digest")
    return yaml.safe_dump(tree, allow_unicode=True)


@pytest.mark.parametrize("command", ["run", "scheduler"])
def test_the_scheduler_announces_and_reminds_from_a_real_process(
    command: str, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    example_cluster(engine, yaml=setup_open_now())
    with FakeTelegram() as fake:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "DATABASE_URL": database_url,
            "THIDUA_SCHEDULER_TICK": "0.5",
            "THIDUA_QUIET_HOURS": "",  # the test may run at night
        }
        log = tmp_path / "process.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", command], env=env, stdout=output, stderr=output
            )
        try:
            announcement, missing = fake.wait_for_messages(GROUP_CHAT, 2, timeout=30)
            for code in UNITS:
                (reminder,) = fake.wait_for_messages(person_id_of(code), 1, timeout=30)
                assert "chưa nộp" in reminder["text"]
                button = reminder["reply_markup"]["inline_keyboard"][0][0]
                assert button["url"] == f"https://t.me/{fake.bot_username}?start=submit"
        except TimeoutError as error:
            raise AssertionError(f"{error}\n{log.read_text(errors='replace')[-3000:]}") from None
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    assert "đã mở" in announcement["text"]
    assert missing["text"].startswith("⏰ Còn 5/5 đơn vị chưa nộp")
    assert process.returncode == 0, log.read_text(errors="replace")[-3000:]
    assert fake.token not in log.read_text(errors="replace")
