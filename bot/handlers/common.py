"""What every handler does: find the person, run the step off the event loop, reply."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram import CallbackQuery, ReplyKeyboardMarkup, Update, User
from telegram.error import BadRequest

from bot.domain.i18n import gettext_for, normalize_locale
from bot.domain.replies import Reply
from bot.edge.context import BotContext
from bot.edge.keyboards import inline_markup, main_keyboard
from bot.flow import Conversation
from bot.storage import once_more_if_disconnected, session_scope
from bot.storage.models import Person
from bot.storage.people import person_for
from bot.storage.updates import claim_update

__all__ = ["answer_with", "locale_of", "person_of", "reply_all", "run_conversation", "sorry"]

log = logging.getLogger(__name__)


def locale_of(update: Update) -> str:
    """The language to answer in before the person is known: their Telegram language."""
    user = update.effective_user
    return normalize_locale(user.language_code if user else None)


def person_of(session: Session, user: User) -> Person:
    """The person behind a Telegram user, created on first contact, name kept current."""
    return person_for(
        session,
        telegram_id=user.id,
        full_name=user.full_name,
        username=user.username,
        language=normalize_locale(user.language_code),
    )


async def run_conversation(
    update: Update, context: BotContext, step: Callable[[Conversation], list[Reply]]
) -> None:
    """Run one submission step in a worker thread, commit it, then send its replies."""
    user = update.effective_user
    if user is None:
        return
    settings, engine, now = context.settings, context.engine, context.now()

    def work() -> tuple[list[Reply], str]:
        try:
            with session_scope(engine) as session:
                person = person_of(session, user)
                locale = normalize_locale(person.language)
                conversation = Conversation(
                    session,
                    person=person,
                    locale=locale,
                    now=now,
                    outlier_factor=settings.outlier_factor,
                )
                replies = step(conversation)
                # Marked at the end, in the same transaction: a step writes last, so on
                # SQLite the write lock is held for a moment, not the whole step.
                if not claim_update(session, update.update_id):
                    raise _SeenBefore
                return replies, locale
        except _SeenBefore:
            return [], ""  # delivered again after a crash and already answered: undone

    async with context.bot_data.person_locks[user.id]:
        # The database is synchronous: keep it off the event loop so one slow query
        # does not stall every other officer.
        loop = asyncio.get_running_loop()
        replies, locale = await loop.run_in_executor(
            _step_threads(engine), once_more_if_disconnected, work
        )
        if locale:
            await reply_all(update, replies, locale)


# Steps are CPU-bound Python and the GIL runs one thread at a time anyway: every extra thread
# competing for it delays the event loop (six threads stalled it for 100 ms and more under
# load; benchmarks/conversation.py). SQLite writes one transaction at a time in any case;
# PostgreSQL gets a second thread, so that a step waiting on a row lock holds up nobody else.
_executors: dict[str, ThreadPoolExecutor] = {}


def _step_threads(engine: Engine) -> ThreadPoolExecutor:
    """The threads that run conversation steps on this kind of database."""
    dialect = engine.dialect.name
    if dialect not in _executors:
        threads = 1 if dialect == "sqlite" else 2
        _executors[dialect] = ThreadPoolExecutor(threads, thread_name_prefix=f"steps-{dialect}")
    return _executors[dialect]


class _SeenBefore(Exception):
    """The update was handled before: roll its step back and answer nothing."""


async def reply_all(update: Update, replies: list[Reply], locale: str) -> None:
    """Send replies in order; a button press also gets its toast.

    The pressed message keeps its buttons: taking them away cost a round trip per press, and
    every button is answered sensibly when pressed again (a question already answered, a review
    whose figures changed since, a draft already submitted).
    """
    query = update.callback_query
    # The press's toast goes out beside the replies, not before them: one round trip less.
    toast = (
        asyncio.ensure_future(
            _answer_press(query, next((r.notice for r in replies if r.notice), None))
        )
        if query is not None
        else None
    )
    try:
        if (chat := update.effective_chat) is not None:
            for reply in replies:
                markup: Any = inline_markup(reply) or (
                    _main_keyboard(locale) if reply.main_keyboard else None
                )
                await chat.send_message(reply.text, reply_markup=markup)
    finally:
        if toast is not None:
            await toast


async def _answer_press(query: CallbackQuery, notice: str | None) -> None:
    """Stop the button's spinner; a press answered too late (a weak signal) still gets its
    replies, which matter more than the toast."""
    try:
        await query.answer(notice)
    except BadRequest as error:  # "query is too old", after a slow network or a restart
        log.info("could not answer a button press: %s", error.message)


@cache
def _main_keyboard(locale: str) -> ReplyKeyboardMarkup:
    # Telegram objects are immutable: one per language serves every message.
    return main_keyboard(locale)


async def answer_with(update: Update, text: str, **options: Any) -> None:
    """Reply to the message (or button press) that caused this update."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    if update.effective_chat is not None:
        await update.effective_chat.send_message(text, **options)


def sorry(locale: str) -> str:
    """The apology sent when something unexpected failed."""
    _ = gettext_for(locale)
    return _(
        "Xin lỗi, bot gặp sự cố khi xử lý yêu cầu. Số liệu đã lưu trước đó không bị mất; "
        "vui lòng thử lại sau ít phút."
    )
