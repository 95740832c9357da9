"""A document in the private chat: an admin's set-up file to import, or else a file answer."""

from __future__ import annotations

from functools import partial

from telegram import Update
from telegram.error import TelegramError

from bot.desk.imports import parse_setup, preview
from bot.desk.request import Request
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.domain.roles import Chat, may
from bot.domain.sizes import file_size
from bot.edge.context import BotContext
from bot.edge.heavy import in_heavy_worker
from bot.edge.send import send
from bot.edge.turn import Turn, locale_of, peek
from bot.handlers import submission
from bot.handlers.desk_steps import run_desk
from bot.setup.limits import SETUP_LIMITS
from bot.storage import directory
from bot.storage.setup_import import known_clusters

__all__ = ["SETUP_EXTENSIONS", "on_document"]

SETUP_EXTENSIONS = (".yaml", ".yml", ".xlsx")

SIZE_LIMIT = SETUP_LIMITS.file_bytes  # checked before downloading too (bot/setup/limits.py)


async def on_document(update: Update, context: BotContext) -> None:
    """A document in the private chat: an admin's set-up file, or else a file answer."""
    message = update.effective_message
    document = message.document if message else None
    name = (document.file_name or "") if document else ""
    if document is None or not name.lower().endswith(SETUP_EXTENSIONS):
        await submission.on_document(update, context)
        return
    if not await peek(update, context, _takes_set_up_files):
        await submission.on_document(update, context)
        return
    reading = await peek(update, context, _reading_context)
    locale, known = reading or (await locale_of(update, context), {})
    _ = gettext_for(locale)
    if (document.file_size or 0) > SIZE_LIMIT:
        limit = file_size(SIZE_LIMIT, locale)
        await send(
            update, [Reply(_("Tệp thiết lập quá lớn (tối đa {limit}).").format(limit=limit))]
        )
        return
    try:
        telegram_file = await context.bot.get_file(document.file_id)
        content = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as error:
        text = _("Không tải được tệp từ Telegram ({reason}). Vui lòng gửi lại.")
        await send(update, [Reply(text.format(reason=error.message))])
        return
    # Read on the heavy thread, outside any session: officers' steps do not wait for it.
    read = partial(parse_setup, name, content, locale=locale, known=known)
    parsed = await in_heavy_worker(read)
    request = Request("import", ("file",))
    await run_desk(update, context, request, lambda desk, _r: preview(desk, name, content, parsed))


def _reading_context(turn: Turn) -> tuple[str, dict[str, frozenset[str]]]:
    """What reading a set-up file needs from the database: the language and the clusters."""
    return turn.locale, known_clusters(turn.session)


def _takes_set_up_files(turn: Turn) -> bool:
    """An admin's file, unless their open draft is waiting for a file answer."""
    return may(turn.caller, "import", Chat.PRIVATE) and not directory.awaits_file(
        turn.session, turn.person
    )
