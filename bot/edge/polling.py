"""Long polling that confirms an update to Telegram only once the database keeps it.

PTB's `run_polling` confirms a batch (the next `getUpdates` offset) as soon as it is queued:
an update still being handled when the process was killed was lost, and its officer never
answered. Here each batch is kept (bot/storage/received.py) before the next offset confirms
it, and at start-up the kept updates whose handling never finished are handled again, first.
The application goes through the steps `Application.run_polling` takes (initialize,
post_init, start, then stop, post_stop, shutdown, post_shutdown), as in bot/edge/webhook.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application

from bot.edge.connect import connect, pauses, seconds_of
from bot.edge.context import BotData
from bot.edge.signals import stop_on_signals
from bot.edge.webhook import ALLOWED_UPDATES
from bot.edge.workers import in_worker
from bot.storage import session_scope
from bot.storage.received import keep_received, to_replay

__all__ = ["POLL_TIMEOUT", "REPLAYS", "run_polling"]

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates open while nothing comes
REPLAYS = 3  # starts that handle a kept update again before it is given up as the cause


def run_polling(application: AnyApplication) -> None:
    """Poll until SIGINT or SIGTERM, then stop cleanly."""
    asyncio.run(_serve(application))


async def _serve(application: AnyApplication) -> None:
    """The application's life, in the order `Application.run_polling` follows."""
    stop = stop_on_signals()
    data: BotData = application.bot_data
    if not await connect(application.bot, stop, data.settings.locale):
        return
    try:
        async with application:  # initialize() now, shutdown() on the way out
            await _poll_until(stop, application)
    finally:
        if application.post_shutdown:
            await application.post_shutdown(application)


async def _poll_until(stop: asyncio.Event, application: AnyApplication) -> None:
    """Handle the kept updates, then fetch new ones, until `stop` is set."""
    poller = _Poller(application)
    fetching: asyncio.Task[None] | None = None
    try:
        if application.post_init:
            await application.post_init(application)
        await poller.replay()  # queued before any new update: an officer's order is kept
        await application.start()
        log.info("polling mode: fetching updates")
        fetching = asyncio.create_task(poller.fetch())
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({fetching, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
    finally:
        failure = await _ended(fetching)
        if application.running:
            await poller.confirm()
            await application.stop()  # handles the updates already queued
            if application.post_stop:
                await application.post_stop(application)
    if failure is not None:
        raise failure  # a refused token, after the clean stop


async def _ended(fetching: asyncio.Task[None] | None) -> BaseException | None:
    """Stop fetching; what made it fail on its own, if anything."""
    if fetching is None:
        return None
    fetching.cancel()
    try:
        await fetching
    except asyncio.CancelledError:
        return None
    except Exception as error:
        return error
    return None


class _Poller:
    """getUpdates in a loop; each batch kept before the next call's offset confirms it."""

    def __init__(self, application: AnyApplication) -> None:
        self.application = application
        self.data: BotData = application.bot_data
        self.offset: int | None = None
        self._webhook_deleted = False

    async def replay(self) -> None:
        """Queue the kept updates whose handling a killed process never finished."""

        def work() -> tuple[list[tuple[int, str]], list[int]]:
            with session_scope(self.data.engine) as session:
                return to_replay(session, most=REPLAYS)

        again, given_up = await in_worker(self.data.engine, work)
        for update_id in given_up:
            log.error("update %d was given up after %d starts that handled it", update_id, REPLAYS)
        for _update_id, payload in again:
            await self.application.update_queue.put(
                Update.de_json(json.loads(payload), self.application.bot)
            )
        if again:
            log.info("handling again %d updates a stopped process had received", len(again))
            # Telegram may still hold them unconfirmed: the first getUpdates confirms them.
            self.offset = again[-1][0] + 1

    async def fetch(self) -> None:
        """Fetch, keep and queue updates until cancelled; network and database failures wait
        1, 2, 4 … 60 seconds and try again."""
        waits = pauses()
        while True:
            try:
                updates = await self._next_batch()
            except InvalidToken:
                raise
            except (TelegramError, SQLAlchemyError) as error:
                await asyncio.sleep(self._pause(error, waits))
                continue
            waits = pauses()
            for update in updates:
                await self.application.update_queue.put(update)
            if updates:
                self.offset = updates[-1].update_id + 1

    async def _next_batch(self) -> tuple[Update, ...]:
        """The next updates, kept in the database; the offset is not moved yet."""
        bot = self.application.bot
        if not self._webhook_deleted:  # getUpdates is refused while a webhook is set
            await bot.delete_webhook()
            self._webhook_deleted = True
        updates: tuple[Update, ...] = await bot.get_updates(
            offset=self.offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES
        )
        if updates:
            sent = self.data.updates_request.sent if self.data.updates_request else {}
            kept = [(u.update_id, sent.get(u.update_id) or u.to_json()) for u in updates]

            def work() -> None:
                with session_scope(self.data.engine) as session:
                    keep_received(session, kept)

            await in_worker(self.data.engine, work)
        return updates

    def _pause(self, error: Exception, waits: Iterator[float]) -> float:
        """How long to wait after `error`; said in the log."""
        if isinstance(error, TimedOut):
            return 0.0  # a long poll that timed out: ask again at once
        pause = next(waits)
        if isinstance(error, RetryAfter):
            pause = seconds_of(error.retry_after)
        log.warning("could not fetch updates (%s); trying again in %g s", error, pause)
        return pause

    async def confirm(self) -> None:
        """At a clean stop: confirm what was kept, so that Telegram does not send it again."""
        if self.offset is None:
            return
        with suppress(TelegramError):
            await self.application.bot.get_updates(
                offset=self.offset, timeout=0, allowed_updates=ALLOWED_UPDATES
            )
