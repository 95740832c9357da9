"""Reaching the Bot API at start-up: a line per failed try, then again after a longer pause.

A bot started before its network (a server booting, a proxy restarting) waits for it instead of
ending with a traceback; SIGINT or SIGTERM during the wait ends it cleanly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import timedelta

from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TelegramError

from bot.domain.i18n import gettext_for

__all__ = ["MAX_PAUSE", "connect", "pauses", "seconds_of"]

log = logging.getLogger(__name__)

MAX_PAUSE = 60.0  # seconds: someone fixing the network waits at most a minute for the bot


def pauses(first: float = 1.0) -> Iterator[float]:
    """1, 2, 4 … seconds, doubling up to `MAX_PAUSE`."""
    pause = first
    while True:
        yield pause
        pause = min(pause * 2, MAX_PAUSE)


async def connect(bot: Bot, stop: asyncio.Event, locale: str) -> bool:
    """Initialize `bot` (its first call, getMe), trying again after network errors; False if
    `stop` was set first. A refused token is no network error: it is raised."""
    failed = False
    for pause in pauses():
        try:
            await bot.initialize()
        except (NetworkError, RetryAfter) as error:  # timeouts and refused connections too
            failed = True
            if isinstance(error, RetryAfter):
                pause = max(pause, seconds_of(error.retry_after))
            _say_unreachable(error, pause, locale)
            if await _stopped(stop, pause):
                await bot.shutdown()
                return False
            continue
        if failed:
            _ = gettext_for(locale)
            log.info(_("Đã kết nối được Bot API của Telegram."))
        return True
    raise AssertionError("unreachable: pauses() never ends")


def _say_unreachable(error: TelegramError, pause: float, locale: str) -> None:
    """One line in the person's language: what failed and when the next try comes."""
    _ = gettext_for(locale)
    text = _("Không kết nối được Bot API của Telegram ({reason}); thử lại sau {seconds} giây.")
    log.warning(text.format(reason=error.message, seconds=f"{pause:g}"))


def seconds_of(retry_after: timedelta | int) -> float:
    """PTB gives Telegram's wait as seconds, or as a timedelta once told to (PTB_TIMEDELTA)."""
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after


async def _stopped(stop: asyncio.Event, pause: float) -> bool:
    """Wait `pause` seconds; True if `stop` was set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=pause)
    except TimeoutError:
        return False
    return True
