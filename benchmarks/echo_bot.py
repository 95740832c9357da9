"""A bare python-telegram-bot echo bot: the baseline `benchmarks/conversation.py` compares against.

Same updates as `thidua run` (long polling, `concurrent_updates(64)`, no rate limiter), no
database and no flow: whatever it costs is python-telegram-bot and HTTP alone. Bare means PTB's
own HTTP client (httpx); with THIDUA_HTTP_CLIENT set it uses thidua's transport instead, so
that the two bots can also be compared on the same client.
Reads TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL; THIDUA_LOOP_WATCH names a lag log.
"""

from __future__ import annotations

import logging
import os
from typing import Any, cast

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.edge.loopwatch import watch_application
from bot.edge.transport import HttpClient, make_request

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back to the chat it came from, as a new message (as thidua replies)."""
    message = update.effective_message
    if message is not None and message.text:
        await message.chat.send_message(message.text)


def build() -> Application[Any, Any, Any, Any, Any, Any]:
    """The echo application, configured from the environment."""
    builder = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ.get("TELEGRAM_API_BASE_URL", DEFAULT_API_BASE_URL))
        .concurrent_updates(64)
    )
    if client := os.environ.get("THIDUA_HTTP_CLIENT"):
        chosen = cast(HttpClient, client)
        # The pools `thidua run` uses (bot/edge/app.py).
        builder = builder.request(make_request(chosen, pool_size=16))
        builder = builder.get_updates_request(make_request(chosen, pool_size=1))
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    if log_path := os.environ.get("THIDUA_LOOP_WATCH"):
        watch_application(application, log_path)
    return application


def main() -> None:
    """Echo until SIGINT/SIGTERM."""
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    build().run_polling()


if __name__ == "__main__":
    main()
