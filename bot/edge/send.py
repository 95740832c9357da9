"""One send for every answer: messages (split, with their buttons or the main keyboard), files,
photos, prompts answered by replying, and the toast or alert of the button press behind them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from typing import Any

from telegram import CallbackQuery, ForceReply, ReplyKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply, split_text
from bot.edge.keyboards import inline_markup, main_keyboard

__all__ = ["Attachment", "Item", "Prompt", "alert", "send", "stale_button"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file sent back in the chat (a document, or a photo such as a chart)."""

    file_name: str
    content: bytes
    caption: str = ""
    photo: bool = False


@dataclass(frozen=True)
class Prompt:
    """A message the person answers by replying to it (Telegram's ForceReply)."""

    text: str
    placeholder: str = ""


Item = Reply | Attachment | Prompt


async def send(
    update: Update,
    items: Sequence[Item],
    *,
    locale: str = "vi",
    toast: str | None = None,
    clear_buttons: bool = False,
) -> None:
    """Send the items in order; a button press also gets its toast (`toast`, else the first
    reply's notice) and, with `clear_buttons`, loses the buttons it was pressed on."""
    query = update.callback_query
    notice = toast or next((i.notice for i in items if isinstance(i, Reply) and i.notice), None)
    # The press's toast goes out beside the replies, not before them: one round trip less.
    answered = asyncio.ensure_future(_answer(query, notice)) if query is not None else None
    try:
        if query is not None and clear_buttons:
            with suppress(BadRequest):  # a desk step's buttons are used once
                await query.edit_message_reply_markup(None)
        if (chat := update.effective_chat) is not None:
            for item in items:
                await _send_one(chat, item, locale)
    finally:
        if answered is not None:
            await answered


async def alert(update: Update, text: str) -> None:
    """Answer a button press with an alert only (a refusal), sending no message."""
    if update.callback_query is not None:
        await _answer(update.callback_query, text, show_alert=True)


async def stale_button(update: Update, locale: str) -> None:
    """A press no step takes (an old or forged button): a toast saying so, nothing else."""
    _ = gettext_for(locale)
    await send(update, [], toast=_("Nút này đã cũ. Gõ /submit để tiếp tục."))


async def _answer(query: CallbackQuery, text: str | None, *, show_alert: bool = False) -> None:
    """Stop the button's spinner; a press answered too late (a weak signal) still gets its
    replies, which matter more than the toast."""
    try:
        await query.answer(text, show_alert=show_alert)
    except BadRequest as error:  # "query is too old", after a slow network or a restart
        log.info("could not answer a button press: %s", error.message)


async def _send_one(chat: Any, item: Item, locale: str) -> None:
    if isinstance(item, Attachment):
        caption = item.caption or None
        if item.photo:
            await chat.send_photo(item.content, filename=item.file_name, caption=caption)
        else:
            await chat.send_document(item.content, filename=item.file_name, caption=caption)
    elif isinstance(item, Prompt):
        force = ForceReply(selective=True, input_field_placeholder=item.placeholder[:64] or None)
        await chat.send_message(item.text, reply_markup=force)
    else:
        markup: Any = inline_markup(item) or (
            _main_keyboard(locale) if item.main_keyboard else None
        )
        pieces = split_text(item.text)
        for number, piece in enumerate(pieces, start=1):
            await _send_text(chat, piece, markup if number == len(pieces) else None)


async def _send_text(chat: Any, text: str, markup: Any) -> None:
    """`sendMessage` as `chat.send_message` makes it (the bot's defaults and rate limiter
    included), without reading the sent message back: PTB would build a `Message`, keyboard
    and all, that nothing here reads (5-6 % of the bot's CPU in benchmarks/conversation.py)."""
    data: dict[str, Any] = {"chat_id": chat.id, "text": text, "reply_markup": markup}
    await chat.get_bot()._post("sendMessage", data)


@cache
def _main_keyboard(locale: str) -> ReplyKeyboardMarkup:
    # Telegram objects are immutable: one per language serves every message.
    return main_keyboard(locale)
