"""Around a submission: `/status`, `/cancel`, `/help`, `/lang`, and anything unexpected."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.callbacks import decode, encode
from bot.domain.i18n import LOCALES, gettext_for, normalize_locale
from bot.edge.context import BotContext
from bot.handlers.common import answer_with, locale_of, person_of, run_conversation
from bot.storage import once_more_if_disconnected, session_scope

__all__ = [
    "cancel",
    "choose_language",
    "set_language",
    "show_help",
    "status",
    "unsupported",
]

_LANGUAGE_NAMES = {"vi": "🇻🇳 Tiếng Việt", "en": "🇬🇧 English"}


async def status(update: Update, context: BotContext) -> None:
    """`/status`: the unit's state in each open period and the time left."""
    await run_conversation(update, context, lambda conversation: conversation.status())


async def cancel(update: Update, context: BotContext) -> None:
    """`/cancel`: stop, keep the draft."""
    await run_conversation(update, context, lambda conversation: conversation.cancel())


async def show_help(update: Update, context: BotContext) -> None:
    """`/help`: only the commands the caller may use, in this kind of chat."""
    from bot.desk.help import focal_help, help_for  # only /help needs the roles policy here
    from bot.domain.roles import Chat
    from bot.storage.callers import caller_for

    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    kind = Chat.PRIVATE if chat.type == "private" else Chat.GROUP
    engine, settings, now = context.engine, context.settings, context.now()

    def work() -> str:
        with session_scope(engine) as session:
            person = person_of(session, user)
            locale = normalize_locale(person.language)
            year = now.astimezone(settings.tz).year
            caller = caller_for(session, person=person, admins=settings.admins, year=year)
            return help_for(caller, kind, locale, focal_help(locale))

    await answer_with(update, await asyncio.to_thread(once_more_if_disconnected, work))


async def choose_language(update: Update, context: BotContext) -> None:
    """`/lang`: offer the languages."""
    buttons = [
        [InlineKeyboardButton(_LANGUAGE_NAMES[code], callback_data=encode("lang", code))]
        for code in LOCALES
    ]
    _ = gettext_for(await _person_locale(update, context))
    await answer_with(update, _("Chọn ngôn ngữ:"), reply_markup=InlineKeyboardMarkup(buttons))


async def set_language(update: Update, context: BotContext) -> None:
    """A language button: remember the choice for every later message."""
    callback = decode(update.callback_query.data if update.callback_query else None)
    code = normalize_locale(callback.args[0] if callback.args else None)
    user = update.effective_user
    if user is None:
        return
    engine = context.engine

    def work() -> None:
        with session_scope(engine) as session:
            person = person_of(session, user)
            person.language = code
            session.add(person)

    await asyncio.to_thread(once_more_if_disconnected, work)
    _ = gettext_for(code)
    await answer_with(update, _("Đã chuyển sang tiếng Việt."))


async def unsupported(update: Update, context: BotContext) -> None:
    """A sticker, photo, voice note…: say what the bot understands."""
    locale = await _person_locale(update, context)
    message = update.effective_message
    _ = gettext_for(locale)
    if message is not None and message.photo:
        text = _(
            "Bot không nhận ảnh. Nếu cần gửi báo cáo, hãy gửi tệp PDF, DOCX hoặc XLSX "
            "dưới dạng tài liệu (📎 → Tệp)."
        )
    else:
        text = _("Bot chỉ hiểu chữ, nút bấm và tệp tài liệu. Gõ /help để xem hướng dẫn.")
    await answer_with(update, text)


async def _person_locale(update: Update, context: BotContext) -> str:
    user = update.effective_user
    if user is None:
        return locale_of(update)
    engine = context.engine

    def work() -> str:
        with session_scope(engine) as session:
            person = person_of(session, user)
            return normalize_locale(person.language)

    return await asyncio.to_thread(once_more_if_disconnected, work)
