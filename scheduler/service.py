"""The scheduler: a periodic tick plans what is due; the sender drains the outbox."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import Engine
from telegram import Bot

from bot.domain.due import parse_quiet_hours
from bot.edge.connect import connect
from bot.edge.menus import MENU_CHECK, publish_menus
from bot.edge.signals import stop_on_signals
from bot.edge.transport import make_request
from bot.settings import Settings
from bot.storage import session_scope
from bot.storage.types import utcnow
from bot.storage.updates import forget_old_updates
from scheduler.leader import Leadership, leadership_for
from scheduler.plan import Planner
from scheduler.sender import Limits, Sender

__all__ = ["Scheduler", "attach", "run_scheduler", "sender_bot"]

log = logging.getLogger(__name__)


def sender_bot(settings: Settings, token: str) -> Bot:
    """A bot of the sender's own: its limits are the sender's, not the replies' rate limiter."""
    return Bot(
        token,
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.file_base_url,
        request=make_request(settings.http_client, pool_size=32),
    )


class Scheduler:
    """Ticks every `THIDUA_SCHEDULER_TICK` seconds and sends the outbox until stopped.

    Only the scheduler holding the database's sender lock plans and sends; others stand by
    and ask again every `THIDUA_LEADER_POLL` seconds (scheduler/leader.py).
    """

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        bot: Bot,
        *,
        clock: Callable[[], datetime] = utcnow,
        limits: Limits | None = None,
        leadership: Leadership | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.bot = bot
        self.clock = clock
        self.sender = Sender(
            bot,
            engine,
            limits=limits or Limits(rate=settings.send_rate),
            lease=settings.outbox_lease,
            admins=settings.admins,
            locale=settings.locale,
            clock=clock,
        )
        self.leadership = leadership or leadership_for(engine)
        self._timer = AsyncIOScheduler(timezone=UTC)
        self._stop = asyncio.Event()
        self._leading: asyncio.Task[None] | None = None
        self._term: tuple[asyncio.Event, asyncio.Task[None]] | None = None

    @property
    def leads(self) -> bool:
        """Whether this scheduler is the one that plans and sends now."""
        return self._term is not None

    async def start(self) -> None:
        """Take the lead if nobody holds it, then tick (the first tick at once) and send."""
        await self._follow_lock()
        self._timer.add_job(
            self.tick,
            "interval",
            seconds=self.settings.scheduler_tick,
            next_run_time=datetime.now(UTC),
            id="tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        # Processes that run for months would keep every update's mark: the leader drops
        # the old ones hourly (each bot process also does at its start).
        self._timer.add_job(
            self.tidy, "interval", hours=1, id="tidy", max_instances=1, coalesce=True
        )
        # A new year's chair, or a chair set by an import, sees the chair's commands within
        # the hour, not at the bot's next restart.
        self._timer.add_job(
            self.refresh_menus,
            "interval",
            seconds=MENU_CHECK.total_seconds(),
            id="menus",
            max_instances=1,
            coalesce=True,
        )
        self._timer.start()
        self._leading = asyncio.create_task(self._keep_or_seek_lead())
        log.info("scheduler started: tick every %ss", self.settings.scheduler_tick)

    async def _keep_or_seek_lead(self) -> None:
        """Check the lock every poll: the leader keeps sending, a standby takes over."""
        while not self._stop.is_set():
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.settings.leader_poll)
            if not self._stop.is_set():
                await self._follow_lock()

    async def _follow_lock(self) -> None:
        holds = await asyncio.to_thread(self.leadership.hold)
        if holds and self._term is None:
            stop = asyncio.Event()
            self._term = (stop, asyncio.create_task(self.sender.run(stop)))
            log.info("this scheduler now plans and sends")
            if self._timer.running:
                self._timer.modify_job("tick", next_run_time=datetime.now(UTC))
        elif not holds and self._term is None:
            log.debug("another scheduler sends; standing by")
        elif not holds:
            log.warning("lost the sender's lock; standing by")
            await self._end_term()

    async def _end_term(self) -> None:
        if self._term is not None:
            stop, sending = self._term
            self._term = None
            stop.set()
            await sending

    async def tick(self) -> int:
        """Queue what is due now; the number of messages queued (none while standing by)."""
        if not self.leads:
            return 0
        try:
            queued = await asyncio.to_thread(self._plan)
        except Exception:
            log.exception("the scheduler's tick failed; the next tick tries again")
            return 0
        if queued:
            log.info("queued %d messages", queued)
            self.sender.wake()
        return queued

    async def tidy(self) -> None:
        """Forget handled updates older than any redelivery (only the leader does)."""
        if not self.leads:
            return
        try:
            await asyncio.to_thread(self._forget_updates)
        except Exception:
            log.exception("forgetting old updates failed; the next hour tries again")

    async def refresh_menus(self) -> int:
        """Give Telegram the command menus that changed (only the leader does); how many."""
        if not self.leads:
            return 0
        try:
            return await publish_menus(
                self.bot,
                self.engine,
                self.settings,
                now=self.clock(),
                run=asyncio.to_thread,
                changed_only=True,
            )
        except Exception:
            log.exception("refreshing the command menus failed; the next hour tries again")
            return 0

    def _forget_updates(self) -> None:
        with session_scope(self.engine) as session:
            forget_old_updates(session, now=self.clock())

    def _plan(self) -> int:
        planner = Planner(
            now=self.clock(),
            locale=self.settings.locale,
            quiet=parse_quiet_hours(self.settings.quiet_hours),
        )
        with session_scope(self.engine) as session:
            return planner.plan(session)

    async def stop(self) -> None:
        """Stop ticking; let the sends in flight finish."""
        if self._timer.running:
            self._timer.shutdown(wait=False)
        self._stop.set()
        if self._leading is not None:
            await self._leading
        await self._end_term()
        await asyncio.to_thread(self.leadership.release)


def attach(application: Any, token: str) -> None:
    """Run the scheduler inside the bot's process (`thidua run`), started and stopped with it."""
    data = application.bot_data
    before_start, before_stop = application.post_init, application.post_stop
    running: list[tuple[Scheduler, Bot]] = []

    async def start(app: Any) -> None:
        if before_start is not None:
            await before_start(app)
        bot = sender_bot(data.settings, token)
        await bot.initialize()
        scheduler = Scheduler(data.settings, data.engine, bot, clock=data.clock)
        await scheduler.start()
        running.append((scheduler, bot))

    async def stop(app: Any) -> None:
        for scheduler, bot in running:
            await scheduler.stop()
            await bot.shutdown()
        if before_stop is not None:
            await before_stop(app)

    application.post_init = start
    application.post_stop = stop


async def run_scheduler(settings: Settings, engine: Engine, token: str) -> None:
    """`thidua scheduler`: the scheduler alone, until SIGINT or SIGTERM."""
    stop = stop_on_signals()
    bot = sender_bot(settings, token)
    if not await connect(bot, stop, settings.locale):  # stopped before the Bot API answered
        return
    async with bot:
        scheduler = Scheduler(settings, engine, bot)
        await scheduler.start()
        await stop.wait()
        log.info("stopping the scheduler")
        await scheduler.stop()
