"""A typed callback context: handlers reach settings and the database engine by name."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from telegram.ext import Application, CallbackContext, ExtBot

from bot.edge.ledger import Ledger
from bot.edge.transport import UpdatesRequest
from bot.settings import Settings
from bot.storage.types import utcnow

__all__ = ["BotContext", "BotData"]


@dataclass
class BotData:
    """What every handler shares: the settings, the engine, the update ledger and the clock."""

    settings: Settings
    engine: Engine
    ledger: Ledger
    clock: Callable[[], datetime] = field(default=utcnow)  # tests move time by replacing it
    # One step at a time per person: a double tap must not race its own first tap (on
    # PostgreSQL the database serialises them instead, bot/edge/turn_lock.py).
    # Kept per application, because asyncio locks belong to one event loop.
    person_locks: defaultdict[int, asyncio.Lock] = field(
        default_factory=lambda: defaultdict(asyncio.Lock)
    )
    # Webhook workers may be several on one database: a person's turns are then serialised
    # there. Long polling has one process only (Telegram serves getUpdates to one at a time).
    across_processes: bool = False
    # The getUpdates connection, when it keeps the updates' JSON as sent (bot/edge/polling.py).
    updates_request: UpdatesRequest | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """`CallbackContext` with typed `.settings` and `.engine`."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    @property
    def engine(self) -> Engine:
        return self.bot_data.engine

    def now(self) -> datetime:
        """The current time, from the application's clock."""
        return self.bot_data.clock()
