"""Webhook mode: Telegram posts updates to our HTTP server, which also answers a health check.

PTB's own `run_webhook` serves only the webhook path, so this module runs a small tornado
server (tornado comes with python-telegram-bot[webhooks]) with two routes: the webhook, which
checks Telegram's secret header and answers 200 only once the update has been handled (its
step committed, its reply sent), and `GET /healthz`. Telegram posts an update again until it
gets a 2xx, so an update being handled when the process is killed is handled after the
restart; PTB's own answered 200 on arrival, and such an update was lost. The application goes
through the steps `Application.run_webhook` takes (initialize, post_init, start, then stop,
post_stop, shutdown, post_shutdown), so hooks such as the scheduler's start and stop with it.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer

from bot.edge.connect import connect
from bot.edge.logs import WEBHOOK_SECRET_PLACEHOLDER, redact_secret
from bot.edge.signals import stop_on_signals
from bot.edge.turn_lock import note_arrival
from bot.settings import Settings

__all__ = ["ALLOWED_UPDATES", "HEALTH_PATH", "SECRET_HEADER", "WebhookConfig", "run_webhook"]

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
DRAIN_TIMEOUT = 30.0  # seconds a stop waits for the updates being handled
# The kinds of update the handlers in bot/edge/app.py use; add one when a handler needs another.
# Telegram also keeps this list for getUpdates, so polling receives the same kinds afterwards.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@dataclass(frozen=True)
class WebhookConfig:
    """Where to listen, where Telegram posts, and the secret it sends along."""

    listen: str
    port: int
    url: str
    secret: str
    secret_generated: bool

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookConfig:
        """The webhook set-up of `settings`, which must have a URL."""
        if settings.webhook_url is None:
            raise ValueError("THIDUA_WEBHOOK_URL is not set")
        given = settings.webhook_secret
        return cls(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url=settings.webhook_url,
            # 32 random bytes in URL-safe base64 fit Telegram's alphabet (A-Z a-z 0-9 _ -).
            secret=given.get_secret_value() if given else secrets.token_urlsafe(32),
            secret_generated=given is None,
        )

    @property
    def path(self) -> str:
        """The path Telegram posts to: the public URL's, as a reverse proxy passes it on."""
        return urlsplit(self.url).path or "/"


def run_webhook(application: AnyApplication, config: WebhookConfig) -> None:
    """Serve the webhook until SIGINT or SIGTERM, then stop cleanly (the webhook stays set)."""
    redact_secret(config.secret, WEBHOOK_SECRET_PLACEHOLDER)  # a generated one too
    asyncio.run(_serve(application, config))


async def _serve(application: AnyApplication, config: WebhookConfig) -> None:
    """The application's life, in the order `Application.run_webhook` follows."""
    stop = stop_on_signals()
    application.bot_data.across_processes = True  # other workers may share the database
    if not await connect(application.bot, stop, application.bot_data.settings.locale):
        return
    try:
        async with application:  # initialize() now, shutdown() on the way out
            await _serve_until(stop, application, config)
    finally:
        if application.post_shutdown:
            await application.post_shutdown(application)


async def _serve_until(
    stop: asyncio.Event, application: AnyApplication, config: WebhookConfig
) -> None:
    """Serve HTTP and run the application until `stop` is set."""
    # Listen before setWebhook: a port already in use fails before Telegram points here.
    handling = _Handling()
    server = HTTPServer(_web_app(application, handling, config.path, config.secret))
    server.listen(config.port, address=config.listen)
    try:
        await application.bot.set_webhook(
            config.url, secret_token=config.secret, allowed_updates=ALLOWED_UPDATES
        )
        # After the steps that can fail: what post_init starts, only post_stop stops.
        if application.post_init:
            await application.post_init(application)
        await application.start()
        _log_start(config)
        await stop.wait()
    finally:
        server.stop()
        await handling.drain()  # Telegram posts what is refused meanwhile again later
        await server.close_all_connections()
        if application.running:
            await application.stop()  # handles the updates already accepted
            if application.post_stop:
                await application.post_stop(application)


def _log_start(config: WebhookConfig) -> None:
    log.info(
        "webhook mode: listening on %s:%d (webhook %s, health %s), Telegram posts to %s",
        config.listen,
        config.port,
        config.path,
        HEALTH_PATH,
        config.url,
    )
    if config.secret_generated:
        log.info(
            "THIDUA_WEBHOOK_SECRET is not set: using a random secret for this run "
            "(set one when several bot processes share the webhook)"
        )


class _Handling:
    """The updates being handled now; at a stop, new posts are refused and these awaited."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[None]] = set()
        self.stopping = False

    async def handle(self, application: AnyApplication, update: Update) -> None:
        """Handle the update as PTB's own queue would (the same concurrency limit)."""
        task = asyncio.ensure_future(
            application.update_processor.process_update(update, application.process_update(update))
        )
        self.tasks.add(task)
        try:
            # Shielded: a connection Telegram gives up on does not cancel the step half-way.
            await asyncio.shield(task)
        finally:
            if task.done():
                self.tasks.discard(task)
            else:
                task.add_done_callback(self.tasks.discard)

    async def drain(self) -> None:
        """Refuse new posts; wait for the updates being handled (a while, at most)."""
        self.stopping = True
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=DRAIN_TIMEOUT)


def _web_app(
    application: AnyApplication, handling: _Handling, path: str, secret: str
) -> tornado.web.Application:
    route = rf"{re.escape(path.rstrip('/'))}/?"
    update_route = {"bot_app": application, "handling": handling, "secret": secret}
    return tornado.web.Application(
        [
            (route, _UpdateHandler, update_route),
            (HEALTH_PATH, _HealthHandler, {"bot_app": application, "handling": handling}),
        ],
        log_function=_log_refusal,
    )


class _UpdateHandler(tornado.web.RequestHandler):
    """POST from Telegram: check the secret header, handle the update, then answer 200."""

    def initialize(self, bot_app: AnyApplication, handling: _Handling, secret: str) -> None:
        self.bot_app = bot_app
        self.handling = handling
        self.secret = secret.encode()

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        # A constant-time comparison: the time taken must not reveal how much of a guess matched.
        if not hmac.compare_digest(given, self.secret):
            raise tornado.web.HTTPError(403)
        bot = self.bot_app.bot
        try:
            update = Update.de_json(json.loads(self.request.body), bot)
        except Exception as error:  # anything unreadable is the sender's fault, not ours
            raise tornado.web.HTTPError(400) from error
        if self.handling.stopping or not self.bot_app.running:
            raise tornado.web.HTTPError(503)  # not now: Telegram posts it again later
        bot.insert_callback_data(update)
        # Kept first: the sender's newer updates, posted to other workers, wait for this one.
        await note_arrival(
            self.bot_app.bot_data.engine, update.update_id, self.request.body.decode()
        )
        await self.handling.handle(self.bot_app, update)


class _HealthHandler(tornado.web.RequestHandler):
    """GET /healthz: 200 while the application runs, 503 until it has started."""

    def initialize(self, bot_app: AnyApplication, handling: _Handling) -> None:
        self.bot_app = bot_app
        self.handling = handling

    def get(self) -> None:
        running = bool(self.bot_app.running)
        self.set_status(200 if running else 503)
        pending = len(self.handling.tasks) + self.bot_app.update_queue.qsize()
        self.finish({"status": "ok" if running else "unavailable", "pending_updates": pending})


def _log_refusal(handler: tornado.web.RequestHandler) -> None:
    """Log refused and failed requests only: health checks every few seconds are no news."""
    status = handler.get_status()
    if status >= 400:
        request = handler.request
        log.warning("%d %s %s from %s", status, request.method, request.path, request.remote_ip)
