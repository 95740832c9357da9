"""`thidua demo`: set the stage, play the round, check it, and write the transcript."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import click

import bot
from bot.demo.acts_checks import verify_acts
from bot.demo.officers import OFFICERS, DemoFailure
from bot.demo.play import Play
from bot.demo.play_acts import Acts
from bot.demo.processes import LIMITS_SCALE, demo_settings, start_bot, start_scheduler
from bot.demo.recorder import Recorder, wants_color
from bot.demo.stage import (
    DemoClock,
    bind_group,
    import_example,
    invite,
    timetable,
    unit_names,
)
from bot.demo.verification import Check, Seen, verify, verify_schedule
from bot.fake_telegram import FakeTelegram
from bot.storage import make_engine, upgrade
from bot.storage.types import utcnow

__all__ = ["EXAMPLE", "run_demo"]

EXAMPLE = Path(bot.__file__).resolve().parent.parent / "examples" / "cluster.yaml"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


async def play_round(
    example: Path, database: Path, recorder: Recorder, output: Path
) -> list[Check]:
    """Set up, run the bot and scheduler against the fake, play the script, then verify."""
    url = f"sqlite:///{database}"
    # The admin's side (`thidua import`, `thidua invite`) has its own engine, like its own process.
    admin = make_engine(url)
    try:
        upgrade(admin)
        import_example(admin, example)
        bind_group(admin)
        units = unit_names(admin)
        times = timetable(admin)
        invites = {o.unit_code: invite(admin, o.unit_code) for o in OFFICERS}
        clock = DemoClock(times.opens - timedelta(hours=1))
        with FakeTelegram(limits_scale=LIMITS_SCALE) as fake:
            recorder.note(f"Telegram giả: {fake.base_url} · cơ sở dữ liệu tạm: {database}")
            settings = demo_settings(fake, url)
            play = Play(fake, recorder, clock, times, units)
            acts = Acts(play)
            running = await start_bot(settings, clock)
            scheduler = await start_scheduler(settings, clock)
            try:
                await play.opening(scheduler)
                await play.join(invites)
                await play.first_week(scheduler)
                await play.reminders(scheduler)
                restarted_at = utcnow()
                recorder.heading("Khởi động lại bot: ứng dụng mới trên cùng cơ sở dữ liệu")
                await running.stop()
                running = await start_bot(settings, clock)
                recorder.note("Bot đã dừng hẳn và chạy lại; không còn gì trong bộ nhớ.")
                await play.after_restart()
                await play.deadline(scheduler)
                await play.late()
                await acts.conference(scheduler)
                await acts.year_end(scheduler)
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
        return [
            *verify(admin, units, restarted_at),
            *verify_schedule(play.seen, units),
            *verify_acts(admin, acts.seen, units),
        ]
    finally:
        admin.dispose()


def _save_files(seen: Seen, output: Path) -> None:
    """The summary's Excel file and chart, as posted in the group, into `output`."""
    output.mkdir(parents=True, exist_ok=True)
    if workbook := seen.summary_files.get("document"):
        (output / "tong-hop.xlsx").write_bytes(workbook)
    if chart := seen.summary_files.get("photo"):
        (output / "bieu-do.png").write_bytes(chart)


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
            checks = asyncio.run(play_round(EXAMPLE, Path(folder) / "thidua.db", recorder, output))
        except DemoFailure as failure:
            checks = [Check(False, str(failure))]
    recorder.heading("Kết quả")
    for check in checks:
        recorder.result(check.ok, check.text)
    path = recorder.write(output)
    seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
    click.echo(f"\nBản ghi hội thoại: {path} · {seconds} giây")
    return EXIT_OK if all(check.ok for check in checks) else EXIT_FAILED
