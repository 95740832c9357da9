"""The outbox sender alone in a process of its own, until killed (crash and two-sender tests).

Usage: python -m tests.support.outbox_sender DATABASE_URL API_BASE_URL TOKEN SCALE LEASE
"""

from __future__ import annotations

import asyncio
import sys

from telegram import Bot

from bot.edge.transport import make_request
from bot.storage import make_engine
from scheduler.sender import Limits, Sender


async def main(url: str, base_url: str, token: str, scale: float, lease: float) -> None:
    engine = make_engine(url)
    request = make_request("aiohttp", pool_size=32)
    async with Bot(token, base_url=base_url, request=request) as bot:
        sender = Sender(bot, engine, limits=Limits(scale=scale), lease=lease, idle_poll=0.05)
        await sender.run(asyncio.Event())


if __name__ == "__main__":
    url, base_url, token, scale, lease = sys.argv[1:6]
    asyncio.run(main(url, base_url, token, float(scale), float(lease)))
