"""The `thidua` command line: run the bot, import a set-up, invite people, manage the database."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from sqlmodel import select

from bot.cli_common import USAGE_ERROR, _database, _fail, _settings, _token
from bot.cli_words import N_, Group
from bot.domain.durations import parse_duration
from bot.domain.i18n import gettext_for
from bot.edge.logs import configure_logging, protect_output
from bot.settings import Settings
from bot.setup import SetupError, read_setup
from bot.setup.changes import change_lines, changes_summary
from bot.setup.lines import located, with_lines
from bot.storage import session_scope
from bot.storage.models import Unit
from bot.storage.people import ROLES, create_invite, grant_admin
from bot.storage.setup_import import Change, apply_setup, known_clusters

if TYPE_CHECKING:
    from bot.edge.webhook import WebhookConfig

__all__ = ["main"]


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("thidua: bot Telegram cho Cụm, Khối thi đua."),
)
def main() -> None:
    """thidua: the Telegram bot for emulation clusters (Cụm / Khối thi đua)."""
    protect_output()  # at the start of every command: no secret reaches stdout or stderr


@main.command(
    help=N_("Chạy bot (long polling hoặc webhook) cùng bộ lập lịch trong một tiến trình.")
)
@click.option(
    "--webhook", is_flag=True, help=N_("Nhận cập nhật qua webhook thay cho long polling.")
)
@click.option("--listen", help=N_("Địa chỉ máy chủ webhook [THIDUA_WEBHOOK_LISTEN; 127.0.0.1]."))
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    help=N_("Cổng máy chủ webhook [THIDUA_WEBHOOK_PORT; 8080]."),
)
@click.option(
    "--url", help=N_("Địa chỉ công khai mà Telegram gửi cập nhật tới [THIDUA_WEBHOOK_URL].")
)
@click.option(
    "--secret",
    help=N_(
        "Mã bí mật Telegram gửi kèm mỗi cập nhật [THIDUA_WEBHOOK_SECRET; ngẫu nhiên mỗi lần chạy]."
    ),
)
def run(
    webhook: bool, listen: str | None, port: int | None, url: str | None, secret: str | None
) -> None:
    """Run the bot (long polling, or a webhook) and its scheduler in one process."""
    settings = _settings(
        THIDUA_WEBHOOK_LISTEN=listen,
        THIDUA_WEBHOOK_PORT=port,
        THIDUA_WEBHOOK_URL=url,
        THIDUA_WEBHOOK_SECRET=secret,
    )
    token = _token(settings)
    if not webhook and any(flag is not None for flag in (listen, port, url, secret)):
        _ = gettext_for(settings.locale)
        _fail(_("--listen, --port, --url và --secret chỉ dùng cùng --webhook."))
    webhook_config = _webhook_config(settings) if webhook else None
    configure_logging()
    from bot.edge.app import build_application  # imported late: the CLI starts fast without it

    application = build_application(settings, _database(settings))
    if settings.embedded_scheduler:
        from scheduler.service import attach

        attach(application, token)
    if loop_watch_log := os.environ.get("THIDUA_LOOP_WATCH"):
        from bot.edge.loopwatch import watch_application  # benchmarks only

        watch_application(application, loop_watch_log)
    if webhook_config is None:
        from bot.edge.polling import run_polling

        run_polling(application)  # confirms each update only once the database keeps it
    else:
        _run_webhook(application, webhook_config, settings.locale)


def _webhook_config(settings: Settings) -> WebhookConfig:
    from bot.edge.webhook import WebhookConfig

    if settings.webhook_url is None:
        _ = gettext_for(settings.locale)
        _fail(
            _(
                "Chế độ webhook cần địa chỉ công khai mà Telegram gửi cập nhật tới: đặt "
                "THIDUA_WEBHOOK_URL hoặc dùng --url (ví dụ https://bot.example.org/telegram)."
            )
        )
    return WebhookConfig.from_settings(settings)


def _run_webhook(application: Any, config: WebhookConfig, locale: str) -> None:
    """Serve the webhook; a port in use or a URL Telegram refuses ends with a clear message."""
    from telegram.error import TelegramError

    from bot.edge.webhook import run_webhook

    try:
        run_webhook(application, config)
    except (OSError, TelegramError) as error:
        reason = error.message if isinstance(error, TelegramError) else error.strerror or error
        _ = gettext_for(locale)
        _fail(_("Không khởi động được chế độ webhook: {reason}").format(reason=reason))


@main.command(help=N_("Chỉ chạy bộ lập lịch: nhắc nộp, bảng tiến độ, tổng hợp và gửi tin."))
def scheduler() -> None:
    """Run the scheduler alone: reminders, boards, summaries and the outbox sender."""
    settings = _settings()
    token = _token(settings)
    configure_logging()
    from scheduler.service import run_scheduler  # imported late: the CLI starts fast without it

    asyncio.run(run_scheduler(settings, _database(settings), token))


@main.command(
    name="import",
    help=N_("Nhập tệp thiết lập (cụm, đơn vị, giao ước, kỳ báo cáo) trong một giao dịch."),
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help=N_("Chỉ cho xem những gì sẽ thay đổi, không ghi gì."))
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
    except SetupError as found:
        problems = with_lines(found, content, settings.locale).problems
        click.echo(
            _("Tệp {file} có {count} lỗi, chưa ghi gì:").format(file=file, count=len(problems)),
            err=True,
        )
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(USAGE_ERROR)
    for warning in located(setup.warnings, content, settings.locale):
        click.echo(_("Lưu ý: {warning}").format(warning=warning), err=True)
    _print_changes(changes, dry_run, settings)


def _print_changes(changes: list[Change], dry_run: bool, settings: Settings) -> None:
    for line in change_lines(changes, timezone=settings.timezone, locale=settings.locale):
        click.echo(line)
    click.echo(changes_summary(len(changes), dry_run=dry_run, locale=settings.locale))


@main.command(
    help=N_(
        "Tạo đường dẫn mời dùng một lần cho đầu mối của đơn vị (focal) hoặc cán bộ giúp việc "
        "cụm trưởng (chair)."
    )
)
@click.option("--unit", "unit_code", required=True, help=N_("Mã đơn vị được mời tham gia."))
@click.option("--role", type=click.Choice(ROLES), default="focal", show_default=True)
@click.option(
    "--expires",
    default="7d",
    show_default=True,
    help=N_("Thời hạn: 7d, 12h, 30m (ngày, giờ, phút)."),
)
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

    from bot.edge.transport import make_request

    async def ask() -> str:
        request = make_request(settings.http_client, pool_size=1)
        async with Bot(token, base_url=settings.telegram_api_base_url, request=request) as bot:
            return bot.username

    try:
        return asyncio.run(ask())
    except TelegramError as error:
        _ = gettext_for(settings.locale)
        _fail(_("Không hỏi được tên bot từ Telegram ({reason}).").format(reason=error.message))


@main.group(help=N_("Quản lý quản trị viên."))
def admin() -> None:
    """Manage admins."""


@admin.command(name="add", help=N_("Cho một người dùng Telegram làm quản trị viên."))
@click.argument("telegram_id", type=int)
def admin_add(telegram_id: int) -> None:
    """Make a Telegram user an admin."""
    settings = _settings()
    _ = gettext_for(settings.locale)
    with session_scope(_database(settings)) as session:
        grant_admin(session, telegram_id=telegram_id, actor="cli:admin-add")
    click.echo(_("Người dùng Telegram {id} là quản trị viên.").format(id=telegram_id))


@main.group(help=N_("Quản lý cơ sở dữ liệu."))
def db() -> None:
    """Manage the database."""


@db.command(name="upgrade", help=N_("Cập nhật cơ sở dữ liệu lên phiên bản mới nhất."))
def db_upgrade() -> None:
    """Apply all database migrations."""
    settings = _settings()
    _database(settings)
    _ = gettext_for(settings.locale)
    click.echo(_("Cơ sở dữ liệu đã ở phiên bản mới nhất."))


@main.command(
    help=N_("Chạy thử một đợt báo cáo không cần mạng: Telegram giả, bot thật, cơ sở dữ liệu tạm.")
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help=N_("Thư mục ghi transcript.md."),
)
def demo(output: Path) -> None:
    """Play a reporting round offline: a fake Telegram, the real bot, a temporary database."""
    from bot.demo import run_demo  # imported late: the CLI starts fast without it

    sys.exit(run_demo(output))


# Commands kept in modules of their own, registered here so that `thidua --help` lists them.
from bot.cli_delegates import delegates  # noqa: E402
from bot.cli_documents import invitation, minutes  # noqa: E402
from bot.cli_pledge import pledge  # noqa: E402
from bot.cli_reports import export, report, status  # noqa: E402
from bot.cli_scores import scores  # noqa: E402
from bot.cli_votes import votes  # noqa: E402

main.add_command(export)
main.add_command(status)
main.add_command(report)
main.add_command(delegates)
main.add_command(minutes)
main.add_command(invitation)
main.add_command(scores)
main.add_command(pledge)
main.add_command(votes)
