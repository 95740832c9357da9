"""Observing what the bot did: its calls, the messages and files it sent, the limits it broke."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from bot.fake_telegram.objects import Call, JSONDict, LimitViolation, commands_key
from bot.fake_telegram.state import FakeState

__all__ = ["Observing"]


class Observing(FakeState):
    """Snapshots of the fake's state, and waiting until the bot has done something."""

    @property
    def calls(self) -> list[Call]:
        """Every request so far, oldest first (a snapshot)."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The requests to `method` (case-insensitive)."""
        wanted = method.lower()
        with self._cond:
            return [call for call in self._calls if call.method.lower() == wanted]

    def sent_messages(self, chat_id: int | None = None) -> list[JSONDict]:
        """The messages the bot sent and has not deleted, in order, with edits applied."""
        with self._cond:
            keys = self._sent if chat_id is None else self._sent_by_chat.get(chat_id, [])
            return [copy.deepcopy(self._messages[k]) for k in keys if k not in self._deleted]

    def uploaded_files(self, chat_id: int) -> list[tuple[str, bytes]]:
        """The (file name, content) of every document or photo the bot uploaded to `chat_id`."""
        with self._cond:
            return list(self._uploads.get(chat_id, []))

    def bot_commands(
        self, scope: JSONDict | None = None, language_code: str = ""
    ) -> list[JSONDict]:
        """The commands set with setMyCommands for this scope and language."""
        with self._cond:
            return copy.deepcopy(self._commands.get(commands_key(scope, language_code), []))

    @property
    def webhook(self) -> JSONDict:
        """The parameters of the last setWebhook (empty when no webhook is set)."""
        with self._cond:
            return dict(self._webhook)

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates the bot has not confirmed yet."""
        with self._cond:
            return copy.deepcopy(self._updates)

    @property
    def limit_violations(self) -> int:
        """How many sends broke a flood limit."""
        with self._cond:
            return len(self._limits.violations)

    @property
    def limit_violation_details(self) -> list[LimitViolation]:
        """Which sends broke which flood limit."""
        with self._cond:
            return list(self._limits.violations)

    def send_times(self, chat_id: int | None = None) -> list[float]:
        """The clock readings of the bot's successful sends, overall or to one chat."""
        with self._cond:
            return [at for at, chat in self._limits.sends if chat_id in (None, chat)]

    @property
    def server_errors(self) -> list[BaseException]:
        """Unexpected exceptions inside the fake (each also answered with a 500)."""
        with self._cond:
            return list(self._server_errors)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Wait until `predicate()` holds, re-checking whenever the fake's state changes."""
        with self._cond:
            return self._cond.wait_for(predicate, timeout)

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 10.0) -> list[JSONDict]:
        """Wait until the bot has sent at least `count` messages to `chat_id`; returns them all."""
        self._wait_for_sent(chat_id, count, timeout)
        return self.sent_messages(chat_id)

    def wait_for_message(self, chat_id: int, number: int, timeout: float = 10.0) -> JSONDict:
        """Wait for the bot's `number`-th message to `chat_id` (from 1); returns only that one,
        which costs the same however long the chat has grown."""
        with self._cond:
            self._wait_for_sent(chat_id, number, timeout)
            keys = [k for k in self._sent_by_chat[chat_id] if k not in self._deleted]
            return copy.deepcopy(self._messages[keys[number - 1]])

    def _wait_for_sent(self, chat_id: int, count: int, timeout: float) -> None:
        """Wait until the bot has sent at least `count` messages to `chat_id`."""
        with self._cond:
            sent = self._sent_cond(chat_id)
            if not sent.wait_for(lambda: self._live_sent_count(chat_id) >= count, timeout):
                raise TimeoutError(self._timeout_report(chat_id, count, timeout))

    def _live_sent_count(self, chat_id: int) -> int:
        """How many messages the bot sent to `chat_id`, not counting deleted ones."""
        return sum(1 for key in self._sent_by_chat.get(chat_id, []) if key not in self._deleted)

    def _timeout_report(self, chat_id: int, count: int, timeout: float) -> str:
        """A dump of what did happen, for a failed `wait_for_messages`."""
        with self._cond:
            messages = self.sent_messages(chat_id)
            lines = [
                f"expected {count} message(s) to chat {chat_id} within {timeout} s, "
                f"got {len(messages)}:"
            ]
            lines += [f"  #{m['message_id']}: {_summary(m)}" for m in messages]
            lines.append(f"last calls (of {len(self._calls)}):")
            for call in self._calls[-20:]:
                params = {k: v for k, v in call.params.items() if k != "offset"}
                outcome = f"{call.status} {call.description or ''}".rstrip()
                lines.append(f"  {call.method} {_short(params)} -> {outcome}")
            lines += [f"server error: {error!r}" for error in self._server_errors]
            return "\n".join(lines)


def _short(value: Any, limit: int = 160) -> str:
    """A one-line, truncated repr for dumps."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summary(message: JSONDict) -> str:
    """What a message shows, for dumps."""
    if "text" in message:
        return _short(message["text"])
    if "document" in message:
        return f"[document {message['document'].get('file_name')!r}]"
    return "[photo]" if "photo" in message else _short(message)
