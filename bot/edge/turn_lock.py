"""A person's turn held across processes on PostgreSQL (bot/storage/person_turns.py).

On SQLite, and in long polling (one process), the in-process lock per person (BotData) is
enough.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.storage.person_turns import SETTLE, Locker

__all__ = ["HeldTurn", "note_arrival", "person_turn"]

# Asking again while the lock is busy sleeps in a thread: not a step's (bot/edge/workers.py),
# nor a release's, which never waits and so always lets a lock go promptly.
_WAITS = ThreadPoolExecutor(8, thread_name_prefix="person-locks")
_RELEASES = ThreadPoolExecutor(1, thread_name_prefix="person-unlocks")
# An arrival is kept at once, behind nothing: a newer update waits only for what is kept.
_ARRIVALS = ThreadPoolExecutor(1, thread_name_prefix="arrivals")
_lockers: dict[int, Locker] = {}
_arrived: dict[int, float] = {}  # update id → when it was posted here (monotonic)


@dataclass
class HeldTurn:
    """Whether the turn's reply went out."""

    sent: bool = False


@asynccontextmanager
async def person_turn(
    engine: Engine, local: asyncio.Lock, telegram_id: int, update_id: int, *, across: bool
) -> AsyncIterator[HeldTurn]:
    """The person's turn, for as long as the block lasts (its step, then its reply): across
    every process sharing a PostgreSQL database when `across`, else through `local`."""
    if not across or engine.dialect.name != "postgresql":
        async with local:
            yield HeldTurn()
        return
    # Not `local` too: two updates of one person posted to this worker out of order would
    # wait for each other, the newer holding `local` while it lets the older go first.
    locker = _locker(engine)
    loop = asyncio.get_running_loop()
    arrived = _arrived.pop(update_id, None)  # posted to this worker's webhook
    settle = 0.0 if arrived is None else arrived + SETTLE
    waiting = _WAITS.submit(locker.hold, telegram_id, update_id, settle=settle)
    try:
        await asyncio.shield(asyncio.wrap_future(waiting, loop=loop))
    except asyncio.CancelledError:  # the lock comes anyway: let it go when it does
        waiting.add_done_callback(lambda done: _release_late(done, locker, telegram_id, update_id))
        raise
    held = HeldTurn()
    try:
        yield held
    finally:
        await loop.run_in_executor(
            _RELEASES,
            lambda: locker.release(telegram_id, update_id=update_id, sent=held.sent),
        )


def _release_late(done: Future[None], locker: Locker, telegram_id: int, update_id: int) -> None:
    if not done.cancelled() and done.exception() is None:
        _RELEASES.submit(locker.release, telegram_id, update_id=update_id, sent=False)


async def note_arrival(engine: Engine, update_id: int, payload: str) -> None:
    """Keep an update as it arrives, so that the person's newer updates wait for it."""
    if engine.dialect.name == "postgresql":
        if len(_arrived) > 10_000:  # updates that never took a turn (nothing to do for them)
            _arrived.clear()
        _arrived[update_id] = time.monotonic()
        await asyncio.get_running_loop().run_in_executor(
            _ARRIVALS, _locker(engine).arrived, update_id, payload
        )


def _locker(engine: Engine) -> Locker:
    return _lockers.setdefault(id(engine), Locker(engine))
