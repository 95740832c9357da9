"""The one wiring site: builds the Telegram application with every handler in order."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from telegram.ext import AIORateLimiter, Application, CommandHandler, ContextTypes

from bot.context import BotContext, BotData
from bot.handlers.basics import show_help, welcome
from bot.settings import Settings

__all__ = ["build_application"]


def build_application(
    settings: Settings, engine: Engine, **builder_options: Any
) -> Application[Any, BotContext, Any, Any, BotData, Any]:
    """The bot application for `settings`, talking to `settings.telegram_api_base_url`."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    context_types = ContextTypes(context=BotContext, bot_data=lambda: BotData(settings, engine))
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.file_base_url)
        .context_types(context_types)
        .rate_limiter(AIORateLimiter(max_retries=3))
    )
    for name, value in builder_options.items():
        builder = getattr(builder, name)(value)
    application = builder.build()
    application.add_handler(CommandHandler("start", welcome))
    application.add_handler(CommandHandler("help", show_help))
    return application
