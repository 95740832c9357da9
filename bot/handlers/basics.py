"""Greeting and help for anyone who writes to the bot."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import gettext_for

__all__ = ["show_help", "welcome"]


def _for(update: Update) -> str:
    user = update.effective_user
    return user.language_code or "" if user else ""


async def welcome(update: Update, context: BotContext) -> None:
    """`/start`: say what the bot is and how to join a unit."""
    _ = gettext_for(_for(update))
    if update.effective_message is None:
        return
    await update.effective_message.reply_text(
        _(
            "Xin chào! Đây là bot thi đua của cụm: các đơn vị nộp số liệu sơ kết, tổng kết "
            "và nhận nhắc hạn nộp tại đây.\n\n"
            "Để tham gia, hãy xin quản trị viên hoặc cụm trưởng một đường dẫn mời cho đơn vị "
            "của bạn, rồi bấm vào đường dẫn đó."
        )
    )


async def show_help(update: Update, context: BotContext) -> None:
    """`/help`: list what the bot can do."""
    _ = gettext_for(_for(update))
    if update.effective_message is None:
        return
    await update.effective_message.reply_text(
        _(
            "Các lệnh:\n"
            "/start – bắt đầu, hoặc tham gia đơn vị bằng mã mời\n"
            "/help – hướng dẫn này"
        )
    )
