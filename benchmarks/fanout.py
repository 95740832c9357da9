"""Fan-out: thousands of reminders through the HTTP fake Bot API with Telegram's limits.

Prints the rate the outbox sender achieved as a fraction of the limit (aim >= 0.95) and the
limit violations the fake observed (aim 0); then the time to build a cluster summary.

    python -m benchmarks.fanout [--messages 5000] [--scale 10] [--postgres URL]

`--scale 10` runs every limit ten times faster (300 messages/s overall, one per chat every
0.1 s), so 5,000 reminders take ~17 s instead of ~3 minutes; `--scale 1` is Telegram itself.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import multiprocessing
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import col, select
from telegram import Bot

from bot.edge.transport import make_request
from bot.fake_telegram import FakeTelegram
from bot.storage import make_engine, session_scope, upgrade
from bot.storage.models import OutboxMessage
from bot.storage.outbox import SENT, enqueue
from scheduler.sender import Limits, Sender

GROUPS = 20  # a few group chats among the private ones, at 20 messages a minute each


def queue(engine: Engine, messages: int) -> None:
    with session_scope(engine) as session:
        for n in range(messages):
            chat = -(1000 + n // 50 % GROUPS) if n % 50 == 0 else 100_000 + n
            enqueue(session, key=f"bench:{n}", chat_id=chat, payload={"text": f"Nhắc nộp {n}"})


def serve_fake(scale: float, pipe: Connection) -> None:
    """The fake Bot API in a process of its own, so that it measures arrivals undisturbed."""
    with FakeTelegram(limits_scale=scale) as fake:
        pipe.send((fake.base_url, fake.token))
        pipe.recv()  # until the sender is done
        rules = collections.Counter(r for v in fake.limit_violation_details for r in v.rules)
        pipe.send((len(fake.sent_messages()), fake.send_times(), fake.limit_violations, rules))


async def drain(base_url: str, token: str, url: str, messages: int, scale: float) -> None:
    """Send everything in the outbox."""
    engine = make_engine(url)
    request = make_request("aiohttp", pool_size=32)
    async with Bot(token, base_url=base_url, request=request) as bot:
        sender = Sender(bot, engine, limits=Limits(scale=scale), idle_poll=0.05)
        stop = asyncio.Event()
        running = asyncio.create_task(sender.run(stop))
        while await asyncio.to_thread(unsent, engine):
            await asyncio.sleep(0.1)
        stop.set()
        await running
    engine.dispose()


def unsent(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(
            select(func.count(col(OutboxMessage.id))).where(OutboxMessage.status != SENT)
        ).one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL URL instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres or f"sqlite:///{Path(folder) / 'fanout.db'}"
        engine = make_engine(url)
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM outboxmessage WHERE key LIKE 'bench:%'"))
        queue(engine, args.messages)
        engine.dispose()
        ours, theirs = multiprocessing.Pipe()
        server = multiprocessing.Process(target=serve_fake, args=(args.scale, theirs))
        server.start()
        base_url, token = ours.recv()
        started = time.perf_counter()
        asyncio.run(drain(base_url, token, url, args.messages, args.scale))
        wall = time.perf_counter() - started
        ours.send("done")
        received, times, violations, rules = ours.recv()
        server.join()
    limit = 30 * args.scale
    # The first arrival starts the clock: n messages span n - 1 intervals.
    rate = (received - 1) / (times[-1] - times[0])
    print(f"database              {'PostgreSQL' if args.postgres else 'SQLite'}")
    print(f"messages              {received} of {args.messages} ({GROUPS} groups among them)")
    print(f"limit                 {limit:.0f}/s overall (scale {args.scale:g})")
    print(f"achieved              {rate:.1f}/s = {rate / limit:.3f} of the limit")
    print(f"limit violations      {violations} {dict(rules) or ''}")
    print(f"wall time             {wall:.1f} s")
    summary_benchmark()


def summary_benchmark() -> None:
    """The cluster summary (16 units x 40 indicators): text, chart and Excel."""
    try:
        from benchmarks.summary import measure_summary
    except ImportError:
        print("summary benchmark    not available")
        return
    for name, seconds in measure_summary().items():
        print(f"summary {name:<14}{seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
