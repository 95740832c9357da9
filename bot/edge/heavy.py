"""The thread for an admin's heavy work (reading a large set-up file), apart from the steps'.

Officers' steps run on one thread on SQLite (bot/edge/workers.py): a set-up file parsed there
made every officer wait until it was read. Parsing needs no database session, so it runs here,
one file at a time, and only the short writing step goes back to the steps' thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["in_heavy_worker"]

T = TypeVar("T")

# One thread: two admins' files are read one after the other, never stealing a second core
# (and the GIL) from the officers' thread.
_heavy = ThreadPoolExecutor(1, thread_name_prefix="heavy")


async def in_heavy_worker(work: Callable[[], T]) -> T:
    """Run heavy work that touches no database off the event loop and off the steps' thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_heavy, work)
