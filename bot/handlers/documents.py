"""A document in the private chat: an admin's set-up file to import, or else a file answer."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.error import TelegramError

from bot.desk.imports import preview
from bot.desk.request import Request
from bot.domain.i18n import gettext_for
from bot.domain.roles import Chat, may
from bot.edge.context import BotContext
from bot.handlers import submission
from bot.handlers.common import answer_with, locale_of, person_of
from bot.handlers.steps import run_step
from bot.storage import directory, once_more_if_disconnected, session_scope
from bot.storage.callers import caller_for

__all__ = ["SETUP_EXTENSIONS", "on_document"]

SETUP_EXTENSIONS = (".yaml", ".yml", ".xlsx")

SIZE_LIMIT = 5 * 1024 * 1024  # a province's whole set-up is well under a megabyte


async def on_document(update: Update, context: BotContext) -> None:
    """A document in the private chat: an admin's set-up file, or else a file answer."""
    message = update.effective_message
    document = message.document if message else None
    name = (document.file_name or "") if document else ""
    if document is None or not name.lower().endswith(SETUP_EXTENSIONS):
        await submission.on_document(update, context)
        return
    if not await _is_set_up_file(update, context):
        await submission.on_document(update, context)
        return
    _ = gettext_for(locale_of(update))
    if (document.file_size or 0) > SIZE_LIMIT:
        await answer_with(update, _("Tệp thiết lập quá lớn (tối đa 5 MB)."))
        return
    try:
        telegram_file = await context.bot.get_file(document.file_id)
        content = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as error:
        await answer_with(
            update,
            _("Không tải được tệp từ Telegram ({reason}). Vui lòng gửi lại.").format(
                reason=error.message
            ),
        )
        return
    request = Request("import", ("file",))
    await run_step(update, context, request, lambda desk, _req: preview(desk, name, content))


async def _is_set_up_file(update: Update, context: BotContext) -> bool:
    """An admin's file, unless their open draft is waiting for a file answer."""
    user = update.effective_user
    if user is None:
        return False
    engine, settings, now = context.engine, context.settings, context.now()

    def work() -> bool:
        with session_scope(engine) as session:
            person = person_of(session, user)
            year = now.astimezone(settings.tz).year
            caller = caller_for(session, person=person, admins=settings.admins, year=year)
            return may(caller, "import", Chat.PRIVATE) and not directory.awaits_file(
                session, person
            )

    return await asyncio.to_thread(once_more_if_disconnected, work)
