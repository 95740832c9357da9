"""Running an admin's or chair's step: the roles check, the work off the event loop, the reply."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from telegram import ForceReply, Update
from telegram.error import BadRequest

from bot.desk.request import Attachment, Item, Prompt, Request
from bot.desk.scope import Desk
from bot.domain.i18n import gettext_for, normalize_locale
from bot.domain.replies import Button, Reply, split_text
from bot.domain.roles import Caller, Chat, may, refusal
from bot.edge.context import BotContext
from bot.edge.keyboards import inline_markup
from bot.handlers.common import person_of
from bot.storage import once_more_if_disconnected, session_scope
from bot.storage.callers import caller_for
from bot.storage.updates import claim_update

__all__ = ["Handler", "Step", "deliver", "plain", "run_step"]

Step = Callable[[Desk, Request], list[Item]]
Handler = Callable[[Update, BotContext, Request], Awaitable[None]]


async def run_step(update: Update, context: BotContext, request: Request, step: Step) -> None:
    """Check the caller's right to the command, run its step off the event loop, reply."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    kind = Chat.PRIVATE if chat.type == "private" else Chat.GROUP
    settings, engine, now = context.settings, context.engine, context.now()
    username = context.bot.username

    def work() -> tuple[list[Item], str, bool]:
        with session_scope(engine) as session:
            if not claim_update(session, update.update_id):
                return [], "", True  # delivered again after a crash: already answered
            person = person_of(session, user)
            locale = normalize_locale(person.language)
            year = now.astimezone(settings.tz).year
            caller = caller_for(session, person=person, admins=settings.admins, year=year)
            if not may(caller, request.command, kind):
                return [_refused(caller, request.command, kind, locale, username)], locale, False
            desk = Desk(
                session, person, caller, locale, now, settings, chat.id, kind, chat.title or "",
                username,
            )  # fmt: skip
            return step(desk, request), locale, True

    async with context.bot_data.person_locks[user.id]:
        items, locale, allowed = await asyncio.to_thread(once_more_if_disconnected, work)
    if locale:
        await deliver(update, items, allowed=allowed)


async def deliver(update: Update, items: list[Item], *, allowed: bool = True) -> None:
    """Send the step's messages and files; a refused button press only gets an alert."""
    query, chat = update.callback_query, update.effective_chat
    if query is not None:
        if not allowed:
            text = items[0].text if items and isinstance(items[0], Reply) else None
            await query.answer(text, show_alert=True)
            return
        await query.answer()
        with suppress(BadRequest):  # the buttons of a step are used once
            await query.edit_message_reply_markup(None)
    if chat is None:
        return
    for item in items:
        await _send(chat, item)


async def _send(chat: Any, item: Item) -> None:
    if isinstance(item, Attachment):
        if item.photo:
            await chat.send_photo(
                item.content, filename=item.file_name, caption=item.caption or None
            )
        else:
            await chat.send_document(
                item.content, filename=item.file_name, caption=item.caption or None
            )
        return
    if isinstance(item, Prompt):
        force = ForceReply(selective=True, input_field_placeholder=item.placeholder[:64] or None)
        await chat.send_message(item.text, reply_markup=force)
        return
    pieces = split_text(item.text)
    markup: Any = inline_markup(item)
    for number, piece in enumerate(pieces, start=1):
        await chat.send_message(piece, reply_markup=markup if number == len(pieces) else None)


def _refused(caller: Caller, command: str, chat: Chat, locale: str, bot_username: str) -> Reply:
    """The refusal; with a button to the private chat when the command works there."""
    text = refusal(caller, command, chat, locale)
    if chat is Chat.GROUP and may(caller, command, Chat.PRIVATE):
        _ = gettext_for(locale)
        link = Button(_("💬 Mở trò chuyện riêng với bot"), url=f"https://t.me/{bot_username}")
        return Reply(text, ((link,),))
    return Reply(text)


def plain(step: Step) -> Handler:
    """A handler that needs nothing from Telegram before its step runs."""

    async def handle(update: Update, context: BotContext, request: Request) -> None:
        await run_step(update, context, request, step)

    return handle
