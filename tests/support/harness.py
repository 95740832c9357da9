"""The real application, driven in process through the fake Bot API (a `BaseRequest` seam)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.edge.app import build_application
from bot.fake_telegram import FakeChat, FakeTelegram, FakeUser
from bot.settings import Settings
from bot.storage import session_scope
from bot.storage.models import Unit
from bot.storage.people import create_invite

__all__ = ["DURING_PERIOD", "Harness", "InProcessRequest"]

# Inside the example period (opens 1 June 08:00, deadline 20 June 17:00, Asia/Ho_Chi_Minh).
DURING_PERIOD = datetime(2026, 6, 10, 3, 0, tzinfo=UTC)


class InProcessRequest(BaseRequest):
    """Hands python-telegram-bot's requests to the fake directly, encoded as httpx would."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *_: Any, **__: Any
    ) -> tuple[int, bytes]:
        data = request_data.json_parameters if request_data else None
        files = (
            request_data.multipart_data if request_data and request_data.contains_files else None
        )
        request = httpx.Request(method, url, data=data, files=files)
        body = request.read()
        target = request.url.raw_path.decode()
        status, payload, _kind = self.fake.respond(
            method, target, request.headers.get("content-type", ""), body
        )
        return status, payload


class Harness:
    """A bot over one database, with a movable clock and helpers to act as users."""

    def __init__(self, engine: Engine, fake: FakeTelegram | None = None, **settings: Any) -> None:
        self.engine = engine
        self.fake = fake or FakeTelegram()
        self.now = DURING_PERIOD
        self.settings = Settings(
            TELEGRAM_BOT_TOKEN=self.fake.token,
            TELEGRAM_API_BASE_URL="http://fake.telegram.test/bot",
            DATABASE_URL=str(engine.url),
            **settings,
        )
        self.app = self._build()

    def _build(self) -> Any:
        request = InProcessRequest(self.fake)
        app = build_application(
            self.settings, self.engine, request=request, get_updates_request=request
        )
        app.bot_data.clock = lambda: self.now
        return app

    async def __aenter__(self) -> Harness:
        await self.app.initialize()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.app.shutdown()

    async def restart(self) -> None:
        """A new application on the same database, as after a crash: no memory carried over."""
        await self.app.shutdown()
        self.app = self._build()
        await self.app.initialize()

    def later(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def invite(self, unit_code: str, *, role: str = "focal", expires_days: float = 7) -> str:
        with session_scope(self.engine) as session:
            unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
            token, _invite = create_invite(
                session,
                unit=unit,
                role=role,
                expires_in=timedelta(days=expires_days),
                created_by="test",
                now=self.now,
            )
        return token

    async def _process(self, update: dict[str, Any], chat_id: int) -> list[dict[str, Any]]:
        before = len(self.fake.sent_messages(chat_id))
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.fake.sent_messages(chat_id)[before:]

    async def send(
        self, user: FakeUser, text: str, *, chat: FakeChat | None = None
    ) -> list[dict[str, Any]]:
        """The user types `text`; returns the bot's new messages in that chat."""
        update = self.fake.user_sends(user, text, chat=chat)
        return await self._process(update, chat.id if chat else user.id)

    async def press(
        self, user: FakeUser, message: dict[str, Any], label: str
    ) -> list[dict[str, Any]]:
        """The user presses the button whose label contains `label` on `message`."""
        data = button_data(message, label)
        update = self.fake.user_presses(user, message, data)
        return await self._process(update, message["chat"]["id"])

    async def press_data(
        self, user: FakeUser, message: dict[str, Any], data: str
    ) -> list[dict[str, Any]]:
        update = self.fake.user_presses(user, message, data)
        return await self._process(update, message["chat"]["id"])

    async def send_document(self, user: FakeUser, **document: Any) -> list[dict[str, Any]]:
        update = self.fake.user_sends_document(user, **document)
        return await self._process(update, user.id)

    async def join(
        self, user: FakeUser, unit_code: str, role: str = "focal"
    ) -> list[dict[str, Any]]:
        return await self.send(user, f"/start {self.invite(unit_code, role=role)}")


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, callback data or url) of every inline button of a message."""
    markup = message.get("reply_markup") or {}
    return [
        (button["text"], button.get("callback_data") or button.get("url", ""))
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


def button_data(message: dict[str, Any], label: str) -> str:
    """The callback data of the button whose label contains `label`."""
    for text, data in buttons(message):
        if label in text:
            return data
    raise AssertionError(f"no button {label!r} in {buttons(message)}")
