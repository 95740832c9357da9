"""A tick's time for its heavy work (summaries, digests): what does not fit waits a tick."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

__all__ = ["Budget"]


@dataclass
class Budget:
    """`seconds` from the first `allow()`; the first piece of work is always allowed.

    A national deadline has hundreds of cluster summaries to render: spread over the next
    ticks (a minute apart), each tick stays short and the sender, bound by Telegram's limits,
    is never short of work. Each piece is keyed, so nothing is done twice or skipped.
    """

    seconds: float | None  # None: no limit
    _started: float | None = field(default=None, init=False)
    deferred: int = field(default=0, init=False)  # pieces left for a later tick

    def allow(self) -> bool:
        """Whether one more piece fits in this tick (counting the ones that do not)."""
        now = time.monotonic()
        if self._started is None:
            self._started = now
            return True
        if self.seconds is None or now - self._started < self.seconds:
            return True
        self.deferred += 1
        return False
