"""Registering delegates: `/rsvp`, the invitation's link, its buttons, and typed answers."""

from __future__ import annotations

from telegram import Update

from bot.domain.callbacks import decode
from bot.domain.replies import Reply
from bot.edge.context import BotContext
from bot.edge.send import Item
from bot.edge.turn import Step, Turn, take_turn
from bot.flow import rsvp as flow
from bot.flow.context import Context
from bot.flow.rsvp_draft import Registering
from bot.flow.rsvp_states import SHAPES
from bot.notices.conference_texts import RSVP_LINK
from bot.storage.conference_tables import Conference

__all__ = ["cancel_or", "from_link", "on_button", "registering", "rsvp", "typed_or"]


def registering(turn: Turn) -> Registering:
    """The person's registration steps at this turn."""
    settings = turn.settings
    ctx = Context(
        turn.session, turn.person, turn.locale, turn.now, settings.outlier_factor, settings.locale
    )
    return Registering(ctx, leads=lambda c: _leads(turn, c))


def _leads(turn: Turn, conference: Conference) -> bool:
    """An admin, or the chair or vice-chair of the conference's cluster (this year or last)."""
    caller = turn.caller
    return caller.is_admin or conference.cluster_id in caller.chaired_clusters()


async def rsvp(update: Update, context: BotContext) -> None:
    """`/rsvp`: the unit's registration; `/rsvp <unit>`: a leader's, for a unit they lead."""
    unit = context.args[0] if context.args else None
    await take_turn(update, context, lambda turn: _begin(turn, unit))


def _begin(turn: Turn, unit: str | None) -> list[Reply]:
    r = registering(turn)
    return flow.begin(r) if unit is None else flow.begin_for_unit(r, unit)


async def from_link(update: Update, context: BotContext, token: str) -> None:
    """`/start rsvp-<conference>`: the invitation's «Đăng ký đại biểu» button."""
    number = token.removeprefix(RSVP_LINK)
    conference_id = int(number) if number.isdigit() else None
    await take_turn(update, context, lambda turn: flow.begin(registering(turn), conference_id))


async def on_button(update: Update, context: BotContext) -> None:
    """A registration button, however old."""
    data = update.callback_query.data if update.callback_query else None
    callback = decode(data, SHAPES)
    await take_turn(update, context, lambda turn: flow.press(registering(turn), callback))


def typed_or(text: str, otherwise: Step) -> Step:
    """The typed text goes to the registration the person is answering, else to `otherwise`."""

    def step(turn: Turn) -> list[Item] | list[Reply]:
        replies = flow.typed(registering(turn), text)
        return list(otherwise(turn)) if replies is None else replies

    return step


def cancel_or(otherwise: Step) -> Step:
    """`/cancel` pauses the registration the person is answering, else runs `otherwise`."""

    def step(turn: Turn) -> list[Item] | list[Reply]:
        replies = flow.cancel(registering(turn))
        return list(otherwise(turn)) if replies is None else replies

    return step
