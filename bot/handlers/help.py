"""`/help`, and what the bot says to a sticker, a photo or a voice note."""

from __future__ import annotations

from telegram import Update

from bot.desk import help as guide
from bot.desk.scope import Desk
from bot.edge.context import BotContext
from bot.edge.turn import take_turn

__all__ = ["show_help", "unsupported"]


async def show_help(update: Update, context: BotContext) -> None:
    """`/help`: only the commands the caller may use, in this kind of chat."""
    await take_turn(update, context, lambda turn: guide.guide(Desk(turn)))


async def unsupported(update: Update, context: BotContext) -> None:
    """A sticker, photo, voice note…: say what the bot understands."""
    photo = bool(update.effective_message and update.effective_message.photo)
    await take_turn(update, context, lambda turn: guide.not_understood(Desk(turn), photo=photo))
