"""The turn runner: every update that reads or writes the database runs through `take_turn`.

One turn, in order: the person's lock (in this process; on PostgreSQL also across processes,
bot/edge/turn_lock.py) → a worker thread → one session → the person and their language → the
roles check (for a command that names itself) → the step, whose `Ask` becomes its reply → the
update claimed, last, in the step's own transaction, with that reply kept → commit → send →
the locks let go. An update claimed before (a crash came between commit and send) gets the
reply its step kept, unless it is known to have been sent (bot/edge/ledger.py); the same update
delivered to two workers at once is handled by the first and answered by nothing in the other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram import Chat as TelegramChat
from telegram import Update, User

from bot.domain.i18n import Translate, first_language, gettext_for, group_locale, person_locale
from bot.domain.person_names import vietnamese_order
from bot.domain.replies import Reply
from bot.domain.roles import Caller, Chat, may, refusal
from bot.edge.context import BotContext
from bot.edge.kept import keep, unkeep
from bot.edge.keyboards import private_chat_button
from bot.edge.send import Item, alert, send
from bot.edge.turn_lock import person_turn
from bot.edge.workers import in_worker
from bot.settings import Settings
from bot.storage import session_scope
from bot.storage.callers import caller_for
from bot.storage.models import Person
from bot.storage.people import cluster_language_of_group, person_for
from bot.storage.received import kept_reply
from bot.storage.updates import claim_update

__all__ = ["Ask", "Step", "Turn", "in_worker", "locale_of", "peek", "take_turn"]

T = TypeVar("T")

log = logging.getLogger(__name__)


class Ask(Exception):
    """A step lacks an argument (or it is wrong): these messages, with buttons, ask for it.

    Raised anywhere in a step; the runner sends them as the step's reply, and the turn's
    writes until then are kept (the person, first seen) like any other step's."""

    def __init__(self, items: Sequence[Item]) -> None:
        super().__init__()
        self.items = list(items)


@dataclass(frozen=True)
class Turn:
    """What a step knows: its session and moment, the person, their language and the chat."""

    session: Session
    person: Person
    locale: str
    now: datetime
    settings: Settings
    chat_id: int
    chat: Chat
    chat_title: str = ""
    bot_username: str = ""

    @cached_property
    def caller(self) -> Caller:
        """The person's roles, read on first use: a submission step never needs them."""
        year = self.now.astimezone(self.settings.tz).year
        return caller_for(self.session, person=self.person, admins=self.settings.admins, year=year)

    @property
    def _(self) -> Translate:
        return gettext_for(self.locale)

    def locale_for(self, person: Person) -> str:
        """Another person's language, for a message queued to them."""
        return person_locale(person.language, self.settings.locale)

    @property
    def actor(self) -> str:
        """Who acted, as the audit log names people."""
        return f"telegram:{self.person.telegram_id}"


Step = Callable[[Turn], Sequence[Item]]


@dataclass(frozen=True)
class _Played:
    items: Sequence[Item]
    locale: str
    refusal: str | None = None  # a refused button press gets this alert alone
    clear_buttons: bool = False


class _SeenBefore(Exception):
    """The update was handled before: roll its step back; send its kept reply, if any."""


async def take_turn(
    update: Update,
    context: BotContext,
    step: Step,
    *,
    command: str | None = None,
    used_once: bool = False,
    keep_reply: bool = True,
) -> None:
    """Run `step` as one turn and send what it returns.

    `command`: check the caller's right to it here first; a refused button press gets only an
    alert. `used_once`: a press takes the buttons off the pressed message (admin and chair
    steps). Submission buttons keep theirs: taking them away costs a round trip per press, and
    each is answered sensibly when pressed again (a question answered, a draft submitted).
    `keep_reply=False`: the reply is not kept with the claim (a secret ballot's receipt).
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    engine, now, username = context.engine, context.now(), context.bot.username
    ledger = context.bot_data.ledger
    if update.update_id in ledger.answered:
        return  # delivered twice to this process, which has answered it

    def work() -> _Played | None:
        try:
            with session_scope(engine) as session:
                turn = _open(session, user, chat, context.settings, now, username)
                played = replace(_play(turn, step, command), clear_buttons=used_once)
                # The one place an update is claimed: at the end, in the step's transaction,
                # so on SQLite the write lock is held for a moment, not for the whole step.
                pressed = update.callback_query is not None
                kept = _kept(played, pressed=pressed) if keep_reply else None
                if not claim_update(session, update.update_id, reply=kept):
                    raise _SeenBefore
                return played
        except _SeenBefore:  # delivered again after a crash: undone, answered as it was
            return _unsent(engine, update.update_id)

    local = context.bot_data.person_locks[user.id]
    across = context.bot_data.across_processes
    async with person_turn(engine, local, user.id, update.update_id, across=across) as held:
        played = await in_worker(engine, work)
        if played is None:
            return
        if played.refusal is not None and update.callback_query is not None:
            await alert(update, played.refusal)
        else:
            clear = played.clear_buttons
            await send(update, played.items, locale=played.locale, clear_buttons=clear)
        ledger.note_answered(update.update_id)
        held.sent = True


def _kept(played: _Played, *, pressed: bool) -> str | None:
    """The reply to keep with the claim; a refused press's alert cannot be shown later."""
    if played.refusal is not None and pressed:
        return None
    return keep(played.items, locale=played.locale, clear_buttons=played.clear_buttons)


def _unsent(engine: Engine, update_id: int) -> _Played | None:
    """The reply kept by a process that handled the update and may have died before sending
    it; None when it is known to have been sent."""
    with session_scope(engine) as session:
        text = kept_reply(session, update_id)
    if text is None:
        return None
    log.info("update %d was handled before a restart: sending its reply again", update_id)
    kept = unkeep(text)
    return _Played(kept.items, kept.locale, clear_buttons=kept.clear_buttons)


async def peek(update: Update, context: BotContext, read: Callable[[Turn], T]) -> T | None:
    """Read about the person before choosing a step: the same thread policy and session, but
    nothing claimed and nothing sent (None without a person or chat)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    engine, now, username = context.engine, context.now(), context.bot.username

    def work() -> T:
        with session_scope(engine) as session:
            return read(_open(session, user, chat, context.settings, now, username))

    return await in_worker(engine, work)


def _open(
    session: Session,
    user: User,
    chat: TelegramChat,
    settings: Settings,
    now: datetime,
    username: str,
) -> Turn:
    """The turn of this person in this chat; the person is created on first contact."""
    person = person_for(
        session,
        telegram_id=user.id,
        full_name=vietnamese_order(user.first_name, user.last_name),
        username=user.username,
        language=first_language(user.language_code, from_telegram=settings.locale_from_telegram),
    )
    kind = Chat.PRIVATE if chat.type == "private" else Chat.GROUP
    if kind is Chat.GROUP:
        locale = group_locale(cluster_language_of_group(session, chat.id))
    else:
        locale = person_locale(person.language, settings.locale)
    return Turn(session, person, locale, now, settings, chat.id, kind, chat.title or "", username)


def _play(turn: Turn, step: Step, command: str | None) -> _Played:
    """The step's items, its question when it asks one, or the refusal."""
    if command is not None and not may(turn.caller, command, turn.chat):
        refused = _refused(turn, command)
        return _Played([refused], turn.locale, refusal=refused.text)
    try:
        return _Played(step(turn), turn.locale)
    except Ask as ask:
        return _Played(ask.items, turn.locale)


def _refused(turn: Turn, command: str) -> Reply:
    """The refusal; with a button to the private chat when the command works there."""
    text = refusal(turn.caller, command, turn.chat, turn.locale)
    if turn.chat is Chat.GROUP and may(turn.caller, command, Chat.PRIVATE):
        return Reply(text, ((private_chat_button(turn.bot_username, turn.locale),),))
    return Reply(text)


async def locale_of(update: Update, context: BotContext) -> str:
    """The language to answer in outside a step (an unknown command, an edited message): the
    language rule's, read like a turn's; the setting's default when the database fails."""
    try:
        locale = await peek(update, context, lambda turn: turn.locale)
    except Exception:  # the apology after a failure must not fail for the same reason
        log.warning("could not read the person's language", exc_info=True)
        locale = None
    return locale or context.settings.locale
