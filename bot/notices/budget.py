"""A tick's time for its heavy work (summaries, digests): what does not fit waits a tick."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

__all__ = ["Budget"]


@dataclass
class Budget:
    """`seconds` from `started` (the tick's start; else the first `allow()`), past which heavy
    work waits for the next tick; the first piece of work is always allowed.

    A national deadline has hundreds of cluster summaries to render: spread over the next
    ticks (half a minute apart), each tick stays short and the sender, bound by Telegram's
    limits, is never short of work. Each piece is keyed, so nothing is done twice or skipped.
    """

    seconds: float | None  # None: no limit
    started: float | None = None  # time.monotonic() when the clock started
    deferred: int = field(default=0, init=False)  # pieces left for a later tick
    _allowed: bool = field(default=False, init=False)

    def allow(self) -> bool:
        """Whether one more piece fits in this tick (counting the ones that do not)."""
        now = time.monotonic()
        if self.started is None:
            self.started = now
        if not self._allowed:
            self._allowed = True
            return True
        if self.seconds is None or now - self.started < self.seconds:
            return True
        self.deferred += 1
        return False
