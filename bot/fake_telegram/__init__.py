"""A fake Telegram Bot API server over real HTTP, for tests, benchmarks and the offline demo.

The real python-telegram-bot stack talks to it through ``base_url``/``base_file_url``; the test
drives it as users would (`FakeTelegram.user_sends`, `FakeTelegram.user_presses`, ...) and
observes what the bot did (`FakeTelegram.calls`, `FakeTelegram.sent_messages`, ...).
Every piece of state is guarded by one condition variable, notified whenever anything changes.

The modules, bottom up: `objects` (Bot API objects and records), `limits` (sizes and flood
limits), `params` (reading a call's parameters), `server` (the HTTP server), `state` (what the
fake knows), `files`, `sending` and `methods` (the Bot API methods), `api` (one request, one
answer), `driving`, `configuring` and `observing` (what tests do), `fake` (all of it together).
"""

from bot.fake_telegram.fake import FakeTelegram
from bot.fake_telegram.objects import Call, FakeChat, FakeUser, LimitViolation, UploadedFile

__all__ = [
    "Call",
    "FakeChat",
    "FakeTelegram",
    "FakeUser",
    "LimitViolation",
    "UploadedFile",
]
