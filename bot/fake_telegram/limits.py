"""Telegram's limits: the sizes of texts and files, and the flood limits counted per send."""

from __future__ import annotations

from collections import deque

from bot.fake_telegram.objects import LimitViolation

__all__ = [
    "MAX_CAPTION_LENGTH",
    "MAX_DOWNLOAD_SIZE",
    "MAX_TEXT_LENGTH",
    "MAX_UPLOAD_SIZE",
    "LimitTracker",
]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
MAX_UPLOAD_SIZE = 50 * 1024 * 1024


class LimitTracker:
    """Counts sends that break the global, per-private-chat and per-group flood limits."""

    def __init__(self, scale: float) -> None:
        # Scaling a rate up is the same as shrinking its window with the same count allowed.
        self._rules: dict[str, tuple[float, int]] = {
            "global": (1.0 / scale, 30),
            "private": (1.0 / scale, 1),
            "group": (60.0 / scale, 20),
        }
        self._global: deque[float] = deque()
        self._per_chat: dict[int, deque[float]] = {}
        self.sends: list[tuple[float, int]] = []
        self.violations: list[LimitViolation] = []

    def record(self, chat_id: int, at: float) -> None:
        """Record a send to `chat_id` at `at` and note which limits it breaks."""
        self.sends.append((at, chat_id))
        broken = []
        if self._over("global", self._global, at):
            broken.append("global")
        rule = "private" if chat_id > 0 else "group"
        if self._over(rule, self._per_chat.setdefault(chat_id, deque()), at):
            broken.append(rule)
        if broken:
            self.violations.append(LimitViolation(at, chat_id, tuple(broken)))

    def _over(self, rule: str, window: deque[float], at: float) -> bool:
        """Whether a send at `at` puts more than the allowed count into the sliding window."""
        length, allowed = self._rules[rule]
        while window and window[0] <= at - length:
            window.popleft()
        window.append(at)
        return len(window) > allowed
