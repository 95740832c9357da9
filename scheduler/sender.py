"""The outbox sender: sends each queued message once, inside Telegram's flood limits."""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select
from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.notices.conference_texts import start_link_markup
from bot.notices.texts import submit_button
from bot.storage import session_scope
from bot.storage.models import OutboxMessage
from bot.storage.outbox import SENDING, claim, mark_failed, mark_retry, mark_sent, put_back
from bot.storage.types import utcnow
from scheduler.person_gate import PersonGate
from scheduler.render import render_file
from scheduler.unreachable import note_unreachable

__all__ = ["Limits", "Sender", "retry_delay"]

log = logging.getLogger(__name__)

# Retries are at most `max_backoff` (30 s) apart: 40 attempts keep trying for about 18 minutes,
# as the uncapped doubling of 10 attempts did, without leaving anyone minutes between tries.
MAX_ATTEMPTS = 40
# The Bot API methods an outbox message may use, and the bot's method for each.
_METHODS = {
    "sendMessage": "send_message",
    "editMessageText": "edit_message_text",
    "sendPhoto": "send_photo",
    "sendDocument": "send_document",
}
_MARGIN = 0.005  # seconds added to each window, for clock granularity


@dataclass
class Limits:
    """Telegram's flood limits, kept by construction, whatever the network's jitter.

    A send counts from its start until a window after it was *answered*: the request reached
    Telegram in between, so the arrivals Telegram sees are spaced by the window too, overall
    and per chat. The price is the round trip: the rate reached is `rate / (1 + latency)`.
    `scale` shortens every window alike (tests and benchmarks against a scaled fake).
    """

    rate: float = 30.0  # messages per second, overall
    scale: float = 1.0
    clock: Callable[[], float] = time.monotonic
    _answered: deque[float] = field(default_factory=deque)
    _in_flight: int = 0
    _last_by_chat: dict[int, float] = field(default_factory=dict)
    _group_sends: dict[int, deque[float]] = field(default_factory=dict)
    paused_until: float = 0.0

    def window(self, seconds: float) -> float:
        """A window of Telegram's in this scale, with a margin."""
        return seconds / self.scale + _MARGIN

    def global_wait(self) -> float:
        """Seconds until one more message may start overall."""
        now = self.clock()
        window = self.window(1.0)
        while self._answered and self._answered[0] <= now - window:
            self._answered.popleft()
        wait = self.paused_until - now
        if self._in_flight + len(self._answered) >= int(self.rate):
            # The oldest answered send leaves the window then; or one in flight is answered.
            wait = max(wait, self._answered[0] + window - now if self._answered else 0.002)
        return max(wait, 0.0)

    def chat_ready(self, chat_id: int) -> bool:
        """Whether the chat may get a message now: 1/s per chat, 20/min per group."""
        now = self.clock()
        last = self._last_by_chat.get(chat_id)
        if last is not None and now - last < self.window(1.0):
            return False
        if chat_id < 0:
            window = self.window(60.0)
            sends = self._group_sends.get(chat_id, deque())
            while sends and sends[0] <= now - window:
                sends.popleft()
            return len(sends) < 20
        return True

    def busy_chats(self) -> set[int]:
        """Chats that must not get a message now."""
        return {chat for chat in list(self._last_by_chat) if not self.chat_ready(chat)}

    def started(self) -> None:
        """Count a send that starts now."""
        self._in_flight += 1

    def finished(self, chat_id: int) -> None:
        """Count a send that has just been answered."""
        now = self.clock()
        self._in_flight -= 1
        self._answered.append(now)
        self._last_by_chat[chat_id] = now
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, deque()).append(now)

    def forget_idle(self) -> None:
        """Drop chats whose windows have passed, so memory stays flat over long runs."""
        now = self.clock()
        idle = [c for c, t in self._last_by_chat.items() if now - t > self.window(60.0)]
        for chat in idle:
            self._last_by_chat.pop(chat, None)
            self._group_sends.pop(chat, None)

    def remember(self, chat_id: int, seconds_ago: float) -> None:
        """Count a send answered `seconds_ago`, by an earlier process (after a restart)."""
        at = self.clock() - seconds_ago
        self._answered.append(at)
        self._last_by_chat[chat_id] = max(at, self._last_by_chat.get(chat_id, at))
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, deque()).append(at)

    def pause(self, seconds: float) -> None:
        """Stop all sends for a while (Telegram's 429 applies to the whole bot)."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)


class Sender:
    """Drains the outbox: claims due messages, sends them, records the outcome."""

    def __init__(
        self,
        bot: Bot,
        engine: Engine,
        *,
        limits: Limits | None = None,
        lease: float = 60.0,
        admins: frozenset[int] = frozenset(),
        locale: str = "vi",
        clock: Callable[[], datetime] = utcnow,
        idle_poll: float = 0.5,
        in_flight: int = 32,
        backoff: float = 2.0,
        max_backoff: float = 30.0,
        send_timeout: float = 20.0,
    ) -> None:
        self.bot = bot
        self.engine = engine
        self.limits = limits or Limits()
        self.lease = timedelta(seconds=lease)
        self.admins = admins
        self.locale = locale
        self.clock = clock
        self.idle_poll = idle_poll
        self.backoff = backoff  # first retry after a 5xx or timeout; doubled each time
        self.max_backoff = max_backoff
        # A slow answer is waited for, well past the client's usual read timeout: a request
        # given up early may still reach Telegram beside its retry (sent twice, and the chat's
        # limit broken). Within the lease, so that no other sender takes the message meanwhile.
        self.send_timeout = min(send_timeout, lease / 2)
        self._slots = asyncio.Semaphore(in_flight)
        self._flying: set[int] = set()  # chats with a send in flight
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._people = PersonGate(engine, window=self.limits.window(1.0))
        self.sent = 0

    def wake(self) -> None:
        """Look at the outbox now rather than at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set, then let the sends in flight finish."""
        await asyncio.to_thread(self._remember_recent_sends)
        while not stop.is_set():
            try:
                started = await self.send_due()
            except Exception:
                log.exception("the outbox sender failed; trying again shortly")
                started = 0
            if not started:
                self._wake.clear()
                sleeper = asyncio.create_task(self._wake.wait())
                stopper = asyncio.create_task(stop.wait())
                await asyncio.wait(
                    {sleeper, stopper}, timeout=self.idle_poll, return_when="FIRST_COMPLETED"
                )
                sleeper.cancel()
                stopper.cancel()
        await self.close()

    async def close(self) -> None:
        """Wait for the sends in flight, then let every person go and close the connection
        that held them (a sender driven by `send_due` and `drain` must call it too)."""
        await self.drain()
        await self._people.close()

    async def drain(self) -> None:
        """Wait for the sends in flight."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def send_due(self) -> int:
        """Claim what may go now and start sending it; the number of sends started."""
        await self._global_turn()
        room = max(1, int(self.limits.rate))
        skip = self.limits.busy_chats() | self._flying
        batch = await asyncio.to_thread(self._claim, room, skip)
        for message in batch:
            if (wait := await self._people.enter(message.chat_id)) is None:
                await asyncio.to_thread(self._put_back, message)  # the person's turn is under way
                continue
            await self._global_turn()
            await self._slots.acquire()
            self.limits.started()
            self._flying.add(message.chat_id)
            task = asyncio.create_task(self._deliver(message, after=wait))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self.limits.forget_idle()
        return len(batch)

    def _remember_recent_sends(self) -> None:
        """Count what was sent in the last minute: a restarted sender must not burst."""
        now = self.clock()
        since = now - timedelta(seconds=self.limits.window(60.0))
        with session_scope(self.engine) as session:
            recent = session.exec(
                select(OutboxMessage.chat_id, OutboxMessage.sent_at)
                .where(col(OutboxMessage.sent_at) >= since)
                .order_by(col(OutboxMessage.sent_at))
            ).all()
            # Claimed but never marked: a sender that died (or lost the lead) may have had
            # them reach Telegram a moment ago, so they count as answered just now.
            in_flight = session.exec(
                select(OutboxMessage.chat_id).where(OutboxMessage.status == SENDING)
            ).all()
        for chat_id, sent_at in recent:
            if sent_at is not None:
                self.limits.remember(chat_id, (now - sent_at).total_seconds())
        for chat_id in in_flight:
            self.limits.remember(chat_id, 0.0)

    async def _global_turn(self) -> None:
        while (wait := self.limits.global_wait()) > 0:
            await asyncio.sleep(wait)

    def _claim(self, limit: int, skip: set[int]) -> list[OutboxMessage]:
        with session_scope(self.engine) as session:
            return claim(session, now=self.clock(), lease=self.lease, limit=limit, skip_chats=skip)

    async def _deliver(self, message: OutboxMessage, *, after: float = 0.0) -> None:
        try:
            await asyncio.sleep(after)  # the rest of the second since the person's last reply
            result = await self._timed_call(message)
        except RetryAfter as error:
            seconds = _retry_seconds(error)
            self.limits.pause(seconds)
            await self._retry_later(message, after=seconds, error="429 retry after")
        except Forbidden as error:
            await self._unreachable(message, error)
        except BadRequest as error:
            await self._bad_request(message, error)
        except TimedOut as error:
            await self._unknown(message, error)
        except (NetworkError, TelegramError) as error:
            # 5xx and the like: back off, doubling; the chat's later messages wait behind it.
            await self._failed(message, error=str(error), after=self._backoff(message))
        except Exception as error:
            log.exception("could not send outbox message %s", message.key)
            await self._give_up(message, error=repr(error))
        else:
            self.sent += 1
            await asyncio.to_thread(self._mark_sent, message, result)
        finally:
            self._people.leave(message.chat_id)
            self._flying.discard(message.chat_id)
            self._slots.release()

    async def _timed_call(self, message: OutboxMessage) -> Any:
        try:
            return await self._call(message)
        finally:
            self.limits.finished(message.chat_id)  # at the answer, before any database work

    async def _call(self, message: OutboxMessage) -> Any:
        payload = {k: v for k, v in message.payload.items() if not k.startswith("_")}
        if locale := message.payload.get("_submit_button"):
            payload["reply_markup"] = submit_button(self.bot.username, locale)
        if link := message.payload.get("_start_button"):
            payload["reply_markup"] = start_link_markup(self.bot.username, link)
        if markup := payload.get("reply_markup"):
            payload["reply_markup"] = InlineKeyboardMarkup.de_json(markup, self.bot)
        if render := message.payload.get("_render"):
            field_name, file, caption = await asyncio.to_thread(render_file, self.engine, render)
            payload[field_name] = file
            payload.setdefault("caption", caption)
        send = getattr(self.bot, _METHODS[message.method])
        return await send(chat_id=message.chat_id, read_timeout=self.send_timeout, **payload)

    def _put_back(self, message: OutboxMessage) -> None:
        with session_scope(self.engine) as session:
            put_back(
                session,
                message.id or 0,
                not_before=self.clock() + timedelta(seconds=self.limits.window(1.0)),
            )

    def _mark_sent(self, message: OutboxMessage, result: Any) -> None:
        message_id = result.message_id if isinstance(result, Message) else None
        with session_scope(self.engine) as session:
            mark_sent(session, message.id or 0, now=self.clock(), telegram_message_id=message_id)

    def _backoff(self, message: OutboxMessage) -> float:
        return retry_delay(message.attempts, first=self.backoff, most=self.max_backoff)

    async def _unknown(self, message: OutboxMessage, error: TimedOut) -> None:
        """No answer within the send timeout: the message may have reached the chat, or not."""
        # Sent again, since a reminder lost is worse than one shown twice, but never into the
        # chat before its interval has passed: the first may be landing only now.
        after = max(self._backoff(message), self.limits.window(1.0))
        await self._failed(message, error=f"outcome unknown ({error})", after=after)

    async def _failed(self, message: OutboxMessage, *, error: str, after: float) -> None:
        """Try again in `after` seconds, unless the message has had all its attempts."""
        if message.attempts >= MAX_ATTEMPTS:
            await self._give_up(message, error=error)
        else:
            await self._retry_later(message, after=after, error=error)

    async def _retry_later(self, message: OutboxMessage, *, after: float, error: str) -> None:
        """Put the message back to wait `after` seconds."""
        log.warning("outbox message %s: %s; again in %.1f s", message.key, error, after)
        not_before = self.clock() + timedelta(seconds=after)
        await asyncio.to_thread(
            self._write, mark_retry, message, not_before=not_before, error=error
        )

    async def _give_up(self, message: OutboxMessage, *, error: str) -> None:
        """Never send the message."""
        log.warning("outbox message %s given up: %s", message.key, error)
        await asyncio.to_thread(self._write, mark_failed, message, error=error)

    def _write(self, mark: Callable[..., None], message: OutboxMessage, **values: Any) -> None:
        with session_scope(self.engine) as session:
            mark(session, message.id or 0, **values)

    async def _bad_request(self, message: OutboxMessage, error: BadRequest) -> None:
        reason = error.message.lower()
        if "chat not found" in reason or "bot was kicked" in reason:
            await self._unreachable(message, error)
        elif "message is not modified" in reason:
            # The board already shows this; nothing to send.
            await asyncio.to_thread(self._mark_sent, message, None)
        else:
            await self._give_up(message, error=str(error))

    async def _unreachable(self, message: OutboxMessage, error: TelegramError) -> None:
        """Stop writing to a chat that blocked the bot or is gone; tell the admins once."""

        def write() -> None:
            with session_scope(self.engine) as session:
                mark_failed(session, message.id or 0, error=str(error))
                note_unreachable(
                    session,
                    chat_id=message.chat_id,
                    now=self.clock(),
                    admins=self.admins,
                    locale=self.locale,
                )

        log.warning("chat %s is unreachable: %s", message.chat_id, error)
        await asyncio.to_thread(write)
        self.wake()


def retry_delay(attempts: int, *, first: float, most: float) -> float:
    """Seconds before attempt `attempts + 1`: `first`, doubled each time, at most `most`."""
    return min(first * 2.0 ** max(attempts - 1, 0), most)


def _retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that retry_after will become a timedelta; accept either.
        warnings.simplefilter("ignore")
        value: Any = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
