"""`thidua demo`: a whole reporting round played offline against the fake Bot API.

The real bot (handlers, database, long polling) and its scheduler talk over HTTP to
`FakeTelegram` on 127.0.0.1. A compressed clock walks the mid-year period from its opening to
past its deadline: the group hears the opening, five focal points join and submit (one of them
late), reminders reach only those who owe, the board and the cluster summary are posted.
Everything is then checked in the database and in what the fake received.
"""

from __future__ import annotations

import asyncio
import io
import os
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import click
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import Application

import bot
from bot.domain.formatting import format_moment
from bot.edge.app import build_application
from bot.fake_telegram import FakeTelegram, FakeUser
from bot.settings import Settings
from bot.setup import SetupError, read_setup
from bot.storage import make_engine, session_scope, upgrade
from bot.storage.models import Answer, Cluster, GroupChat, Indicator, Period, Submission, Unit
from bot.storage.people import create_invite
from bot.storage.setup_import import apply_setup, known_clusters
from bot.storage.types import utcnow
from scheduler.plan import pending_count
from scheduler.sender import Limits
from scheduler.service import Scheduler, sender_bot

__all__ = ["EXAMPLE", "OFFICERS", "DemoFailure", "run_demo", "wants_color"]

JSONDict = dict[str, Any]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

EXAMPLE = Path(bot.__file__).resolve().parent.parent / "examples" / "cluster.yaml"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
REPLY_TIMEOUT = 10.0  # seconds; a healthy bot answers in milliseconds
MOMENT_FORMAT = "%Y-%m-%d %H:%M"
FIRST_FIVE = ("thu-ngan-sach", "gtsx-ke-hoach", "xa-ntm", "quy-vi-nguoi-ngheo", "hs-bo-hoc")
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# Telegram's flood limits, ten times faster in the fake and in the sender alike.
LIMITS_SCALE = 10.0
GROUP_CHAT_ID, GROUP_TITLE = -1001234567890, "Cụm thi đua số 2 – Kon Tum"


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


AMBIGUOUS = _officer(910001, "Hoa", "Nguyễn Thị", "tp-kontum")
INVALID = _officer(910002, "Minh", "Trần Văn", "sa-thay")
RESUMED = _officer(910003, "Lan", "Lê Thị", "kon-ray")
REVISED = _officer(910004, "Đức", "Phạm Văn", "kon-plong")
EXPLAINED = _officer(910005, "Tâm", "Đinh Văn", "ia-hdrai")
OFFICERS = (AMBIGUOUS, INVALID, RESUMED, REVISED, EXPLAINED)

# What the officers type, shared by the play and the final checks of the database.
AMBIGUOUS_TYPED, AMBIGUOUS_STORED = "1.250", "1250"
INVALID_TYPED, INVALID_FIXED = "khoảng 400", "410"
RESUMED_TYPED = ("58", "98,5", "3", "280", "0,8")
RESUMED_STORED = ("58", "98.5", "3", "280", "0.8")
REVISED_FIRST, REVISED_TYPED, REVISED_STORED = "66", "71,2", "71.2"
UNUSUAL_TYPED = "135"  # over three times Ia H'Drai's 40 billion target: asked back
EXPLANATION = "Có khoản thu tiền sử dụng đất của dự án khu dân cư mới ở trung tâm huyện."
REPORT_FILE = "bao-cao-so-ket-6-thang-tp-kon-tum.pdf"


class DemoFailure(Exception):
    """Something the demo played did not happen as it should."""


# --------------------------------------------------------------------- printing


_RESET, _BOLD, _DIM = "\033[0m", "\033[1m", "\033[2m"
_CYAN, _GREEN, _YELLOW, _RED, _MAGENTA = "\033[36m", "\033[32m", "\033[33m", "\033[31m", "\033[35m"


def wants_color(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """ANSI colours only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    # no-color.org: an empty NO_COLOR counts as unset.
    return not environ.get("NO_COLOR") and stream.isatty()


def _button_labels(message: JSONDict) -> list[str]:
    """The labels of a message's inline buttons, row by row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [str(button.get("text", "")) for row in rows for button in row]


def _md_escape(text: str) -> str:
    """Plain text safe inside a Markdown paragraph."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


@dataclass
class Recorder:
    """Prints the conversation as it happens and keeps it as Markdown."""

    color: bool
    markdown: list[str] = field(default_factory=list)

    def _paint(self, text: str, *codes: str) -> str:
        return f"{''.join(codes)}{text}{_RESET}" if self.color and codes else text

    def heading(self, text: str) -> None:
        """A stage of the demo."""
        click.echo("\n" + self._paint(f"── {text} ──", _BOLD, _YELLOW))
        self.markdown += [f"## {_md_escape(text)}", ""]

    def note(self, text: str) -> None:
        """A remark of the demo itself, not part of any chat."""
        click.echo(self._paint(f"   {text}", _DIM))
        self.markdown += [f"_{_md_escape(text)}_", ""]

    def clock(self, moment: datetime) -> None:
        """The compressed clock jumps to `moment`."""
        shown = format_moment(moment, "Asia/Ho_Chi_Minh", "vi")
        click.echo(self._paint(f"🕘 {shown}", _BOLD, _MAGENTA))
        self.markdown += [f"🕘 **{shown}**", ""]

    def user(self, name: str, text: str) -> None:
        """What an officer typed, pressed or sent."""
        click.echo(f"{self._paint('👤 ' + name + ':', _BOLD, _CYAN)} {text}")
        self.markdown += [f"**👤 {name}:** {_md_escape(text)}", ""]

    def bot(self, name: str, message: JSONDict) -> None:
        """A message of the bot, verbatim, with its buttons in brackets."""
        lines = str(message.get("text") or message.get("caption") or "").split("\n")
        if document := message.get("document"):
            lines.append(f"📎 {document.get('file_name', '')}")
        elif message.get("photo"):
            lines.append("🖼️ (ảnh biểu đồ)")
        buttons = " ".join(f"[{label}]" for label in _button_labels(message))
        head = self._paint(f"🤖 Bot → {name}:", _BOLD, _GREEN)
        shown = [line for line in lines if line.strip()]
        click.echo(f"{head} {shown[0] if shown else ''}")
        for line in shown[1:]:
            click.echo(f"   {line}")
        if buttons:
            click.echo("   " + self._paint(buttons, _MAGENTA))
        block = [*lines, *([buttons] if buttons else [])]
        self.markdown += [f"**🤖 Bot → {name}:**", "", "```text", *block, "```", ""]

    def result(self, ok: bool, text: str) -> None:
        """One line of the final check."""
        mark = self._paint("✅" if ok else "❌", _GREEN if ok else _RED)
        click.echo(f"{mark} {text}")
        self.markdown.append(f"- {'✅' if ok else '❌'} {_md_escape(text)}")

    def write(self, folder: Path) -> Path:
        """Write the transcript to `folder`/transcript.md."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "transcript.md"
        intro = [
            "# thidua demo – bản ghi hội thoại",
            "",
            "Bot thật (python-telegram-bot, long polling) và bộ lập lịch của nó nói chuyện qua "
            "HTTP với một Telegram giả trên 127.0.0.1; cơ sở dữ liệu SQLite tạm; cụm ví dụ "
            "`examples/cluster.yaml`. Đồng hồ được nén: từ lúc kỳ báo cáo mở đến sau hạn nộp.",
            "",
        ]
        path.write_text("\n".join([*intro, *self.markdown, ""]), encoding="utf-8")
        return path


# --------------------------------------------------------------------- playing one officer


class Player:
    """One officer in their private chat with the bot, driven from a worker thread."""

    def __init__(self, fake: FakeTelegram, recorder: Recorder, officer: Officer) -> None:
        self.fake, self.recorder, self.officer = fake, recorder, officer
        self._seen = len(fake.sent_messages(officer.user.id))

    def say(self, text: str, *, expect: str, replies: int = 1, shown: str | None = None) -> None:
        """The officer types `text`; the bot must answer with `replies` messages."""
        self.recorder.user(self.officer.name, shown or text)
        self.fake.user_sends(self.officer.user, text)
        self._replies(f"«{shown or text}»", expect, replies)

    def press(self, label: str, *, expect: str, replies: int = 1) -> None:
        """The officer presses the newest button labelled `label` (or containing it)."""
        message, data, full_label = self._button(label)
        self.recorder.user(self.officer.name, f"[{full_label}]")
        self.fake.user_presses(self.officer.user, message, data)
        self._replies(f"[{full_label}]", expect, replies)

    def send_file(self, file_name: str, *, expect: str) -> None:
        """The officer sends a document (a small fake PDF)."""
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
        """Show what the bot sent on its own (reminders) since the officer's last step."""
        messages = self.fake.sent_messages(self.officer.user.id)
        new, self._seen = messages[self._seen :], len(messages)
        for message in new:
            self.recorder.bot(self.officer.name, message)
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
        chat = self.officer.user.id
        try:
            messages = self.fake.wait_for_messages(chat, self._seen + replies, REPLY_TIMEOUT)
        except TimeoutError:
            raise DemoFailure(
                f"{self.officer.name}: bot không trả lời {action} trong {REPLY_TIMEOUT:g} giây."
            ) from None
        new, self._seen = messages[self._seen :], len(messages)
        for message in new:
            self.recorder.bot(self.officer.name, message)
        said = "\n".join(str(m.get("text", "")) for m in new)
        if expect not in said:
            raise DemoFailure(
                f"{self.officer.name}: sau {action}, bot không trả lời như mong đợi "
                f"(thiếu «{expect}»)."
            )


# --------------------------------------------------------------------- the script


def _first_answers(player: Player, values: tuple[str, ...], first: int = 1) -> None:
    """Type answers to consecutive number questions, starting at question `first`."""
    for offset, value in enumerate(values):
        player.say(value, expect=f"Câu {first + offset + 1}/")


def _finish(
    player: Player, ratio: str, grade: str, *, highlight: str | None = None, report: bool = False
) -> None:
    """Questions 6 to 11 (ratio, yes/no, choice, two texts, a file), then confirm."""
    player.say(ratio, expect="Câu 7/")
    player.press("Có", expect="Câu 8/")
    player.press(grade, expect="Câu 9/")
    if highlight:
        player.say(highlight, expect="Câu 10/")
    else:
        player.press("Bỏ qua", expect="Câu 10/")
    player.press("Bỏ qua", expect="Câu 11/")
    if report:
        player.send_file(REPORT_FILE, expect="Xem lại số liệu")
    else:
        player.press("Bỏ qua", expect="Xem lại số liệu")
    player.press("Xác nhận nộp", expect="Đã nộp số liệu")


def _join_all(
    players: Mapping[str, Player], invites: Mapping[str, str], units: Mapping[str, str]
) -> None:
    """Each officer opens their invite link (`/start <token>`) and is greeted by unit."""
    players[AMBIGUOUS.unit_code].recorder.heading("Năm đầu mối tham gia bằng đường dẫn mời")
    for officer in OFFICERS:
        token = invites[officer.unit_code]
        players[officer.unit_code].say(
            f"/start {token}", expect=units[officer.unit_code], shown=f"/start {token[:8]}…"
        )


def _ambiguous(player: Player) -> None:
    """«1.250» can be 1250 or 1,25: the officer picks the reading from the buttons."""
    player.say("/submit", expect="Câu 1/")
    _first_answers(player, ("580", "104,5", "7"))
    player.say(AMBIGUOUS_TYPED, expect="1,25")
    player.press(AMBIGUOUS_STORED, expect="Câu 5/")
    player.say("0,3", expect="Câu 6/")
    _finish(
        player, "47/53", "Tốt", highlight="Hoàn thành sớm 4 công trình trọng điểm.", report=True
    )


def _invalid(player: Player) -> None:
    """An unreadable value is refused with the question asked again, then corrected."""
    player.say("/submit", expect="Câu 1/")
    _first_answers(player, ("102,5", "101", "5"))
    player.say(INVALID_TYPED, expect="Câu 4/")
    player.say(INVALID_FIXED, expect="Câu 5/")
    player.say("0,7", expect="Câu 6/")
    _finish(player, "38/41", "Khá")


def _cancelled(player: Player) -> None:
    """Five answers, then /cancel: the draft stays in the database."""
    player.say("/submit", expect="Câu 1/")
    _first_answers(player, RESUMED_TYPED)
    player.say("/cancel", expect=f"{len(RESUMED_TYPED)} câu")


def _resumed(player: Player) -> None:
    """After the restart: /submit offers the draft, «Tiếp tục» goes on at question 6."""
    player.say("/submit", expect=f"{len(RESUMED_TYPED)}/")
    player.press("Tiếp tục", expect="Câu 6/")
    _finish(player, "29/33", "Khá")


def _revised(player: Player) -> None:
    """Submit, then /submit again: fix question 1 in the review and submit revision 2."""
    player.say("/submit", expect="Câu 1/")
    _first_answers(player, (REVISED_FIRST, "97", "3", "310", "0,9"))
    _finish(player, "25/30", "Trung bình")
    player.say("/submit", expect="Xem lại số liệu")
    player.press("✏️ 1", expect="Câu 1/")
    player.say(REVISED_TYPED, expect="Xem lại số liệu")
    player.press("Xác nhận nộp", expect="Lần nộp: 2")


def _explained(player: Player) -> None:
    """A figure far above the target is confirmed and explained (giải trình)."""
    player.say("/submit", expect="Câu 1/")
    player.say(UNUSUAL_TYPED, expect="⚠️")
    player.press("Đúng", expect="giải trình")
    player.say(EXPLANATION, expect="Câu 2/")
    _first_answers(player, ("106", "1", "210", "1,2"), first=2)
    _finish(player, "12/14", "Tốt")


def _heading(player: Player, units: Mapping[str, str], what: str) -> None:
    """A stage title: who, from which unit, does what."""
    officer = player.officer
    player.recorder.heading(f"{officer.name} ({units[officer.unit_code]}) {what}")


# --------------------------------------------------------------------- time, group, scheduler


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


def _timetable(engine: Engine) -> Timetable:
    with Session(engine) as session:
        period = session.exec(select(Period).order_by(col(Period.id))).first()
    if period is None or not period.reminder_offsets:
        raise DemoFailure("Tệp ví dụ cần một kỳ báo cáo có lịch nhắc (reminders).")
    first = period.deadline_at - timedelta(minutes=max(period.reminder_offsets))
    return Timetable(period.opens_at, first, period.deadline_at)


def _bind_group(engine: Engine) -> None:
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
        said = "\n".join(str(m.get("text") or m.get("caption") or "") for m in new)
        if expect not in said:
            raise DemoFailure(f"Nhóm của cụm không nhận được tin «{expect}».")
        return new

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


@dataclass
class RunningScheduler:
    """The scheduler with its own engine and bot, as `thidua scheduler` runs it."""

    scheduler: Scheduler
    engine: Engine
    bot: Bot

    async def deliver(self) -> None:
        """One tick, then wait until every queued message has gone out."""
        await self.scheduler.tick()
        give_up = time.monotonic() + 6 * REPLY_TIMEOUT
        while await asyncio.to_thread(self._waiting):
            if time.monotonic() > give_up:
                raise DemoFailure("Bộ gửi tin của bot chưa gửi hết hộp thư đi.")
            await asyncio.sleep(0.05)

    def _waiting(self) -> int:
        with Session(self.engine) as session:
            return pending_count(session)

    async def stop(self) -> None:
        await self.scheduler.stop()
        await self.bot.shutdown()
        self.engine.dispose()


async def _start_scheduler(settings: Settings, clock: DemoClock) -> RunningScheduler:
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    engine = make_engine(settings.database_url)
    bot = sender_bot(settings, token)
    await bot.initialize()
    limits = Limits(rate=settings.send_rate, scale=LIMITS_SCALE)
    scheduler = Scheduler(settings, engine, bot, clock=clock, limits=limits)
    await scheduler.start()
    return RunningScheduler(scheduler, engine, bot)


# --------------------------------------------------------------------- set-up and the bot


def _import_example(engine: Engine, text: str) -> None:
    """Import the example as `thidua import` does, in one transaction."""
    try:
        with session_scope(engine) as session:
            setup = read_setup(text, locale="vi", known_clusters=known_clusters(session))
            apply_setup(session, setup, actor="cli:demo")
    except SetupError as error:
        problems = "; ".join(str(problem) for problem in error.problems)
        raise DemoFailure(f"Không nhập được {EXAMPLE}: {problems}") from None


def _unit_names(engine: Engine) -> dict[str, str]:
    """Unit code -> display name, for every officer's unit."""
    with Session(engine) as session:
        names = {unit.code: unit.name for unit in session.exec(select(Unit)).all()}
    missing = [o.unit_code for o in OFFICERS if o.unit_code not in names]
    if missing:
        raise DemoFailure(f"Tệp ví dụ thiếu các đơn vị: {', '.join(missing)}.")
    return names


def _invite(engine: Engine, unit_code: str) -> str:
    """A one-time invite token, as `thidua invite` makes."""
    with session_scope(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        token, _invite_row = create_invite(
            session, unit=unit, role="focal", expires_in=timedelta(days=7), created_by="cli:demo"
        )
    return token


def _settings(fake: FakeTelegram, database_url: str) -> Settings:
    """Settings for the fake; nothing read from the environment or a `.env` file."""
    return Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=fake.base_url,
        DATABASE_URL=database_url,
        THIDUA_ADMINS="",
        THIDUA_TIMEZONE="Asia/Ho_Chi_Minh",
        THIDUA_LOCALE="vi",
        THIDUA_RATE_LIMITER=True,
        THIDUA_OUTLIER_FACTOR=3,
        THIDUA_QUIET_HOURS="21:00-07:00",
        THIDUA_SCHEDULER_TICK=3600,  # the demo ticks by hand, after each jump of its clock
    )


@dataclass
class RunningBot:
    """The bot application polling the fake, with its own engine (as its own process would)."""

    application: AnyApplication
    engine: Engine
    stopped: bool = False

    async def stop(self) -> None:
        """Stop as `run_polling` does on exit: updater, application, shutdown."""
        if self.stopped:
            return
        self.stopped = True
        application = self.application
        try:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
                if application.post_stop:
                    await application.post_stop(application)
            await application.shutdown()
            if application.post_shutdown:
                await application.post_shutdown(application)
        finally:
            self.engine.dispose()


async def _start_bot(settings: Settings, clock: DemoClock) -> RunningBot:
    """Start the bot the way `thidua run` does: migrate, build, post_init, poll, start."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    application = build_application(settings, engine)
    application.bot_data.clock = clock
    running = RunningBot(application, engine)
    try:
        await application.initialize()
        if application.post_init:
            await application.post_init(application)
        if application.updater is None:
            raise DemoFailure("Ứng dụng bot không có Updater để nhận tin nhắn.")

        def on_polling_error(error: TelegramError) -> None:
            application.create_task(application.process_error(error=error, update=None))

        await application.updater.start_polling(error_callback=on_polling_error)
        await application.start()
    except BaseException:
        await running.stop()
        raise
    return running


# --------------------------------------------------------------------- checking the database


@dataclass(frozen=True)
class Check:
    """One verified claim about what the demo did."""

    ok: bool
    text: str


def _answers(
    session: Session, period: Period, unit_code: str, revision: int | None = None
) -> dict[str, Answer]:
    """Indicator code -> answer of a unit's submitted revision (the latest by default)."""
    query = (
        select(Submission)
        .join(Unit, col(Unit.id) == Submission.unit_id)
        .where(Unit.code == unit_code, Submission.period_id == period.id)
        .where(Submission.status == "submitted")
        .order_by(col(Submission.revision).desc())
    )
    if revision is not None:
        query = query.where(Submission.revision == revision)
    submission = session.exec(query).first()
    if submission is None:
        return {}
    rows = session.exec(
        select(Indicator.code, Answer)
        .join(Answer, col(Answer.indicator_id) == Indicator.id)
        .where(Answer.submission_id == submission.id)
    ).all()
    return {code: answer for code, answer in rows}


def _value(answers: Mapping[str, Answer], code: str) -> str | None:
    """The stored value of one indicator's answer, if any."""
    answer = answers.get(code)
    return answer.value if answer is not None else None


def _verify(engine: Engine, units: Mapping[str, str], restarted_at: datetime) -> list[Check]:
    """What the database must hold after the play."""
    with Session(engine) as session:
        period = session.exec(select(Period).order_by(col(Period.id))).first()
        if period is None:
            return [Check(False, "Không có kỳ báo cáo nào trong cơ sở dữ liệu.")]
        latest = {o.unit_code: _answers(session, period, o.unit_code) for o in OFFICERS}
        resumed = latest[RESUMED.unit_code]
        first, second = (
            _value(_answers(session, period, REVISED.unit_code, n), "thu-ngan-sach") for n in (1, 2)
        )
        explained = latest[EXPLAINED.unit_code].get("thu-ngan-sach")
    done = sum(1 for answers in latest.values() if answers)
    kept = tuple(_value(resumed, code) for code in FIRST_FIVE) == RESUMED_STORED and all(
        resumed[code].answered_at < restarted_at for code in FIRST_FIVE
    )
    return [
        Check(
            done == len(OFFICERS),
            f"{done}/{len(OFFICERS)} đơn vị đã nộp số liệu kỳ «{period.name}».",
        ),
        Check(
            kept,
            f"{RESUMED.name} ({units[RESUMED.unit_code]}): 5 câu trả lời trước khi bot "
            "khởi động lại vẫn còn nguyên trong lần nộp.",
        ),
        Check(
            _value(latest[AMBIGUOUS.unit_code], "quy-vi-nguoi-ngheo") == AMBIGUOUS_STORED,
            f"«{AMBIGUOUS_TYPED}» của {units[AMBIGUOUS.unit_code]} được lưu là "
            f"{AMBIGUOUS_STORED} triệu đồng.",
        ),
        Check(
            _value(latest[INVALID.unit_code], "quy-vi-nguoi-ngheo") == INVALID_FIXED,
            f"«{INVALID_TYPED}» bị từ chối; {units[INVALID.unit_code]} nộp {INVALID_FIXED} "
            "triệu đồng.",
        ),
        Check(
            (first, second) == (REVISED_FIRST, REVISED_STORED),
            f"{units[REVISED.unit_code]} đã nộp lần 2 (thu ngân sách {REVISED_FIRST} → "
            f"{REVISED_TYPED} tỷ đồng), lần 1 vẫn được giữ.",
        ),
        Check(
            explained is not None
            and explained.explanation == EXPLANATION
            and "unusual" in explained.flags,
            f"Giải trình của {units[EXPLAINED.unit_code]} cho số bất thường {UNUSUAL_TYPED} "
            "tỷ đồng đã được lưu.",
        ),
    ]


# --------------------------------------------------------------------- the whole demo


@dataclass
class Seen:
    """What the officers and the group received from the scheduler, for the final checks."""

    announced: bool = False
    board_edits: int = 0
    reminded: set[str] = field(default_factory=set)
    overdue: set[str] = field(default_factory=set)
    chair_list: bool = False
    late_receipt: bool = False
    summary_files: dict[str, bytes] = field(default_factory=dict)
    limit_violations: int = 0


class Play:
    """The demo's script: scenes at moments of the compressed clock."""

    def __init__(
        self,
        fake: FakeTelegram,
        recorder: Recorder,
        clock: DemoClock,
        times: Timetable,
        units: Mapping[str, str],
    ) -> None:
        self.fake, self.recorder, self.clock, self.times, self.units = (
            fake,
            recorder,
            clock,
            times,
            units,
        )
        self.players = {o.unit_code: Player(fake, recorder, o) for o in OFFICERS}
        self.group = GroupWatcher(fake, recorder)
        self.seen = Seen()

    async def scene(self, officer: Officer, what: str, moment: datetime, play: Any) -> None:
        """One officer's scene, in a worker thread while the bot's loop serves."""
        player = self.players[officer.unit_code]
        _heading(player, self.units, what)
        self.clock.jump(moment, self.recorder)
        await asyncio.to_thread(play, player)

    async def opening(self, scheduler: RunningScheduler) -> None:
        self.recorder.heading("Kỳ báo cáo mở: bot thông báo trong nhóm của cụm")
        self.clock.jump(self.times.opens, self.recorder)
        await scheduler.deliver()
        self.seen.announced = bool(self.group.show(expect="đã mở"))

    async def join(self, invites: Mapping[str, str]) -> None:
        self.clock.jump(self.times.day(0, 9), self.recorder)
        await asyncio.to_thread(_join_all, self.players, invites, self.units)

    async def first_week(self, scheduler: RunningScheduler) -> None:
        await self.scene(
            AMBIGUOUS,
            f"gõ «{AMBIGUOUS_TYPED}», số có hai cách hiểu, và chọn cách đọc",
            self.times.day(2, 9),
            _ambiguous,
        )
        self.recorder.heading("Bảng tiến độ hằng ngày trong nhóm")
        self.clock.jump(self.times.day(3, 8), self.recorder)
        await scheduler.deliver()
        self.group.show(expect="1/5")
        await self.scene(
            INVALID, f"gõ «{INVALID_TYPED}» rồi sửa lại", self.times.day(3, 10), _invalid
        )
        self.recorder.heading("Có đơn vị nộp: bảng tiến độ được sửa tại chỗ, không đăng tin mới")
        self.clock.jump(self.times.day(3, 10) + timedelta(minutes=30), self.recorder)
        await scheduler.deliver()
        self.seen.board_edits = self.group.show_edits()
        await self.scene(RESUMED, "dừng giữa chừng bằng /cancel", self.times.day(4, 14), _cancelled)

    async def reminders(self, scheduler: RunningScheduler) -> None:
        self.recorder.heading("Đến lịch nhắc: chỉ những đơn vị chưa nộp được nhắc")
        self.clock.jump(self.times.first_reminder, self.recorder)
        await scheduler.deliver()
        self.group.show(expect="chưa nộp")
        for code, player in self.players.items():
            if player.catch_up():
                self.seen.reminded.add(code)
        quiet = [self.units[o.unit_code] for o in OFFICERS if o.unit_code not in self.seen.reminded]
        self.recorder.note(f"Không nhắc các đơn vị đã nộp: {', '.join(quiet)}.")

    async def after_restart(self) -> None:
        await self.scene(
            RESUMED,
            "tiếp tục bản nháp sau khi bot khởi động lại",
            self.times.first_reminder + timedelta(hours=16),
            _resumed,
        )
        await self.scene(
            REVISED,
            "nộp, rồi sửa và nộp lần 2",
            self.times.first_reminder + timedelta(days=1, hours=17),
            _revised,
        )

    async def deadline(self, scheduler: RunningScheduler) -> None:
        self.recorder.heading("Hết hạn nộp: nhắc đơn vị chưa nộp, báo cụm trưởng, gửi tổng hợp")
        self.clock.jump(self.times.deadline, self.recorder)
        await scheduler.deliver()
        for code, player in self.players.items():
            for message in player.catch_up():
                text = str(message.get("text", ""))
                if "quá hạn" in text and code == EXPLAINED.unit_code:
                    self.seen.overdue.add(code)
                elif "quá hạn" in text:
                    self.seen.chair_list = code == AMBIGUOUS.unit_code
        posted = self.group.show(expect="Biểu đồ")
        for message in posted:
            if document := message.get("document"):
                self.seen.summary_files["document"] = self._upload(document["file_name"])
            elif message.get("photo"):
                self.seen.summary_files["photo"] = self._upload(".png")

    def _upload(self, name_end: str) -> bytes:
        for name, content in reversed(self.fake.uploaded_files(GROUP_CHAT_ID)):
            if name.endswith(name_end):
                return content
        raise DemoFailure(f"Không thấy tệp {name_end} trong nhóm.")

    async def late(self) -> None:
        await self.scene(
            EXPLAINED,
            "nộp muộn sau hạn, xác nhận một số bất thường và giải trình",
            self.times.deadline + timedelta(hours=16, minutes=30),
            _explained,
        )
        receipts = [
            m for m in self.fake.sent_messages(EXPLAINED.user.id) if "Đã nộp" in str(m.get("text"))
        ]
        self.seen.late_receipt = bool(receipts) and "muộn" in str(receipts[-1].get("text"))


async def _play(database: Path, recorder: Recorder, output: Path) -> list[Check]:
    """Set up, run the bot and scheduler against the fake, play the script, then verify."""
    url = f"sqlite:///{database}"
    # The admin's side (`thidua import`, `thidua invite`) has its own engine, like its own process.
    admin = make_engine(url)
    try:
        upgrade(admin)
        _import_example(admin, EXAMPLE.read_text(encoding="utf-8"))
        _bind_group(admin)
        units = _unit_names(admin)
        times = _timetable(admin)
        invites = {o.unit_code: _invite(admin, o.unit_code) for o in OFFICERS}
        clock = DemoClock(times.opens - timedelta(hours=1))
        with FakeTelegram(limits_scale=LIMITS_SCALE) as fake:
            recorder.note(f"Telegram giả: {fake.base_url} · cơ sở dữ liệu tạm: {database}")
            settings = _settings(fake, url)
            play = Play(fake, recorder, clock, times, units)
            running = await _start_bot(settings, clock)
            scheduler = await _start_scheduler(settings, clock)
            try:
                await play.opening(scheduler)
                await play.join(invites)
                await play.first_week(scheduler)
                await play.reminders(scheduler)
                restarted_at = utcnow()
                recorder.heading("Khởi động lại bot: ứng dụng mới trên cùng cơ sở dữ liệu")
                await running.stop()
                running = await _start_bot(settings, clock)
                recorder.note("Bot đã dừng hẳn và chạy lại; không còn gì trong bộ nhớ.")
                await play.after_restart()
                await play.deadline(scheduler)
                await play.late()
            finally:
                await running.stop()
                await scheduler.stop()
            if fake.server_errors:
                raise DemoFailure(f"Telegram giả gặp lỗi: {fake.server_errors[0]!r}")
            # Replies to an officer typing fast may come quicker than one a second in that
            # private chat, as on Telegram; the overall and group limits must always hold.
            play.seen.limit_violations = sum(
                1 for v in fake.limit_violation_details if {"global", "group"} & set(v.rules)
            )
        _save_files(play.seen, output)
        return _verify(admin, units, restarted_at) + _verify_schedule(play.seen, units)
    finally:
        admin.dispose()


def _save_files(seen: Seen, output: Path) -> None:
    """The summary's Excel file and chart, as posted in the group, into `output`."""
    output.mkdir(parents=True, exist_ok=True)
    if workbook := seen.summary_files.get("document"):
        (output / "tong-hop.xlsx").write_bytes(workbook)
    if chart := seen.summary_files.get("photo"):
        (output / "bieu-do.png").write_bytes(chart)


def _verify_schedule(seen: Seen, units: Mapping[str, str]) -> list[Check]:
    """What the scheduler must have done."""
    owing = {RESUMED.unit_code, REVISED.unit_code, EXPLAINED.unit_code}
    sheets = _sheets(seen.summary_files.get("document"))
    return [
        Check(seen.announced, "Nhóm của cụm được thông báo khi kỳ báo cáo mở."),
        Check(seen.board_edits > 0, "Bảng tiến độ được sửa tại chỗ khi có đơn vị nộp."),
        Check(
            seen.reminded == owing,
            "Chỉ những đơn vị chưa nộp được nhắc: "
            + ", ".join(units[code] for code in sorted(seen.reminded))
            + ".",
        ),
        Check(
            seen.overdue == {EXPLAINED.unit_code} and seen.chair_list,
            f"Sau hạn: {units[EXPLAINED.unit_code]} được nhắc, cụm trưởng nhận danh sách.",
        ),
        Check(seen.late_receipt, f"{units[EXPLAINED.unit_code]} nộp muộn và được ghi là nộp muộn."),
        Check(
            len(sheets) >= 3 and "photo" in seen.summary_files,
            f"Tổng hợp cụm gửi vào nhóm: biểu đồ và tệp Excel ({len(sheets)} trang tính).",
        ),
        Check(
            seen.limit_violations == 0,
            "Không vượt giới hạn gửi tin chung và giới hạn của nhóm "
            f"({seen.limit_violations} lần vượt).",
        ),
    ]


def _sheets(workbook: bytes | None) -> list[str]:
    if not workbook:
        return []
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(workbook), read_only=True).sheetnames)


def run_demo(output: Path, *, color: bool | None = None) -> int:
    """Play the demo, write `output`/transcript.md; the exit status (0 only if all happened)."""
    if not EXAMPLE.is_file():
        click.echo(
            f"Không tìm thấy tệp ví dụ {EXAMPLE}: `thidua demo` cần chạy từ mã nguồn của dự án.",
            err=True,
        )
        return EXIT_USAGE
    recorder = Recorder(color=wants_color(sys.stdout, os.environ) if color is None else color)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="thidua-demo-") as folder:
        try:
            checks = asyncio.run(_play(Path(folder) / "thidua.db", recorder, output))
        except DemoFailure as failure:
            checks = [Check(False, str(failure))]
    recorder.heading("Kết quả")
    for check in checks:
        recorder.result(check.ok, check.text)
    path = recorder.write(output)
    seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
    click.echo(f"\nBản ghi hội thoại: {path} · {seconds} giây")
    return EXIT_OK if all(check.ok for check in checks) else EXIT_FAILED
