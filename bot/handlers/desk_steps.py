"""An admin's or chair's step run as a turn: the command's roles check, its buttons used once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.edge.context import BotContext
from bot.edge.send import Item
from bot.edge.turn import take_turn

__all__ = ["DeskStep", "Handler", "plain", "run_desk"]

DeskStep = Callable[[Desk, Request], list[Item]]
Handler = Callable[[Update, BotContext, Request], Awaitable[None]]


async def run_desk(update: Update, context: BotContext, request: Request, step: DeskStep) -> None:
    """Run `step` for `request` if the caller may use its command here."""
    await take_turn(
        update,
        context,
        lambda turn: step(Desk(turn), request),
        command=request.command,
        used_once=True,
    )


def plain(step: DeskStep) -> Handler:
    """A handler that needs nothing from Telegram before its step runs."""

    async def handle(update: Update, context: BotContext, request: Request) -> None:
        await run_desk(update, context, request, step)

    return handle
