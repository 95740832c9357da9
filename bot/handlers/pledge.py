"""Registering next year's targets: `/targets`, in the submission's own conversation."""

from __future__ import annotations

from telegram import Update

from bot.edge.context import BotContext
from bot.flow import Conversation
from bot.handlers.submission import converse

__all__ = ["targets"]


async def targets(update: Update, context: BotContext) -> None:
    """`/targets`: the unit's targets for next year's pledge, question by question."""
    await converse(update, context, Conversation.begin_targets)
