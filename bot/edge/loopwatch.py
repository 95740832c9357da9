"""An event-loop lag monitor: how late a 10 ms sleep wakes tells how long the loop was blocked."""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application

__all__ = ["LoopWatch", "start_loop_watch", "watch_application"]

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

INTERVAL = 0.010
STALL = 0.050
REPORT_EVERY = 1.0


@dataclass
class LoopWatch:
    """Running lag figures of one event loop, appended as JSON lines to `log_path`."""

    log_path: str
    max_lag: float = 0.0
    stalls: int = 0
    samples: int = 0
    # The worst lag since the previous line, so a reader can skip a warm-up period.
    recent_max_lag: float = 0.0
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    async def run(self) -> None:
        """Sleep 10 ms at a time and note how late each wake-up is; report every second."""
        loop = asyncio.get_running_loop()
        next_report = loop.time() + REPORT_EVERY
        try:
            while True:
                before = loop.time()
                await asyncio.sleep(INTERVAL)
                now = loop.time()
                self.note(max(0.0, now - before - INTERVAL))
                if now >= next_report:
                    self.report()
                    next_report = now + REPORT_EVERY
        finally:
            self.report()  # the last line, also when cancelled at stop

    def note(self, lag: float) -> None:
        """Count one sample."""
        self.samples += 1
        self.max_lag = max(self.max_lag, lag)
        self.recent_max_lag = max(self.recent_max_lag, lag)
        if lag > STALL:
            self.stalls += 1

    def report(self) -> None:
        """Append the figures so far as one JSON line."""
        line = {
            "max_lag_ms": round(self.max_lag * 1000, 2),
            "stalls_over_50ms": self.stalls,
            "samples": self.samples,
            "recent_max_lag_ms": round(self.recent_max_lag * 1000, 2),
            "at": round(time.time(), 3),
        }
        self.recent_max_lag = 0.0
        # A small synchronous append once a second: cheaper than handing it to a thread.
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\n")

    async def stop(self) -> None:
        """Cancel the watch; its last line is written on the way out."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
            with suppress(asyncio.CancelledError):
                await self.task


def start_loop_watch(log_path: str) -> LoopWatch:
    """Start watching the running loop; call from inside it."""
    watch = LoopWatch(log_path)
    watch.task = asyncio.get_running_loop().create_task(watch.run(), name="loop-watch")
    return watch


def watch_application(application: AnyApplication, log_path: str) -> None:
    """Chain the watch onto a PTB application's post_init and post_shutdown hooks."""
    first_init, first_shutdown = application.post_init, application.post_shutdown
    watches: list[LoopWatch] = []

    async def post_init(app: AnyApplication) -> None:
        """Run the existing hook, then start watching."""
        if first_init is not None:
            await first_init(app)
        watches.append(start_loop_watch(log_path))

    async def post_shutdown(app: AnyApplication) -> None:
        """Stop watching (writing the last line), then run the existing hook."""
        for watch in watches:
            await watch.stop()
        if first_shutdown is not None:
            await first_shutdown(app)

    application.post_init = post_init
    application.post_shutdown = post_shutdown
