"""What this process did with updates that the database does not know yet.

An update is *answered* once its reply went out: the reply its step kept can go. It is
*finished* once its handling ended: the copy kept as it arrived can go. What is learnt while
one write runs goes in the next, so a busy bot writes once per batch, not once per update. A
process killed between a send and its write sends that reply again at the next start: at
least once, never lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from contextlib import suppress
from typing import Any

from sqlalchemy.engine import Engine
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.edge.workers import in_worker
from bot.storage import session_scope
from bot.storage.received import forget_finished

__all__ = ["Ledger", "LedgerProcessor"]

log = logging.getLogger(__name__)


class Ledger:
    """Updates answered and finished here, until the database is told."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.answered: set[int] = set()
        self.finished: set[int] = set()
        self._writer: asyncio.Task[None] | None = None

    def note_answered(self, update_id: int) -> None:
        """The update's reply went out: never send it again (written with the next finish)."""
        self.answered.add(update_id)

    def note_finished(self, update_id: int) -> None:
        """The update's handling is over: it need not be handled again after a restart."""
        self.finished.add(update_id)
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write_all())

    async def _write_all(self) -> None:
        """Write until nothing new is left; news arriving meanwhile joins the next write."""
        try:
            await asyncio.sleep(0)  # the send's answer and its finish go in one write
            while self.finished or self.answered:
                if not await self.write():
                    return  # the database fails: the next finish tries again
        finally:
            self._writer = None

    async def write(self) -> bool:
        """Tell the database what was answered and finished since the last time."""
        finished, answered = set(self.finished), set(self.answered)
        if not finished and not answered:
            return True

        def work() -> None:
            with session_scope(self.engine) as session:
                forget_finished(session, finished=finished, answered=answered)

        try:
            await in_worker(self.engine, work)
        except Exception:  # kept for the next write; at worst a reply goes out twice
            log.warning("could not note %d handled updates", len(finished), exc_info=True)
            return False
        self.finished -= finished
        self.answered -= answered
        return True

    async def close(self) -> None:
        """Write what is left, at shutdown."""
        if self._writer is not None:
            with suppress(Exception):
                await self._writer
        await self.write()


class LedgerProcessor(BaseUpdateProcessor):
    """PTB's concurrent handling of updates, telling the ledger when one is over."""

    def __init__(self, ledger: Ledger, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self.ledger = ledger

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Not in a `finally`: an update cancelled half-way (at shutdown) is not finished.
        await coroutine
        if isinstance(update, Update):
            self.ledger.note_finished(update.update_id)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        await self.ledger.close()
