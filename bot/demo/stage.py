"""The stage: the compressed clock, the example's timetable and set-up, the cluster's group."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.demo.acts_setup import with_acts
from bot.demo.officers import OFFICERS, REPLY_TIMEOUT, DemoFailure, Officer
from bot.demo.recorder import Recorder
from bot.fake_telegram import FakeChat, FakeTelegram
from bot.setup import SetupError, read_setup
from bot.storage import session_scope
from bot.storage.models import Cluster, GroupChat, Period, Unit
from bot.storage.people import create_invite
from bot.storage.setup_import import apply_setup, known_clusters
from bot.storage.types import utcnow

__all__ = [
    "GROUP_CHAT_ID",
    "GROUP_TITLE",
    "DemoClock",
    "GroupWatcher",
    "Timetable",
    "bind_group",
    "import_example",
    "invite",
    "timetable",
    "unit_names",
]

JSONDict = dict[str, Any]

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
GROUP_CHAT_ID, GROUP_TITLE = -1001234567890, "Cụm thi đua số 2 – Quảng Ngãi"
GROUP = FakeChat(id=GROUP_CHAT_ID, type="supergroup", title=GROUP_TITLE)


class DemoClock:
    """The demo's time: it stands still while a scene plays and jumps between scenes."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def jump(self, moment: datetime, recorder: Recorder) -> None:
        """Move to `moment` and say so."""
        self.now = moment
        recorder.clock(moment)


@dataclass(frozen=True)
class Timetable:
    """The moments of the example period that the demo visits."""

    opens: datetime
    first_reminder: datetime
    deadline: datetime

    def day(self, number: int, hour: int) -> datetime:
        """`hour` o'clock (local) on the `number`-th day after the opening."""
        local = self.opens.astimezone(ZONE) + timedelta(days=number)
        return local.replace(hour=hour, minute=0)


def timetable(engine: Engine) -> Timetable:
    with Session(engine) as session:
        period = session.exec(select(Period).order_by(col(Period.id))).first()
    if period is None or not period.reminder_offsets:
        raise DemoFailure("Tệp ví dụ cần một kỳ báo cáo có lịch nhắc (reminders).")
    first = period.deadline_at - timedelta(minutes=max(period.reminder_offsets))
    return Timetable(period.opens_at, first, period.deadline_at)


def bind_group(engine: Engine) -> None:
    """The cluster's group, bound as an admin's `/bind` does."""
    with session_scope(engine) as session:
        cluster = session.exec(select(Cluster).order_by(col(Cluster.id))).one()
        session.add(
            GroupChat(
                chat_id=GROUP_CHAT_ID, title=GROUP_TITLE, cluster_id=cluster.id, bound_at=utcnow()
            )
        )


class GroupWatcher:
    """The cluster's group chat: shows what the bot posts there, and its edits in place."""

    def __init__(self, fake: FakeTelegram, recorder: Recorder) -> None:
        self.fake, self.recorder = fake, recorder
        self._seen = 0
        self._edits = 0

    def show(self, *, expect: str) -> list[JSONDict]:
        """Print the new posts (the outbox is drained already); one must say `expect`."""
        messages = self.fake.sent_messages(GROUP_CHAT_ID)
        new, self._seen = messages[self._seen :], len(messages)
        for message in new:
            self.recorder.bot(GROUP_TITLE, message)
        if expect not in _said(new):
            raise DemoFailure(f"Nhóm của cụm không nhận được tin «{expect}».")
        return new

    def say(self, officer: Officer, text: str, *, expect: str) -> JSONDict:
        """A member types `text` in the group; the bot's new post must say `expect`."""
        self.recorder.user(f"{officer.name} (trong nhóm)", text)
        self.fake.user_sends(officer.user, text, chat=GROUP)
        self._wait(
            f"«{text}»",
            lambda: expect in _said(self.fake.sent_messages(GROUP_CHAT_ID)[self._seen :]),
        )
        return self.show(expect=expect)[-1]

    def press(self, officer: Officer, message: JSONDict, label: str, *, expect: str) -> None:
        """A member presses `label` on a post of the group; the post must come to say `expect`."""
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        found = [b for row in rows for b in row if label in b["text"]]
        if not found:
            raise DemoFailure(f"Nhóm của cụm: không thấy nút «{label}» nào để bấm.")
        self.recorder.user(f"{officer.name} (trong nhóm)", f"[{found[0]['text']}]")
        self.fake.user_presses(officer.user, message, str(found[0]["callback_data"]))
        ident = message["message_id"]
        self._wait(f"[{found[0]['text']}]", lambda: expect in _said(self._posts(ident)))

    def _posts(self, ident: int) -> list[JSONDict]:
        messages = self.fake.sent_messages(GROUP_CHAT_ID)
        return [m for m in messages if m["message_id"] == ident]

    def _wait(self, action: str, done: Callable[[], bool]) -> None:
        if not self.fake.wait_for(done, timeout=REPLY_TIMEOUT):
            raise DemoFailure(f"Nhóm của cụm: sau {action}, bot không trả lời như mong đợi.")

    def show_edits(self) -> int:
        """Print the board's new edits; how many there were."""
        edits = [
            call
            for call in self.fake.calls_to("editMessageText")
            if call.status == 200 and int(call.params.get("chat_id", 0)) == GROUP_CHAT_ID
        ]
        for call in edits[self._edits :]:
            self.recorder.bot(f"{GROUP_TITLE} (sửa tại chỗ)", {"text": call.params.get("text")})
        count, self._edits = len(edits) - self._edits, len(edits)
        return count


def _said(messages: list[JSONDict]) -> str:
    return "\n".join(str(m.get("text") or m.get("caption") or "") for m in messages)


def import_example(engine: Engine, example: Path) -> None:
    """Import the example file, with what the later acts need, as `thidua import` does."""
    text = with_acts(example.read_text(encoding="utf-8"))
    try:
        with session_scope(engine) as session:
            setup = read_setup(text, locale="vi", known_clusters=known_clusters(session))
            apply_setup(session, setup, actor="cli:demo")
    except SetupError as error:
        problems = "; ".join(str(problem) for problem in error.problems)
        raise DemoFailure(f"Không nhập được {example}: {problems}") from None


def unit_names(engine: Engine) -> dict[str, str]:
    """Unit code -> display name, for every officer's unit."""
    with Session(engine) as session:
        names = {unit.code: unit.name for unit in session.exec(select(Unit)).all()}
    missing = [o.unit_code for o in OFFICERS if o.unit_code not in names]
    if missing:
        raise DemoFailure(f"Tệp ví dụ thiếu các đơn vị: {', '.join(missing)}.")
    return names


def invite(engine: Engine, unit_code: str) -> str:
    """A one-time invite token, as `thidua invite` makes."""
    with session_scope(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        token, _invite_row = create_invite(
            session, unit=unit, role="focal", expires_in=timedelta(days=7), created_by="cli:demo"
        )
    return token
