"""`thidua demo`: a whole reporting round played offline against the fake Bot API.

The real bot (handlers, database, long polling) talks over HTTP to `FakeTelegram` on
127.0.0.1; five focal points join and submit; the database is then checked for what they did.
"""

from __future__ import annotations

import asyncio
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
import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from telegram.error import TelegramError
from telegram.ext import Application

import bot
from bot.app import build_application
from bot.fake_telegram import FakeTelegram, FakeUser
from bot.settings import Settings
from bot.setup import SetupError, read_setup
from bot.storage import make_engine, session_scope, upgrade
from bot.storage.models import Answer, Indicator, Period, Submission, Unit
from bot.storage.people import create_invite
from bot.storage.setup_import import apply_setup, known_clusters
from bot.storage.types import utcnow

__all__ = ["EXAMPLE", "OFFICERS", "DemoFailure", "run_demo", "wants_color"]

JSONDict = dict[str, Any]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

EXAMPLE = Path(bot.__file__).resolve().parent.parent / "examples" / "cluster.yaml"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
REPLY_TIMEOUT = 10.0  # seconds; a healthy bot answers in milliseconds
MOMENT_FORMAT = "%Y-%m-%d %H:%M"
FIRST_FIVE = ("thu-ngan-sach", "gtsx-ke-hoach", "xa-ntm", "quy-vi-nguoi-ngheo", "hs-bo-hoc")


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

    def user(self, name: str, text: str) -> None:
        """What an officer typed, pressed or sent."""
        click.echo(f"{self._paint('👤 ' + name + ':', _BOLD, _CYAN)} {text}")
        self.markdown += [f"**👤 {name}:** {_md_escape(text)}", ""]

    def bot(self, name: str, message: JSONDict) -> None:
        """A message of the bot, verbatim, with its buttons in brackets."""
        lines = str(message.get("text") or message.get("caption") or "").split("\n")
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
            "Bot thật (python-telegram-bot, long polling) nói chuyện qua HTTP với một Telegram "
            "giả trên 127.0.0.1; cơ sở dữ liệu SQLite tạm; cụm ví dụ `examples/cluster.yaml` "
            "với kỳ báo cáo đang mở.",
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
    player.say("/submit", expect="Xem lại số liệu", replies=2)
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


def _before_restart(
    players: Mapping[str, Player], invites: Mapping[str, str], units: Mapping[str, str]
) -> None:
    """Everything up to the restart; runs in a worker thread while the bot serves."""
    _join_all(players, invites, units)
    scenes = (
        (AMBIGUOUS, f"gõ «{AMBIGUOUS_TYPED}», số có hai cách hiểu, và chọn cách đọc", _ambiguous),
        (INVALID, f"gõ «{INVALID_TYPED}» rồi sửa lại", _invalid),
        (RESUMED, "dừng giữa chừng bằng /cancel", _cancelled),
    )
    for officer, what, play in scenes:
        _heading(players[officer.unit_code], units, what)
        play(players[officer.unit_code])


def _after_restart(players: Mapping[str, Player], units: Mapping[str, str]) -> None:
    """Everything after the restart; runs in a worker thread while the new bot serves."""
    scenes = (
        (RESUMED, "tiếp tục bản nháp sau khi bot khởi động lại", _resumed),
        (REVISED, "nộp, rồi sửa và nộp lần 2", _revised),
        (EXPLAINED, "xác nhận một số bất thường và giải trình", _explained),
    )
    for officer, what, play in scenes:
        _heading(players[officer.unit_code], units, what)
        play(players[officer.unit_code])


# --------------------------------------------------------------------- set-up and the bot


def _example_open_now(text: str, now: datetime) -> str:
    """The example set-up with each period opened yesterday and due in three days."""
    tree = yaml.safe_load(text)
    for period in tree.get("periods") or []:
        zone = ZoneInfo(str(period.get("timezone") or tree.get("timezone") or "Asia/Ho_Chi_Minh"))
        local = now.astimezone(zone)
        period["opens"] = (local - timedelta(days=1)).strftime(MOMENT_FORMAT)
        period["deadline"] = (local + timedelta(days=3)).strftime(MOMENT_FORMAT)
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


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


async def _start_bot(settings: Settings) -> RunningBot:
    """Start the bot the way `thidua run` does: migrate, build, post_init, poll, start."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    application = build_application(settings, engine)
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


async def _play(database: Path, recorder: Recorder) -> list[Check]:
    """Set up, run the bot against the fake, play the script, restart once, then verify."""
    url = f"sqlite:///{database}"
    # The admin's side (`thidua import`, `thidua invite`) has its own engine, like its own process.
    admin = make_engine(url)
    try:
        upgrade(admin)
        _import_example(admin, _example_open_now(EXAMPLE.read_text(encoding="utf-8"), utcnow()))
        units = _unit_names(admin)
        invites = {o.unit_code: _invite(admin, o.unit_code) for o in OFFICERS}
        with FakeTelegram() as fake:
            recorder.note(f"Telegram giả: {fake.base_url} · cơ sở dữ liệu tạm: {database}")
            settings = _settings(fake, url)
            players = {o.unit_code: Player(fake, recorder, o) for o in OFFICERS}
            running = await _start_bot(settings)
            try:
                # The script blocks on the fake; a worker thread keeps the bot's loop free.
                await asyncio.to_thread(_before_restart, players, invites, units)
                restarted_at = utcnow()
                recorder.heading("Khởi động lại bot: ứng dụng mới trên cùng cơ sở dữ liệu")
                await running.stop()
                running = await _start_bot(settings)
                recorder.note("Bot đã dừng hẳn và chạy lại; không còn gì trong bộ nhớ.")
                await asyncio.to_thread(_after_restart, players, units)
            finally:
                await running.stop()
            if fake.server_errors:
                raise DemoFailure(f"Telegram giả gặp lỗi: {fake.server_errors[0]!r}")
        return _verify(admin, units, restarted_at)
    finally:
        admin.dispose()


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
            checks = asyncio.run(_play(Path(folder) / "thidua.db", recorder))
        except DemoFailure as failure:
            checks = [Check(False, str(failure))]
    recorder.heading("Kết quả")
    for check in checks:
        recorder.result(check.ok, check.text)
    path = recorder.write(output)
    seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
    click.echo(f"\nBản ghi hội thoại: {path} · {seconds} giây")
    return EXIT_OK if all(check.ok for check in checks) else EXIT_FAILED
