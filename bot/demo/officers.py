"""The five focal points of the demo, what they type, and how one of them is played."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.demo.recorder import Recorder
from bot.fake_telegram import FakeTelegram, FakeUser

__all__ = [
    "AMBIGUOUS",
    "AMBIGUOUS_STORED",
    "AMBIGUOUS_TYPED",
    "EXPLAINED",
    "EXPLANATION",
    "INVALID",
    "INVALID_FIXED",
    "INVALID_TYPED",
    "OFFICERS",
    "REPLY_TIMEOUT",
    "REPORT_FILE",
    "RESUMED",
    "RESUMED_STORED",
    "RESUMED_TYPED",
    "REVISED",
    "REVISED_FIRST",
    "REVISED_STORED",
    "REVISED_TYPED",
    "UNUSUAL_TYPED",
    "DemoFailure",
    "Officer",
    "Player",
]

JSONDict = dict[str, Any]

REPLY_TIMEOUT = 10.0  # seconds; a healthy bot answers in milliseconds


class DemoFailure(Exception):
    """Something the demo played did not happen as it should."""


@dataclass(frozen=True)
class Officer:
    """A unit's focal point (chuyên viên theo dõi thi đua) as a Telegram user."""

    user: FakeUser
    unit_code: str

    @property
    def name(self) -> str:
        """The Vietnamese full name: family and middle names, then the given name."""
        return f"{self.user.last_name} {self.user.first_name}"


def _officer(user_id: int, given: str, family: str, unit_code: str) -> Officer:
    """An officer whose Telegram account speaks Vietnamese."""
    return Officer(FakeUser(id=user_id, first_name=given, last_name=family), unit_code)


AMBIGUOUS = _officer(910001, "Hoa", "Nguyễn Thị", "kon-tum")
INVALID = _officer(910002, "Minh", "Trần Văn", "sa-thay")
RESUMED = _officer(910003, "Lan", "Lê Thị", "dak-cam")
REVISED = _officer(910004, "Đức", "Phạm Văn", "mo-rai")
EXPLAINED = _officer(910005, "Tâm", "Đinh Văn", "ia-dal")
OFFICERS = (AMBIGUOUS, INVALID, RESUMED, REVISED, EXPLAINED)

# What the officers type, shared by the play and the final checks of the database.
AMBIGUOUS_TYPED, AMBIGUOUS_STORED = "1.250", "1250"
INVALID_TYPED, INVALID_FIXED = "khoảng 400", "410"
RESUMED_TYPED = ("58", "98,5", "3", "280", "0,8")
RESUMED_STORED = ("58", "98.5", "3", "280", "0.8")
REVISED_FIRST, REVISED_TYPED, REVISED_STORED = "66", "71,2", "71.2"
UNUSUAL_TYPED = "135"  # over three times Ia Đal's 40 billion target: asked back
EXPLANATION = "Có khoản thu tiền sử dụng đất của dự án khu dân cư mới ở trung tâm xã."
REPORT_FILE = "bao-cao-so-ket-6-thang-tp-kon-tum.pdf"


class Player:
    """One officer in their private chat with the bot, driven from a worker thread."""

    def __init__(self, fake: FakeTelegram, recorder: Recorder, officer: Officer) -> None:
        self.fake, self.recorder, self.officer = fake, recorder, officer
        self._seen = self._looked = len(fake.sent_messages(officer.user.id))

    def say(self, text: str, *, expect: str, replies: int = 1, shown: str | None = None) -> None:
        """The officer types `text`; the bot must answer with `replies` messages."""
        self.catch_up()
        self.recorder.user(self.officer.name, shown or text)
        self.fake.user_sends(self.officer.user, text)
        self._replies(f"«{shown or text}»", expect, replies)

    def press(self, label: str, *, expect: str, replies: int = 1) -> None:
        """The officer presses the newest button labelled `label` (or containing it)."""
        self.catch_up()
        message, data, full_label = self._button(label)
        self.recorder.user(self.officer.name, f"[{full_label}]")
        self.fake.user_presses(self.officer.user, message, data)
        self._replies(f"[{full_label}]", expect, replies)

    def send_file(self, file_name: str, *, expect: str) -> None:
        """The officer sends a document (a small fake PDF)."""
        self.catch_up()
        content = b"%PDF-1.4\n% bao cao so ket (demo)\n"
        self.recorder.user(self.officer.name, f"📎 {file_name}")
        self.fake.user_sends_document(
            self.officer.user,
            file_name=file_name,
            mime_type="application/pdf",
            file_size=len(content),
            content=content,
        )
        self._replies(f"📎 {file_name}", expect, 1)

    def catch_up(self) -> list[JSONDict]:
        """Show what the bot sent on its own (reminders, a digest) since the officer's last step:
        the replies to the next step are only what comes after it."""
        messages = self.fake.sent_messages(self.officer.user.id)
        new, self._seen = messages[self._seen :], len(messages)
        for message in new:
            self.recorder.bot(self.officer.name, message)
        return new

    def look(self) -> list[JSONDict]:
        """Everything the officer got since the last look, replies to their steps included:
        a notice that came just before a step's reply was printed with that reply."""
        self.catch_up()
        messages = self.fake.sent_messages(self.officer.user.id)
        new, self._looked = messages[self._looked :], len(messages)
        return new

    def _button(self, label: str) -> tuple[JSONDict, str, str]:
        """The newest message with such a button, its callback data and its full label."""
        for message in reversed(self.fake.sent_messages(self.officer.user.id)):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
            buttons = [b for row in rows for b in row if "callback_data" in b]
            # An exact label wins: «✏️ 1» must not press «✏️ 10».
            for button in sorted(buttons, key=lambda b: b["text"] != label):
                if label in button["text"]:
                    return message, str(button["callback_data"]), str(button["text"])
        raise DemoFailure(f"{self.officer.name}: không thấy nút «{label}» nào để bấm.")

    def _replies(self, action: str, expect: str, replies: int) -> None:
        """Wait for the bot's `replies` new messages, print them, and check they say `expect`."""
        chat, seen = self.officer.user.id, self._seen

        def answered() -> bool:
            # A notice from the outbox (a signing request, a reminder) may come between the
            # step and its reply: wait for the reply itself, not for the next message alone.
            new = self.fake.sent_messages(chat)[seen:]
            return len(new) >= replies and expect in _texts(new)

        if not self.fake.wait_for(answered, timeout=REPLY_TIMEOUT):
            new = self.fake.sent_messages(chat)[seen:]
            if len(new) < replies:
                raise DemoFailure(
                    f"{self.officer.name}: bot không trả lời {action} trong {REPLY_TIMEOUT:g} giây."
                )
        messages = self.fake.sent_messages(chat)
        new, self._seen = messages[seen:], len(messages)
        for message in new:
            self.recorder.bot(self.officer.name, message)
        if expect not in _texts(new):
            raise DemoFailure(
                f"{self.officer.name}: sau {action}, bot không trả lời như mong đợi "
                f"(thiếu «{expect}»)."
            )


def _texts(messages: list[JSONDict]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)
