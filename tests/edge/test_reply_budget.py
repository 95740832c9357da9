"""THIDUA_REPLY_RATE: the share of Telegram's 30 messages a second this process replies with."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from bot.edge.app import build_application
from bot.settings import Settings

TOKEN = "123456:TEST-TOKEN"


def overall_rate(application: Any) -> float:
    limiter = application.bot.rate_limiter._base_limiter  # PTB keeps no public view of it
    return round(float(limiter.max_rate / limiter.time_period), 6)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_replies_keep_to_the_processs_reply_rate(engine: Engine) -> None:
    settings = Settings(TELEGRAM_BOT_TOKEN=TOKEN, THIDUA_REPLY_RATE="8")
    assert overall_rate(build_application(settings, engine)) == 8


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_by_default_one_process_may_reply_at_telegrams_whole_rate(engine: Engine) -> None:
    assert overall_rate(build_application(Settings(TELEGRAM_BOT_TOKEN=TOKEN), engine)) == 30


@pytest.mark.parametrize("rate", ["0", "0.5", "31"])
def test_a_reply_rate_outside_one_to_thirty_is_refused(rate: str) -> None:
    with pytest.raises(ValidationError, match="THIDUA_REPLY_RATE"):
        Settings(TELEGRAM_BOT_TOKEN=TOKEN, THIDUA_REPLY_RATE=rate)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_burst_of_replies_keeps_the_reply_rate_within_every_second(engine: Engine) -> None:
    settings = Settings(TELEGRAM_BOT_TOKEN=TOKEN, THIDUA_REPLY_RATE="5")
    limiter = build_application(settings, engine).bot.rate_limiter
    started: list[float] = []

    async def reply() -> bool:
        started.append(time.monotonic())
        return True

    # Twelve officers' replies at once, as after a burst of joins through one worker.
    await asyncio.gather(
        *(
            limiter.process_request(reply, (), {}, "sendMessage", {"chat_id": 7000 + n}, None)
            for n in range(12)
        )
    )
    # As Telegram counts: how many started in the second up to each start.
    most = max(sum(1 for other in started if at - 1 < other <= at) for at in started)
    assert most <= 5, started
