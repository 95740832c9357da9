"""The `thidua` command line: run the bot, import a set-up, invite people, manage the database."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.durations import parse_duration
from bot.i18n import gettext_for
from bot.logs import configure_logging
from bot.settings import Settings
from bot.setup import SetupError, read_setup
from bot.storage import make_engine, session_scope, upgrade
from bot.storage.models import Unit
from bot.storage.people import ROLES, create_invite, grant_admin
from bot.storage.setup_import import Change, apply_setup, known_clusters

__all__ = ["main"]

USAGE_ERROR = 2


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(USAGE_ERROR)


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        _ = gettext_for(None)
        _fail(_("Cấu hình không hợp lệ: {problems}").format(problems=problems))


def _token(settings: Settings) -> str:
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        _ = gettext_for(settings.locale)
        _fail(_("Chưa có TELEGRAM_BOT_TOKEN: hãy đặt biến môi trường này (mã bot từ @BotFather)."))
    return settings.telegram_bot_token.get_secret_value()


def _database(settings: Settings) -> Engine:
    """The engine, with the schema brought up to date (as at every start)."""
    engine = make_engine(settings.database_url)
    # Close the pool when the command ends, so no connection is left to the garbage collector.
    click.get_current_context().call_on_close(engine.dispose)
    upgrade(engine)
    return engine


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """thidua: the Telegram bot for emulation clusters (Cụm / Khối thi đua)."""


@main.command()
def run() -> None:
    """Run the bot (long polling) and its scheduler in one process."""
    settings = _settings()
    token = _token(settings)
    configure_logging(token)
    from bot.app import build_application  # imported late: the CLI starts fast without it

    application = build_application(settings, _database(settings))
    if loop_watch_log := os.environ.get("THIDUA_LOOP_WATCH"):
        from bot.loopwatch import watch_application  # benchmarks only

        watch_application(application, loop_watch_log)
    application.run_polling()


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
def import_setup(file: Path, dry_run: bool) -> None:
    """Import a set-up file (clusters, units, pledges, periods) in one transaction."""
    settings = _settings()
    _ = gettext_for(settings.locale)
    try:
        content = file.read_bytes()
    except OSError as error:
        _fail(_("Không đọc được tệp {file}: {reason}").format(file=file, reason=error.strerror))
    engine = _database(settings)
    try:
        with session_scope(engine) as session:
            setup = read_setup(
                content, locale=settings.locale, known_clusters=known_clusters(session)
            )
            changes = apply_setup(session, setup, actor="cli:import")
            if dry_run:
                session.rollback()
    except SetupError as error:
        click.echo(
            _("Tệp {file} có {count} lỗi, chưa ghi gì:").format(
                file=file, count=len(error.problems)
            ),
            err=True,
        )
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(USAGE_ERROR)
    for warning in setup.warnings:
        click.echo(_("Lưu ý: {warning}").format(warning=warning), err=True)
    _print_changes(changes, dry_run, _)


def _print_changes(changes: list[Change], dry_run: bool, _: Any) -> None:
    signs = {"created": "+", "updated": "~", "retired": "-", "removed": "-"}
    for change in changes:
        detail = change.after if change.action != "removed" else change.before
        if change.action == "updated":
            detail = {
                k: f"{change.before[k]} → {v}"
                for k, v in (change.after or {}).items()
                if change.before
            }
        text = json.dumps(detail, ensure_ascii=False) if detail else ""
        click.echo(f"{signs[change.action]} {change.entity} {change.key} {text}".rstrip())
    if not changes:
        click.echo(_("Không có gì thay đổi."))
    elif dry_run:
        click.echo(_("Chạy thử: {count} thay đổi, chưa ghi gì.").format(count=len(changes)))
    else:
        click.echo(_("Đã nhập: {count} thay đổi.").format(count=len(changes)))


@main.command()
@click.option("--unit", "unit_code", required=True, help="Code of the unit to join.")
@click.option("--role", type=click.Choice(ROLES), default="focal", show_default=True)
@click.option("--expires", default="7d", show_default=True, help="Lifetime: 7d, 12h, 30m.")
def invite(unit_code: str, role: str, expires: str) -> None:
    """Create a one-time invite link for a unit's focal point or chair contact."""
    settings = _settings()
    _ = gettext_for(settings.locale)
    lifetime = parse_duration(expires)
    if lifetime is None:
        _fail(_("--expires cần một khoảng thời gian như 7d, 12h hoặc 30m."))
    token = _token(settings)
    engine = _database(settings)
    with session_scope(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).first()
        if unit is None:
            _fail(
                _("Không có đơn vị mã «{code}». Hãy nhập tệp thiết lập trước.").format(
                    code=unit_code
                )
            )
        username = _bot_username(settings, token)
        secret, _invite = create_invite(
            session, unit=unit, role=role, expires_in=lifetime, created_by="cli:invite"
        )
    click.echo(f"https://t.me/{username}?start={secret}")
    click.echo(secret)


def _bot_username(settings: Settings, token: str) -> str:
    from telegram import Bot
    from telegram.error import TelegramError

    async def ask() -> str:
        async with Bot(token, base_url=settings.telegram_api_base_url) as bot:
            return bot.username

    try:
        return asyncio.run(ask())
    except TelegramError as error:
        _ = gettext_for(settings.locale)
        _fail(_("Không hỏi được tên bot từ Telegram ({reason}).").format(reason=error.message))


@main.group()
def admin() -> None:
    """Manage admins."""


@admin.command(name="add")
@click.argument("telegram_id", type=int)
def admin_add(telegram_id: int) -> None:
    """Make a Telegram user an admin."""
    settings = _settings()
    _ = gettext_for(settings.locale)
    with session_scope(_database(settings)) as session:
        grant_admin(session, telegram_id=telegram_id, actor="cli:admin-add")
    click.echo(_("Người dùng Telegram {id} là quản trị viên.").format(id=telegram_id))


@main.group()
def db() -> None:
    """Manage the database."""


@db.command(name="upgrade")
def db_upgrade() -> None:
    """Apply all database migrations."""
    settings = _settings()
    _database(settings)
    _ = gettext_for(settings.locale)
    click.echo(_("Cơ sở dữ liệu đã ở phiên bản mới nhất."))


@main.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help="Folder for transcript.md.",
)
def demo(output: Path) -> None:
    """Play a reporting round offline: a fake Telegram, the real bot, a temporary database."""
    from bot.demo import run_demo  # imported late: the CLI starts fast without it

    sys.exit(run_demo(output))
