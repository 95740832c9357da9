"""Telegram's one message a second per chat, kept between the outbox and the people's turns.

On PostgreSQL the webhook workers' replies and the outbox sender's private messages are sent
by different processes. Before a private message the sender takes the person's turn lock
(bot/storage/person_turns.py): a turn under way means try again shortly; a reply that went
less than a second ago means wait for the rest of that second. The sender keeps the lock until
a second after Telegram answered, so the person's next turn cannot reply sooner. On SQLite one
process has the database, and groups' limits are per minute: nothing to share.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.engine import Engine

from bot.storage.person_turns import Locker

__all__ = ["PersonGate"]

log = logging.getLogger(__name__)


class PersonGate:
    """The people's turn locks as the outbox sender takes them, one connection for all."""

    def __init__(self, engine: Engine, *, window: float) -> None:
        self._locker = Locker(engine) if engine.dialect.name == "postgresql" else None
        self.window = window
        self._letting_go: set[asyncio.Task[None]] = set()

    def _applies(self, chat_id: int) -> bool:
        return self._locker is not None and chat_id > 0

    async def enter(self, chat_id: int) -> float | None:
        """Hold the chat's person for a message: the seconds to wait before sending it, or None
        if a turn of theirs is under way (then nothing is held)."""
        if not self._applies(chat_id):
            return 0.0
        assert self._locker is not None
        since = await asyncio.to_thread(self._locker.gate, chat_id)
        return None if since is None else max(0.0, self.window - since)

    def leave(self, chat_id: int) -> None:
        """The message was answered: let the person's turns go a window from now."""
        if self._applies(chat_id):
            task = asyncio.create_task(self._let_go(chat_id))
            self._letting_go.add(task)
            task.add_done_callback(self._letting_go.discard)

    async def _let_go(self, chat_id: int) -> None:
        assert self._locker is not None
        await asyncio.sleep(self.window)
        try:
            await asyncio.to_thread(self._locker.ungate, chat_id)
        except Exception:  # the connection is gone, and its locks with it
            log.warning("could not let person %s's turns go", chat_id, exc_info=True)

    async def close(self) -> None:
        """Let every person go (a window after their message) and close the connection."""
        if self._letting_go:
            await asyncio.gather(*self._letting_go, return_exceptions=True)
        if self._locker is not None:
            self._locker.close()
