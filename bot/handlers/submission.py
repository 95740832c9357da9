"""Submitting figures: `/submit`, answers typed or pressed, files, review and confirm."""

from __future__ import annotations

from telegram import Update

from bot.domain.callbacks import decode
from bot.edge.context import BotContext
from bot.flow import Document
from bot.handlers.common import run_conversation

__all__ = ["on_button", "on_document", "on_text", "submit"]


async def submit(update: Update, context: BotContext) -> None:
    """`/submit` or the «Nộp số liệu» button."""
    await run_conversation(update, context, lambda conversation: conversation.begin())


async def on_text(update: Update, context: BotContext) -> None:
    """A typed answer (or explanation) in the private chat."""
    message = update.effective_message
    text = message.text if message and message.text else ""
    await run_conversation(update, context, lambda conversation: conversation.answer_text(text))


async def on_document(update: Update, context: BotContext) -> None:
    """A file sent in the private chat, for a file question."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    doc = message.document
    document = Document(doc.file_id, doc.file_name, doc.file_size, doc.mime_type)
    await run_conversation(
        update, context, lambda conversation: conversation.answer_document(document)
    )


async def on_button(update: Update, context: BotContext) -> None:
    """A button of a submission message, however old."""
    callback = decode(update.callback_query.data if update.callback_query else None)
    await run_conversation(update, context, lambda conversation: conversation.press(callback))
