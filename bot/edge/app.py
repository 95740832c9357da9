"""The one wiring site: builds the Telegram application with every handler in order."""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

from sqlalchemy.engine import Engine
from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.domain.callbacks import decode
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.edge.context import BotContext, BotData
from bot.edge.keyboards import SUBMIT_LABELS
from bot.edge.ledger import Ledger, LedgerProcessor
from bot.edge.menus import publish_menus
from bot.edge.send import send, stale_button
from bot.edge.transport import UpdatesRequest, make_request
from bot.edge.turn import locale_of
from bot.edge.workers import in_worker
from bot.flow.actions import Action, DraftKind
from bot.flow.rsvp_states import PATTERN as RSVP_BUTTONS
from bot.handlers import ballot as ballots
from bot.handlers import commands, documents, groups, help, language, onboarding, rsvp, submission
from bot.handlers import pledge as pledges
from bot.notices.ballot_texts import BALLOT_PATTERN
from bot.settings import Settings
from bot.storage import session_scope
from bot.storage.updates import forget_old_updates

__all__ = ["build_application"]

log = logging.getLogger(__name__)
# Edited messages are not answers: an edit of an old answer must not answer the current question.
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def build_application(
    settings: Settings, engine: Engine, **builder_options: Any
) -> Application[Any, BotContext, Any, Any, BotData, Any]:
    """The bot application for `settings`, talking to `settings.telegram_api_base_url`."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    # ContextTypes calls `bot_data()` once: a factory stands in for the class (typed as one).
    ledger = Ledger(engine)
    updates = None
    if "request" not in builder_options and settings.http_client == "aiohttp":
        updates = UpdatesRequest(pool_size=1)
    bot_data = cast(
        type[BotData], lambda: BotData(settings, engine, ledger, updates_request=updates)
    )
    context_types = ContextTypes(context=BotContext, bot_data=bot_data)
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.file_base_url)
        .context_types(context_types)
        # Officers answer at the same time; each person's own steps are still serialised.
        .concurrent_updates(LedgerProcessor(ledger, 64))
        .post_init(_on_start)
    )
    if settings.rate_limiter:
        # One reply every 1/rate seconds: a bucket of `rate` let a burst through on top of the
        # steady rate, twice this process's share within one second (README, the budget).
        limiter: Any = AIORateLimiter(
            overall_max_rate=1, overall_time_period=1 / settings.reply_rate, max_retries=3
        )
        builder = builder.rate_limiter(limiter)
    if "request" not in builder_options:
        # A few connections suffice for replies; getUpdates holds one of its own.
        builder = builder.request(make_request(settings.http_client, pool_size=16))
        builder = builder.get_updates_request(
            updates or make_request(settings.http_client, pool_size=1)
        )
    for name, value in builder_options.items():
        builder = getattr(builder, name)(value)
    application = builder.build()
    _add_handlers(application)
    application.add_error_handler(_on_error)
    return application


def _add_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    add = application.add_handler
    # Button data that cannot be ours (too long, odd, a number past the database's) gets the
    # old-button toast before any button's handler reads it (bot/domain/callbacks.py).
    add(CallbackQueryHandler(_unreadable_button, pattern=_unreadable), group=-1)
    # Groups first: private commands typed in a group only point to the private chat.
    in_groups = filters.ChatType.GROUPS
    add(CommandHandler(groups.PRIVATE_COMMANDS, groups.private_only, filters=in_groups))
    add(CommandHandler("start", onboarding.start, filters=PRIVATE))
    add(CommandHandler("submit", submission.submit, filters=PRIVATE))
    add(CommandHandler("status", submission.status, filters=PRIVATE))
    add(CommandHandler("cancel", submission.cancel, filters=PRIVATE))
    # Next year's targets, registered in the same conversation as a submission.
    add(CommandHandler("targets", pledges.targets, filters=PRIVATE))
    add(CommandHandler("rsvp", rsvp.rsvp, filters=PRIVATE))
    add(CommandHandler("help", help.show_help))
    add(CommandHandler("lang", language.choose_language, filters=PRIVATE))
    # Admin and chair commands, in private chats and groups: bot/domain/roles.py says who, where.
    add(CommandHandler(commands.NAMES, commands.on_command, filters=filters.UpdateType.MESSAGE))
    add(CallbackQueryHandler(language.on_language_button, pattern=r"^lang:"))
    add(CallbackQueryHandler(submission.on_button, pattern=Action.pattern()))
    # A targets draft's buttons: the same actions behind their kind's prefix (`ta:…`).
    add(CallbackQueryHandler(submission.on_button, pattern=Action.pattern(DraftKind.TARGETS)))
    # A unit's ballot (`vb:…`): one per unit, checked afresh at every press.
    add(CallbackQueryHandler(ballots.on_button, pattern=BALLOT_PATTERN))
    add(CallbackQueryHandler(commands.on_button, pattern=r"^c:"))
    add(CallbackQueryHandler(rsvp.on_button, pattern=RSVP_BUTTONS))
    add(CallbackQueryHandler(_stale_button))
    # The persistent «Nộp số liệu» button must win over "any text is an answer".
    add(MessageHandler(PRIVATE & filters.Text(list(SUBMIT_LABELS)), submission.submit))
    add(MessageHandler(PRIVATE & filters.COMMAND, _unknown_command))
    # A reply to the bot's prompt (a reason, a broadcast) completes that command.
    add(MessageHandler(PRIVATE & filters.TEXT & commands.ANSWERS_PROMPT, commands.on_reply))
    add(MessageHandler(PRIVATE & filters.TEXT, submission.on_text))
    # An admin's set-up file is imported; any other document is a file answer.
    add(MessageHandler(PRIVATE & filters.Document.ALL, documents.on_document))
    add(MessageHandler(PRIVATE & ~filters.StatusUpdate.ALL, help.unsupported))
    add(MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.EDITED, _edited_message))


async def _unknown_command(update: Update, context: BotContext) -> None:
    _ = gettext_for(await locale_of(update, context))
    await send(update, [Reply(_("Bot không có lệnh này. Gõ /help để xem các lệnh."))])


async def _edited_message(update: Update, context: BotContext) -> None:
    _ = gettext_for(await locale_of(update, context))
    text = _(
        "Bot không đọc tin nhắn đã sửa. Để sửa một câu trả lời, hãy bấm «Quay lại» hoặc chọn "
        "số câu ở bước xem lại."
    )
    await send(update, [Reply(text)])


async def _stale_button(update: Update, context: BotContext) -> None:
    await stale_button(update, await locale_of(update, context))


def _unreadable(data: object) -> bool:
    return isinstance(data, str) and not decode(data).action


async def _unreadable_button(update: Update, context: BotContext) -> None:
    await stale_button(update, await locale_of(update, context))
    raise ApplicationHandlerStop  # no later handler sees it


async def _on_error(update: object, context: BotContext) -> None:
    """Log the failure and tell the person, so nobody is left waiting for an answer."""
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await update.effective_chat.send_message(_sorry(await locale_of(update, context)))
        except Exception:
            log.warning("could not send the apology", exc_info=True)


def _sorry(locale: str) -> str:
    """The apology sent when something unexpected failed."""
    _ = gettext_for(locale)
    return _(
        "Xin lỗi, bot gặp sự cố khi xử lý yêu cầu. Số liệu đã lưu trước đó không bị mất; "
        "vui lòng thử lại sau ít phút."
    )


async def _on_start(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """At start-up: publish the command menus and forget long-handled updates."""
    data: BotData = application.bot_data
    with session_scope(data.engine) as session:
        forget_old_updates(session, now=data.clock())
    await _publish_commands(application)
    # What start-up loaded lives as long as the process: keeping it out of the collector's
    # full passes avoids ~100 ms pauses of the event loop (benchmarks/conversation.py).
    gc.freeze()


async def _publish_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Show each kind of chat, and each admin's and chair's chat, the commands it may use."""
    data: BotData = application.bot_data

    def run(work: Callable[[], Any]) -> Awaitable[Any]:
        return in_worker(data.engine, work)

    await publish_menus(
        application.bot, data.engine, data.settings, now=data.clock(), run=run, changed_only=False
    )
