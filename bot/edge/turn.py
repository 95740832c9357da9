"""The turn runner: every update that reads or writes the database runs through `take_turn`.

One turn, in order: the person's lock → a worker thread → one session → the person and their
language → the roles check (for a command that names itself) → the step, whose `Ask` becomes
its reply → the update claimed, last, in the step's own transaction → commit → send.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram import Chat as TelegramChat
from telegram import Update, User

from bot.domain.i18n import Translate, gettext_for, normalize_locale
from bot.domain.replies import Reply
from bot.domain.roles import Caller, Chat, may, refusal
from bot.edge.context import BotContext
from bot.edge.keyboards import private_chat_button
from bot.edge.send import Item, alert, send
from bot.settings import Settings
from bot.storage import once_more_if_disconnected, session_scope
from bot.storage.callers import caller_for
from bot.storage.models import Person
from bot.storage.people import person_for
from bot.storage.updates import claim_update

__all__ = ["Ask", "Step", "Turn", "in_worker", "locale_of", "peek", "take_turn"]

T = TypeVar("T")


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


class _SeenBefore(Exception):
    """The update was handled before: roll its step back and answer nothing."""


async def take_turn(
    update: Update,
    context: BotContext,
    step: Step,
    *,
    command: str | None = None,
    used_once: bool = False,
) -> None:
    """Run `step` as one turn and send what it returns.

    `command`: check the caller's right to it here first; a refused button press gets only an
    alert. `used_once`: a press takes the buttons off the pressed message (admin and chair
    steps). Submission buttons keep theirs: taking them away costs a round trip per press, and
    each is answered sensibly when pressed again (a question answered, a draft submitted).
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    engine, now, username = context.engine, context.now(), context.bot.username

    def work() -> _Played | None:
        try:
            with session_scope(engine) as session:
                turn = _open(session, user, chat, context.settings, now, username)
                played = _play(turn, step, command)
                # The one place an update is claimed: at the end, in the step's transaction,
                # so on SQLite the write lock is held for a moment, not for the whole step.
                if not claim_update(session, update.update_id):
                    raise _SeenBefore
                return played
        except _SeenBefore:
            return None  # delivered again after a crash and already answered: undone

    async with context.bot_data.person_locks[user.id]:
        played = await in_worker(engine, work)
        if played is None:
            return
        if played.refusal is not None and update.callback_query is not None:
            await alert(update, played.refusal)
            return
        await send(update, played.items, locale=played.locale, clear_buttons=used_once)


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
        full_name=user.full_name,
        username=user.username,
        language=normalize_locale(user.language_code),
    )
    kind = Chat.PRIVATE if chat.type == "private" else Chat.GROUP
    locale = normalize_locale(person.language)
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


def locale_of(update: Update) -> str:
    """The language to answer in without a turn: the person's Telegram language."""
    user = update.effective_user
    return normalize_locale(user.language_code if user else None)


async def in_worker(engine: Engine, work: Callable[[], T]) -> T:
    """Run database work off the event loop (once more if its connection had dropped), so one
    slow query does not stall every other officer."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_threads(engine), once_more_if_disconnected, work)


# Steps are CPU-bound Python and the GIL runs one thread at a time anyway: every extra thread
# competing for it delays the event loop (six threads stalled it for 100 ms and more under
# load; benchmarks/conversation.py). SQLite writes one transaction at a time in any case;
# PostgreSQL gets a second thread, so that a step waiting on a row lock holds up nobody else.
_executors: dict[str, ThreadPoolExecutor] = {}


def _threads(engine: Engine) -> ThreadPoolExecutor:
    """The threads that run turns on this kind of database."""
    dialect = engine.dialect.name
    if dialect not in _executors:
        threads = 1 if dialect == "sqlite" else 2
        _executors[dialect] = ThreadPoolExecutor(threads, thread_name_prefix=f"steps-{dialect}")
    return _executors[dialect]
