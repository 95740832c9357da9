"""Sustained submission throughput of `thidua run` against a bare PTB echo bot, over HTTP.

For each database (an SQLite file; PostgreSQL with --postgres or THIDUA_TEST_POSTGRES_URL), N
officers of N units walk complete submissions and revisions at once against the real
`python -m bot run` child process and the in-process fake Bot API; then the echo bot gets the
same number of users typing in the same closed loop. Both run with THIDUA_RATE_LIMITER=false
and report answers per second, latency and event-loop lag (from bot/edge/loopwatch.py).

The headline ratio is thidua as shipped (aiohttp under PTB, bot/edge/transport.py) over the bare
PTB echo bot (PTB's httpx). With `--clients all` (the default) each bot also runs on the other
client, so the ratio on one same client shows what the database and the flow cost.

Each bot runs `--rounds` times in alternating order (thidua, echo, then echo, thidua), each run
on a fresh database; the table adds the runs of each bot up.

    python benchmarks/conversation.py [--officers N] [--seconds S] [--rounds R]
        [--postgres URL] [--clients all|shipped]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from click.testing import CliRunner
from sqlalchemy import text
from sqlmodel import select

from bot.cli import main as thidua_cli
from bot.fake_telegram import FakeTelegram, FakeUser
from bot.storage import make_engine, session_scope
from bot.storage.models import Unit
from bot.storage.people import create_invite

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cluster.yaml"
ECHO_BOT = ROOT / "benchmarks" / "echo_bot.py"
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TYPED = ("450", "104,5", "7", "1200", "0,3", "47/53")
PRESSED = ("Có", "Tốt", "Bỏ qua", "Bỏ qua", "Bỏ qua")
REPLY_TIMEOUT = 30.0
JOIN_TIMEOUT = 60.0  # the first /start also waits for the child to import and migrate
FIRST_USER_ID = 700_000
SHIPPED_CLIENT, BARE_CLIENT = "aiohttp", "httpx"  # thidua's default; python-telegram-bot's
THIDUA_FILES = ("-lag.jsonl", ".log", "-cluster.yaml")


class TimeUp(Exception):
    """The run is over: a simulated user stops at its next step."""


@dataclass
class Window:
    """The steady part of a run, on both clocks, with CPU readings at its edges."""

    start: float
    end: float
    pid: int = 0  # the bot child, whose CPU time is read at the edges
    wall_start: float = 0.0
    wall_end: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)


@dataclass
class Result:
    """One row of the table."""

    database: str
    bot: str
    answers: int
    per_second: float
    p50_ms: float
    p99_ms: float
    max_lag_ms: float
    stalls: int
    bot_cpu: float
    driver_cpu: float
    machine_cpu: float
    seconds: float = 0.0  # of steady window
    latencies: list[float] = field(default_factory=list, repr=False)

    @property
    def cpu_per_answer_ms(self) -> float:
        """The bot's CPU per answer: unlike answers/s, it holds when the driver is the limit."""
        return 10 * self.bot_cpu / self.per_second if self.per_second else float("nan")


# ------------------------------------------------------------------ simulated users


class Chat:
    """One user's private chat with the bot, driven in a closed loop; records every answer."""

    def __init__(
        self, fake: FakeTelegram, user: FakeUser, samples: list[tuple[float, float]], end: float
    ) -> None:
        self.fake, self.user, self.samples, self.end = fake, user, samples, end
        self.seen = 0  # messages the bot has sent to this chat so far

    def say(self, words: str, replies: int = 1) -> dict[str, Any]:
        """Type `words`; returns the last of the `replies` messages it causes."""
        return self._act(lambda: self.fake.user_sends(self.user, words), replies)

    def press(self, message: dict[str, Any], label: str, replies: int = 1) -> dict[str, Any]:
        """Press the button labelled `label` on `message`; returns the last reply."""
        data = button_data(message, label)
        return self._act(lambda: self.fake.user_presses(self.user, message, data), replies)

    def _act(self, act: Callable[[], object], replies: int) -> dict[str, Any]:
        """Send one update and time it until its last reply is there."""
        if time.monotonic() >= self.end:
            raise TimeUp
        started = time.monotonic()
        act()
        # Count what we expect rather than what arrived: a surplus message would show up
        # as a wrong reply to the next step instead of being silently absorbed.
        self.seen += replies
        message = self.fake.wait_for_message(self.user.id, self.seen, timeout=REPLY_TIMEOUT)
        done = time.monotonic()
        self.samples.append((done, done - started))
        return message


def button_data(message: dict[str, Any], label: str) -> str:
    """The callback data of the first button whose label contains `label`."""
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if label in button["text"] and "callback_data" in button:
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r} on {message.get('text', '')[:200]!r}")


def expect(message: dict[str, Any], words: str) -> dict[str, Any]:
    """`message`, if its text contains `words`; the flow went astray otherwise."""
    if words not in message.get("text", ""):
        raise AssertionError(f"expected {words!r}, got {message.get('text', '')[:300]!r}")
    return message


def first_submission(chat: Chat) -> None:
    """All 11 questions, the review and «Xác nhận nộp»: 13 answers."""
    reply = expect(chat.say("/submit"), "Câu 1/11")
    for value in TYPED:
        reply = chat.say(value)
    for label in PRESSED:
        reply = chat.press(reply, label)
    expect(reply, "Xem lại số liệu")
    expect(chat.press(reply, "Xác nhận nộp"), "Đã nộp số liệu")


def revision(chat: Chat, value: str) -> None:
    """`/submit` again (the review under an intro), edit question 1, confirm: 4 answers."""
    review = expect(chat.say("/submit"), "Xem lại số liệu")
    expect(chat.press(review, "✏️ 1"), "Câu 1/11")
    review = expect(chat.say(value), "Xem lại số liệu")
    expect(chat.press(review, "Xác nhận nộp"), "Đã nộp số liệu")


def officer(chat: Chat) -> None:
    """Submit once, then revise until the time is up."""
    first_submission(chat)
    for cycle in itertools.count(1):
        revision(chat, str(450 + cycle % 50))


def echo_user(chat: Chat) -> None:
    """Type numbered texts and wait for each echo until the time is up."""
    for number in itertools.count(1):
        words = f"{chat.user.id}-{number}"
        expect(chat.say(words), words)


def run_users(chats: list[Chat], walk: Callable[[Chat], None], window: Window) -> list[str]:
    """Run every chat in its own thread; returns the errors (none when all went well)."""
    errors: list[str] = []

    def guarded(chat: Chat) -> None:
        """Run one user; a failure is kept for the report, the end of the run is not one."""
        try:
            walk(chat)
        except TimeUp:
            pass
        except Exception as error:  # reported below; one broken user must not hang the rest
            errors.append(f"user {chat.user.id}: {error!r}"[:2000])

    threads = [threading.Thread(target=guarded, args=(chat,), daemon=True) for chat in chats]
    for thread in threads:
        thread.start()
    mark_window(window)
    for thread in threads:
        thread.join()
    return errors


def mark_window(window: Window) -> None:
    """Sleep to the steady window's edges and read the CPU clocks there."""
    time.sleep(max(0.0, window.start - time.monotonic()))
    window.wall_start = time.time()
    window.cpu.update({f"{k}0": v for k, v in cpu_readings(window.pid).items()})
    time.sleep(max(0.0, window.end - time.monotonic()))
    window.wall_end = time.time()
    window.cpu.update({f"{k}1": v for k, v in cpu_readings(window.pid).items()})


# ------------------------------------------------------------------ CPU and lag readings


def cpu_readings(pid: int) -> dict[str, float]:
    """CPU seconds of the bot child, of this process, and busy/total seconds of the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    readings = {"driver": sum(os.times()[:2])}
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        readings["bot"] = (int(fields[11]) + int(fields[12])) / ticks
    with contextlib.suppress(OSError):
        numbers = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = numbers[3] + numbers[4]
        readings["total"], readings["busy"] = sum(numbers) / ticks, (sum(numbers) - idle) / ticks
    return readings


def cpu_shares(window: Window) -> tuple[float, float, float]:
    """Bot and driver CPU as % of one core, and the machine's busy % over the window."""
    cpu, span = window.cpu, window.end - window.start

    def used(key: str) -> float:
        """CPU seconds of `key` spent inside the window."""
        return cpu.get(f"{key}1", 0.0) - cpu.get(f"{key}0", 0.0)

    machine = 100 * used("busy") / used("total") if used("total") else 0.0
    return 100 * used("bot") / span, 100 * used("driver") / span, machine


def loop_lag(log: Path, window: Window) -> tuple[float, int]:
    """The worst loop lag and the stalls over 50 ms the loop watch saw inside the window."""
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    # Each line covers the second before it: keep those written during the window.
    inside = [x for x in lines if window.wall_start < x["at"] <= window.wall_end + 1.0]
    before = [x for x in lines if x["at"] <= window.wall_start]
    if not inside:
        return float("nan"), 0
    stalls = inside[-1]["stalls_over_50ms"] - (before[-1]["stalls_over_50ms"] if before else 0)
    return max(x["recent_max_lag_ms"] for x in inside), stalls


def summarise(
    database: str, bot: str, samples: list[tuple[float, float]], window: Window, lag_log: Path
) -> Result:
    """Throughput and latency of the answers completed inside the window."""
    latencies = sorted(lat for done, lat in samples if window.start <= done < window.end)
    if not latencies:
        raise RuntimeError(f"{bot} on {database}: no answer completed in the steady window")
    max_lag, stalls = loop_lag(lag_log, window)
    bot_cpu, driver_cpu, machine_cpu = cpu_shares(window)
    return Result(
        database=database,
        bot=bot,
        answers=len(latencies),
        per_second=len(latencies) / (window.end - window.start),
        p50_ms=1000 * percentile(latencies, 0.50),
        p99_ms=1000 * percentile(latencies, 0.99),
        max_lag_ms=max_lag,
        stalls=stalls,
        bot_cpu=bot_cpu,
        driver_cpu=driver_cpu,
        machine_cpu=machine_cpu,
        seconds=window.end - window.start,
        latencies=latencies,
    )


def merge(rows: list[Result]) -> Result:
    """One row for several runs of the same bot: answers over all their windows."""
    seconds = sum(r.seconds for r in rows)
    latencies = sorted(lat for r in rows for lat in r.latencies)

    def mean(share: Callable[[Result], float]) -> float:
        """A CPU share averaged over the runs, weighted by their windows."""
        return sum(share(r) * r.seconds for r in rows) / seconds

    return Result(
        database=rows[0].database,
        bot=rows[0].bot,
        answers=len(latencies),
        per_second=len(latencies) / seconds,
        p50_ms=1000 * percentile(latencies, 0.50),
        p99_ms=1000 * percentile(latencies, 0.99),
        max_lag_ms=max(r.max_lag_ms for r in rows),
        stalls=sum(r.stalls for r in rows),
        bot_cpu=mean(lambda r: r.bot_cpu),
        driver_cpu=mean(lambda r: r.driver_cpu),
        machine_cpu=mean(lambda r: r.machine_cpu),
        seconds=seconds,
        latencies=latencies,
    )


def percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of an ordered list."""
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


# ------------------------------------------------------------------ databases and set-up


@contextlib.contextmanager
def sqlite_database(folder: Path) -> Iterator[str]:
    """A fresh SQLite file (the temporary folder goes away with the whole run)."""
    folder.mkdir(parents=True, exist_ok=True)
    yield f"sqlite:///{folder / 'thidua.db'}"


@contextlib.contextmanager
def postgres_database(base: str) -> Iterator[str]:
    """A schema of its own on `base`, dropped afterwards whatever happens."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        try:
            # libpq's `options` puts every connection of this URL into the schema.
            separator = "&" if "?" in base else "?"
            yield f"{base}{separator}options=-csearch_path%3D{schema}"
        finally:
            with admin.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    finally:
        admin.dispose()


def unit_codes(count: int) -> list[str]:
    """One unit per officer."""
    return [f"dv-{n:03d}" for n in range(1, count + 1)]


def write_setup(path: Path, count: int) -> None:
    """The example's indicators and period, open now, for a cluster of `count` units."""
    tree = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    codes = unit_codes(count)
    cluster = tree["clusters"][0]
    cluster["units"] = [{"code": c, "name": f"Đơn vị {c[3:]}"} for c in codes]
    cluster["chair"], cluster["vice_chair"] = codes[0], codes[min(1, count - 1)]
    pledge = tree["pledges"][0]
    # Every unit gets the example's first targets, so the outlier check has work to do.
    pledge["targets"] = dict.fromkeys(codes, pledge["targets"]["kon-tum"])
    now = datetime.now(TIMEZONE)
    period = tree["periods"][0]
    period["opens"] = (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    period["deadline"] = (now + timedelta(days=10)).strftime("%Y-%m-%d %H:%M")
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")


def import_setup(env: dict[str, str], setup: Path) -> None:
    """`thidua import`, as an admin would run it."""
    outcome = CliRunner().invoke(thidua_cli, ["import", str(setup)], env=env)
    if outcome.exit_code != 0:
        raise RuntimeError(f"thidua import failed: {outcome.output}{outcome.exception!r}")


def invite_tokens(database_url: str, codes: list[str]) -> list[str]:
    """One invite per unit, straight through storage (the CLI would migrate N times)."""
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            tokens = []
            for code in codes:
                unit = session.exec(select(Unit).where(Unit.code == code)).one()
                token, _invite = create_invite(
                    session, unit=unit, role="focal", expires_in=timedelta(days=1),
                    created_by="benchmark",
                )  # fmt: skip
                tokens.append(token)
        return tokens
    finally:
        engine.dispose()


# ------------------------------------------------------------------ child processes


def bot_env(fake: FakeTelegram, lag_log: Path, database_url: str = "") -> dict[str, str]:
    """The child's environment: the fake, no flood limiter, the loop watch on."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "THIDUA_LOCALE": "vi",
        "THIDUA_RATE_LIMITER": "false",
        "THIDUA_LOOP_WATCH": str(lag_log),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextlib.contextmanager
def child(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A child process, stopped with SIGTERM (then SIGKILL) whatever happens."""
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=output, cwd=ROOT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def log_tail(log: Path, size: int = 3000) -> str:
    """The end of a child's log, for error reports."""
    return log.read_text(errors="replace")[-size:] if log.exists() else "(no log)"


# ------------------------------------------------------------------ the two benchmarks


def users(count: int) -> list[FakeUser]:
    """The simulated people, one per unit."""
    return [
        FakeUser(id=FIRST_USER_ID + n, first_name=f"Cán bộ {n}", language_code="vi")
        for n in range(1, count + 1)
    ]


def warm_up(seconds: float) -> float:
    """How much of a run to skip before measuring: a fifth, at least 2 s."""
    return max(2.0, seconds / 5)


def steady_window(seconds: float, pid: int) -> Window:
    """From now: skip the warm-up, then measure to the end of the run."""
    start = time.monotonic()
    return Window(start=start + warm_up(seconds), end=start + seconds, pid=pid)


def join_all(fake: FakeTelegram, people: list[FakeUser], tokens: list[str]) -> list[int]:
    """Every officer redeems their invite (concurrently); returns messages seen per chat."""
    errors: list[str] = []

    def join(user: FakeUser, token: str, unit: str) -> None:
        """`/start <token>`, then the greeting (it names the unit) and the name question."""
        fake.user_sends(user, f"/start {token}")
        try:
            greeting = fake.wait_for_messages(user.id, 2, timeout=JOIN_TIMEOUT)[0]
            expect(greeting, f"Đơn vị {unit[3:]}")
        except (TimeoutError, AssertionError) as error:
            errors.append(str(error)[:2000])

    codes = unit_codes(len(people))
    threads = [
        threading.Thread(target=join, args=(user, token, code), daemon=True)
        for user, token, code in zip(people, tokens, codes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} officer(s) could not join; first: {errors[0]}")
    return [len(fake.sent_messages(user.id)) for user in people]


def bench_thidua(
    database: str, url: str, args: argparse.Namespace, tmp: Path, client: str
) -> Result:
    """N officers submitting and revising against `python -m bot run` on `url`."""
    lag_log, log, setup = (tmp / f"thidua-{client}{suffix}" for suffix in THIDUA_FILES)
    with FakeTelegram() as fake:
        env = {**bot_env(fake, lag_log, url), "THIDUA_HTTP_CLIENT": client}
        write_setup(setup, args.officers)
        import_setup(env, setup)
        tokens = invite_tokens(url, unit_codes(args.officers))
        people = users(args.officers)
        with child([sys.executable, "-m", "bot", "run"], env, log) as process:
            try:
                seen = join_all(fake, people, tokens)
                samples: list[tuple[float, float]] = []
                window = steady_window(args.seconds, process.pid)
                chats = [Chat(fake, user, samples, window.end) for user in people]
                for chat, count in zip(chats, seen, strict=True):
                    chat.seen = count
                errors = run_users(chats, officer, window)
            except Exception:
                print(log_tail(log), file=sys.stderr)
                raise
            if errors:
                raise RuntimeError(f"{len(errors)} errors; first: {errors[0]}\n{log_tail(log)}")
            if process.poll() is not None:
                raise RuntimeError(f"thidua run exited early:\n{log_tail(log)}")
    return summarise(database, f"thidua/{client}", samples, window, lag_log)


def bench_echo(database: str, args: argparse.Namespace, tmp: Path, client: str) -> Result:
    """The same number of users typing to the echo bot, same closed loop.

    On httpx it is bare PTB (its own default client and pools); on aiohttp it uses thidua's.
    """
    lag_log, log = tmp / f"echo-{client}-lag.jsonl", tmp / f"echo-{client}.log"
    with FakeTelegram() as fake:
        env = bot_env(fake, lag_log)
        env.pop("THIDUA_HTTP_CLIENT", None)
        if client != BARE_CLIENT:
            env["THIDUA_HTTP_CLIENT"] = client
        people = users(args.officers)
        with child([sys.executable, str(ECHO_BOT)], env, log) as process:
            try:
                # The first echo waits for the child to start, like the officers' /start.
                fake.user_sends(people[0], "ping")
                fake.wait_for_messages(people[0].id, 1, timeout=JOIN_TIMEOUT)
            except TimeoutError:
                print(log_tail(log), file=sys.stderr)
                raise
            samples: list[tuple[float, float]] = []
            window = steady_window(args.seconds, process.pid)
            chats = [Chat(fake, user, samples, window.end) for user in people]
            chats[0].seen = 1
            errors = run_users(chats, echo_user, window)
            if errors:
                raise RuntimeError(f"{len(errors)} errors; first: {errors[0]}\n{log_tail(log)}")
            if process.poll() is not None:
                raise RuntimeError(f"echo bot exited early:\n{log_tail(log)}")
    return summarise(database, f"echo/{client}", samples, window, lag_log)


# ------------------------------------------------------------------ report


# (heading, format spec); the width is the heading's.
COLUMNS = (
    ("database", "<"), ("bot", "<"), ("answers/s", ">.1f"), ("p50 ms", ">.1f"),
    ("p99 ms", ">.1f"), ("max loop lag ms", ">.1f"), ("stalls>50ms", ">d"), ("answers", ">d"),
    ("bot CPU%", ">.0f"), ("bot CPU ms/answer", ">.2f"), ("driver CPU%", ">.0f"),
    ("machine CPU%", ">.0f"),
)  # fmt: skip


def print_table(results: list[Result]) -> None:
    """The results, one row per database and bot, then the thidua/echo ratios."""
    widths = [max(len(name), 14) if spec == "<" else len(name) for name, spec in COLUMNS]
    header = "  ".join(
        name.ljust(w) if spec == "<" else name.rjust(w)
        for (name, spec), w in zip(COLUMNS, widths, strict=True)
    )
    print(header)
    print("-" * len(header))
    for r in results:
        values = (
            r.database, r.bot, r.per_second, r.p50_ms, r.p99_ms, r.max_lag_ms, r.stalls,
            r.answers, r.bot_cpu, r.cpu_per_answer_ms, r.driver_cpu, r.machine_cpu,
        )  # fmt: skip
        cells = zip(COLUMNS, widths, values, strict=True)
        print("  ".join(format(v, f"{spec[0]}{w}{spec[1:]}") for (_n, spec), w, v in cells))
    print()
    for database in dict.fromkeys(r.database for r in results):
        rows = {r.bot: r.per_second for r in results if r.database == database}
        shipped = ratio(rows, SHIPPED_CLIENT, BARE_CLIENT)
        print(
            f"{database}: thidua/echo throughput = {shipped} "
            f"(thidua as shipped, on {SHIPPED_CLIENT}, over bare PTB on {BARE_CLIENT})"
        )
        if f"thidua/{BARE_CLIENT}" in rows and f"echo/{SHIPPED_CLIENT}" in rows:
            same = ", ".join(f"{c} {ratio(rows, c, c)}" for c in (SHIPPED_CLIENT, BARE_CLIENT))
            print(f"{database}: on the same HTTP client: {same}")


def ratio(rows: dict[str, float], thidua: str, echo: str) -> str:
    """thidua's answers per second on one client over the echo bot's on another."""
    return f"{rows[f'thidua/{thidua}'] / rows[f'echo/{echo}']:.2f}"


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--officers", type=int, default=40, help="simulated users (default 40)")
    parser.add_argument(
        "--seconds", type=float, default=20.0, help="closed-loop run per bot (default 20)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="runs of each bot, in alternating order (default 2: thidua, echo, echo, thidua)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("THIDUA_TEST_POSTGRES_URL"),
        help="PostgreSQL URL (default: THIDUA_TEST_POSTGRES_URL; SQLite only without it)",
    )
    parser.add_argument(
        "--databases",
        type=lambda text: set(text.split(",")),
        default={"sqlite", "postgresql"},
        help="which of sqlite,postgresql to measure (default both; postgresql needs a URL)",
    )
    parser.add_argument(
        "--clients",
        choices=("all", "shipped"),
        default="all",
        help="all: each bot on both HTTP clients; shipped: thidua on aiohttp, bare PTB echo",
    )
    args = parser.parse_args()
    if args.officers < 1 or args.seconds < 3 or args.rounds < 1:
        parser.error("need at least 1 officer, 3 seconds and 1 round")
    return args


def databases(args: argparse.Namespace, tmp: Path) -> list[tuple[str, Callable[[str], Any]]]:
    """(label, run name -> context manager yielding a fresh database URL) per database."""
    chosen: list[tuple[str, Callable[[str], Any]]] = []
    if "sqlite" in args.databases:
        chosen.append(("sqlite", lambda run: sqlite_database(tmp / "sqlite" / run)))
    if args.postgres and "postgresql" in args.databases:
        chosen.append(("postgresql", lambda _run: postgres_database(args.postgres)))
    return chosen


def runs(args: argparse.Namespace) -> list[tuple[Callable[..., Result], str]]:
    """(benchmark, HTTP client) pairs to run on each database, shipped set-ups first."""
    shipped = [(bench_thidua, SHIPPED_CLIENT), (_echo, BARE_CLIENT)]
    if args.clients == "shipped":
        return shipped
    return [*shipped, (bench_thidua, BARE_CLIENT), (_echo, SHIPPED_CLIENT)]


def _echo(database: str, _url: str, args: argparse.Namespace, tmp: Path, client: str) -> Result:
    """`bench_echo` with the thidua benchmark's arguments (the echo bot has no database)."""
    return bench_echo(database, args, tmp, client)


def main() -> int:
    """Run every benchmark and print the table."""
    args = parse_args()
    print(
        f"{args.officers} simulated users per bot, {args.rounds} run(s) of "
        f"{args.seconds:.0f} s closed loop each "
        f"(first {warm_up(args.seconds):.0f} s skipped as warm-up); "
        "THIDUA_RATE_LIMITER=false: neither bot runs a flood limiter.",
        flush=True,
    )
    results: dict[tuple[str, str], list[Result]] = {}
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as name:
        tmp = Path(name)
        for label, database in databases(args, tmp):
            run_dir = tmp / label
            run_dir.mkdir(exist_ok=True)
            for round_ in range(args.rounds):
                # A, B, then B, A: a machine that slows down or speeds up during the run
                # weighs on both bots alike.
                order = runs(args) if round_ % 2 == 0 else runs(args)[::-1]
                for bench, client in order:
                    # Each run starts from an empty database: officers who submitted before
                    # would walk a different path.
                    with database(f"{bench.__name__}-{client}-{round_}") as url:
                        result = bench(label, url, args, run_dir, client)
                    results.setdefault((result.database, result.bot), []).append(result)
                    print(
                        f"  done: {result.database} {result.bot} round {round_ + 1}: "
                        f"{result.per_second:.1f} answers/s",
                        flush=True,
                    )
    print()
    print_table([merge(rows) for rows in results.values()])
    return 0


if __name__ == "__main__":
    sys.exit(main())
