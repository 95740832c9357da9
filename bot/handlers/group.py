"""In group chats: private commands point to the private chat instead of answering there."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import answer_with, locale_of
from bot.i18n import gettext_for
from bot.keyboards import open_private_chat

__all__ = ["PRIVATE_COMMANDS", "private_only"]

PRIVATE_COMMANDS = ("start", "submit", "status", "cancel", "lang")


async def private_only(update: Update, context: BotContext) -> None:
    """A private command typed in a group: a short reply with a button to the private chat."""
    locale = locale_of(update)
    _ = gettext_for(locale)
    text = _(
        "Lệnh này dùng trong trò chuyện riêng với bot, để số liệu của đơn vị không lộ ra nhóm. "
        "Bấm nút dưới đây để mở."
    )
    await answer_with(update, text, reply_markup=open_private_chat(context.bot.username, locale))
