"""Submitting figures: `/submit`, answers typed or pressed, files, `/status` and `/cancel`."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update

from bot.domain.callbacks import decode
from bot.domain.replies import Reply
from bot.edge.context import BotContext
from bot.edge.turn import Turn, take_turn
from bot.flow import Conversation, Document
from bot.flow.actions import SHAPES
from bot.flow.standing import admin_status
from bot.handlers import rsvp

__all__ = [
    "cancel",
    "conversation_of",
    "converse",
    "on_button",
    "on_document",
    "on_text",
    "status",
    "submit",
]


async def converse(
    update: Update, context: BotContext, step: Callable[[Conversation], list[Reply]]
) -> None:
    """Run one step of the person's submission conversation as a turn."""
    await take_turn(update, context, lambda turn: step(conversation_of(turn)))


def conversation_of(turn: Turn) -> Conversation:
    """The person's submission conversation at this turn."""
    return Conversation(
        turn.session,
        person=turn.person,
        locale=turn.locale,
        now=turn.now,
        outlier_factor=turn.settings.outlier_factor,
        default_locale=turn.settings.locale,
    )


async def submit(update: Update, context: BotContext) -> None:
    """`/submit` or the «Nộp số liệu» button."""
    await converse(update, context, Conversation.begin)


async def status(update: Update, context: BotContext) -> None:
    """`/status`: the unit's state in each open period and the time left (for an admin of no
    unit, what an admin looks at instead)."""
    await take_turn(update, context, _status)


def _status(turn: Turn) -> list[Reply]:
    conversation = conversation_of(turn)
    if not conversation.is_member() and turn.caller.is_admin:
        return [admin_status(turn.locale)]
    return conversation.status()


async def cancel(update: Update, context: BotContext) -> None:
    """`/cancel`: stop, keep the draft (a registration of delegates first, when one is open)."""
    await take_turn(update, context, rsvp.cancel_or(lambda turn: conversation_of(turn).cancel()))


async def on_text(update: Update, context: BotContext) -> None:
    """A typed answer (or explanation) in the private chat."""
    message = update.effective_message
    text = message.text if message and message.text else ""
    # A registration of delegates the person is answering takes the text first.
    answer = rsvp.typed_or(text, lambda turn: conversation_of(turn).answer_text(text))
    await take_turn(update, context, answer)


async def on_document(update: Update, context: BotContext) -> None:
    """A file sent in the private chat, for a file question."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    doc = message.document
    document = Document(doc.file_id, doc.file_name, doc.file_size, doc.mime_type)
    await converse(update, context, lambda conversation: conversation.answer_document(document))


async def on_button(update: Update, context: BotContext) -> None:
    """A button of a submission message, however old."""
    callback = decode(update.callback_query.data if update.callback_query else None, SHAPES)
    await converse(update, context, lambda conversation: conversation.press(callback))
