"""Give Telegram each kind of chat's command menu, and each admin's and chair's own.

At a bot's start every menu is given again. Later, the leading scheduler looks every
`MENU_CHECK` and gives only the menus that changed: next year's chair gets the chair's
commands on 1 January, an imported set-up's new chair within the hour, and a chair who is one
no longer gets the plain menu back. What each chat was given is kept in the database
(`menu_shown`), so several processes agree on it and a restart does not resend.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError

from bot.domain.i18n import GROUP_LOCALE, LOCALES
from bot.domain.roles import Caller, Chat
from bot.handlers.menus import bot_commands, menus
from bot.settings import Settings
from bot.storage import session_scope
from bot.storage.menus_shown import forget_shown, remember_shown, shown_menus

__all__ = ["MENU_CHECK", "publish_menus"]

log = logging.getLogger(__name__)

MENU_CHECK = timedelta(hours=1)

# Runs database work off the event loop: the bot's worker threads, or a thread of its own.
Run = Callable[[Callable[[], Any]], Awaitable[Any]]


@dataclass(frozen=True)
class _Menu:
    """One scope's menu in each language variant (None: Telegram's default for the scope)."""

    scope: BotCommandScope
    key: str
    variants: tuple[tuple[str | None, tuple[BotCommand, ...]], ...]

    @property
    def digest(self) -> str:
        shown = [(code, [(c.command, c.description) for c in cmds]) for code, cmds in self.variants]
        return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


async def publish_menus(
    bot: Bot,
    engine: Engine,
    settings: Settings,
    *,
    now: datetime,
    run: Run,
    changed_only: bool,
) -> int:
    """Give Telegram the menus (only those changed since last given, with `changed_only`);
    the number of scopes given one."""

    def read() -> tuple[list[_Menu], dict[str, str]]:
        with session_scope(engine) as session:
            year = now.astimezone(settings.tz).year
            scopes = menus(session, admins=settings.admins, year=year)
            wanted = [_menu(scope, caller, settings) for scope, caller in scopes]
            return wanted, shown_menus(session)

    wanted, shown = await run(read)
    given: dict[str, str] = {}
    for menu in wanted:
        if changed_only and shown.get(menu.key) == menu.digest:
            continue
        if await _give(bot, menu):
            given[menu.key] = menu.digest
    keys = {menu.key for menu in wanted}
    dropped = [key for key in shown if key not in keys and key.lstrip("-").isdigit()]
    for key in dropped:  # no longer an admin or a chair: back to the default private menu
        await _take_back(bot, int(key), settings)

    def remember() -> None:
        with session_scope(engine) as session:
            remember_shown(session, given)
            forget_shown(session, dropped)

    if given or dropped:
        await run(remember)
    return len(given)


def _menu(scope: BotCommandScope, caller: Caller, settings: Settings) -> _Menu:
    """The menu of one scope, in the default language and, where Telegram's app language
    counts, in each language the bot speaks."""
    chat = Chat.GROUP if isinstance(scope, BotCommandScopeAllGroupChats) else Chat.PRIVATE
    variants = []
    for code in _codes(settings):
        locale = code or (GROUP_LOCALE if chat is Chat.GROUP else settings.locale)
        variants.append((code, tuple(bot_commands(caller, chat, locale))))
    return _Menu(scope, _key(scope), tuple(variants))


def _codes(settings: Settings) -> list[str | None]:
    """Telegram's language codes a menu is given for: the default, and the app languages."""
    return [None, *LOCALES] if settings.locale_from_telegram else [None]


def _key(scope: BotCommandScope) -> str:
    return str(scope.chat_id) if isinstance(scope, BotCommandScopeChat) else scope.type


async def _give(bot: Bot, menu: _Menu) -> bool:
    """Set one scope's menu in every variant; False when Telegram refused it."""
    try:
        for code, commands in menu.variants:
            await bot.set_my_commands(list(commands), scope=menu.scope, language_code=code)
    except TelegramError as error:  # e.g. an admin who never opened the bot
        log.warning("could not set the commands of %s: %s", menu.scope.type, error.message)
        return False
    return True


async def _take_back(bot: Bot, chat_id: int, settings: Settings) -> None:
    """Drop a chat's own menu, so that it shows the private chats' menu again."""
    try:
        for code in _codes(settings):
            await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id), language_code=code)
    except TelegramError as error:
        log.warning("could not reset the commands of a chat: %s", error.message)
