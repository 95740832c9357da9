"""Group chats: private commands pointed to the private chat, and `/bind` after a rights check."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.desk import groups
from bot.desk.groups import BotAccess
from bot.desk.request import Request
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.edge.context import BotContext
from bot.edge.keyboards import private_chat_button
from bot.edge.send import send
from bot.edge.turn import locale_of
from bot.handlers.desk_steps import run_desk

__all__ = ["PRIVATE_COMMANDS", "bind", "private_only"]

log = logging.getLogger(__name__)

PRIVATE_COMMANDS = ("start", "submit", "status", "cancel", "targets", "rsvp", "lang")


async def private_only(update: Update, context: BotContext) -> None:
    """A private command typed in a group: a short reply with a button to the private chat."""
    locale = await locale_of(update, context)
    _ = gettext_for(locale)
    text = _(
        "Lệnh này dùng trong trò chuyện riêng với bot, để số liệu của đơn vị không lộ ra nhóm. "
        "Bấm nút dưới đây để mở."
    )
    button = private_chat_button(context.bot.username, locale)
    await send(update, [Reply(text, ((button,),))], locale=locale)


async def bind(update: Update, context: BotContext, request: Request) -> None:
    """`/bind [cluster]` in a group: check that the bot can post, then bind."""
    chat = update.effective_chat
    access = await _bot_access(context, chat.id) if chat is not None else BotAccess.UNKNOWN
    await run_desk(update, context, request, lambda desk, req: groups.bind(desk, req, access))


async def _bot_access(context: BotContext, chat_id: int) -> BotAccess:
    try:
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
        if member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            return BotAccess.NOT_MEMBER
        if member.status == ChatMemberStatus.RESTRICTED:
            can_send = getattr(member, "can_send_messages", False)
            return BotAccess.CAN_POST if can_send else BotAccess.RESTRICTED
        if member.status == ChatMemberStatus.MEMBER:
            group = await context.bot.get_chat(chat_id)
            rights = group.permissions
            if rights is not None and rights.can_send_messages is False:
                return BotAccess.MUTED_GROUP
    except TelegramError:
        log.warning("could not check the bot's rights in a group", exc_info=True)
        return BotAccess.UNKNOWN
    return BotAccess.CAN_POST
