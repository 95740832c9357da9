"""«Có mặt» pressed on a roll-call: anyone may press; only a unit's member is recorded."""

from __future__ import annotations

from telegram import Update

from bot.desk.checkin import present_refusal, press_present
from bot.desk.request import Request
from bot.domain.replies import Reply
from bot.edge.context import BotContext
from bot.edge.send import alert
from bot.edge.turn import Turn, peek, take_turn

__all__ = ["on_present"]


async def on_present(update: Update, context: BotContext, request: Request) -> None:
    """A press: a polite alert when nothing is to be recorded, else the check-in (no message:
    the roll-call, edited, shows it). Typed as a command, it says where the button is."""
    query = update.callback_query
    message = query.message if query is not None else None
    if message is None:
        await take_turn(update, context, _typed)
        return
    word = request.word(0) or ""
    conference_id = int(word) if word.isdigit() else None
    refusal = await peek(update, context, lambda turn: present_refusal(turn, conference_id))
    if refusal is not None or conference_id is None:
        await alert(update, refusal or "")
        return
    pressed = (message.chat.id, message.message_id)
    await take_turn(update, context, lambda turn: press_present(turn, conference_id, pressed))


def _typed(turn: Turn) -> list[Reply]:
    return [Reply(turn._("Bấm nút «✅ Có mặt» trên tin điểm danh trong nhóm để điểm danh."))]
