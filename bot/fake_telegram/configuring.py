"""Configuring the fake's misbehaviour: failed and stalled calls, blocked chats, members."""

from __future__ import annotations

from collections import deque

from bot.fake_telegram.objects import ApiError, Failure
from bot.fake_telegram.state import FakeState

__all__ = ["MEMBER_STATUSES", "Configuring"]

MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})


class Configuring(FakeState):
    """What a test sets up so that the bot meets Telegram's errors."""

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls to `method` with this error."""
        with self._cond:
            queue = self._failures.setdefault(method.lower(), deque())
            queue.append(Failure(ApiError(status, description, retry_after), times))

    def stall_next(
        self, method: str, *, seconds: float, times: int = 1, lost: bool = False
    ) -> None:
        """Hold the next `times` calls to `method` this long (or until the fake stops) before
        answering (a timeout). `lost`: the call then never happens, as if it had died on the
        way, and gets a 502 (a bot killed meanwhile never reads it)."""
        with self._cond:
            self._stalls.setdefault(method.lower(), deque()).extend([(seconds, lost)] * times)

    def answer_next_with_page(self, method: str, *, status: int = 502, times: int = 1) -> None:
        """Answer the next `times` calls to `method` with a proxy's HTML error page that echoes
        the request path (token included), as nginx in front of the Bot API would."""
        with self._cond:
            self._pages.setdefault(method.lower(), deque()).extend([status] * times)

    def block_chat(self, chat_id: int) -> None:
        """Make sends to this chat fail as if the user blocked the bot."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        """Undo `block_chat`."""
        with self._cond:
            self._blocked.discard(chat_id)

    def set_bot_member_status(self, chat_id: int, status: str) -> None:
        """Set the bot's status in a group; "left" or "kicked" also make sends there fail."""
        self.set_member_status(chat_id, self.bot_id, status)

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Set what getChatMember answers for `user_id` in `chat_id`."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"unknown chat member status {status!r}")
        with self._cond:
            self._member_status[(chat_id, user_id)] = status
