"""A conference over HTTP with the real `thidua run` process: the invitation due now, three of
five units register through the fake Bot API, the reminder reaches exactly the other two, the
group's registration board is edited in place, and the check-in counts the units present."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.cli import main
from bot.fake_telegram import FakeChat, FakeTelegram, FakeUser
from bot.storage.conference_tables import Conference
from bot.storage.models import OutboxMessage
from tests.setup.conference_example import Tree, as_text, example_tree
from tests.support.factories import EXAMPLE, GROUP_CHAT, UNITS, example_cluster, person_id_of
from tests.support.harness import button_data, buttons

GROUP = FakeChat(id=GROUP_CHAT, type="supergroup", title="Cụm 2")
PEOPLE = {
    code: FakeUser(id=person_id_of(code), first_name=code, language_code="vi") for code in UNITS
}
REGISTERING = ("kon-tum", "sa-thay", "dak-cam")  # dak-cam answers that it will not attend
SILENT = ("mo-rai", "ia-dal")
# Read once: a set-up imported again says the same times.
NOW = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def setup_tree(*, reminders: list[str]) -> Tree:
    """The example with its mid-year conference invited an hour ago, registration for two days;
    the period moved months ahead so that it sends nothing meanwhile."""
    now = NOW
    tree = example_tree(EXAMPLE.read_text(encoding="utf-8"))
    period = tree["periods"][0]
    period["opens"], period["deadline"] = (
        _stamp(now + timedelta(days=200)),
        _stamp(now + timedelta(days=220)),
    )
    conference = tree["conferences"][0]
    conference.update(
        invite=_stamp(now - timedelta(hours=1)),
        rsvp_by=_stamp(now + timedelta(days=2)),
        starts=_stamp(now + timedelta(days=5)),
        ends=_stamp(now + timedelta(days=5, hours=3)),
        reminders=reminders,
    )
    tree["conferences"] = [conference]
    return tree


class Running:
    """The `thidua run` child process and the fake it talks to."""

    def __init__(self, fake: FakeTelegram, log: Path) -> None:
        self.fake, self.log = fake, log

    def wait(self, what: str, predicate: Callable[[], bool], timeout: float = 60) -> None:
        if not self.fake.wait_for(predicate, timeout=timeout):
            raise AssertionError(f"{what}:\n{self.log.read_text(errors='replace')[-4000:]}")

    def wait_text(self, chat_id: int, part: str, what: str) -> None:
        """Until a message of the chat contains `part`."""
        self.wait(what, lambda: any(part in text for text in self.texts(chat_id)))

    def texts(self, chat_id: int) -> list[str]:
        return [m.get("text") or "" for m in self.fake.sent_messages(chat_id)]

    def say(self, user: FakeUser, words: str) -> dict[str, Any]:
        count = len(self.fake.sent_messages(user.id))
        self.fake.user_sends(user, words)
        return self._next(user, count)

    def press(self, user: FakeUser, message: dict[str, Any], label: str) -> dict[str, Any]:
        count = len(self.fake.sent_messages(user.id))
        self.fake.user_presses(user, message, button_data(message, label))
        return self._next(user, count)

    def _next(self, user: FakeUser, count: int) -> dict[str, Any]:
        self.wait(
            f"no reply to {user.first_name}", lambda: len(self.fake.sent_messages(user.id)) > count
        )
        return self.fake.sent_messages(user.id)[-1]


@pytest.fixture
def running(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Running]:
    example_cluster(engine, yaml=as_text(setup_tree(reminders=[])))
    with FakeTelegram() as fake:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "DATABASE_URL": database_url,
            "THIDUA_SCHEDULER_TICK": "0.5",
            "THIDUA_QUIET_HOURS": "",  # the test may run at night
            "THIDUA_LOCALE": "vi",
        }
        log = tmp_path / "process.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], env=env, stdout=output, stderr=output
            )
        try:
            yield Running(fake, log)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        assert fake.token not in log.read_text(errors="replace")


def conference_id(engine: Engine) -> int:
    with Session(engine) as session:
        ident = session.exec(select(Conference.id).where(Conference.code == "2026-h1-hn")).one()
        assert ident is not None
        return ident


def register(bot: Running, code: str, ident: int, delegates: list[tuple[str, str]]) -> str:
    """The unit's focal point follows the invitation's link and registers; the receipt."""
    user = PEOPLE[code]
    question = bot.say(user, f"/start rsvp-{ident}")  # what the link's button sends
    assert "có cử đoàn đại biểu tham dự không?" in question["text"], question["text"]
    if not delegates:
        bot.press(user, question, "Không")
        review = bot.say(user, "Trùng lịch tiếp công dân")
    else:
        reply = bot.press(user, question, "Có")
        for name, title in delegates:
            bot.say(user, name)
            reply = bot.say(user, title)
        review = bot.press(user, reply, "Xong") if len(delegates) < 3 else reply
    return str(bot.press(user, review, "Xác nhận")["text"])


def reminded_chats(engine: Engine) -> set[int]:
    with Session(engine) as session:
        rows = session.exec(
            select(OutboxMessage.chat_id).where(col(OutboxMessage.key).startswith("conf-remind:"))
        )
        return set(rows.all())


def test_invitation_registrations_reminders_board_and_check_in_over_http(
    running: Running, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    bot, ident = running, conference_id(engine)
    link = f"https://t.me/{bot.fake.bot_username}?start=rsvp-{ident}"
    bot.wait_text(GROUP_CHAT, "GIẤY MỜI", "no invitation in the group")
    for user in PEOPLE.values():
        bot.wait_text(user.id, "GIẤY MỜI", f"no invitation to {user.first_name}")
        invitation = next(
            m for m in bot.fake.sent_messages(user.id) if "GIẤY MỜI" in (m.get("text") or "")
        )
        assert buttons(invitation) == [("📝 Đăng ký đại biểu", link)]
    bot.wait_text(GROUP_CHAT, "0/5 đơn vị đã trả lời", "no board in the group")
    (board,) = [
        m
        for m in bot.fake.sent_messages(GROUP_CHAT)
        if "đơn vị đã trả lời" in (m.get("text") or "")
    ]

    assert "Đã đăng ký đại biểu" in register(
        bot, "kon-tum", ident, [("Nguyễn Văn An", "Chủ tịch UBND thành phố")]
    )
    assert "Lần đăng ký: 1" in register(
        bot,
        "sa-thay",
        ident,
        [("Trần Thị Bình", "Phó Chủ tịch UBND xã"), ("Lê Văn Cường", "Chánh Văn phòng")],
    )
    assert "Không tham dự" in register(bot, "dak-cam", ident, [])

    def board_now() -> str:
        found = [
            m for m in bot.fake.sent_messages(GROUP_CHAT) if m["message_id"] == board["message_id"]
        ]
        return str(found[0].get("text")) if found else ""

    bot.wait("the board was not edited", lambda: "3/5 đơn vị đã trả lời" in board_now())
    assert "trưởng đoàn Trần Thị Bình (Phó Chủ tịch UBND xã)" in board_now()
    assert "⬜ Chưa trả lời (2):" in board_now()
    assert bot.fake.calls_to("editMessageText")
    assert (
        len(
            [
                m
                for m in bot.fake.sent_messages(GROUP_CHAT)
                if "đơn vị đã trả lời" in (m.get("text") or "")
            ]
        )
        == 1
    )

    # The admin adds a reminder that is due at once (49 hours before the deadline in two days).
    path = tmp_path / "cluster.yaml"
    path.write_text(as_text(setup_tree(reminders=["48h30m"])), encoding="utf-8")
    imported = CliRunner().invoke(
        main, ["import", str(path)], env={"DATABASE_URL": database_url, "THIDUA_LOCALE": "vi"}
    )
    assert imported.exit_code == 0, imported.output
    for code in SILENT:
        user = PEOPLE[code]
        bot.wait_text(user.id, "chưa đăng ký đại biểu", f"no reminder to {code}")
    bot.wait(
        "no reminder in the group",
        lambda: any(t.startswith("⏰ Còn 2/5") for t in bot.texts(GROUP_CHAT)),
    )
    group_reminder = next(t for t in bot.texts(GROUP_CHAT) if t.startswith("⏰ Còn 2/5"))
    assert "Xã Mô Rai" in group_reminder and "Xã Ia Đal" in group_reminder
    assert "Xã Sa Thầy" not in group_reminder
    assert reminded_chats(engine) == {person_id_of(code) for code in SILENT} | {GROUP_CHAT}
    for code in REGISTERING:
        assert not any("chưa đăng ký đại biểu" in t for t in bot.texts(person_id_of(code)))

    check_in(bot)


def check_in(bot: Running) -> None:
    """The chair's `/checkin` in the group; three units press «Có mặt»; the roll-call counts."""
    chair = PEOPLE["kon-tum"]  # a member of the chair unit
    bot.fake.user_sends(chair, "/checkin", chat=GROUP)

    def roll_call() -> dict[str, Any] | None:
        found = [
            m
            for m in bot.fake.sent_messages(GROUP_CHAT)
            if any("Có mặt" in label for label, _ in buttons(m))
        ]
        return found[-1] if found else None

    bot.wait("no roll-call in the group", lambda: roll_call() is not None)
    message = roll_call()
    assert message is not None
    for code in ("kon-tum", "sa-thay", "mo-rai"):
        bot.fake.user_presses(PEOPLE[code], message, button_data(message, "Có mặt"))
    bot.wait(
        "the roll-call did not count three units",
        lambda: "Có mặt 3/5 đơn vị" in str((roll_call() or {}).get("text")),
    )
