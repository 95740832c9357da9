"""`thidua minutes`, `thidua invitation`: a stored conference's papers as Word files (and PDF)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from bot.cli_words import N_, Command
from bot.domain.i18n import gettext_for
from bot.settings import Settings

__all__ = ["invitation", "minutes"]

Draft = Callable[..., tuple[str, bytes]]

_CONFERENCE = click.option(
    "--conference", "conference_code", required=True, help=N_("Mã hội nghị.")
)
_PDF = click.option("--pdf", is_flag=True, help=N_("Ghi thêm bản PDF bên cạnh (cần LibreOffice)."))


def _out(help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help=help_text)


@click.command(cls=Command, help=N_("Ghi biên bản hội nghị: có mặt, chủ trì, thư ký, biểu quyết."))
@_CONFERENCE
@_out(N_("Tệp .docx cần ghi [mặc định tên như Bien-ban-2026-h1-hn.docx]."))
@_PDF
def minutes(conference_code: str, out: Path | None, pdf: bool) -> None:
    """Write the minutes (biên bản) of a conference: attendance, chair, secretary, votes."""
    from bot.cli_common import _settings
    from bot.reports.conference_papers import minutes_draft

    settings = _settings()
    target, content = _write_paper(settings, conference_code, out, minutes_draft)
    _ = gettext_for(settings.locale)
    click.echo(_("Đã ghi biên bản vào {file}.").format(file=target))
    if pdf:
        _write_pdf(target, content, settings.locale)


@click.command(cls=Command, help=N_("Ghi giấy mời dự hội nghị."))
@_CONFERENCE
@_out(N_("Tệp .docx cần ghi [mặc định tên như Giay-moi-2026-h1-hn.docx]."))
@_PDF
def invitation(conference_code: str, out: Path | None, pdf: bool) -> None:
    """Write the invitation (giấy mời) to a conference."""
    from bot.cli_common import _settings
    from bot.reports.conference_papers import invitation_draft

    settings = _settings()
    target, content = _write_paper(settings, conference_code, out, invitation_draft)
    _ = gettext_for(settings.locale)
    click.echo(_("Đã ghi giấy mời vào {file}.").format(file=target))
    if pdf:
        _write_pdf(target, content, settings.locale)


def _write_paper(
    settings: Settings, code: str, out: Path | None, draft: Draft
) -> tuple[Path, bytes]:
    """The conference's paper written to `out` (or to its name for people)."""
    # Imported late, like the other report commands: the CLI starts fast without them.
    from bot.cli_common import _database, _fail, _write_file
    from bot.storage import session_scope
    from bot.storage.conferences import conference_by_code

    _ = gettext_for(settings.locale)
    with session_scope(_database(settings)) as session:
        conference = conference_by_code(session, code=code)
        if conference is None:
            _fail(_("Không có hội nghị mã «{code}».").format(code=code))
        name, content = draft(session, conference=conference, locale=settings.locale)
    target = out or Path(name)
    _write_file(target, content, settings.locale)
    return target, content


def _write_pdf(target: Path, content: bytes, locale: str) -> None:
    """The PDF beside the .docx; a polite stop without LibreOffice."""
    from bot.cli_common import _fail, _write_file
    from bot.documents.pdf import ConversionError, to_pdf

    _ = gettext_for(locale)
    try:
        converted = to_pdf(content)
    except ConversionError as error:
        _fail(_("Không chuyển được sang PDF: {reason}").format(reason=error))
    if converted is None:
        _fail(_("Chưa cài LibreOffice (soffice): chỉ ghi được tệp DOCX."))
    _write_file(target.with_suffix(".pdf"), converted, locale)
    click.echo(_("Đã ghi bản PDF vào {file}.").format(file=target.with_suffix(".pdf")))
