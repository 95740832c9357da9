"""`/lang` and its buttons."""

from __future__ import annotations

from telegram import Update

from bot.desk.language import offer_languages, set_language
from bot.desk.scope import Desk
from bot.domain.callbacks import decode
from bot.edge.context import BotContext
from bot.edge.turn import take_turn

__all__ = ["choose_language", "on_language_button"]


async def choose_language(update: Update, context: BotContext) -> None:
    """`/lang`: offer the languages."""
    await take_turn(update, context, lambda turn: offer_languages(Desk(turn)))


async def on_language_button(update: Update, context: BotContext) -> None:
    """A language button: remember the choice for every later message."""
    callback = decode(update.callback_query.data if update.callback_query else None)
    code = callback.args[0] if callback.args else None
    await take_turn(update, context, lambda turn: set_language(Desk(turn), code))
