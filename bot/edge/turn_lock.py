"""A person's turn held across processes on PostgreSQL (bot/storage/person_turns.py).

On SQLite one process serves the bot, and its in-process lock per person (BotData) is enough.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.engine import Connection, Engine

from bot.storage import once_more_if_disconnected, session_scope
from bot.storage.person_turns import hold_person, release_person
from bot.storage.received import keep_received

__all__ = ["HeldTurn", "note_arrival", "person_turn"]

# Waiting for a lock blocks a thread. Releasing never waits, and has threads of its own: if
# releases queued behind waits, two processes each waiting for locks the other holds would
# never let go of theirs. Steps keep theirs too (bot/edge/workers.py).
_WAITS = ThreadPoolExecutor(8, thread_name_prefix="person-locks")
_RELEASES = ThreadPoolExecutor(1, thread_name_prefix="person-unlocks")
# An arrival is kept at once, behind nothing: a newer update waits only for what is kept.
_ARRIVALS = ThreadPoolExecutor(4, thread_name_prefix="arrivals")


@dataclass
class HeldTurn:
    """The connection a turn's step runs on (None on SQLite), and the update it answered."""

    connection: Connection | None = None
    sent: bool = False


@asynccontextmanager
async def person_turn(
    engine: Engine, local: asyncio.Lock, telegram_id: int, update_id: int
) -> AsyncIterator[HeldTurn]:
    """The person's turn, for as long as the block lasts (its step, then its reply): across
    every process sharing a PostgreSQL database, or in this process through `local`."""
    if engine.dialect.name != "postgresql":
        async with local:
            yield HeldTurn()
        return
    # Not `local` too: two updates of one person posted to this worker out of order would
    # wait for each other, the newer holding `local` while it lets the older go first.
    loop = asyncio.get_running_loop()
    # A pooled connection the server dropped (a restart) fails at once: a fresh one then.
    waiting = _WAITS.submit(
        once_more_if_disconnected, lambda: hold_person(engine, telegram_id, update_id)
    )
    try:
        connection = await asyncio.shield(asyncio.wrap_future(waiting, loop=loop))
    except asyncio.CancelledError:  # the lock comes anyway: let it go when it does
        waiting.add_done_callback(lambda done: _release_late(done, telegram_id, update_id))
        raise
    held = HeldTurn(connection)
    try:
        yield held
    finally:
        await loop.run_in_executor(
            _RELEASES,
            lambda: release_person(connection, telegram_id, update_id=update_id, sent=held.sent),
        )


def _release_late(done: Future[Connection], telegram_id: int, update_id: int) -> None:
    if not done.cancelled() and done.exception() is None:
        _RELEASES.submit(
            release_person, done.result(), telegram_id, update_id=update_id, sent=False
        )


async def note_arrival(engine: Engine, update_id: int, payload: str) -> None:
    """Keep an update as it arrives, so that the person's newer updates wait for it."""
    if engine.dialect.name != "postgresql":
        return

    def work() -> None:
        with session_scope(engine) as session:
            keep_received(session, [(update_id, payload)])

    await asyncio.get_running_loop().run_in_executor(_ARRIVALS, once_more_if_disconnected, work)
