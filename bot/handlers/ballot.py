"""A unit's ballot in the private chat: its buttons (`vb:…`), each press one turn."""

from __future__ import annotations

from telegram import Update

from bot.desk.ballot import press_ballot
from bot.domain.callbacks import decode
from bot.edge.context import BotContext
from bot.edge.turn import take_turn
from bot.notices.ballot_texts import CAST

__all__ = ["on_button"]


async def on_button(update: Update, context: BotContext) -> None:
    """A press on a ballot; the pressed message loses its buttons (a new one follows)."""
    callback = decode(update.callback_query.data if update.callback_query else None)
    casting = bool(callback.args) and callback.args[0] == CAST
    await take_turn(
        update,
        context,
        lambda turn: press_ballot(turn, callback),
        used_once=True,
        # The receipt is not kept in the database beside the update (with its time, beside
        # "unit X has voted"): a receipt lost in a crash is better than a ballot linked.
        keep_reply=not casting,
    )
