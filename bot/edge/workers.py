"""The threads that run database work off the event loop: the steps', and the update ledger's."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy.engine import Engine

from bot.storage import once_more_if_disconnected

__all__ = ["in_worker"]

T = TypeVar("T")


async def in_worker(engine: Engine, work: Callable[[], T]) -> T:
    """Run database work off the event loop (once more if its connection had dropped), so one
    slow query does not stall every other officer."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_threads(engine), once_more_if_disconnected, work)


# Steps are CPU-bound Python and the GIL runs one thread at a time anyway: every extra thread
# competing for it delays the event loop (six threads stalled it for 100 ms and more under
# load; benchmarks/conversation.py). SQLite writes one transaction at a time in any case.
# A PostgreSQL step spends most of its time waiting for the server, on a busy machine more so:
# two threads left the bot idle half the time (166 answers/s), four keep it busy (250-260/s)
# with the loop's worst lag still near 20-40 ms; and a step waiting on a row lock holds up
# nobody else.
_executors: dict[str, ThreadPoolExecutor] = {}


def _threads(engine: Engine) -> ThreadPoolExecutor:
    """The threads that run turns on this kind of database."""
    dialect = engine.dialect.name
    if dialect not in _executors:
        threads = 1 if dialect == "sqlite" else 4
        _executors[dialect] = ThreadPoolExecutor(threads, thread_name_prefix=f"steps-{dialect}")
    return _executors[dialect]
