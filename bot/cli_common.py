"""What the `thidua` commands share: settings or a sentence and exit 2, the database, files
written whole, the period and cluster named on the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.cli_words import cli_locale, settings_problems
from bot.domain.i18n import gettext_for
from bot.edge.logs import redact_secrets_of
from bot.settings import Settings
from bot.storage import make_engine, upgrade
from bot.storage.conference_tables import Conference
from bot.storage.models import Cluster, Period

__all__ = [
    "USAGE_ERROR",
    "_conference",
    "_database",
    "_fail",
    "_period_and_cluster",
    "_settings",
    "_token",
    "_write_file",
    "_write_pdf",
]

USAGE_ERROR = 2


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(USAGE_ERROR)


def _settings(**overrides: Any) -> Settings:
    """The settings; `overrides` (by environment name, e.g. from flags) win over the environment."""
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as error:
        locale = cli_locale()
        _ = gettext_for(locale)
        problems = settings_problems(error, locale)
        _fail(_("Cấu hình không hợp lệ: {problems}").format(problems=problems))
    redact_secrets_of(settings)  # before anything can print them
    return settings


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


def _write_file(out: Path, content: bytes, locale: str) -> None:
    """Written beside the target and renamed: a failed write never leaves half a file."""
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_bytes(content)
        partial.replace(out)
    except OSError as error:
        partial.unlink(missing_ok=True)
        _ = gettext_for(locale)
        _fail(_("Không ghi được tệp {file}: {reason}").format(file=out, reason=error.strerror))


def _period_and_cluster(
    session: Session, period_code: str, cluster_code: str | None, locale: str
) -> tuple[Period, Cluster | None]:
    """The period and cluster named on the command line; exit 2 with a sentence if unknown."""
    from bot.storage.reports import cluster_by_code, period_by_code, period_clusters

    _ = gettext_for(locale)
    period = period_by_code(session, period_code)
    if period is None:
        _fail(_("Không có kỳ báo cáo mã «{code}».").format(code=period_code))
    if cluster_code is None:
        return period, None
    cluster = cluster_by_code(session, cluster_code)
    if cluster is None:
        _fail(_("Không có cụm mã «{code}».").format(code=cluster_code))
    if not period_clusters(session, period_id=period.id or 0, cluster_id=cluster.id):
        _fail(
            _("Cụm «{cluster}» không báo cáo trong kỳ «{period}».").format(
                cluster=cluster_code, period=period_code
            )
        )
    return period, cluster


def _write_pdf(target: Path, content: bytes, locale: str) -> None:
    """The PDF beside the .docx; a polite stop without LibreOffice."""
    from bot.documents.pdf import ConversionError, to_pdf  # imported late: LibreOffice's part

    _ = gettext_for(locale)
    try:
        converted = to_pdf(content)
    except ConversionError as error:
        _fail(_("Không chuyển được sang PDF: {reason}").format(reason=error))
    if converted is None:
        _fail(_("Chưa cài LibreOffice (soffice): chỉ ghi được tệp DOCX."))
    _write_file(target.with_suffix(".pdf"), converted, locale)
    click.echo(_("Đã ghi bản PDF vào {file}.").format(file=target.with_suffix(".pdf")))


def _conference(session: Session, code: str, locale: str) -> Conference:
    """The conference named on the command line; exit 2 with a sentence if unknown."""
    from bot.storage.conferences import conference_by_code

    conference = conference_by_code(session, code=code)
    if conference is None:
        _ = gettext_for(locale)
        _fail(_("Không có hội nghị mã «{code}».").format(code=code))
    return conference
