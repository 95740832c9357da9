"""The bot and its scheduler, each with its own engine, as their own processes would run."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import Application

from bot.demo.officers import REPLY_TIMEOUT, DemoFailure
from bot.demo.stage import DemoClock
from bot.edge.app import build_application
from bot.edge.logs import redact_secrets_of
from bot.fake_telegram import FakeTelegram
from bot.settings import Settings
from bot.storage import make_engine, upgrade
from scheduler.plan import pending_count
from scheduler.sender import Limits
from scheduler.service import Scheduler, sender_bot

__all__ = [
    "LIMITS_SCALE",
    "RunningBot",
    "RunningScheduler",
    "demo_settings",
    "start_bot",
    "start_scheduler",
]

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# Telegram's flood limits, ten times faster in the fake and in the sender alike.
LIMITS_SCALE = 10.0


@dataclass
class RunningScheduler:
    """The scheduler with its own engine and bot, as `thidua scheduler` runs it."""

    scheduler: Scheduler
    engine: Engine
    bot: Bot

    async def deliver(self) -> None:
        """One tick, then wait until every queued message has gone out."""
        await self.scheduler.tick()
        give_up = time.monotonic() + 6 * REPLY_TIMEOUT
        while await asyncio.to_thread(self._waiting):
            if time.monotonic() > give_up:
                raise DemoFailure("Bộ gửi tin của bot chưa gửi hết hộp thư đi.")
            await asyncio.sleep(0.05)

    def _waiting(self) -> int:
        with Session(self.engine) as session:
            return pending_count(session)

    async def stop(self) -> None:
        await self.scheduler.stop()
        await self.bot.shutdown()
        self.engine.dispose()


async def start_scheduler(settings: Settings, clock: DemoClock) -> RunningScheduler:
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    engine = make_engine(settings.database_url)
    bot = sender_bot(settings, token)
    await bot.initialize()
    limits = Limits(rate=settings.send_rate, scale=LIMITS_SCALE)
    scheduler = Scheduler(settings, engine, bot, clock=clock, limits=limits)
    # What the bot queues from a step (a roll-call, an edited agenda) goes without the idle
    # poll's half second: the demo's time is compressed, its run time should be too.
    scheduler.sender.idle_poll = 0.05
    await scheduler.start()
    return RunningScheduler(scheduler, engine, bot)


def demo_settings(fake: FakeTelegram, database_url: str) -> Settings:
    """Settings for the fake; nothing read from the environment or a `.env` file."""
    settings = Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=fake.base_url,
        DATABASE_URL=database_url,
        THIDUA_ADMINS="",
        THIDUA_TIMEZONE="Asia/Ho_Chi_Minh",
        THIDUA_LOCALE="vi",
        THIDUA_RATE_LIMITER=True,
        THIDUA_OUTLIER_FACTOR=3,
        THIDUA_QUIET_HOURS="21:00-07:00",
        THIDUA_SCHEDULER_TICK=3600,  # the demo ticks by hand, after each jump of its clock
    )
    redact_secrets_of(settings)
    return settings


@dataclass
class RunningBot:
    """The bot application polling the fake, with its own engine (as its own process would)."""

    application: AnyApplication
    engine: Engine
    stopped: bool = False

    async def stop(self) -> None:
        """Stop as `run_polling` does on exit: updater, application, shutdown."""
        if self.stopped:
            return
        self.stopped = True
        application = self.application
        try:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
                if application.post_stop:
                    await application.post_stop(application)
            await application.shutdown()
            if application.post_shutdown:
                await application.post_shutdown(application)
        finally:
            self.engine.dispose()


async def start_bot(settings: Settings, clock: DemoClock) -> RunningBot:
    """Start the bot the way `thidua run` does: migrate, build, post_init, poll, start."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    application = build_application(settings, engine)
    application.bot_data.clock = clock
    running = RunningBot(application, engine)
    try:
        await application.initialize()
        if application.post_init:
            await application.post_init(application)
        if application.updater is None:
            raise DemoFailure("Ứng dụng bot không có Updater để nhận tin nhắn.")

        def on_polling_error(error: TelegramError) -> None:
            application.create_task(application.process_error(error=error, update=None))

        await application.updater.start_polling(error_callback=on_polling_error)
        await application.start()
    except BaseException:
        await running.stop()
        raise
    return running
