"""The command menus Telegram shows each kind of chat, and each admin's and chair's chat."""

from __future__ import annotations

from sqlmodel import Session
from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)

from bot.desk.help import descriptions
from bot.domain.roles import Caller, Chat, commands_for
from bot.storage.callers import caller_for
from bot.storage.directory import admin_people, leader_people

__all__ = ["bot_commands", "menus"]

_HIDDEN = frozenset({"start"})  # reached by invite links, not typed from the menu


def bot_commands(caller: Caller, chat: Chat, locale: str) -> list[BotCommand]:
    """The menu Telegram shows this caller in this kind of chat."""
    described = descriptions(locale)
    names = [name for name in commands_for(caller, chat) if name not in _HIDDEN]
    return [BotCommand(name, described[name]) for name in names]


def menus(
    session: Session, *, admins: frozenset[int], year: int
) -> list[tuple[BotCommandScope, Caller]]:
    """Whose menu goes where: every private chat, every group, and each admin's or chair's chat."""
    everyone = [
        # Most people in a private chat are focal points: they see the submitting commands.
        (BotCommandScopeAllPrivateChats(), Caller(telegram_id=0, units=frozenset({0}))),
        (BotCommandScopeAllGroupChats(), Caller(telegram_id=0)),
    ]
    people = {p.telegram_id: p for p in admin_people(session)}
    people |= {p.telegram_id: p for p in leader_people(session, since_year=year - 1)}
    callers = [
        caller_for(session, person=person, admins=admins, year=year) for person in people.values()
    ]
    callers += [Caller(telegram_id=i, is_admin=True) for i in sorted(admins) if i not in people]
    return everyone + [(BotCommandScopeChat(caller.telegram_id), caller) for caller in callers]
